"""Counting calls in rate-limit windows: several counters in one round trip to the cache.

A window is a counter with a lifetime and a limit. `count_calls` adds one to each window in
order and stops after the first one the call takes over its limit, so a refused call is not
counted in the windows after it. In Redis that is one Lua script (atomic, exact: a counter
gets its lifetime when the script creates it); in the database (gitforge.ratelimits.cache) one
upsert per window. Counters are the ones django-ratelimit keeps, in the same cache keys.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import NoScriptError

from gitforge.ratelimits.cache import DatabaseCounterCache

# KEYS: the counters; ARGV: seconds to live and limit of each, in turn.
COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 or redis.call('TTL', key) == -1 then
    redis.call('EXPIRE', key, ARGV[2 * i - 1])
  end
  counts[i] = count
  if count > tonumber(ARGV[2 * i]) then
    break
  end
end
return counts
"""
COUNT_SCRIPT_SHA1 = hashlib.sha1(COUNT_SCRIPT.encode()).hexdigest()


@dataclass(frozen=True)
class Window:
    key: str  # the cache key, before the cache's prefix and version
    seconds: int  # how long a new counter lives
    limit: int


def count_calls(cache: BaseCache, windows: Sequence[Window]) -> list[int]:
    """Add one to each window's counter, in order, until one goes over its limit; return
    the counts (fewer than `windows` when one stopped the count)."""
    if isinstance(cache, RedisCache):
        return _count_in_redis(cache, windows)
    if isinstance(cache, DatabaseCounterCache):
        return _count_in_database(cache, windows)
    return _count_in_any_cache(cache, windows)


def _count_in_redis(cache: RedisCache, windows: Sequence[Window]) -> list[int]:
    keys = [cache.make_and_validate_key(window.key) for window in windows]
    arguments = [value for window in windows for value in (window.seconds, window.limit)]
    client = _redis_client(cache)
    try:
        counts = client.evalsha(COUNT_SCRIPT_SHA1, len(keys), *keys, *arguments)
    except NoScriptError:  # a server that has not run it yet (or restarted): send it whole
        counts = client.eval(COUNT_SCRIPT, len(keys), *keys, *arguments)
    return [int(count) for count in counts]


@lru_cache(maxsize=16)
def _redis_client(cache: RedisCache):
    """One client per cache (Django's makes a new one, with hundreds of callbacks, per call);
    it shares the cache's connection pool and is safe to use from any thread."""
    return cache._cache.get_client(write=True)  # type: ignore[attr-defined]


def _count_in_database(cache: DatabaseCounterCache, windows: Sequence[Window]) -> list[int]:
    counts = []
    for window in windows:
        counts.append(cache.count(window.key, window.seconds))
        if counts[-1] > window.limit:
            break
    return counts


def _count_in_any_cache(cache: BaseCache, windows: Sequence[Window]) -> list[int]:
    """Any other Django cache: add, else increment (django-ratelimit's own way)."""
    counts = []
    for window in windows:
        counts.append(1 if cache.add(window.key, 1, window.seconds) else cache.incr(window.key))
        if counts[-1] > window.limit:
            break
    return counts
