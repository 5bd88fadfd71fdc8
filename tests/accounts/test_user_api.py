"""GET /user and GET /users/{username}."""

from django.test import Client

from gitforge.repositories.services import create_repository
from tests.helpers import assert_error, token_client
from tests.openapi import assert_matches_spec

COLLABORATOR = "/repos/{owner}/{repo}/collaborators/{username}"
V3 = "http://testserver/api/v3"


def test_authenticated_user_is_the_token_owner(alice, public_repo):
    create_repository(owner=alice, name="hidden", private=True)
    response = token_client(alice, ("repo", "read:user")).get("/api/user")
    assert_matches_spec(response, "get", "/user", 200)
    body = response.json()
    assert body["login"] == "alice"
    assert body["email"] == "alice@example.com"
    assert body["public_repos"] == 1
    assert body["total_private_repos"] == 1
    assert response["X-OAuth-Scopes"] == "repo, read:user"


def test_authenticated_user_requires_authentication(db, anonymous):
    response = anonymous.get("/api/user")
    assert_matches_spec(response, "get", "/user", 401)
    assert_error(response, 401, "Requires authentication")


def test_bad_token_is_bad_credentials(db):
    response = Client(HTTP_AUTHORIZATION="token gfp_not-a-real-token").get("/api/user")
    assert_error(response, 401, "Bad credentials")


def test_user_lookup_is_case_insensitive(alice, public_repo, anonymous):
    response = anonymous.get("/api/users/ALICE")
    assert_matches_spec(response, "get", "/users/{username}", 200)
    body = response.json()
    assert body["login"] == "alice"
    assert body["public_repos"] == 1
    assert body["email"] is None
    assert body["url"] == "http://testserver/api/users/alice"


def test_unknown_user_is_not_found(db, anonymous):
    response = anonymous.get("/api/users/nobody")
    assert_matches_spec(response, "get", "/users/{username}", 404)
    assert_error(response, 404, "Not Found")


def test_every_user_object_carries_user_view_type(alice, pull, anonymous):
    """simple-user objects (a pull's author, a repository's owner) say "public", as GitHub's do;
    GET /user says "private"."""
    body = anonymous.get("/api/repos/alice/project/pulls/1").json()
    for user in (body["user"], body["head"]["user"], body["base"]["repo"]["owner"]):
        assert user["user_view_type"] == "public"
    assert anonymous.get("/api/users/alice").json()["user_view_type"] == "public"
    own = token_client(alice, ("repo", "read:user")).get("/api/user").json()
    assert own["user_view_type"] == "private"
