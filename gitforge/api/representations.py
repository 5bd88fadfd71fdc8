"""What every GitHub JSON representation shares: API URLs, node ids and timestamps.

Each resource has one representation function, in the app that owns it, reused by every route
that returns it. URLs are absolute and keep the prefix the client used (`/api` or `/api/v3`), so
clients that follow `url` fields stay on it.
"""

import base64


def api_base(request):
    prefix = "/api/v3" if request.path.startswith("/api/v3/") else "/api"
    return request.build_absolute_uri(prefix)


def node_id(kind, key):
    return base64.b64encode(f"{kind}:{key}".encode()).decode()


def timestamp(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None
