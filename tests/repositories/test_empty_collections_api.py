"""Collections gitforge keeps nothing in answer GitHub's empty list, behind the repository's
authorization."""

import pytest

from tests.helpers import token_client
from tests.openapi import assert_matches_spec

REPO = "/repos/{owner}/{repo}"
EMPTY = [
    ("stargazers", "/stargazers"),
    ("subscribers", "/subscribers"),
    ("forks", "/forks"),
    ("labels", "/labels"),
    ("milestones", "/milestones"),
    ("releases", "/releases"),
    ("deployments", "/deployments"),
    ("events", "/events"),
    ("issues/comments", "/issues/comments"),
    ("issues/events", "/issues/events"),
    ("comments", "/comments"),
    ("commits/main/comments", "/commits/{commit_sha}/comments"),
    ("pulls/comments", "/pulls/comments"),
    ("teams", "/teams"),
    ("keys", "/keys"),
    ("notifications", "/notifications"),
]


@pytest.mark.parametrize(("route", "spec_path"), EMPTY, ids=[route for route, _ in EMPTY])
def test_answers_an_empty_list(public_repo, owner, route, spec_path):
    response = owner.get(f"/api/repos/alice/project/{route}")
    assert_matches_spec(response, "get", REPO + spec_path, 200)
    assert response.json() == []


def test_downloads_answer_an_empty_list(public_repo, owner):
    response = owner.get("/api/repos/alice/project/downloads")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("route", ["stargazers", "labels", "releases", "keys"])
def test_private_repository_is_not_found_for_strangers(private_repo, charlie, route):
    response = token_client(charlie).get(f"/api/repos/alice/secret/{route}")
    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"


def test_unknown_repository_is_not_found(alice, owner):
    assert owner.get("/api/repos/alice/nothing/forks").status_code == 404


def test_deploy_keys_need_admin(public_repo, bob):
    response = token_client(bob).get("/api/repos/alice/project/keys")
    assert response.status_code == 403
    assert response.json()["message"] == "Must have admin rights to Repository."


def test_notifications_need_a_signed_in_caller(public_repo, anonymous):
    response = anonymous.get("/api/repos/alice/project/notifications")
    assert response.status_code == 401
    assert response.json()["message"] == "Requires authentication"


def test_subscription_stays_githubs_404(public_repo, owner):
    """GitHub answers 404 while the caller does not watch the repository: gitforge never does."""
    assert owner.get("/api/repos/alice/project/subscription").status_code == 404
