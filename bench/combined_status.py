"""Combined status cost: one commit with 100 contexts x 1000 statuses versus one status.

Targets (from the issue): median latency ratio big/small at most 1.5, and equal query counts,
both for the selector `get_combined_status` and for the HTTP route
GET /api/repos/{owner}/{repo}/commits/{sha}/status (through django.test.Client).

Run: .venv/bin/python bench/combined_status.py [--runs 200] [--warmup 20]
Creates and drops its own PostgreSQL database (see bench/_setup.py).
"""

import argparse
import random
import sys
import time

import _setup

CONTEXTS = 100
STATUSES_PER_CONTEXT = 1000
PER_PAGE = 100  # the API's maximum; the default (30) would serialize only 30 of 100 contexts
TARGET_RATIO = 1.5


def populate_big(*, repository, sha, user):
    """100 contexts x 1000 statuses with bulk_create, plus the matching LatestCommitStatus rows.

    Statuses are interleaved as CI would post them (round r posts once to every context), so
    each context's rows are spread over the table. The last status of each context is the
    latest one and total is 1000, exactly what create_commit_status would have left behind.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from statuses.models import CommitStatus, LatestCommitStatus

    rng = random.Random(42)
    now = timezone.now()
    latest = {}
    with transaction.atomic():
        for first_round in range(0, STATUSES_PER_CONTEXT, 50):
            rows = []
            for round_number in range(first_round, first_round + 50):
                last = round_number == STATUSES_PER_CONTEXT - 1
                for index in range(CONTEXTS):
                    context = f"ci/check-{index:03d}"
                    state = "success" if last else rng.choice(["pending", "failure", "success"])
                    rows.append(
                        CommitStatus(
                            repository=repository,
                            sha=sha,
                            state=state,
                            context=context,
                            context_key=context.lower(),
                            description=f"run {round_number}",
                            target_url=f"https://ci.example.com/{index}/{round_number}",
                            creator=user,
                            created_at=now,
                            updated_at=now,
                        )
                    )
            CommitStatus.objects.bulk_create(rows, batch_size=5000)
            for row in rows:
                latest[row.context_key] = row  # later rounds overwrite: the last one wins
        LatestCommitStatus.objects.bulk_create(
            [
                LatestCommitStatus(
                    repository=repository,
                    sha=sha,
                    context_key=key,
                    status=row,
                    total=STATUSES_PER_CONTEXT,
                    state=row.state,
                    context=row.context,
                    description=row.description,
                    target_url=row.target_url,
                    created_at=row.created_at,
                    creator=row.creator,
                )
                for key, row in latest.items()
            ]
        )
    with connection.cursor() as cursor:  # what autovacuum would do after a bulk load
        cursor.execute(f"VACUUM ANALYZE {CommitStatus._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {LatestCommitStatus._meta.db_table}")


def count_queries(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return [query["sql"] for query in captured.captured_queries]


def measure(calls, *, runs, warmup):
    """Time each call `runs` times, interleaved so drift hits all of them alike (seconds).

    Returns wall-clock times and this process's CPU times (the latter leave out PostgreSQL and
    are steadier on a busy machine).
    """
    for _ in range(warmup):
        for call in calls.values():
            call()
    times = {name: [] for name in calls}
    cpu = {name: [] for name in calls}
    order = list(calls)
    for _ in range(runs):
        random.shuffle(order)
        for name in order:
            cpu_start = time.process_time()
            start = time.perf_counter()
            calls[name]()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - cpu_start)
    return times, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    redis_url = _setup.pick_redis_url()
    with _setup.bench_database(redis_url=redis_url) as bench:
        from django.test import Client

        from gitforge.repositories.services import commit_files
        from statuses.models import CommitStatus
        from statuses.selectors import get_combined_status
        from statuses.services import create_commit_status

        print(f"database: {_setup.redact(bench['url'])} (created for this run)")
        print(f"rate-limit cache: {_setup.redact(redis_url) if redis_url else 'local memory'}")
        user, repository, sha_big, secret = _setup.make_fixture()
        sha_small = commit_files(
            repository=repository,
            branch=repository.default_branch,
            files={"second.txt": b"two\n"},
            message="Second commit",
            author=user,
        )
        start = time.perf_counter()
        populate_big(repository=repository, sha=sha_big, user=user)
        create_commit_status(
            repository=repository, sha=sha_small, state="success", creator=user, context="ci/one"
        )
        print(
            f"setup: {CommitStatus.objects.filter(sha=sha_big).count()} statuses in "
            f"{CONTEXTS} contexts on {sha_big[:7]} (bulk insert {time.perf_counter() - start:.1f}"
            f" s), 1 status on {sha_small[:7]} (create_commit_status)"
        )

        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        path = f"/api/repos/{user.username}/{repository.name}/commits/{{sha}}/status"

        def selector(sha, expected):
            def call():
                combined = get_combined_status(repository=repository, sha=sha)
                assert combined.total_count == expected, combined.total_count

            return call

        def http(sha, expected):
            def call():
                response = client.get(path.format(sha=sha), {"per_page": PER_PAGE})
                assert response.status_code == 200, (response.status_code, response.content)
                body = response.json()
                assert len(body["statuses"]) == expected == body["total_count"], body
                assert body["state"] == "success", body["state"]

            return call

        calls = {
            ("selector", "big"): selector(sha_big, CONTEXTS),
            ("selector", "small"): selector(sha_small, 1),
            ("http", "big"): http(sha_big, CONTEXTS),
            ("http", "small"): http(sha_small, 1),
        }
        for call in calls.values():  # warm caches (and the token's last_used_at) first
            call()
        queries = {name: count_queries(call) for name, call in calls.items()}
        times, cpu = measure(calls, runs=args.runs, warmup=args.warmup)

    print()
    print(
        f"runs: {args.runs} per case after {args.warmup} warm-up; HTTP route "
        f"GET /api/repos/{{o}}/{{r}}/commits/{{sha}}/status?per_page={PER_PAGE}"
    )
    print(
        f"big = {CONTEXTS} contexts x {STATUSES_PER_CONTEXT} statuses; small = 1 context x 1 status"
    )
    print()
    header = (
        f"{'path':<8} {'case':<6} {'median ms':>10} {'p95 ms':>9} {'cpu ms':>7} {'queries':>8} "
        f"{'ratio':>7} {'ratio<=1.5':>11} {'queries equal':>14} {'cpu ratio':>10}"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for kind in ("selector", "http"):
        big = _setup.median(times[(kind, "big")])
        small = _setup.median(times[(kind, "small")])
        ratio = big / small
        ratio_ok = ratio <= TARGET_RATIO
        queries_ok = len(queries[(kind, "big")]) == len(queries[(kind, "small")])
        failed |= not (ratio_ok and queries_ok)
        for case in ("big", "small"):
            values = times[(kind, case)]
            row = (
                f"{kind:<8} {case:<6} {_setup.median(values) * 1000:>10.3f} "
                f"{_setup.percentile(values, 0.95) * 1000:>9.3f} "
                f"{_setup.median(cpu[(kind, case)]) * 1000:>7.3f} "
                f"{len(queries[(kind, case)]):>8}"
            )
            if case == "big":
                cpu_ratio = _setup.median(cpu[(kind, "big")]) / _setup.median(cpu[(kind, "small")])
                row += (
                    f" {ratio:>7.2f} {'PASS' if ratio_ok else 'FAIL':>11}"
                    f" {'PASS' if queries_ok else 'FAIL':>14} {cpu_ratio:>10.2f}"
                )
            print(row)
    print("(ratio = median wall-clock big/small, the target; cpu = this process only, no server)")
    print()
    for kind in ("selector", "http"):
        ratio = _setup.median(times[(kind, "big")]) / _setup.median(times[(kind, "small")])
        same = len(queries[(kind, "big")]) == len(queries[(kind, "small")])
        print(
            f"{kind}: target ratio <= {TARGET_RATIO}: {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}"
        )
        print(f"{kind}: queries equal: {'PASS' if same else 'FAIL'}")
        if not same:
            for case in ("big", "small"):
                print(f"  {case} queries:")
                for sql in queries[(kind, case)]:
                    print(f"    {sql[:200]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
