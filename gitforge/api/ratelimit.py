"""Rate limits on django-ratelimit counters in the default cache, which every worker shares:
Redis when REDIS_URL is set, else the database's atomic counters (gitforge.ratelimits.cache).

Every API call counts against the caller's hourly budget (per user, or per address for anonymous
callers), reported in GitHub's X-RateLimit-* headers. Routes can add limits of their own keyed on
anything, e.g. status creation per repository and commit; a call's counters are all counted in
one round trip to the cache (gitforge.ratelimits.counting).
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django_ratelimit import ALL
from django_ratelimit.core import EXPIRATION_FUDGE, _get_window, _make_cache_key, _split_rate
from rest_framework.exceptions import Throttled

from gitforge.ratelimits.counting import Window, count_calls

API_GROUP = "api"


class RateLimitExceeded(Throttled):
    default_detail = "API rate limit exceeded"


@dataclass(frozen=True)
class RateLimit:
    """At most `rate` (e.g. "600/m") uses of `group` for each `key`."""

    group: str
    key: str
    rate: str

    def window(self) -> tuple[Window, int]:
        """This limit's current window, and its end (Unix time), as django-ratelimit has them."""
        limit, period = _split_rate(self.rate)
        end = _get_window(self.key, period)
        key = _make_cache_key(self.group, end, self.rate, self.key, ALL)
        return Window(key=key, seconds=period + EXPIRATION_FUDGE, limit=limit), end


def _caller_key(request):
    user = request.user
    if user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def api_budget(request) -> RateLimit:
    rate = (
        settings.GITFORGE_API_RATE_LIMIT
        if request.user.is_authenticated
        else settings.GITFORGE_API_ANONYMOUS_RATE_LIMIT
    )
    return RateLimit(group=API_GROUP, key=_caller_key(request), rate=rate)


def count_api_call(request, limits: Sequence[RateLimit] = ()):
    """Count this call against the caller's budget, then against the route's `limits`; raise
    RateLimitExceeded for the first one it exceeds (a call the budget refuses is not counted
    against the others).

    The budget's usage, and its counter, are remembered on the request (the HttpRequest under
    DRF's, which middleware sees too) for the X-RateLimit-* headers and for a refund.
    """
    windows, ends = zip(*(limit.window() for limit in (api_budget(request), *limits)), strict=True)
    counts = count_calls(caches[settings.RATELIMIT_USE_CACHE], windows)
    now = int(time.time())
    http_request = getattr(request, "_request", request)
    http_request.rate_limit_usage = usage(counts[0], windows[0].limit, ends[0] - now)
    http_request.rate_limit_counter = windows[0].key
    for count, window, end in zip(counts, windows, ends, strict=False):
        if count > window.limit:
            raise RateLimitExceeded(wait=max(end - now, 1))


def usage(count, limit, time_left):
    return {"count": count, "limit": limit, "should_limit": count > limit, "time_left": time_left}


def refund_api_rate_limit(request):
    """Give back the call counted by count_api_call: GitHub does not charge for a 304 Not
    Modified. The usage on the request is corrected for its X-RateLimit-* headers."""
    used = getattr(request, "rate_limit_usage", None)
    counter = getattr(request, "rate_limit_counter", None)
    if not used or counter is None:
        return
    try:
        caches[settings.RATELIMIT_USE_CACHE].decr(counter)
    except ValueError:
        return  # the window ended meanwhile: the call was counted in one that is gone
    request.rate_limit_usage = usage(used["count"] - 1, used["limit"], used["time_left"])


def rate_limit_headers(request):
    used = getattr(request, "rate_limit_usage", None)
    if not used:
        return {}
    return {
        "X-RateLimit-Limit": str(used["limit"]),
        "X-RateLimit-Remaining": str(max(used["limit"] - used["count"], 0)),
        "X-RateLimit-Reset": str(int(time.time()) + max(used["time_left"], 0)),
        "X-RateLimit-Used": str(min(used["count"], used["limit"])),
        "X-RateLimit-Resource": "core",
    }
