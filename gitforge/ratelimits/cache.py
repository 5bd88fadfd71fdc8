"""A cache of integer counters in the database, with atomic increments across processes.

Without REDIS_URL, gunicorn's workers share no memory, so django-ratelimit's counters live
here: `add` and `incr` are each one statement (an upsert, an UPDATE ... RETURNING) that
PostgreSQL and SQLite both run atomically, so every worker sees every other's count. Django's
own DatabaseCache would not do: its `incr` is a read followed by a write, and loses counts.

Only integers are stored: this cache is for counters, not for arbitrary objects.
"""

import hashlib
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router

from gitforge.ratelimits.models import Counter

CULL_EVERY = 500  # adds between two sweeps of expired counters, per process


class DatabaseCounterCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        self.table = Counter._meta.db_table
        self.adds = 0

    # Keys and time ---------------------------------------------------------------------------

    def _key(self, key, version):
        full = self.make_and_validate_key(key, version=version)
        if len(full) > 255:
            full = "sha256:" + hashlib.sha256(full.encode()).hexdigest()
        return full

    def _expires(self, timeout):
        return self.get_backend_timeout(timeout)  # None: never; a past time: already expired

    def _run(self, sql, params, *, write=True):
        alias = router.db_for_write(Counter) if write else router.db_for_read(Counter)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql.format(table=self.table), params)
            return cursor.fetchone() if cursor.description else None

    @staticmethod
    def _integer(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"DatabaseCounterCache stores integers only, not {type(value)}")
        return value

    # The cache API ---------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Store `value` unless a live counter holds the key; True if it was stored."""
        key, now = self._key(key, version), time.time()
        self._cull_now_and_then(now)
        row = self._run(
            """
            INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s)
            ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, expires = excluded.expires
            WHERE {table}.expires IS NOT NULL AND {table}.expires <= %s
            RETURNING cache_key
            """,
            [key, self._integer(value), self._expires(timeout), now],
        )
        return row is not None

    def get(self, key, default=None, version=None):
        row = self._run(
            "SELECT value FROM {table} WHERE cache_key = %s AND (expires IS NULL OR expires > %s)",
            [self._key(key, version), time.time()],
            write=False,
        )
        return default if row is None else row[0]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._run(
            """
            INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s)
            ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, expires = excluded.expires
            """,
            [self._key(key, version), self._integer(value), self._expires(timeout)],
        )

    def incr(self, key, delta=1, version=None):
        """Add `delta` to a live counter in one statement; ValueError if there is none."""
        row = self._run(
            """
            UPDATE {table} SET value = value + %s
            WHERE cache_key = %s AND (expires IS NULL OR expires > %s)
            RETURNING value
            """,
            [self._integer(delta), self._key(key, version), time.time()],
        )
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return row[0]

    def count(self, key, timeout, version=None):
        """Add one to the counter, or start it at 1 for `timeout` seconds when there is no
        live one; return the count. One statement: what `add` then `incr` do in two."""
        now = time.time()
        self._cull_now_and_then(now)
        row = self._run(
            """
            INSERT INTO {table} (cache_key, value, expires) VALUES (%s, 1, %s)
            ON CONFLICT (cache_key) DO UPDATE SET
                value = CASE WHEN {table}.expires <= %s THEN 1 ELSE {table}.value + 1 END,
                expires = CASE WHEN {table}.expires <= %s
                    THEN excluded.expires ELSE {table}.expires END
            RETURNING value
            """,
            [self._key(key, version), self._expires(timeout), now, now],
        )
        return row[0]  # an upsert always returns its row

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        row = self._run(
            """
            UPDATE {table} SET expires = %s
            WHERE cache_key = %s AND (expires IS NULL OR expires > %s)
            RETURNING cache_key
            """,
            [self._expires(timeout), self._key(key, version), time.time()],
        )
        return row is not None

    def delete(self, key, version=None):
        row = self._run(
            "DELETE FROM {table} WHERE cache_key = %s RETURNING cache_key",
            [self._key(key, version)],
        )
        return row is not None

    def has_key(self, key, version=None):
        return self.get(key, version=version) is not None

    def clear(self):
        self._run("DELETE FROM {table}", [])

    def _cull_now_and_then(self, now):
        self.adds += 1
        if self.adds % CULL_EVERY == 0:
            self._run("DELETE FROM {table} WHERE expires <= %s", [now])
