"""The pull request page's live fragment, and the page's query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import commit_files
from pulls.services import open_pull_request
from tests.helpers import (
    check_rows,
    csrf_token_of,
    get_page,
    head_of,
    make_repository,
    protect_main,
    report,
    text_of,
)

PAGE = "/alice/project/pull/1"


def live(client):
    response = client.get(f"{PAGE}/live")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="live"'), body[:200]
    assert "<html" not in body
    return body


def test_live_fragment_keeps_refreshing_while_a_check_is_pending(
    alice, public_repo, pull, alice_client
):
    protect_main(public_repo, "ci/tests", "ci/lint")
    sha = head_of(public_repo)
    assert 'data-live="true"' in get_page(alice_client, PAGE)
    fragment = live(alice_client)
    assert 'data-live="true"' in fragment
    assert 'data-refresh-url="/alice/project/pull/1/live/' in fragment
    assert check_rows(fragment)["ci/tests"][0] == "expected"

    report(public_repo, sha, "ci/tests", "pending", creator=alice)
    report(public_repo, sha, "ci/lint", "success", creator=alice)
    fragment = live(alice_client)
    assert 'data-live="true"' in fragment
    assert check_rows(fragment)["ci/tests"][0] == "pending"
    assert 'id="merge-button"' not in fragment

    report(public_repo, sha, "ci/tests", "success", creator=alice)
    fragment = live(alice_client)
    assert 'data-live="false"' in fragment
    assert "All checks have passed" in fragment
    assert 'id="merge-button"' in fragment
    assert 'data-live="false"' in get_page(alice_client, PAGE)


def test_live_fragment_stops_on_a_final_failure(alice, public_repo, pull, alice_client):
    report(public_repo, head_of(public_repo), "ci/tests", "failure", creator=alice)

    assert 'data-live="false"' in live(alice_client)


def test_live_fragment_stops_once_closed_even_if_pending(alice, public_repo, pull, alice_client):
    report(public_repo, head_of(public_repo), "ci/tests", "pending", creator=alice)
    alice_client.post(f"{PAGE}/close")

    assert 'data-live="false"' in live(alice_client)


def test_live_fragment_has_the_csrf_token_for_its_forms(alice, public_repo, pull, alice_client):
    fragment = live(alice_client)

    assert csrf_token_of(fragment, "/alice/project/pull/1/close")


def pull_with(owner, name, *, commits, contexts):
    """A pull request with `commits` commits whose head reports `contexts` contexts; every
    commit has a status, and main requires two contexts (one never reported)."""
    repository = make_repository(owner, name)
    for index in range(commits - 1):
        commit_files(
            repository=repository,
            branch="feature",
            files={f"file{index}.txt": f"{index}\n".encode()},
            message=f"Commit {index}",
            author=owner,
        )
    git = GitRepository(repository.id)
    protect_main(repository, "ci/0", "ci/missing")
    for commit in git.commits_between(git.branch_sha("main"), git.branch_sha("feature")):
        report(repository, commit.sha, "ci/0", "success", creator=owner)
    head = git.branch_sha("feature")
    for index in range(1, contexts):
        state = ("success", "pending", "failure")[index % 3]
        report(
            repository,
            head,
            f"ci/{index}",
            state,
            creator=owner,
            description=f"check {index}",
            target_url=f"https://ci.example.com/{index}",
        )
    open_pull_request(
        repository=repository, author=owner, title=name, body="*body*", head="feature", base="main"
    )
    return f"/{owner.username}/{name}/pull/1"


def count_queries(client, path):
    client.get(path)  # warm up: session, user, last-used bookkeeping
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_query_count_does_not_grow_with_contexts_or_commits(alice, alice_client):
    pages = {
        (contexts, commits): pull_with(
            alice, f"q{contexts}x{commits}", commits=commits, contexts=contexts
        )
        for contexts in (5, 50)
        for commits in (2, 20)
    }

    counts = {}
    for (contexts, commits), path in pages.items():
        counts[(contexts, commits)], page = count_queries(alice_client, path)
        assert len(check_rows(page)) == contexts + 1  # plus the expected ci/missing row
        assert f"wants to merge {commits} commits" in text_of(page)

    assert len(set(counts.values())) == 1, counts
    assert counts[(5, 2)] > 0


def test_live_fragment_query_count_does_not_grow_with_contexts(alice, alice_client):
    small = pull_with(alice, "small", commits=2, contexts=5)
    big = pull_with(alice, "big", commits=2, contexts=50)

    assert (
        count_queries(alice_client, small + "/live")[0]
        == count_queries(alice_client, big + "/live")[0]
    )
