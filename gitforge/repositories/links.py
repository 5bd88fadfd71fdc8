from urllib.parse import urlsplit


def http_url(value):
    """`value` if it is an absolute http or https URL with a host, else None."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    if parts.scheme in ("http", "https") and parts.hostname:
        return value.strip()
    return None
