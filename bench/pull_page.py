"""Pull request page cost: queries and median render time with 5 and with 50 contexts.

Renders GET /{owner}/{repo}/pull/{number} through django.test.Client, signed in as the owner,
for pull requests of 2 and of 20 commits whose head reports 5 or 50 contexts (main requires two
of them, one never reported, so the page shows an "Expected" row too). Target: the same number
of queries in every case.

Run: .venv/bin/python bench/pull_page.py [--runs 50] [--warmup 5]
Creates and drops its own PostgreSQL database `gitforge_bench_page_<pid>` on the server of
DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres, the admin connection).
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import _setup

CASES = [(5, 2), (50, 2), (5, 20), (50, 20)]  # (contexts, commits)


@contextmanager
def page_bench_database():
    """Create, migrate, and finally drop `gitforge_bench_page_<pid>`; Django is set up inside."""
    signal.signal(signal.SIGTERM, _setup._raise_on_sigterm)
    admin = _setup.admin_url()
    name = f"gitforge_bench_page_{os.getpid()}"
    url = _setup.with_database(admin, name)
    tmp = Path(tempfile.mkdtemp(prefix="gitforge-bench-page-"))
    os.environ.pop("REDIS_URL", None)  # pages need no rate-limit counters: local memory cache
    created = False
    try:
        with _setup._admin_connect(admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created = True
        os.environ.update(
            {
                "DATABASE_URL": url,
                "GITFORGE_REPOS_ROOT": str(tmp / "repos"),
                "GITFORGE_DATA_DIR": str(tmp / "data"),
                "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
                "DJANGO_SETTINGS_MODULE": "gitforge.settings",
                "DEBUG": "0",
            }
        )
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # pages link hashed files
        yield url
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if created:
            with _setup._admin_connect(admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def make_pull(owner, *, contexts, commits):
    """A repository whose pull request #1 has `commits` commits and `contexts` head contexts."""
    from gitforge.repositories.git import GitRepository
    from gitforge.repositories.services import commit_files, create_branch, create_repository
    from protection.services import save_protection
    from pulls.services import open_pull_request
    from statuses.services import create_commit_status

    repository = create_repository(owner=owner, name=f"c{contexts}-n{commits}", auto_init=True)
    create_branch(repository=repository, branch="feature", from_ref="main")
    for index in range(commits):
        commit_files(
            repository=repository,
            branch="feature",
            files={f"src/file{index}.py": f"value = {index}\n".encode()},
            message=f"Commit {index}",
            author=owner,
        )
    save_protection(
        repository=repository,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/0", "ci/never"],
        enforce_admins=True,
    )
    git = GitRepository(repository.id)
    for commit in git.commits_between(git.branch_sha("main"), git.branch_sha("feature")):
        create_commit_status(
            repository=repository, sha=commit.sha, state="success", context="ci/0", creator=owner
        )
    head = git.branch_sha("feature")
    for index in range(1, contexts):
        create_commit_status(
            repository=repository,
            sha=head,
            state=("success", "pending", "failure")[index % 3],
            context=f"ci/{index}",
            description=f"check {index}",
            target_url=f"https://ci.example.com/{index}",
            creator=owner,
        )
    open_pull_request(
        repository=repository,
        author=owner,
        title="Bench",
        body="*bench*",
        head="feature",
        base="main",
    )
    return f"/{owner.username}/{repository.name}/pull/1"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    with page_bench_database() as url:
        from django.db import connection
        from django.test import Client

        from gitforge.accounts.models import User

        print(f"database: {_setup.redact(url)} (created for this run)")
        owner = User.objects.create_user("benchuser", "bench@example.com", "bench-password-1")
        start = time.perf_counter()
        paths = {case: make_pull(owner, contexts=case[0], commits=case[1]) for case in CASES}
        print(f"setup: {len(CASES)} pull requests in {time.perf_counter() - start:.1f} s")
        client = Client()
        client.force_login(owner)

        def render(path):
            response = client.get(path)
            assert response.status_code == 200, response.status_code
            return response

        results = {}
        for case, path in paths.items():
            for _ in range(args.warmup):
                render(path)
            captured = []

            def count(execute, sql, params, many, context, captured=captured):
                captured.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                body = render(path).content.decode()
            assert body.count('class="check-row"') == case[0] + 1, "one row per context + Expected"
            times = []
            for _ in range(args.runs):
                begin = time.perf_counter()
                render(path)
                times.append(time.perf_counter() - begin)
            results[case] = (len(captured), times)

    print()
    print(
        f"GET /{{owner}}/{{repo}}/pull/1, signed in; {args.runs} runs after {args.warmup} warm-up"
    )
    header = f"{'contexts':>8} {'commits':>8} {'queries':>8} {'median ms':>10} {'p95 ms':>9}"
    print(header)
    print("-" * len(header))
    for (contexts, commits), (queries, times) in results.items():
        print(
            f"{contexts:>8} {commits:>8} {queries:>8} {_setup.median(times) * 1000:>10.2f} "
            f"{_setup.percentile(times, 0.95) * 1000:>9.2f}"
        )
    same = len({queries for queries, _ in results.values()}) == 1
    print()
    print(f"queries equal in every case: {'PASS' if same else 'FAIL'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
