"""What every GitHub JSON representation shares: API URLs, node ids and timestamps.

Each resource has one representation function, in the app that owns it, reused by every route
that returns it. URLs are absolute and keep the prefix the client used (`/api` or `/api/v3`), so
clients that follow `url` fields stay on it.
"""

import base64
from urllib.parse import urlsplit


def api_base(request):
    prefix = "/api/v3" if request.path.startswith("/api/v3/") else "/api"
    return request.build_absolute_uri(prefix)


def node_id(kind, key):
    return base64.b64encode(f"{kind}:{key}".encode()).decode()


def timestamp(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


class ExternalSite:
    """Stands in for the request when a representation is built outside one (webhook payloads):
    absolute URLs start at GITFORGE_EXTERNAL_URL and API URLs use the `/api` prefix."""

    path = "/api/"

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def build_absolute_uri(self, location: str = "/") -> str:
        return self.base_url + location

    def get_host(self) -> str:
        return urlsplit(self.base_url).netloc
