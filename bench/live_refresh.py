"""The pull request page's live refresh: a full render of the live part against a 304.

Requests GET /{owner}/{repo}/pull/1/live through django.test.Client, signed in as the owner, for a
pull request whose head reports 5 and 50 contexts (one of them pending, so the page keeps
refreshing): (a) without a validator, which renders the checks box and merge box, and (b) with
the ETag (a) got, which answers 304, alternating. Both use the refresh URL the page hands its
script (with the signed token that spares the 304 a session lookup). Prints queries and
median/p95 time of each, the ratio, and how many open pages one worker process serves at one
refresh every 2 s.
Target (issue 15): the 304 at least 10x cheaper than the full render.

Run: .venv/bin/python bench/live_refresh.py [--runs 300] [--warmup 20]
Creates and drops its own PostgreSQL database (see bench/pull_page.py).
"""

import argparse
import html
import re
import sys
import time

import _setup
from pull_page import make_pull, page_bench_database

TARGET_RATIO = 10
REFRESH_SECONDS = 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    with page_bench_database() as url:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from gitforge.accounts.models import User

        print(f"database: {_setup.redact(url)} (created for this run)")
        owner = User.objects.create_user("benchuser", "bench@example.com", "bench-password-1")
        client = Client()
        client.force_login(owner)
        results = {}
        for contexts in (5, 50):
            page = client.get(make_pull(owner, contexts=contexts, commits=2)).content.decode()
            path = html.unescape(re.search(r'data-refresh-url="([^"]+)"', page).group(1))
            etag = client.get(path)["ETag"]

            def full(path=path):
                response = client.get(path)
                assert response.status_code == 200, response.status_code

            def conditional(path=path, etag=etag):
                response = client.get(path, HTTP_IF_NONE_MATCH=etag)
                assert response.status_code == 304, response.status_code

            for _ in range(args.warmup):
                full()
                conditional()
            queries, times = {}, {full: [], conditional: []}
            for request in (full, conditional):
                with CaptureQueriesContext(connection) as captured:
                    request()
                queries[request] = len(captured.captured_queries)
            for n in range(args.runs):
                for request in (full, conditional) if n % 2 else (conditional, full):
                    begin = time.perf_counter()
                    request()
                    times[request].append(time.perf_counter() - begin)
            named = (("full render (200)", full), ("ETag matches (304)", conditional))
            results[contexts] = [
                (name, queries[request], times[request]) for name, request in named
            ]

    print()
    print(f"GET /{{owner}}/{{repo}}/pull/1/live, signed in; {args.runs} runs of each, alternating")
    header = f"{'contexts':>8} {'request':<20} {'queries':>8} {'median ms':>10} {'p95 ms':>8}"
    print(header)
    print("-" * len(header))
    ratios = []
    for contexts, rows in results.items():
        for name, queries, times in rows:
            print(
                f"{contexts:>8} {name:<20} {queries:>8} {_setup.median(times) * 1000:>10.2f} "
                f"{_setup.percentile(times, 0.95) * 1000:>8.2f}"
            )
        full_ms, cheap_ms = (_setup.median(times) for _, _, times in rows)
        ratios.append(full_ms / cheap_ms)
        print(
            f"{contexts:>8} full / 304 = {full_ms / cheap_ms:.1f}x; one worker process serves "
            f"about {REFRESH_SECONDS / cheap_ms:,.0f} open pages that are not changing "
            f"({REFRESH_SECONDS / full_ms:,.0f} if every refresh rendered)"
        )
    passed = all(ratio >= TARGET_RATIO for ratio in ratios)
    print()
    print(f"target: 304 at least {TARGET_RATIO}x cheaper: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
