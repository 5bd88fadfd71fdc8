"""Shared scaffolding for the benchmarks: a throwaway PostgreSQL database and repos root.

Each benchmark creates its own database `gitforge_bench_<pid>` on the server named by
DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres, used only as the admin
connection for CREATE/DROP DATABASE), migrates it, and drops it again on the way out. Nothing
else on the server is touched. Git repositories and GITFORGE_DATA_DIR go to a temp directory.
"""

import os
import shutil
import signal
import socket
import statistics
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
HIGH_RATE = "100000000/h"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def admin_url():
    url = os.environ.get("DATABASE_URL") or DEFAULT_ADMIN_URL
    if urlsplit(url).scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"benchmarks need PostgreSQL; DATABASE_URL is {url.split(':', 1)[0]}:…")
    return url


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def redact(url):
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password:
        netloc = netloc.replace(":" + parts.password + "@", ":***@")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _admin_connect(url):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10)


def admin_connection():
    """An autocommit connection to the admin database, for a bench that makes more databases."""
    return _admin_connect(admin_url())


def redis_answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def pick_redis_url():
    """REDIS_URL from the environment, else local Redis db 15 when it answers, else None."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    if redis_answers("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/15"
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _raise_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


@contextmanager
def bench_database(*, redis_url=None):
    """Create, migrate, and finally drop `gitforge_bench_<pid>`; Django is set up inside.

    Yields a dict with the database URL, the temp dir and the environment the app runs with
    (for subprocesses such as gunicorn).
    """
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    admin = admin_url()
    name = f"gitforge_bench_{os.getpid()}"
    url = with_database(admin, name)
    tmp = Path(tempfile.mkdtemp(prefix="gitforge-bench-"))
    cache_prefix = f"gitforge-bench-{os.getpid()}"
    env = {
        "DATABASE_URL": url,
        "GITFORGE_REPOS_ROOT": str(tmp / "repos"),
        "GITFORGE_DATA_DIR": str(tmp / "data"),
        "GITFORGE_API_RATE_LIMIT": HIGH_RATE,
        "GITFORGE_STATUS_RATE_LIMIT": HIGH_RATE,
        "GITFORGE_CACHE_PREFIX": cache_prefix,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "gitforge.settings",
        "DEBUG": "0",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    created = False
    try:
        with _admin_connect(admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created = True
        os.environ.update(env)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        yield {"url": url, "name": name, "tmp": tmp, "env": env, "cache_prefix": cache_prefix}
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if created:
            with _admin_connect(admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if redis_url:
            _delete_cache_keys(redis_url, cache_prefix)
        shutil.rmtree(tmp, ignore_errors=True)


def _delete_cache_keys(redis_url, prefix):
    """Remove the rate-limit counters this run left under its own key prefix."""
    try:
        import redis

        client = redis.Redis.from_url(redis_url, socket_timeout=5)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    except Exception as error:  # cleanup is best effort; counters expire on their own
        print(f"note: could not delete cache keys {prefix}:* ({error})", file=sys.stderr)


def make_fixture(*, repository_name="bench", scopes=("repo",)):
    """A user, a repository with one commit on main (auto_init), and a personal access token."""
    from gitforge.accounts.models import User
    from gitforge.accounts.services import create_personal_access_token
    from gitforge.repositories.git import GitRepository
    from gitforge.repositories.services import create_repository

    user = User.objects.create_user("benchuser", "bench@example.com", "bench-password-1")
    repository = create_repository(owner=user, name=repository_name, auto_init=True)
    sha = GitRepository(repository.id).branch_sha(repository.default_branch)
    _, secret = create_personal_access_token(user=user, name="bench", scopes=list(scopes))
    return user, repository, sha, secret


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(values):
    return statistics.median(values) if values else float("nan")
