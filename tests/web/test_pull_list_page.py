"""The pull request list: open and closed tabs with counts, each pull with its status."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.repositories.services import commit_files, create_branch
from pulls.services import merge_pull_request, open_pull_request, update_pull_request
from tests.helpers import head_of, report, signed_in, text_of


def open_two(alice, repository):
    """#1 feature → main (open) and #2 other → main (closed)."""
    first = open_pull_request(
        repository=repository, author=alice, title="Change the app", head="feature", base="main"
    )
    create_branch(repository=repository, branch="other", from_ref="main")
    commit_files(
        repository=repository,
        branch="other",
        files={"other.txt": b"other\n"},
        message="Other",
        author=alice,
    )
    second = open_pull_request(
        repository=repository, author=alice, title="Other work", head="other", base="main"
    )
    update_pull_request(pull=second, user=alice, permission="admin", state="closed")
    return first, second


def test_open_tab_lists_open_pulls_with_counts(alice, public_repo, anonymous):
    open_two(alice, public_repo)
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)
    report(public_repo, head_of(public_repo), "ci/lint", "pending", creator=alice)

    response = anonymous.get("/alice/project/pulls")

    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(page)
    assert '<a href="?state=open" class="selected">1 Open</a>' in page
    assert "1 Closed" in text
    assert '<a href="/alice/project/pull/1"><strong>Change the app</strong></a>' in page
    assert "Other work" not in page
    assert "● Pending 1/2 successful" in text
    assert "status-pending" in page
    assert "#1 opened 0 minutes ago by alice · feature → main" in text


def test_closed_tab_lists_closed_pulls(alice, public_repo, anonymous):
    open_two(alice, public_repo)
    report(public_repo, head_of(public_repo, "other"), "ci/tests", "failure", creator=alice)

    page = anonymous.get("/alice/project/pulls?state=closed").content.decode()

    assert '<a href="?state=closed" class="selected">1 Closed</a>' in page
    assert '<a href="/alice/project/pull/2"><strong>Other work</strong></a>' in page
    assert "Change the app" not in page
    assert "✕ Failure 0/1 successful" in text_of(page)
    assert "other → main" in text_of(page)


def test_merged_pulls_are_marked_merged(alice, public_repo):
    pull = open_pull_request(
        repository=public_repo, author=alice, title="Ship", head="feature", base="main"
    )
    merge_pull_request(pull=pull, user=alice, permission="admin")

    text = text_of(signed_in(alice).get("/alice/project/pulls?state=closed").content.decode())

    assert "feature → main · merged" in text


def test_empty_list(public_repo, anonymous):
    page = anonymous.get("/alice/project/pulls").content.decode()

    assert "No open pull requests." in page
    assert "0 Open" in text_of(page)


def test_new_pull_request_button_only_for_signed_in_users(public_repo, alice, anonymous):
    assert "New pull request" not in anonymous.get("/alice/project/pulls").content.decode()
    assert "New pull request" in signed_in(alice).get("/alice/project/pulls").content.decode()


def test_query_count_does_not_grow_with_pulls(alice, public_repo):
    client = signed_in(alice)
    open_pull_request(
        repository=public_repo, author=alice, title="one", head="feature", base="main"
    )
    client.get("/alice/project/pulls")
    with CaptureQueriesContext(connection) as one:
        client.get("/alice/project/pulls")
    for index in range(10):
        create_branch(repository=public_repo, branch=f"topic{index}", from_ref="feature")
        open_pull_request(
            repository=public_repo,
            author=alice,
            title=f"t{index}",
            head=f"topic{index}",
            base="main",
        )
        report(public_repo, head_of(public_repo, f"topic{index}"), "ci", creator=alice)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/alice/project/pulls").content.decode()

    assert "11 Open" in text_of(page)
    assert len(many.captured_queries) == len(one.captured_queries) > 0
