"""Webhooks off the request path: status creation with 3 hooks against none, and delivery latency.

Targets (from the issue):
1. requests/s of POST /api/repos/{o}/{r}/statuses/{sha} on a repository with 3 active hooks
   (subscribed to `status`) is at least 0.9 x the same on a repository without hooks, in one run
   (phases alternate). No delivery worker runs during these phases, so they measure what the
   request itself does: write one small task row per status, whatever the number of hooks
   (the worker builds the payload and writes the event and its deliveries).
2. with one `manage.py db_worker` (as scripts/serve starts it), the time from a status POST
   returning to a receiver on 127.0.0.1 getting the delivery: median under 1 s (p95 printed).

Run: .venv/bin/python bench/webhooks.py [--clients 8] [--duration 10] [--latency-posts 40]
Creates and drops its own PostgreSQL database (see bench/_setup.py).
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import _setup
from status_throughput import Phase, start_gunicorn, stop_gunicorn, wait_until_ready

TARGET_RATIO = 0.9
TARGET_MEDIAN_LATENCY = 1.0
HOOKS = 3
WORKER_INTERVAL = "0.5"  # as scripts/serve runs it


class Arrivals:
    """A receiver on 127.0.0.1 that notes when each status delivery arrives."""

    def __init__(self):
        self.times = {}
        self.lock = threading.Lock()
        arrivals = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                now = time.perf_counter()
                if self.headers["X-GitHub-Event"] == "status":
                    with arrivals.lock:
                        arrivals.times.setdefault(json.loads(body)["id"], now)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def add_hooks(repository, user, url):
    from hooks.models import Delivery
    from hooks.services import HookConfig, create_hook

    for n in range(HOOKS):
        create_hook(
            repository=repository,
            user=user,
            config=HookConfig(url=f"{url}/{n}", content_type="json", secret="bench"),
            events_=["status"],
        )
    Delivery.objects.all().delete()  # the pings


def start_worker(env, log_path):
    log = open(log_path, "wb")  # noqa: SIM115 (kept open for the worker's lifetime)
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            WORKER_INTERVAL,
        ],
        cwd=_setup.ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, log


def measure_latency(*, port, headers, path, arrivals, posts):
    """Post statuses one at a time, a little apart, and pair each with its arrival."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    returned = {}
    for n in range(posts):
        body = json.dumps({"state": "success", "context": f"latency/{n}"})
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        returned[json.loads(content)["id"]] = time.perf_counter()
        if response.will_close:
            conn.close()
        time.sleep(0.25)
    conn.close()
    deadline = time.monotonic() + 30
    while len(arrivals.times) < len(returned) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [arrivals.times[key] - returned[key] for key in returned if key in arrivals.times]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--latency-posts", type=int, default=40)
    parser.add_argument("--workers", type=int, default=max(2, 2 * (os.cpu_count() or 1)))
    args = parser.parse_args()

    os.environ["GITFORGE_WEBHOOK_ALLOWED_HOSTS"] = "loopback"
    redis_url = _setup.pick_redis_url()
    arrivals = Arrivals()
    with _setup.bench_database(redis_url=redis_url) as bench:
        from django.db import connections
        from django_tasks_db.models import DBTaskResult

        from gitforge.repositories.services import create_repository

        user, plain, sha, secret = _setup.make_fixture(repository_name="plain")
        hooked = create_repository(owner=user, name="hooked", auto_init=True)
        add_hooks(hooked, user, arrivals.url)
        connections.close_all()
        env = {**bench["env"], "GITFORGE_WEBHOOK_ALLOWED_HOSTS": "loopback"}
        port = _setup.free_port()
        process, log, command = start_gunicorn(
            env=env, port=port, workers=args.workers, log_path=bench["tmp"] / "gunicorn.log"
        )
        worker = None
        try:
            wait_until_ready(process, port, secret)
            headers = {
                "Authorization": f"Bearer {secret}",
                "Content-Type": "application/json",
                "Host": "127.0.0.1",
            }
            counter = itertools.count()

            def poster(repository):
                name = repository.name
                path = f"/api/repos/{user.username}/{name}/statuses/{sha_of[name]}"

                def post():
                    n = next(counter)
                    body = {"state": "success", "context": f"ci/{n % 50}", "description": str(n)}
                    return "POST", path, json.dumps(body)

                return post

            from gitforge.repositories.git import GitRepository

            sha_of = {
                repo.name: GitRepository(repo.id).branch_sha("main") for repo in (plain, hooked)
            }
            Phase(port=port, clients=args.clients, duration=2, make_request=poster(hooked)).run(
                headers
            )
            without = Phase(
                port=port,
                clients=args.clients,
                duration=args.duration / args.rounds,
                make_request=poster(plain),
            )
            with_hooks = Phase(
                port=port,
                clients=args.clients,
                duration=args.duration / args.rounds,
                make_request=poster(hooked),
            )
            for _ in range(args.rounds):
                without.run(headers)
                with_hooks.run(headers)
            queued = DBTaskResult.objects.count()
            DBTaskResult.objects.all().delete()
            connections.close_all()

            worker, worker_log = start_worker(env, bench["tmp"] / "worker.log")
            time.sleep(2)
            latencies = measure_latency(
                port=port,
                headers=headers,
                path=f"/api/repos/{user.username}/hooked/statuses/{sha_of['hooked']}",
                arrivals=arrivals,
                posts=args.latency_posts,
            )
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(20)
            stop_gunicorn(process)
            log.close()

    print(f"server: {' '.join(command[1:])}")
    print(f"load: {args.clients} clients, {args.duration:g} s per phase in {args.rounds} rounds")
    print()
    print(f"{'phase':<44} {'req/s':>8} {'ok':>7} {'errors':>7} {'median ms':>10}")
    for label, result in (
        ("a) POST status, repository without hooks", without),
        (f"b) POST status, repository with {HOOKS} hooks", with_hooks),
    ):
        print(
            f"{label:<44} {result.rate:>8.1f} {result.ok:>7} {result.errors:>7} "
            f"{_setup.median(result.latencies) * 1000:>10.2f}"
        )
    ratio = with_hooks.rate / without.rate if without.rate else float("nan")
    print(f"events queued by phase b (no worker running): {queued}")
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"ratio b/a: {ratio:.2f}  target >= {TARGET_RATIO}: {verdict}")
    print()
    median = _setup.median(latencies)
    p95 = _setup.percentile(latencies, 0.95)
    print(
        f"delivery latency, status POST returned -> receiver got it, one db_worker "
        f"(--interval {WORKER_INTERVAL}): {len(latencies)}/{args.latency_posts} arrived, "
        f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    verdict = "PASS" if median < TARGET_MEDIAN_LATENCY else "FAIL"
    print(f"target median < {TARGET_MEDIAN_LATENCY:g} s: {verdict}")
    ok = ratio >= TARGET_RATIO and median < TARGET_MEDIAN_LATENCY
    ok = ok and len(latencies) == args.latency_posts and without.errors + with_hooks.errors == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
