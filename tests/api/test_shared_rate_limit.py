"""Without REDIS_URL, rate-limit counters live in the database (gitforge.ratelimits) and are
exact across worker processes: every increment is one atomic statement."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter as Tally
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.core import checks
from django.core.cache import caches
from django.db import connection
from django_ratelimit.core import _get_window

from gitforge.ratelimits.models import Counter
from tests.helpers import run_together

BACKEND = "gitforge.ratelimits.cache.DatabaseCounterCache"


@pytest.fixture
def counters(settings):
    """The default cache as deployments without REDIS_URL have it."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": BACKEND, "KEY_PREFIX": prefix}}
    return caches["default"]


def in_memory_sqlite():
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


needs_shared_database = pytest.mark.skipif(
    "in_memory_sqlite()", reason="other connections and processes cannot see :memory: SQLite"
)


def test_without_redis_the_default_cache_is_the_database_counter_cache():
    if "REDIS_URL" not in os.environ:
        assert django_settings.CACHES["default"]["BACKEND"] == BACKEND
    assert "django_ratelimit.E003" not in django_settings.SILENCED_SYSTEM_CHECKS


def test_django_ratelimits_cache_check_accepts_it(counters):
    found = checks.run_checks(tags=[checks.Tags.caches])

    assert [check.id for check in found if check.id.startswith("django_ratelimit.E")] == []


def test_counters_add_get_and_incr(db, counters):
    assert counters.add("calls", 1, 60) is True
    assert counters.add("calls", 1, 60) is False
    assert counters.incr("calls") == 2
    assert counters.incr("calls", 5) == 7
    assert counters.get("calls") == 7
    assert counters.get("missing", "default") == "default"
    with pytest.raises(ValueError):
        counters.incr("missing")
    [row] = Counter.objects.all()
    assert row.cache_key.endswith(":1:calls") and row.value == 7


def test_an_expired_counter_starts_again(db, counters):
    counters.set("calls", 41, 60)
    Counter.objects.update(expires=time.time() - 1)

    assert counters.get("calls") is None
    with pytest.raises(ValueError):
        counters.incr("calls")
    assert counters.add("calls", 1, 60) is True
    assert counters.get("calls") == 1
    assert Counter.objects.get().value == 1


def test_touch_delete_and_clear(db, counters):
    counters.set("a", 1, None)
    counters.set("b", 2, 60)

    assert counters.touch("a", 0) is True
    assert counters.get("a") is None
    assert counters.delete("b") is True
    assert counters.delete("b") is False
    counters.set("c", 3)
    counters.clear()
    assert Counter.objects.count() == 0


def test_only_integers_are_stored(db, counters):
    with pytest.raises(TypeError):
        counters.set("a", "text")


@needs_shared_database
def test_increments_from_many_connections_at_once_lose_no_count(transactional_db, counters):
    threads, each = 8, 25
    counters.add("shared", 0, 600)

    def count():
        for _ in range(each):
            counters.incr("shared")

    assert run_together(threads, count) == []
    assert counters.get("shared") == threads * each
    assert Counter.objects.get().value == threads * each


# Through gunicorn ------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_workers(transactional_db, tmp_path, settings):
    """gunicorn with two worker processes on the test database, without Redis, allowing
    anonymous callers 60 API calls an hour."""
    port = free_port()
    prefix = f"test-{uuid.uuid4().hex}"
    env = {
        **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},
        "GITFORGE_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "GITFORGE_REPOS_ROOT": str(settings.GITFORGE_REPOS_ROOT),
        "GITFORGE_API_ANONYMOUS_RATE_LIMIT": "60/h",
        "GITFORGE_CACHE_PREFIX": prefix,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }
    log = tmp_path / "access.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "gitforge.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--workers=2",
        "--worker-class=sync",
        f"--access-logfile={log}",
        "--access-logformat=%(p)s %(s)s %(U)s",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
    try:
        wait_until_serving(server, port)
        yield port, log, prefix
    finally:
        server.terminate()
        server.wait(20)


def wait_until_serving(server, port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            get(port, "/favicon.ico")  # any answer will do; pages do not count against the API
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 60 s")


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_for_a_fresh_window(value, period=3600, margin=60):
    """Keep the burst inside one rate-limit window."""
    left = _get_window(value, period) - time.time()
    if left < margin:
        time.sleep(left + 1)


@needs_shared_database
def test_61_anonymous_calls_through_two_workers_let_exactly_60_through(two_workers, alice):
    port, log, prefix = two_workers
    wait_for_a_fresh_window("ip:127.0.0.1")

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: get(port, "/api/users/alice"), range(61)))

    assert Tally(statuses) == {200: 60, 429: 1}
    served_by = {
        pid
        for pid, status, path in (line.split() for line in log.read_text().splitlines())
        if path == "/api/users/alice"
    }
    assert len(served_by) == 2, "both worker processes answered"
    [counter] = Counter.objects.filter(cache_key__startswith=f"{prefix}:")
    assert counter.value == 61
    assert re.fullmatch(rf"{prefix}:1:rl:[0-9a-f]{{64}}", counter.cache_key)
