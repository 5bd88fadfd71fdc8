"""Rate limits on django-ratelimit counters in the default cache, which every worker shares:
Redis when REDIS_URL is set, else the database's atomic counters (gitforge.ratelimits.cache).

Every API call counts against the caller's hourly budget (per user, or per address for anonymous
callers), reported in GitHub's X-RateLimit-* headers. Routes can add limits of their own keyed on
anything, e.g. status creation per repository and commit.
"""

import time

from django.conf import settings
from django_ratelimit.core import get_usage
from rest_framework.exceptions import Throttled


class RateLimitExceeded(Throttled):
    default_detail = "API rate limit exceeded"


def _caller_key(request):
    user = request.user
    if user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def check_api_rate_limit(request):
    """Count this call against the caller's budget; raise once it is spent.

    The usage is remembered on the request for the X-RateLimit-* response headers.
    """
    rate = (
        settings.GITFORGE_API_RATE_LIMIT
        if request.user.is_authenticated
        else settings.GITFORGE_API_ANONYMOUS_RATE_LIMIT
    )
    usage = get_usage(
        request, group="api", key=lambda group, req: _caller_key(req), rate=rate, increment=True
    )
    request.rate_limit_usage = usage
    if usage and usage["should_limit"]:
        raise RateLimitExceeded(wait=max(usage["time_left"], 1))


def check_rate_limit(request, *, group, key, rate):
    """Count one use of `group` for `key` at `rate` (e.g. "600/m"); raise once over it."""
    usage = get_usage(request, group=group, key=lambda group, req: key, rate=rate, increment=True)
    if usage and usage["should_limit"]:
        raise RateLimitExceeded(wait=max(usage["time_left"], 1))


def rate_limit_headers(request):
    usage = getattr(request, "rate_limit_usage", None)
    if not usage:
        return {}
    return {
        "X-RateLimit-Limit": str(usage["limit"]),
        "X-RateLimit-Remaining": str(max(usage["limit"] - usage["count"], 0)),
        "X-RateLimit-Reset": str(int(time.time()) + max(usage["time_left"], 0)),
        "X-RateLimit-Used": str(min(usage["count"], usage["limit"])),
        "X-RateLimit-Resource": "core",
    }
