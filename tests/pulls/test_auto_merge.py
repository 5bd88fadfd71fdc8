"""Auto-merge: enabled over the API (Gitea's `merge_when_checks_succeed`) or the page, fired by
the status that turns the last required context green, through the same merge as a manual one."""

import pytest

from gitforge.repositories.services import commit_files, set_collaborator
from pulls.models import AutoMerge, PullRequest
from pulls.services import open_pull_request, record_push
from tests.helpers import (
    assert_error,
    bare_git,
    bare_sha,
    merge,
    merge_snapshot,
    pull_state,
    send,
    token_client,
)
from tests.hooks.worker import run_ready_tasks
from tests.openapi import assert_matches_spec

AUTO = "pulls.auto_merge.attempt_auto_merge"
PULL = "/api/repos/alice/project/pulls/1"


def run_auto_merges():
    run_ready_tasks(AUTO)


def enable(client, **body):
    return merge(client, merge_when_checks_succeed=True, **body)


@pytest.fixture
def protected(protect):
    protect(("ci/tests", "ci/lint"))


def test_enabling_answers_202_and_the_pull_carries_auto_merge(owner, alice, pull, protected):
    response = enable(owner, merge_method="squash", commit_title="Ship it")

    assert response.status_code == 202, response.content
    assert response.json()["merged"] is False
    shown = owner.get(PULL)
    assert_matches_spec(shown, "get", "/repos/{owner}/{repo}/pulls/{pull_number}", 200)
    auto_merge = shown.json()["auto_merge"]
    assert auto_merge["enabled_by"]["login"] == "alice"
    assert auto_merge["merge_method"] == "squash"
    assert auto_merge["commit_title"] == "Ship it"
    assert auto_merge["commit_message"] == ""
    assert AutoMerge.objects.get(pull=pull).enabled_by == alice


def test_a_pull_without_auto_merge_shows_null(owner, pull):
    assert owner.get(PULL).json()["auto_merge"] is None


def test_fires_when_the_last_required_context_turns_green(owner, alice, pull, protected, post):
    before = bare_sha(pull.repository, "main")
    assert enable(owner, merge_method="squash").status_code == 202

    post("ci/tests", "success")
    run_auto_merges()
    assert pull_state(pull)[1] is False
    assert "ci/lint" in AutoMerge.objects.get(pull=pull).waiting_reason

    post("ci/lint", "success")
    run_auto_merges()

    state, merged, merged_by, _, merge_sha = pull_state(pull)
    assert (state, merged, merged_by) == ("closed", True, alice.pk)
    assert bare_sha(pull.repository, "main") == merge_sha
    parents = bare_git(pull.repository, "rev-list", "--parents", "-n", "1", merge_sha).split()
    assert parents[1:] == [before]  # squash: one parent, the old base
    assert not AutoMerge.objects.filter(pull=pull).exists()
    assert owner.get(PULL).json()["auto_merge"] is None


def test_a_status_through_the_api_queues_the_attempt(owner, alice, pull, protected, head):
    assert enable(owner).status_code == 202
    for context in ("ci/tests", "ci/lint"):
        response = send(
            owner,
            "post",
            f"/api/repos/alice/project/statuses/{head}",
            {"state": "success", "context": context},
        )
        assert response.status_code == 201

    run_auto_merges()

    assert pull_state(pull)[1] is True


def test_already_green_checks_merge_on_enabling(owner, pull, protected, post):
    post("ci/tests", "success")
    post("ci/lint", "success")

    assert enable(owner).status_code == 202
    run_auto_merges()

    assert pull_state(pull)[1] is True


def test_a_failing_context_keeps_it_waiting_and_says_why(owner, pull, protected, post):
    assert enable(owner).status_code == 202
    post("ci/tests", "failure")
    post("ci/lint", "success")

    run_auto_merges()

    assert pull_state(pull)[1] is False
    waiting = AutoMerge.objects.get(pull=pull).waiting_reason
    assert "ci/tests" in waiting


def test_never_fires_on_a_pattern_that_matches_nothing(owner, pull, protect, post):
    protect(("ci/*",))
    assert enable(owner).status_code == 202
    post("other/check", "success")

    run_auto_merges()

    assert pull_state(pull)[1] is False
    assert AutoMerge.objects.filter(pull=pull).exists()


def test_a_conflict_keeps_it_waiting(owner, alice, public_repo, pull, protected, post):
    assert enable(owner).status_code == 202
    feature_files = bare_git(public_repo, "ls-tree", "--name-only", "feature").split()
    commit_files(
        repository=public_repo,
        branch="main",
        files={name: b"conflicting change on main\n" for name in feature_files},
        message="Conflict",
        author=alice,
    )

    post("ci/tests", "success")
    post("ci/lint", "success")
    run_auto_merges()

    assert pull_state(pull)[1] is False
    assert AutoMerge.objects.get(pull=pull).waiting_reason


def test_enabling_needs_required_checks(owner, pull, public_repo):
    snapshot = merge_snapshot(public_repo, pull)

    response = enable(owner)

    body = assert_error(response, 422, "Validation Failed")
    assert body["errors"][0]["field"] == "merge_when_checks_succeed"
    assert "requires status checks" in body["errors"][0]["message"]
    assert not AutoMerge.objects.exists()
    assert merge_snapshot(public_repo, pull) == snapshot


def test_enabling_needs_push_access(bob, pull, protected):
    response = enable(token_client(bob))

    assert_error(response, 403, "Must have push access to repository")
    assert not AutoMerge.objects.exists()


def test_delete_cancels_it(owner, pull, protected, post):
    assert enable(owner).status_code == 202

    response = owner.delete(f"{PULL}/merge")

    assert response.status_code == 204
    assert response.content == b""
    assert not AutoMerge.objects.filter(pull=pull).exists()
    post("ci/tests", "success")
    post("ci/lint", "success")
    run_auto_merges()
    assert pull_state(pull)[1] is False


def test_delete_without_push_access_is_refused(owner, bob, pull, protected):
    assert enable(owner).status_code == 202

    response = token_client(bob).delete(f"{PULL}/merge")

    assert_error(response, 403, "Must have push access to repository")
    assert AutoMerge.objects.filter(pull=pull).exists()


def push_to_feature(pull, *, author, pusher):
    """A new commit on the pull request's head branch, recorded as `pusher`'s push."""
    before = bare_sha(pull.repository, "feature")
    commit_files(
        repository=pull.repository,
        branch="feature",
        files={"more.txt": b"more\n"},
        message="More",
        author=author,
    )
    record_push(
        repository=pull.repository,
        pusher=pusher,
        updates=[(before, bare_sha(pull.repository, "feature"), "refs/heads/feature")],
    )


def test_a_push_by_someone_without_push_access_disables_it(owner, alice, bob, pull, protected):
    assert enable(owner).status_code == 202

    push_to_feature(pull, author=alice, pusher=bob)

    assert not AutoMerge.objects.filter(pull=pull).exists()


def test_a_push_by_a_writer_keeps_it(owner, alice, bob, pull, protected):
    set_collaborator(repository=pull.repository, user=bob, permission="push")
    assert enable(owner).status_code == 202

    push_to_feature(pull, author=alice, pusher=bob)

    assert AutoMerge.objects.filter(pull=pull).exists()


def test_a_manual_merge_ends_it(owner, pull, protected, post):
    assert enable(owner).status_code == 202
    post("ci/tests", "success")
    post("ci/lint", "success")

    assert merge(owner).status_code == 200
    run_auto_merges()

    assert PullRequest.objects.get(pk=pull.pk).merged
    assert not AutoMerge.objects.filter(pull=pull).exists()


def test_private_repository_is_404_for_strangers(alice, charlie, private_repo):
    open_pull_request(repository=private_repo, author=alice, title="t", head="feature", base="main")

    response = merge(token_client(charlie), repo="alice/secret", merge_when_checks_succeed=True)

    assert response.status_code == 404
    assert not AutoMerge.objects.exists()
