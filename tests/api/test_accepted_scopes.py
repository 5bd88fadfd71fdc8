"""X-Accepted-OAuth-Scopes names the scopes each route's permission classes accept."""

import pytest

from tests.helpers import token_client


@pytest.mark.parametrize(
    ("method", "path", "accepted"),
    [
        ("get", "/api/user", ""),  # as GitHub answers: any token may read its user
        ("get", "/api/users/alice", ""),
        ("post", "/api/user/repos", "repo"),
        ("get", "/api/repos/alice/project", "repo"),
        ("get", "/api/repos/alice/project/commits/main", "repo"),
        ("get", "/api/repos/alice/project/commits/main/status", "repo, repo:status"),
        ("get", "/api/repos/alice/project/commits/main/statuses", "repo, repo:status"),
        ("get", "/api/repos/alice/project/branches", "repo"),
        ("get", "/api/repos/alice/project/branches/main/protection", "repo"),
        ("get", "/api/repos/alice/project/pulls", "repo"),
        ("put", "/api/repos/alice/project/pulls/1/merge", "repo"),
    ],
)
def test_each_route_names_the_scopes_it_accepts(alice, public_repo, method, path, accepted):
    response = getattr(token_client(alice, ["read:user"]), method)(path)

    assert response["X-Accepted-OAuth-Scopes"] == accepted
    assert response["X-OAuth-Scopes"] == "read:user"


def test_a_refusal_names_the_scopes_that_would_do(alice, public_repo):
    response = token_client(alice, ["repo:status"]).post(
        "/api/user/repos", data={"name": "x"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["message"] == (
        "Resource not accessible by this token: it needs the 'repo' scope"
    )
    assert response["X-Accepted-OAuth-Scopes"] == "repo"
