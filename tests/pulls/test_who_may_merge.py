"""Who may merge: push access, admins bypassing required checks, and tokens without `repo`."""

import pytest

from gitforge.repositories import permissions
from gitforge.repositories.services import set_collaborator
from pulls.services import open_pull_request
from tests.helpers import (
    assert_refused,
    merge,
    merge_snapshot,
    token_client,
)
from tests.helpers import bare_git as git
from tests.openapi import assert_matches_spec

MERGE = "/repos/{owner}/{repo}/pulls/{pull_number}/merge"


def test_admin_bypasses_failing_checks_when_admins_are_not_enforced(
    owner, public_repo, pull, post, protect
):
    protect(enforce_admins=False)
    post("ci/tests", "failure")

    response = merge(owner)

    assert response.status_code == 200
    assert git(public_repo, "rev-parse", "main") == response.json()["sha"]


def test_admin_collaborator_bypasses_too(bob, public_repo, pull, post, protect):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.ADMIN)
    protect(enforce_admins=False)

    assert merge(token_client(bob)).status_code == 200


def test_enforce_admins_stops_the_owner(owner, public_repo, pull, post, protect):
    protect(enforce_admins=True)
    post("ci/tests", "failure")
    post("ci/lint", "success")
    before = merge_snapshot(public_repo, pull)

    response = merge(owner)

    assert_refused(response, 405, 'Required status check "ci/tests" is failing.')
    assert merge_snapshot(public_repo, pull) == before


def test_maintainer_cannot_bypass(bob, public_repo, pull, protect):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.MAINTAIN)
    protect()
    before = merge_snapshot(public_repo, pull)

    assert_refused(merge(token_client(bob)), 405, "2 of 2 required status checks are expected.")
    assert merge_snapshot(public_repo, pull) == before


def test_pull_collaborator_is_forbidden(bob, private_repo, alice):
    pull = open_pull_request(
        repository=private_repo, author=bob, title="Mine", head="feature", base="main"
    )
    before = merge_snapshot(private_repo, pull)

    response = merge(token_client(bob), repo="alice/secret")

    assert_matches_spec(response, "put", MERGE, 403)
    assert merge_snapshot(private_repo, pull) == before


def test_stranger_is_forbidden_on_public_repository(charlie, public_repo, pull):
    before = merge_snapshot(public_repo, pull)

    assert merge(token_client(charlie)).status_code == 403
    assert merge_snapshot(public_repo, pull) == before


def test_stranger_does_not_see_private_repository(charlie, alice, private_repo):
    pull = open_pull_request(
        repository=private_repo, author=alice, title="T", head="feature", base="main"
    )
    before = merge_snapshot(private_repo, pull)

    assert merge(token_client(charlie), repo="alice/secret").status_code == 404
    assert merge_snapshot(private_repo, pull) == before


def test_anonymous_needs_authentication(anonymous, public_repo, pull):
    before = merge_snapshot(public_repo, pull)

    assert merge(anonymous).status_code == 401
    assert merge_snapshot(public_repo, pull) == before


@pytest.mark.parametrize("repo_fixture", ["public_repo", "private_repo"])
def test_repo_status_token_never_merges(request, alice, repo_fixture):
    repository = request.getfixturevalue(repo_fixture)
    pull = open_pull_request(
        repository=repository, author=alice, title="T", head="feature", base="main"
    )
    before = merge_snapshot(repository, pull)

    response = merge(token_client(alice, scopes=["repo:status"]), repo=repository.full_name)

    assert response.status_code in (403, 404)
    assert merge_snapshot(repository, pull) == before
