"""CORS as GitHub's API does it: any origin may call, without credentials (the API reads no
cookies, only the Authorization header), and preflight requests are answered before routing,
so they need no authentication and cost no rate limit."""

from django.http import HttpResponse

EXPOSED_HEADERS = (
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, "
    "X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, "
    "X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, "
    "X-GitHub-Request-Id, Deprecation, Sunset"
)
ALLOWED_HEADERS = (
    "Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, "
    "If-Unmodified-Since, Accept-Encoding, X-GitHub-OTP, X-Requested-With, User-Agent, "
    "GraphQL-Features, X-Github-Next-Global-ID, X-GitHub-Api-Version"
)
ALLOWED_METHODS = "GET, POST, PATCH, PUT, DELETE"
PREFLIGHT_MAX_AGE = "86400"


def allow_any_origin(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def preflight_response():
    """The answer to an OPTIONS request on an API path: 204 with what browsers may send."""
    response = HttpResponse(status=204)
    del response["Content-Type"]
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return allow_any_origin(response)
