"""Authenticated API requests against Django's floor: each beside a minimal one-query DRF view.

Targets (issue 15): GET /api/user serves at least 0.5 x the requests/s of a DRF view doing one
SELECT, and POST /api/repos/{o}/{r}/statuses/{sha} at least 0.3 x a DRF view doing one UPDATE,
on the same gunicorn (sync workers), settings and middleware, in the same run. The floor views
live in bench/floor_urls.py, routed only for this run (bench/floor_settings.py).

Run: .venv/bin/python bench/api_floor.py [--clients 16] [--duration 20] [--workers 4] [--wrk]
(--wrk drives the load with wrk instead of Python threads; see bench/wrk_phase.py.)
Creates and drops its own PostgreSQL database (see bench/_setup.py); the server listens on
127.0.0.1 only.
"""

import argparse
import json
import os
import sys

import _setup
from status_throughput import (
    Phase,
    StatusBodies,
    api_headers,
    start_gunicorn,
    stop_gunicorn,
    wait_until_ready,
)
from wrk_phase import WrkPhase

READ_TARGET = 0.5
WRITE_TARGET = 0.3
CONTEXTS = 200  # spreads the posts so no context nears its 1000-status limit


def queries_per_request(*, user, repository, sha, secret):
    """The SQL each of the four requests runs, counted in-process (django.test.Client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    status_path = f"/api/repos/{user.username}/{repository.name}/statuses/{sha}"
    body = json.dumps({"state": "success", "context": "profile/ctx"})
    calls = {
        "GET /api/user": lambda: client.get("/api/user"),
        "GET floor": lambda: client.get("/floor/read"),
        "POST status": lambda: client.post(status_path, body, content_type="application/json"),
        "POST floor": lambda: client.post("/floor/write", body, content_type="application/json"),
    }
    counts = {}
    with override_settings(ROOT_URLCONF="floor_urls"):
        for label, call in calls.items():
            call()  # warm up
            with CaptureQueriesContext(connection) as captured:
                response = call()
            assert 200 <= response.status_code < 300, (label, response.status_code)
            counts[label] = [query["sql"] for query in captured.captured_queries]
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per endpoint")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per warm-up phase")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL per request")
    parser.add_argument("--wrk", action="store_true", help="load with wrk, not Python threads")
    args = parser.parse_args()
    args.duration = min(max(args.duration, 1.0), 120.0)
    args.warmup = min(max(args.warmup, 0.0), 10.0)
    args.clients = min(max(args.clients, 1), 64)
    args.rounds = min(max(args.rounds, 1), 20)

    sys.path.insert(0, str(_setup.ROOT / "bench"))  # floor_urls, for the in-process count
    redis_url = _setup.pick_redis_url()
    with _setup.bench_database(redis_url=redis_url) as bench:
        user, repository, sha, secret = _setup.make_fixture()
        assert user.pk == 1, "the floor views read user 1"
        print(f"database: {_setup.redact(bench['url'])} (created for this run)")
        print(
            "rate-limit cache: "
            + (_setup.redact(redis_url) if redis_url else "database counters (no Redis found)")
        )
        queries = queries_per_request(user=user, repository=repository, sha=sha, secret=secret)
        from django.db import connections

        connections.close_all()

        port = _setup.free_port()
        log_path = bench["tmp"] / "gunicorn.log"
        env = {
            **bench["env"],
            "DJANGO_SETTINGS_MODULE": "floor_settings",
            "PYTHONPATH": str(_setup.ROOT / "bench"),
        }
        process, log, command = start_gunicorn(
            env=env, port=port, workers=args.workers, log_path=log_path
        )
        try:
            wait_until_ready(process, port, secret)
            headers = api_headers(secret)
            status_path = f"/api/repos/{user.username}/{repository.name}/statuses/{sha}"
            status_body = StatusBodies(CONTEXTS)

            requests = {
                "GET /api/user": ("GET", "/api/user"),
                "GET floor (1 SELECT)": ("GET", "/floor/read"),
                "POST .../statuses/{sha}": ("POST", status_path),
                "POST floor (1 UPDATE)": ("POST", "/floor/write"),
            }

            def phase(request, duration):
                method, path = request
                if args.wrk:
                    return WrkPhase(
                        port=port,
                        clients=args.clients,
                        duration=duration,
                        method=method,
                        path=path,
                        contexts=CONTEXTS,
                    )
                return Phase(
                    port=port,
                    clients=args.clients,
                    duration=duration,
                    make_request=lambda: (
                        method,
                        path,
                        status_body() if method == "POST" else None,
                    ),
                )

            if args.warmup:
                for request in requests.values():
                    phase(request, args.warmup).run(headers)
            # Alternate the four phases round after round: drift hits every side alike.
            results = {
                label: phase(request, args.duration / args.rounds)
                for label, request in requests.items()
            }
            for _ in range(args.rounds):
                for result in results.values():
                    result.run(headers)
        finally:
            stop_gunicorn(process)
            log.close()
        server_log = log_path.read_text(errors="replace")

    print(f"server: {' '.join(command[1:])}")
    client = "wrk, 2 threads" if args.wrk else "threads, HTTP/1.1 via http.client"
    print(
        f"load: {args.clients} concurrent clients ({client}), "
        f"{args.duration:g} s per endpoint in {args.rounds} alternating rounds after "
        f"{args.warmup:g} s warm-up; {os.cpu_count()} CPUs"
    )
    print()
    print("queries per request (in-process):")
    for label, sql in queries.items():
        print(f"  {label:<14} {len(sql)}")
        if args.show_queries:
            for statement in sql:
                print(f"      {statement[:160]}")
    print()
    header = (
        f"{'phase':<26} {'req/s':>8} {'ok':>7} {'errors':>7} {'median ms':>10} "
        f"{'p95 ms':>8} {'client CPU':>11}"
    )
    print(header)
    print("-" * len(header))
    for label, result in results.items():
        print(
            f"{label:<26} {result.rate:>8.1f} {result.ok:>7} {result.errors:>7} "
            f"{result.median * 1000:>10.2f} {result.p95 * 1000:>8.2f} "
            f"{result.client_cpu * 100:>10.0f}%"
        )
    errors = 0
    for label, result in results.items():
        errors += result.errors
        if result.first_error:
            print(f"{label}: first error: {result.first_error}")
    rates = [result.rate for result in results.values()]
    read_ratio = rates[0] / rates[1] if rates[1] else float("nan")
    write_ratio = rates[2] / rates[3] if rates[3] else float("nan")
    read_ok, write_ok = read_ratio >= READ_TARGET, write_ratio >= WRITE_TARGET
    print()
    print(f"GET /api/user / floor GET:   {read_ratio:.2f}  (target >= {READ_TARGET})")
    print(f"POST status / floor POST:    {write_ratio:.2f}  (target >= {WRITE_TARGET})")
    print(f"read:   {'PASS' if read_ok else 'FAIL'}")
    print(f"write:  {'PASS' if write_ok else 'FAIL'}")
    print(f"errors == 0: {'PASS' if errors == 0 else 'FAIL'} ({errors})")
    problems = [line for line in server_log.splitlines() if not line.startswith("INFO ")]
    if problems:
        print("\nserver log, other than request lines (tail):")
        print("\n".join(problems[-15:]))
    return 0 if read_ok and write_ok and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
