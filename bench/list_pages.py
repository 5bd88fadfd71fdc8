"""List page cost: queries and median render time of each list page at 10 and at 100 rows.

Renders, through django.test.Client and signed in as the owner, the pull request list
(GET /{owner}/{repo}/pulls: N open pull requests), the repository page (GET /{owner}/{repo}:
N + 1 branches, and main's 20 most recent commits) and the commit list
(GET /{owner}/{repo}/commits: N commits on main), for a repository built with N = 10 and one
with N = 100. Every row's head reports statuses (pull request heads three contexts, main's
commits two), so every row shows a state mark with its count and tooltip.
Target: each page costs the same number of queries at 10 and at 100 rows.

Run: .venv/bin/python bench/list_pages.py [--runs 30] [--warmup 3]
Creates and drops its own PostgreSQL database `gitforge_bench_page_<pid>` on the server of
DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres, the admin connection).
"""

import argparse
import sys
import time

import _setup
from pull_page import page_bench_database

ROWS = (10, 100)
PAGES = {  # what the page lists: the paths are under /{owner}/{repo}
    "pull list": "/pulls",
    "repository": "",
    "commit list": "/commits",
}
PULL_CONTEXTS = [("ci/build", "success"), ("ci/lint", "pending"), ("ci/test", "failure")]
COMMIT_CONTEXTS = [("ci/build", "success"), ("ci/lint", "success")]


def make_repository(owner, rows):
    """`rows-N`: N commits on main and N branches, each branch with an open pull request."""
    from gitforge.repositories.git import GitRepository
    from gitforge.repositories.services import commit_files, create_branch, create_repository
    from pulls.services import open_pull_request
    from statuses.services import create_commit_status

    def report(sha, contexts):
        for context, state in contexts:
            create_commit_status(
                repository=repository,
                sha=sha,
                state=state,
                context=context,
                description=f"{context} says {state}",
                creator=owner,
            )

    repository = create_repository(owner=owner, name=f"rows-{rows}", auto_init=True)
    report(GitRepository(repository.id).branch_sha("main"), COMMIT_CONTEXTS)
    for index in range(1, rows):
        sha = commit_files(
            repository=repository,
            branch="main",
            files={"CHANGES": f"{index}\n".encode()},
            message=f"Change {index}",
            author=owner,
        )
        report(sha, COMMIT_CONTEXTS)
    for index in range(rows):
        branch = f"topic/{index}"
        create_branch(repository=repository, branch=branch, from_ref="main")
        sha = commit_files(
            repository=repository,
            branch=branch,
            files={f"topic{index}.txt": b"work\n"},
            message=f"Work {index}",
            author=owner,
        )
        report(sha, PULL_CONTEXTS)
        open_pull_request(
            repository=repository, author=owner, title=f"Topic {index}", head=branch, base="main"
        )
    return f"/{owner.username}/{repository.name}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    with page_bench_database() as url:
        from django.db import connection
        from django.test import Client

        from gitforge.accounts.models import User

        print(f"database: {_setup.redact(url)} (created for this run)")
        owner = User.objects.create_user("benchuser", "bench@example.com", "bench-password-1")
        start = time.perf_counter()
        roots = {rows: make_repository(owner, rows) for rows in ROWS}
        print(f"setup: {len(ROWS)} repositories in {time.perf_counter() - start:.1f} s")
        client = Client()
        client.force_login(owner)

        def render(path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        results = {}
        for page, suffix in PAGES.items():
            for rows, root in roots.items():
                path = root + suffix
                for _ in range(args.warmup):
                    render(path)
                captured: list[str] = []

                def count(execute, sql, params, many, context, captured=captured):
                    captured.append(sql)
                    return execute(sql, params, many, context)

                with connection.execute_wrapper(count):
                    body = render(path).content.decode()
                marks = body.count('class="summary"')
                times = []
                for _ in range(args.runs):
                    begin = time.perf_counter()
                    render(path)
                    times.append(time.perf_counter() - begin)
                results[page, rows] = (marks, len(captured), times)

    print()
    print(f"signed in; {args.runs} runs after {args.warmup} warm-up; marks = rows with a state")
    header = f"{'page':<12} {'rows':>5} {'marks':>6} {'queries':>8} {'median ms':>10} {'p95 ms':>9}"
    print(header)
    print("-" * len(header))
    for (page, rows), (marks, queries, times) in results.items():
        print(
            f"{page:<12} {rows:>5} {marks:>6} {queries:>8} "
            f"{_setup.median(times) * 1000:>10.2f} {_setup.percentile(times, 0.95) * 1000:>9.2f}"
        )
    same = all(len({results[page, rows][1] for rows in ROWS}) == 1 for page in PAGES)
    print()
    print(
        f"queries equal at {' and '.join(map(str, ROWS))} rows on every page: "
        f"{'PASS' if same else 'FAIL'}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
