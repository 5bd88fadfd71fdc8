"""A pull request cannot have its head as its base, and nothing merges a commit into itself."""

import pytest

from gitforge.errors import NotMergeable
from gitforge.repositories.git import GitRepository
from pulls.models import PullRequest
from pulls.services import merge_pull_request
from tests.helpers import assert_error, bare_sha, merge, merge_snapshot, send

PULL = "/api/repos/alice/project/pulls/1"


def test_changing_the_base_to_the_head_branch_is_invalid(owner, pull):
    response = send(owner, "patch", PULL, {"base": "feature"})

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert errors == [
        {
            "resource": "PullRequest",
            "field": "base",
            "code": "invalid",
            "message": "The base branch cannot be the head branch (feature)",
        }
    ]
    stored = PullRequest.objects.get()
    assert (stored.base_ref, stored.head_ref, stored.state) == ("main", "feature", "open")


def test_a_pull_whose_base_is_its_head_is_not_mergeable(owner, public_repo, pull):
    """Rows from before the rule (or written around the API) still never merge."""
    PullRequest.objects.filter(pk=pull.pk).update(base_ref="feature")
    before = merge_snapshot(public_repo, pull)
    head = bare_sha(public_repo, "feature")

    response = merge(owner)

    assert_error(
        response, 405, "Pull Request is not mergeable: the base and head are the same commit"
    )
    assert merge_snapshot(public_repo, pull) == before
    assert bare_sha(public_repo, "feature") == head
    assert len(GitRepository(public_repo.id).commit(head).parents) == 1


def test_a_pull_whose_base_already_points_at_its_head_is_not_merged_into_itself(
    owner, public_repo, pull
):
    head = bare_sha(public_repo, "feature")
    GitRepository(public_repo.id).move_branch("main", head, expected_sha=bare_sha(public_repo))
    before = merge_snapshot(public_repo, pull)

    response = merge(owner)

    assert_error(
        response, 405, "Pull Request is not mergeable: the base and head are the same commit"
    )
    assert merge_snapshot(public_repo, pull) == before
    assert bare_sha(public_repo, "main") == head


def test_the_service_refuses_too(public_repo, pull, alice):
    PullRequest.objects.filter(pk=pull.pk).update(base_ref="feature")
    pull.refresh_from_db()

    with pytest.raises(NotMergeable):
        merge_pull_request(pull=pull, user=alice, permission="admin")
    assert not PullRequest.objects.get().merged
