"""Status creation and the combined status on a nearly empty database against one holding
1,000,000 statuses over 10,000 commits in 100 repositories.

Makes the fixture, copies its database (CREATE DATABASE ... TEMPLATE), and bulk-loads the
statuses into the copy only (COPY, plus the LatestCommitStatus rows create_commit_status would
have left, then VACUUM ANALYZE and CHECKPOINT). Then times, through django.test.Client,
`POST /api/repos/{o}/{r}/statuses/{sha}` and `GET /api/repos/{o}/{r}/commits/{sha}/status` on
both databases in alternating blocks (reconnecting and warming up at each switch, so a machine
whose speed drifts slows both sides alike), and prints the ratios and the query plans both
requests rely on on the loaded database.
Target (issue 15): each within 1.2x of its time on the nearly empty database.

Run: .venv/bin/python bench/status_scale.py [--runs 300] [--statuses 1000000]
Creates and drops its own two PostgreSQL databases (see bench/_setup.py).
"""

import argparse
import hashlib
import os
import sys
import time
from contextlib import contextmanager

import _setup

TARGET_RATIO = 1.2
REPOSITORIES = 100
COMMITS = 10_000
CONTEXTS = 10  # per commit; statuses per context = statuses / (commits x contexts)


BLOCKS = 6  # per database; each block is runs / BLOCKS requests of each kind
WARM_UP = 10  # requests of each kind after each switch, not timed


def measure(client, headers, owner, repo, sha, runs, offset):
    """Seconds of each status POST and each combined-status GET, alternating."""
    post, get = [], []
    for n in range(runs):
        body = {"state": "success", "context": f"ci/{(n + offset) % CONTEXTS}"}
        start = time.perf_counter()
        response = client.post(
            f"/api/repos/{owner}/{repo}/statuses/{sha}",
            body,
            content_type="application/json",
            **headers,
        )
        post.append(time.perf_counter() - start)
        assert response.status_code == 201, response.content
        start = time.perf_counter()
        response = client.get(f"/api/repos/{owner}/{repo}/commits/{sha}/status", **headers)
        get.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content
    return post, get


@contextmanager
def loaded_copy():
    """Copy the bench database; yields `use(loaded)`, which points Django at the copy (True)
    or at the original (False). The copy is dropped afterwards."""
    from django.db import connection

    source = connection.settings_dict["NAME"]
    copy = f"{source}_loaded"

    def use(loaded):
        connection.close()
        connection.settings_dict["NAME"] = copy if loaded else source

    connection.close()
    with _setup.admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    try:
        yield use
    finally:
        use(False)
        with _setup.admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def fake_sha(n):
    return hashlib.sha1(f"commit {n}".encode()).hexdigest()


def populate(*, repositories, user, statuses):
    """COPY `statuses` rows over COMMITS fake commits spread over the repositories."""
    from django.db import connection
    from django.utils import timezone

    per_commit = statuses // COMMITS
    now = timezone.now().isoformat()
    columns = (
        "repository_id, sha, state, context, context_key, description, target_url, creator_id, "
        "created_at, updated_at"
    )
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY statuses_commitstatus ({columns}) FROM STDIN") as copy:
            for commit in range(COMMITS):
                repository_id = repositories[commit % len(repositories)]
                sha = fake_sha(commit)
                for n in range(per_commit):
                    context = f"ci/check-{n % CONTEXTS}"
                    state = ("pending", "failure", "success")[n % 3]
                    copy.write_row(
                        (repository_id, sha, state, context, context, f"run {n}",
                         f"https://ci.example.com/{commit}/{n}", user.id, now, now)
                    )  # fmt: skip
        cursor.execute(
            """
            INSERT INTO statuses_latestcommitstatus
                (repository_id, sha, context_key, status_id, total, state, context,
                 description, target_url, created_at, creator_id)
            SELECT DISTINCT ON (repository_id, sha, context_key)
                repository_id, sha, context_key, id,
                COUNT(*) OVER (PARTITION BY repository_id, sha, context_key),
                state, context, description, target_url, created_at, creator_id
            FROM statuses_commitstatus
            ORDER BY repository_id, sha, context_key, id DESC
            ON CONFLICT (repository_id, sha, context_key) DO NOTHING
            """
        )
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")  # so no phase pays for writing the load out


def explain_requests(client, headers, owner, repo, sha):
    """EXPLAIN every query of one status POST and one combined-status GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.post(
            f"/api/repos/{owner}/{repo}/statuses/{sha}",
            {"state": "success", "context": "ci/explained"},
            content_type="application/json",
            **headers,
        )
        client.get(f"/api/repos/{owner}/{repo}/commits/{sha}/status", **headers)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE")):
                continue
            cursor.execute("EXPLAIN " + sql)
            plans.append((sql, [row[0] for row in cursor.fetchall()]))
    return plans


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--statuses", type=int, default=1_000_000)
    args = parser.parse_args()

    os.environ.setdefault("API_LOG_LEVEL", "WARNING")  # one log line per request: noise here
    with _setup.bench_database(redis_url=_setup.pick_redis_url()):
        from django.db import connection
        from django.test import Client

        from gitforge.repositories.services import create_repository
        from statuses.models import CommitStatus

        user, repository, sha, secret = _setup.make_fixture()
        others = [create_repository(owner=user, name=f"r{n}") for n in range(REPOSITORIES - 1)]
        client = Client()
        headers = {"HTTP_AUTHORIZATION": f"token {secret}"}
        owner, repo = user.username, repository.name
        request = (client, headers, owner, repo, sha)

        with loaded_copy() as use:
            use(True)
            start = time.perf_counter()
            populate(
                repositories=[repository.id] + [other.id for other in others],
                user=user,
                statuses=args.statuses,
            )
            load_seconds = time.perf_counter() - start
            rows = CommitStatus.objects.count()

            times = {False: ([], []), True: ([], [])}
            for block in range(BLOCKS):
                for loaded in (False, True) if block % 2 == 0 else (True, False):
                    use(loaded)
                    measure(*request, WARM_UP, block)
                    post, get = measure(*request, args.runs // BLOCKS, block)
                    times[loaded][0].extend(post)
                    times[loaded][1].extend(get)
            use(False)
            empty_rows = CommitStatus.objects.count()
            use(True)
            plans = explain_requests(*request)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_size_pretty(pg_total_relation_size('statuses_commitstatus'))"
                )
                size = cursor.fetchone()[0]
        (empty_post, empty_get), (full_post, full_get) = (
            [_setup.median(series) for series in times[loaded]] for loaded in (False, True)
        )

    print(
        f"nearly empty: {empty_rows} statuses; loaded: {rows:,} statuses over {COMMITS:,} "
        f"commits in {REPOSITORIES} repositories ({size}, loaded in {load_seconds:.1f} s)"
    )
    print(
        f"{args.runs // BLOCKS * BLOCKS} requests of each kind on each database, in {BLOCKS} "
        "alternating blocks, "
        f"each after {WARM_UP} warm-up"
    )
    print()
    header = f"{'request':<40} {'empty ms':>9} {'loaded ms':>10} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    ratios = []
    for label, empty, full in (
        ("POST /statuses/{sha}", empty_post, full_post),
        ("GET /commits/{sha}/status", empty_get, full_get),
    ):
        ratios.append(full / empty)
        print(f"{label:<40} {empty * 1000:>9.2f} {full * 1000:>10.2f} {full / empty:>6.2f}")
    print()
    print("Query plans on the loaded database (one POST, then one GET):")
    for sql, plan in plans:
        print()
        print("  " + (sql if len(sql) < 300 else sql[:300] + " ..."))
        for line in plan:
            print("    " + line)
    passed = all(ratio <= TARGET_RATIO for ratio in ratios)
    print()
    print(f"target: each ratio <= {TARGET_RATIO}: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
