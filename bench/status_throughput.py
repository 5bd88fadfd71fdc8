"""Status creation throughput through gunicorn + PostgreSQL, relative to a trivial endpoint.

Target (from the issue): requests/s of POST /api/repos/{o}/{r}/statuses/{sha} from several
concurrent clients is at least 0.5 x the requests/s of GET /api/user (a trivial authenticated
endpoint) on the same stack in the same run.

Run: .venv/bin/python bench/status_throughput.py [--clients 8] [--duration 10] [--workers N]
Creates and drops its own PostgreSQL database (see bench/_setup.py); the server listens on
127.0.0.1 only.
"""

import argparse
import http.client
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter

import _setup

TARGET_RATIO = 0.5
CONTEXTS = 50
MAX_PER_CONTEXT = 1000  # statuses.services.MAX_STATUSES_PER_CONTEXT


def api_headers(secret):
    """What every benchmark client sends: the token, GitHub's media type, JSON bodies."""
    return {
        "Authorization": f"Bearer {secret}",
        "Accept": "application/vnd.github+json",
        "Content-Type": "application/json",
        "Host": "127.0.0.1",
    }


class StatusBodies:
    """Status POST bodies alternating success/pending over `contexts` contexts, numbered."""

    def __init__(self, contexts):
        self.contexts = contexts
        self.counter = itertools.count()

    def __call__(self):
        n = next(self.counter)
        return json.dumps(
            {
                "state": "success" if n % 2 else "pending",
                "context": f"ci/{n % self.contexts}",
                "description": f"bench {n}",
                "target_url": f"https://ci.example.com/{n}",
            }
        )

    def posted(self):
        """How many bodies were handed out."""
        return next(self.counter)


def start_gunicorn(*, env, port, workers, log_path):
    command = [
        str(_setup.ROOT / ".venv" / "bin" / "gunicorn"),
        "gitforge.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        "1",
        "--worker-class",
        "sync",
        "--keep-alive",
        "5",
        "--graceful-timeout",
        "10",
        "--log-level",
        "warning",
    ]
    server_env = {**os.environ, **env, "ALLOWED_HOSTS": "127.0.0.1"}
    # whitenoise warns once per worker that collectstatic has not run; irrelevant here
    server_env["PYTHONWARNINGS"] = "ignore:No directory at:UserWarning"
    log = open(log_path, "wb")  # noqa: SIM115 (kept open for the server's lifetime)
    process = subprocess.Popen(
        command, cwd=_setup.ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT
    )
    return process, log, command


def wait_until_ready(process, port, token, *, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/user", headers={"Authorization": f"Bearer {token}"})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_gunicorn(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Totals:
    """What a load phase sums up from its rounds: `ok` responses in `elapsed` seconds, using
    `cpu` seconds of the client."""

    @property
    def client_cpu(self):
        return self.cpu / self.elapsed if self.elapsed else 0.0

    @property
    def rate(self):
        return self.ok / self.elapsed


class Phase(Totals):
    """N client threads, each with its own HTTP/1.1 connection, for a fixed duration."""

    def __init__(self, *, port, clients, duration, make_request):
        self.port = port
        self.clients = clients
        self.duration = duration
        self.make_request = make_request  # () -> (method, path, body or None)
        self.lock = threading.Lock()
        self.latencies = []
        self.codes = Counter()
        self.exceptions = Counter()
        self.first_error = None
        self.elapsed = 0.0
        self.cpu = 0.0

    def worker(self, stop_at, headers):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        latencies, codes, exceptions, first_error = [], Counter(), Counter(), None
        while time.perf_counter() < stop_at:
            method, path, body = self.make_request()
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                if response.will_close:
                    conn.close()  # sync workers close after each response; reconnect next time
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                exceptions[type(error).__name__] += 1
                first_error = first_error or repr(error)
                continue
            latencies.append(time.perf_counter() - start)
            codes[response.status] += 1
            if not 200 <= response.status < 300 and first_error is None:
                first_error = f"{method} {path} -> {response.status}: {content[:300]!r}"
        conn.close()
        with self.lock:
            self.latencies.extend(latencies)
            self.codes.update(codes)
            self.exceptions.update(exceptions)
            self.first_error = self.first_error or first_error

    def run(self, headers):
        cpu_start = time.process_time()
        start = time.perf_counter()
        stop_at = start + self.duration
        threads = [
            threading.Thread(target=self.worker, args=(stop_at, headers), daemon=True)
            for _ in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=self.duration + 60)
        self.elapsed += time.perf_counter() - start
        self.cpu += time.process_time() - cpu_start
        return self

    @property
    def ok(self):
        return sum(count for code, count in self.codes.items() if 200 <= code < 300)

    @property
    def errors(self):
        bad = sum(count for code, count in self.codes.items() if not 200 <= code < 300)
        return bad + sum(self.exceptions.values())

    @property
    def median(self):
        return _setup.median(self.latencies)

    @property
    def p95(self):
        return _setup.percentile(self.latencies, 0.95)


def in_process_profile(*, user, repository, sha, secret):
    """Queries and time per request inside one process (django.test.Client), for context."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gitforge.repositories.git import GitRepository

    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    path = f"/api/repos/{user.username}/{repository.name}/statuses/{sha}"
    rows = []
    for label, call in (
        ("GET /api/user", lambda: client.get("/api/user")),
        (
            "POST status",
            lambda: client.post(
                path,
                json.dumps({"state": "success", "context": "profile/ctx"}),
                content_type="application/json",
            ),
        ),
    ):
        call()  # warm up
        with CaptureQueriesContext(connection) as captured:
            response = call()
        assert 200 <= response.status_code < 300, (response.status_code, response.content)
        queries = list(captured.captured_queries)  # later requests clear the query log
        times = []
        for _ in range(30):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        rows.append((label, queries, _setup.median(times)))

    times = []
    for _ in range(200):
        start = time.perf_counter()
        GitRepository(repository.id).commit(sha)
        times.append(time.perf_counter() - start)
    git_ms = _setup.median(times) * 1000
    return rows, git_ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument(
        "--rounds", type=int, default=2, help="alternating a/b rounds the duration is split into"
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per warm-up phase")
    parser.add_argument(
        "--workers", type=int, default=max(2, 2 * (os.cpu_count() or 1)), help="gunicorn workers"
    )
    parser.add_argument("--show-queries", action="store_true", help="print the SQL per request")
    args = parser.parse_args()
    args.duration = min(max(args.duration, 1.0), 60.0)
    args.warmup = min(max(args.warmup, 0.0), 10.0)
    args.clients = min(max(args.clients, 1), 64)
    args.rounds = min(max(args.rounds, 1), 10)
    os.environ.setdefault("API_LOG_LEVEL", "WARNING")  # the server's request lines: noise here

    redis_url = _setup.pick_redis_url()
    with _setup.bench_database(redis_url=redis_url) as bench:
        user, repository, sha, secret = _setup.make_fixture()
        print(f"database: {_setup.redact(bench['url'])} (created for this run)")
        print(
            "rate-limit cache: "
            + (_setup.redact(redis_url) if redis_url else "per-process memory (no Redis found)")
        )
        profile, git_ms = in_process_profile(
            user=user, repository=repository, sha=sha, secret=secret
        )
        from django.db import connections

        connections.close_all()

        port = _setup.free_port()
        log_path = bench["tmp"] / "gunicorn.log"
        process, log, command = start_gunicorn(
            env=bench["env"], port=port, workers=args.workers, log_path=log_path
        )
        try:
            wait_until_ready(process, port, secret)
            headers = api_headers(secret)
            status_path = f"/api/repos/{user.username}/{repository.name}/statuses/{sha}"
            next_body = StatusBodies(CONTEXTS)

            def get_user():
                return "GET", "/api/user", None

            def post_status():
                return "POST", status_path, next_body()

            def phase(make_request, duration):
                return Phase(
                    port=port, clients=args.clients, duration=duration, make_request=make_request
                )

            if args.warmup:
                phase(get_user, args.warmup).run(headers)
                phase(post_status, args.warmup).run(headers)
            # Alternate a, b, a, b, ... so drift (other load on the machine) hits both alike.
            trivial = phase(get_user, args.duration / args.rounds)
            create = phase(post_status, args.duration / args.rounds)
            for _ in range(args.rounds):
                trivial.run(headers)
                create.run(headers)
            posted = next_body.posted()
            if posted > CONTEXTS * MAX_PER_CONTEXT * 0.9:
                print(f"warning: {posted} posts approach the {MAX_PER_CONTEXT}/context limit")
        finally:
            stop_gunicorn(process)
            log.close()
        server_log = log_path.read_text(errors="replace").strip()

    print(f"server: {' '.join(command[1:])}")
    print(
        f"load: {args.clients} concurrent clients (threads, HTTP/1.1 via http.client), "
        f"{args.duration:g} s per endpoint in {args.rounds} alternating rounds after "
        f"{args.warmup:g} s warm-up; {os.cpu_count()} CPUs"
    )
    print()
    print("in-process (django.test.Client, no server), per request:")
    for label, queries, seconds in profile:
        print(f"  {label:<14} {len(queries):>2} queries  {seconds * 1000:6.2f} ms median")
        if args.show_queries:
            for query in queries:
                print(f"      {query['time']}s  {query['sql'][:160]}")
    print(f"  git commit lookup (GitRepository(id).commit(sha)): {git_ms:.3f} ms median")
    print()
    header = (
        f"{'phase':<40} {'req/s':>8} {'ok':>7} {'errors':>7} {'median ms':>10} "
        f"{'p95 ms':>8} {'client CPU':>11}"
    )
    print(header)
    print("-" * len(header))
    for label, result in (
        ("a) GET /api/user", trivial),
        ("b) POST /repos/{o}/{r}/statuses/{sha}", create),
    ):
        print(
            f"{label:<40} {result.rate:>8.1f} {result.ok:>7} {result.errors:>7} "
            f"{result.median * 1000:>10.2f} {result.p95 * 1000:>8.2f} "
            f"{result.client_cpu * 100:>10.0f}%"
        )
    print()
    for label, result in (("a", trivial), ("b", create)):
        codes = ", ".join(f"{code}: {count}" for code, count in sorted(result.codes.items()))
        extra = ", ".join(f"{name}: {count}" for name, count in result.exceptions.items())
        print(f"{label}) status codes: {codes}" + (f"; exceptions: {extra}" if extra else ""))
        if result.first_error:
            print(f"   first error: {result.first_error}")
    ratio = create.rate / trivial.rate if trivial.rate else float("nan")
    errors = trivial.errors + create.errors
    print()
    print(f"ratio b/a: {ratio:.2f}")
    print(f"target >= {TARGET_RATIO}: {'PASS' if ratio >= TARGET_RATIO else 'FAIL'}")
    print(f"errors == 0: {'PASS' if errors == 0 else 'FAIL'} ({errors})")
    if server_log:
        print("\nserver log (tail):")
        print("\n".join(server_log.splitlines()[-15:]))
    return 0 if ratio >= TARGET_RATIO and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
