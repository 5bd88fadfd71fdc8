"""POST /user/repos: creating a repository, its git storage, and every refusal."""

import json

import pytest

from gitforge.repositories.models import Repository
from tests.helpers import assert_error, send, token_client
from tests.openapi import assert_matches_spec

COLLABORATOR = "/repos/{owner}/{repo}/collaborators/{username}"
V3 = "http://testserver/api/v3"


def test_create_repository_with_auto_init(alice):
    client = token_client(alice)
    response = send(
        client,
        "post",
        "/api/user/repos",
        {"name": "made", "description": "Made here", "private": True, "auto_init": True},
    )
    assert_matches_spec(response, "post", "/user/repos", 201)
    body = response.json()
    assert body["full_name"] == "alice/made"
    assert body["description"] == "Made here"
    assert body["private"] is True
    assert body["visibility"] == "private"
    assert body["owner"]["login"] == "alice"
    assert body["permissions"]["admin"] is True
    assert body["url"] == "http://testserver/api/repos/alice/made"

    fetched = client.get("/api/repos/alice/made")
    assert_matches_spec(fetched, "get", "/repos/{owner}/{repo}", 200)
    assert fetched.json()["id"] == body["id"]

    commit = client.get("/api/repos/alice/made/commits/main")
    assert_matches_spec(commit, "get", "/repos/{owner}/{repo}/commits/{ref}", 200)
    assert commit.json()["parents"] == []
    assert [change["filename"] for change in commit.json()["files"]] == ["README.md"]


def test_create_repository_without_auto_init_is_empty(alice):
    client = token_client(alice)
    response = send(client, "post", "/api/user/repos", {"name": "empty"})
    assert_matches_spec(response, "post", "/user/repos", 201)
    assert response.json()["private"] is False
    assert response.json()["description"] is None

    commit = client.get("/api/repos/alice/empty/commits/main")
    assert_matches_spec(commit, "get", "/repos/{owner}/{repo}/commits/{ref}", 409)
    assert_error(commit, 409, "Git Repository is empty.")
    branches = client.get("/api/repos/alice/empty/branches")
    assert branches.status_code == 200
    assert branches.json() == []


def test_create_repository_requires_authentication(db, anonymous):
    response = send(anonymous, "post", "/api/user/repos", {"name": "made"})
    assert_matches_spec(response, "post", "/user/repos", 401)
    assert_error(response, 401, "Requires authentication")
    assert not Repository.objects.exists()


def test_create_repository_needs_the_repo_scope(alice):
    response = send(
        token_client(alice, ["repo:status"]), "post", "/api/user/repos", {"name": "made"}
    )
    assert_matches_spec(response, "post", "/user/repos", 403)
    body = assert_error(
        response, 403, "Resource not accessible by this token: it needs the 'repo' scope"
    )
    assert body["documentation_url"].endswith("#create-a-repository-for-the-authenticated-user")
    assert not Repository.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "made", "private": "yes"}, "private"),
        ({"name": 5}, "name"),
        ({"name": "made", "auto_init": 1}, "auto_init"),
        ({"name": "made", "description": ["x"]}, "description"),
        ({"description": "no name"}, "name"),
    ],
)
def test_create_repository_rejects_wrong_types(alice, body, field):
    response = send(token_client(alice), "post", "/api/user/repos", body)
    assert_matches_spec(response, "post", "/user/repos", 422)
    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [error["field"] for error in errors] == [field]
    assert errors[0]["resource"] == "Repository"
    assert not Repository.objects.exists()


def test_create_repository_names_every_bad_field(alice):
    response = send(token_client(alice), "post", "/api/user/repos", {"name": 5, "private": "yes"})
    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert {error["field"] for error in errors} == {"name", "private"}


@pytest.mark.parametrize("name", ["project", "PROJECT"])
def test_create_repository_rejects_a_duplicate_name(alice, public_repo, name):
    response = send(token_client(alice), "post", "/api/user/repos", {"name": name})
    assert_matches_spec(response, "post", "/user/repos", 422)
    body = assert_error(response, 422, "Repository creation failed.")
    assert body["errors"][0]["field"] == "name"
    assert body["errors"][0]["message"] == "name already exists on this account"
    assert Repository.objects.count() == 1


@pytest.mark.parametrize("name", ["bad name", "x.git", "..", ""])
def test_create_repository_rejects_an_invalid_name(alice, name):
    response = send(token_client(alice), "post", "/api/user/repos", {"name": name})
    assert_matches_spec(response, "post", "/user/repos", 422)
    assert response.json()["errors"][0]["field"] == "name"
    assert not Repository.objects.exists()


@pytest.mark.parametrize("raw", ['{"name": "made"', "not json", "[1, 2]", '"made"'])
def test_create_repository_rejects_malformed_json(alice, raw):
    response = token_client(alice).post(
        "/api/user/repos", data=raw, content_type="application/json"
    )
    assert_matches_spec(response, "post", "/user/repos", 400)
    assert_error(response, 400, "Problems parsing JSON")
    assert not Repository.objects.exists()


def test_create_repository_accepts_json_sent_as_a_form(alice):
    """`curl -d '{"name": ...}'` sends application/x-www-form-urlencoded; GitHub reads JSON."""
    response = token_client(alice).post(
        "/api/user/repos",
        data=json.dumps({"name": "curl-made", "private": True}),
        content_type="application/x-www-form-urlencoded",
    )
    assert_matches_spec(response, "post", "/user/repos", 201)
    assert Repository.objects.get(name="curl-made").private is True
