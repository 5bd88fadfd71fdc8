"""Merging a pull request: required checks, merge methods, conflicts, and who may merge.

Every refused merge must leave git (the base branch) and the database (the pull) untouched.
"""

import subprocess

import pytest

from gitforge.repositories import permissions
from gitforge.repositories.git import repository_path
from gitforge.repositories.services import commit_files, set_collaborator
from tests.helpers import (
    assert_error,
    assert_refused,
    files_at,
    merge,
    merge_snapshot,
    protection_body,
    protection_url,
    send,
    token_client,
)
from tests.helpers import bare_git as git
from tests.openapi import assert_matches_spec

MERGE = "/repos/{owner}/{repo}/pulls/{pull_number}/merge"
MERGE_DOCS = "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request"


def test_required_checks_gate_the_merge(bob, public_repo, pull, head, post, protect):
    """The issue's scenario: main requires ci/tests and ci/lint; bob (push) merges."""
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    client = token_client(bob)
    protect()
    old_main = git(public_repo, "rev-parse", "main")
    before = merge_snapshot(public_repo, pull)

    response = merge(client)
    assert_error(response, 405, "2 of 2 required status checks are expected.")
    assert response.json()["documentation_url"] == MERGE_DOCS
    assert_matches_spec(response, "put", MERGE, 405)
    assert merge_snapshot(public_repo, pull) == before

    post("ci/tests", "success")
    assert_error(merge(client), 405, 'Required status check "ci/lint" is expected.')
    assert merge_snapshot(public_repo, pull) == before

    post("ci/lint", "pending")
    assert_error(merge(client), 405, 'Required status check "ci/lint" is in progress.')
    assert merge_snapshot(public_repo, pull) == before

    post("ci/lint", "failure")
    assert_error(merge(client), 405, 'Required status check "ci/lint" is failing.')
    assert merge_snapshot(public_repo, pull) == before

    post("ci/lint", "error")
    assert_error(merge(client), 405, 'Required status check "ci/lint" is errored.')
    assert merge_snapshot(public_repo, pull) == before

    post("ci/tests", "pending")
    post("ci/lint", "success")
    assert_error(merge(client), 405, 'Required status check "ci/tests" is in progress.')
    assert merge_snapshot(public_repo, pull) == before

    post("CI/Tests", "success")
    response = merge(client)

    assert_matches_spec(response, "put", MERGE, 200)
    body = response.json()
    assert body["merged"] is True
    assert body["message"] == "Pull Request successfully merged"
    assert git(public_repo, "rev-parse", "main") == body["sha"]
    assert git(public_repo, "log", "--format=%P", "-1", "main").split() == [old_main, head]
    assert git(public_repo, "show", "main:src/app.py") == "print(2)"
    subprocess.run(["git", "-C", str(repository_path(public_repo.id)), "fsck"], check=True)


def test_merged_pull_reports_its_merge(bob, anonymous, public_repo, pull, head):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)

    sha = merge(token_client(bob)).json()["sha"]

    body = anonymous.get("/api/repos/alice/project/pulls/1").json()
    assert body["state"] == "closed"
    assert body["merged"] is True
    assert body["merged_by"]["login"] == "bob"
    assert body["merge_commit_sha"] == sha
    assert body["merged_at"] is not None
    assert body["closed_at"] is not None
    assert body["head"]["sha"] == head
    assert anonymous.get("/api/repos/alice/project/pulls/1/merge").status_code == 204
    pull.refresh_from_db()
    assert (pull.state, pull.merged, pull.merge_commit_sha) == ("closed", True, sha)


def test_merge_commit_message(owner, public_repo, pull):
    merge(owner)

    assert git(public_repo, "log", "--format=%B", "-1", "main") == (
        "Merge pull request #1 from alice/feature\n\nChange app"
    )


def test_merge_with_custom_title_and_message(owner, public_repo, pull):
    merge(owner, commit_title="Ship it", commit_message="Details")

    assert git(public_repo, "log", "--format=%B", "-1", "main") == "Ship it\n\nDetails"


def test_merging_twice_is_refused(owner, public_repo, pull):
    first = merge(owner).json()["sha"]

    assert_refused(merge(owner), 405, "not mergeable")
    assert git(public_repo, "rev-parse", "main") == first


def test_closed_pull_cannot_be_merged(owner, public_repo, pull):
    send(owner, "patch", "/api/repos/alice/project/pulls/1", {"state": "closed"})
    before = merge_snapshot(public_repo, pull)

    assert_refused(merge(owner), 405, "not mergeable")
    assert merge_snapshot(public_repo, pull) == before


@pytest.fixture
def diverged(public_repo, alice):
    """main gains docs/guide.md after feature branched off; returns the new main."""
    return commit_files(
        repository=public_repo,
        branch="main",
        files={"docs/guide.md": b"guide\n"},
        message="Add guide",
        author=alice,
    )


def test_squash_merge(owner, public_repo, pull, head, diverged):
    response = merge(owner, merge_method="squash")

    assert_matches_spec(response, "put", MERGE, 200)
    sha = response.json()["sha"]
    assert git(public_repo, "rev-parse", "main") == sha
    assert git(public_repo, "log", "--format=%P", "-1", "main").split() == [diverged]
    assert files_at(public_repo, "main") == {"README.md", "src/app.py", "docs/guide.md"}
    assert git(public_repo, "show", "main:src/app.py") == "print(2)"
    assert git(public_repo, "show", "main:docs/guide.md") == "guide"
    assert git(public_repo, "log", "--format=%s", "-1", "main") == "Change app (#1)"
    ancestry = subprocess.run(
        [
            "git",
            "-C",
            str(repository_path(public_repo.id)),
            "merge-base",
            "--is-ancestor",
            head,
            sha,
        ]
    )
    assert ancestry.returncode == 1  # the head commit itself is not in main's history


def test_rebase_merge(owner, public_repo, alice, pull, diverged):
    second = commit_files(
        repository=public_repo,
        branch="feature",
        files={"src/more.py": b"more\n"},
        message="Add more",
        author=alice,
    )
    originals = git(public_repo, "rev-list", "main..feature").split()
    assert second in originals and len(originals) == 2

    response = merge(owner, merge_method="rebase")

    assert_matches_spec(response, "put", MERGE, 200)
    sha = response.json()["sha"]
    assert git(public_repo, "rev-parse", "main") == sha
    assert git(public_repo, "log", "--format=%s", "-3", "main").splitlines() == [
        "Add more",
        "Change app",
        "Add guide",
    ]
    assert git(public_repo, "rev-parse", "main~2") == diverged
    history = git(public_repo, "rev-list", "main").split()
    assert not set(originals) & set(history)
    for commit in history[:2]:
        assert len(git(public_repo, "log", "--format=%P", "-1", commit).split()) == 1
    assert files_at(public_repo, "main") == {
        "README.md",
        "src/app.py",
        "src/more.py",
        "docs/guide.md",
    }
    assert git(public_repo, "show", "main:src/app.py") == "print(2)"


def test_unknown_merge_method_is_422(owner, public_repo, pull):
    before = merge_snapshot(public_repo, pull)

    response = merge(owner, merge_method="octopus")

    assert_matches_spec(response, "put", MERGE, 422)
    assert merge_snapshot(public_repo, pull) == before


def test_sha_of_the_head_is_accepted(owner, public_repo, pull, head):
    assert merge(owner, sha=head).status_code == 200


def test_sha_other_than_the_head_is_409(owner, public_repo, pull):
    stale = git(public_repo, "rev-parse", "main")
    before = merge_snapshot(public_repo, pull)

    response = merge(owner, sha=stale)

    assert_matches_spec(response, "put", MERGE, 409)
    assert "Head branch was modified" in response.json()["message"]
    assert merge_snapshot(public_repo, pull) == before


def test_head_moved_after_review_is_409(owner, public_repo, alice, pull, head):
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"late.txt": b"late"},
        message="Late change",
        author=alice,
    )
    before = merge_snapshot(public_repo, pull)

    assert_refused(merge(owner, sha=head), 409, "Head branch was modified")
    assert merge_snapshot(public_repo, pull) == before


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
def test_conflict_is_405_and_changes_nothing(owner, public_repo, alice, pull, method):
    commit_files(
        repository=public_repo,
        branch="main",
        files={"src/app.py": b"print(3)\n"},
        message="Conflicting change",
        author=alice,
    )
    before = merge_snapshot(public_repo, pull)

    response = merge(owner, merge_method=method)

    assert_matches_spec(response, "put", MERGE, 405)
    assert response.json()["message"] == "Merge conflict"
    assert merge_snapshot(public_repo, pull) == before
    assert git(public_repo, "show", "main:src/app.py") == "print(3)"


def test_strict_mode_refuses_a_head_behind_the_base(
    bob, public_repo, pull, post, protect, diverged
):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    protect(["ci/tests"], strict=True)
    post("ci/tests", "success")
    before = merge_snapshot(public_repo, pull)

    response = merge(token_client(bob))

    assert_error(response, 405, "Head branch is out of date. Review and try the merge again.")
    assert merge_snapshot(public_repo, pull) == before


def test_strict_mode_allows_an_up_to_date_head(bob, public_repo, pull, post, protect):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    protect(["ci/tests"], strict=True)
    post("ci/tests", "success")

    assert merge(token_client(bob)).status_code == 200


def test_pattern_contexts_gate_the_merge(bob, public_repo, pull, post, protect):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    protect(["ci/*", "build/**"])
    client = token_client(bob)

    post("ci/unit", "success")
    assert_error(merge(client), 405, 'Required status check "build/**" is expected.')

    post("build/linux/x64", "success")
    post("ci/e2e", "pending")
    assert_error(merge(client), 405, 'Required status check "ci/*" is in progress.')

    post("ci/e2e", "success")
    assert merge(client).status_code == 200


def test_unprotected_base_merges_freely(owner, public_repo, pull, post):
    post("ci/tests", "failure")

    assert merge(owner).status_code == 200


def test_merge_on_missing_pull_is_404(owner, public_repo):
    assert merge(owner, number=9).status_code == 404


def test_mixed_blocking_checks_are_counted_as_github_counts_them(
    bob, public_repo, pull, post, protect
):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    protect(["ci/tests", "ci/lint", "ci/docs", "deploy"])
    post("ci/tests", "failure")
    post("ci/lint", "error")
    post("deploy", "pending")
    before = merge_snapshot(public_repo, pull)

    response = merge(token_client(bob))

    # GitHub leaves the check still in progress out of the breakdown.
    assert_error(
        response,
        405,
        "4 of 4 required status checks have not succeeded: 1 expected, 1 errored, and 1 failing.",
    )
    assert_matches_spec(response, "put", MERGE, 405)
    assert merge_snapshot(public_repo, pull) == before


def test_several_failing_checks_share_one_sentence(bob, public_repo, pull, post, protect):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    protect(["ci/tests", "ci/lint", "ci/docs"])
    post("ci/tests", "failure")
    post("ci/lint", "failure")
    post("ci/docs", "success")

    response = merge(token_client(bob))

    assert_error(response, 405, "2 of 3 required status checks are failing.")


def require_linear_history(client):
    body = {**protection_body(), "required_status_checks": None, "required_linear_history": True}
    response = send(client, "put", protection_url(), body)
    assert response.status_code == 200, response.content


def test_linear_history_refuses_a_merge_commit(bob, owner, public_repo, pull):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    require_linear_history(owner)
    before = merge_snapshot(public_repo, pull)

    response = merge(token_client(bob), merge_method="merge")

    assert_error(response, 405, "Merge commits are not allowed on this repository.")
    assert_matches_spec(response, "put", MERGE, 405)
    assert merge_snapshot(public_repo, pull) == before


@pytest.mark.parametrize("method", ["squash", "rebase"])
def test_linear_history_allows_squash_and_rebase(bob, owner, public_repo, pull, method):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    require_linear_history(owner)

    response = merge(token_client(bob), merge_method=method)

    assert response.status_code == 200, response.content
    assert len(git(public_repo, "log", "--format=%P", "-1", "main").split()) == 1


def test_linear_history_lets_an_admin_merge_unless_enforced(owner, public_repo, pull):
    require_linear_history(owner)

    response = merge(owner, merge_method="merge")

    assert response.status_code == 200, response.content
    assert len(git(public_repo, "log", "--format=%P", "-1", "main").split()) == 2
