"""The merge box of a pull request page: what it offers, why it refuses, and merging from it."""

import pytest

from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import commit_files, set_collaborator
from pulls.models import PullRequest
from pulls.services import open_pull_request
from tests.helpers import (
    get_page,
    head_of,
    merge_box,
    protect_main,
    report,
    signed_in,
    text_of,
)

PAGE = "/alice/project/pull/1"


def test_merge_box_offers_three_methods_when_checks_pass(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)

    page = get_page(alice_client, PAGE)
    box = merge_box(page)

    assert "This branch has no conflicts with the base branch" in box
    assert 'action="/alice/project/pull/1/merge"' in box
    assert 'method="post"' in box
    for value, label in (
        ("merge", "Create a merge commit"),
        ("squash", "Squash and merge"),
        ("rebase", "Rebase and merge"),
    ):
        assert f'<option value="{value}">{label}</option>' in box
    assert f'name="expected_head" value="{head_of(public_repo)}"' in box
    assert ">Merge pull request</button>" in box
    assert 'data-live="false"' in page


def test_merge_box_names_the_blocking_contexts(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", "ci/lint", "ci/docs", "ci/e2e")
    sha = head_of(public_repo)
    report(public_repo, sha, "ci/tests", "pending", creator=alice)
    report(public_repo, sha, "ci/lint", "failure", creator=alice)
    report(public_repo, sha, "ci/docs", "error", creator=alice)

    box = merge_box(get_page(alice_client, PAGE))

    assert "Merging is blocked" in box
    assert (
        "<li>Required status checks have not passed: ci/e2e is expected; ci/tests is pending; "
        "ci/lint, ci/docs are failing.</li>"
    ) in box
    assert "/merge" not in box
    assert 'id="merge-button"' not in box


def test_merge_box_says_when_the_branch_is_behind(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", strict=True)
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)
    commit_files(
        repository=public_repo,
        branch="main",
        files={"OTHER.md": b"other\n"},
        message="Unrelated change",
        author=alice,
    )

    box = merge_box(get_page(alice_client, PAGE))

    assert (
        "Required status checks have not passed: "
        "the head branch is not up to date with the base branch."
    ) in box
    assert 'id="merge-button"' not in box


def test_merge_box_says_when_the_branch_conflicts(alice, public_repo, pull, alice_client):
    commit_files(
        repository=public_repo,
        branch="main",
        files={"src/app.py": b"print(3)\n"},
        message="Conflicting change",
        author=alice,
    )

    box = merge_box(get_page(alice_client, PAGE))

    assert "This branch has conflicts that must be resolved." in box
    assert 'id="merge-button"' not in box


def test_admin_may_bypass_unless_enforced(alice, bob, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", enforce_admins=False)
    set_collaborator(repository=public_repo, user=bob, permission="push")

    alice_box = merge_box(get_page(alice_client, PAGE))
    bob_box = merge_box(get_page(signed_in(bob), PAGE))

    assert "Merge without waiting for requirements (administrator)" in alice_box
    assert "Required status checks have not passed: ci/tests is expected." in alice_box
    assert 'id="merge-button"' not in bob_box
    assert "Required status checks have not passed: ci/tests is expected." in bob_box


def test_readers_are_told_they_cannot_merge(bob, public_repo, pull):
    box = merge_box(get_page(signed_in(bob), PAGE))

    assert "Only people with push access to this repository can merge." in box
    assert 'id="merge-button"' not in box
    assert "Close pull request" not in box


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
def test_merging_from_the_page_moves_main(alice, public_repo, pull, alice_client, method):
    protect_main(public_repo, "ci/tests")
    head = head_of(public_repo)
    report(public_repo, head, "ci/tests", "success", creator=alice)
    git = GitRepository(public_repo.id)
    old_main = git.branch_sha("main")

    response = alice_client.post(
        f"{PAGE}/merge", {"merge_method": method, "expected_head": head}, follow=True
    )

    assert response.redirect_chain == [(PAGE, 302)]
    page = response.content.decode()
    pull.refresh_from_db()
    assert pull.merged and pull.state == "closed"
    assert pull.merged_by == alice
    new_main = git.branch_sha("main")
    assert new_main == pull.merge_commit_sha != old_main
    assert git.contains(new_main, old_main)
    parents = git.commit(new_main).parents
    assert len(parents) == (2 if method == "merge" else 1)
    assert f"Pull request merged as {new_main[:7]}." in page
    assert '<span class="state-badge merged">Merged</span>' in page
    assert "Merged by alice 0 minutes ago as" in text_of(merge_box(page))
    assert f"<code>{new_main[:7]}</code>" in merge_box(page)
    assert "merge_method" not in page
    assert "Reopen pull request" not in page


def test_a_blocked_merge_posted_anyway_changes_nothing(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    old_main = GitRepository(public_repo.id).branch_sha("main")

    response = alice_client.post(f"{PAGE}/merge", {"merge_method": "merge"}, follow=True)

    page = response.content.decode()
    assert "Required status checks have not passed: ci/tests is expected." in page
    pull.refresh_from_db()
    assert not pull.merged and pull.state == "open"
    assert GitRepository(public_repo.id).branch_sha("main") == old_main


def test_a_stale_head_is_refused(alice, public_repo, pull, alice_client):
    stale = head_of(public_repo)
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"late.txt": b"late\n"},
        message="Late push",
        author=alice,
    )

    response = alice_client.post(f"{PAGE}/merge", {"expected_head": stale}, follow=True)

    assert "Head branch was modified. Review and try the merge again." in (
        response.content.decode()
    )
    pull.refresh_from_db()
    assert not pull.merged


def test_close_and_reopen(pull, alice_client):
    page = get_page(alice_client, PAGE)
    assert 'action="/alice/project/pull/1/close"' in merge_box(page)

    closed = alice_client.post(f"{PAGE}/close", follow=True)

    page = closed.content.decode()
    assert closed.redirect_chain == [(PAGE, 302)]
    assert '<span class="state-badge closed">Closed</span>' in page
    assert "This pull request is closed." in page
    assert 'action="/alice/project/pull/1/reopen"' in page
    assert PullRequest.objects.get(pk=pull.pk).state == "closed"

    reopened = alice_client.post(f"{PAGE}/reopen", follow=True)

    page = reopened.content.decode()
    assert '<span class="state-badge open">Open</span>' in page
    assert PullRequest.objects.get(pk=pull.pk).state == "open"


def test_the_author_may_close_their_own_pull_request(bob, public_repo):
    open_pull_request(
        repository=public_repo, author=bob, title="Bob's", head="feature", base="main"
    )
    bob_client = signed_in(bob)

    box = merge_box(get_page(bob_client, PAGE))
    response = bob_client.post(f"{PAGE}/close")

    assert "Close pull request" in box
    assert response.status_code == 302
    assert PullRequest.objects.get(number=1).state == "closed"
