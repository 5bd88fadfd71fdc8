"""Who may read a repository and manage its collaborators, by caller, token scopes and visibility.

A repository the caller may not read answers exactly like one that does not exist. Reading a
private repository needs pull access and a `repo` token; adding a collaborator needs admin access
and a `repo` token.
"""

import json

import pytest
from django.test import Client

from gitforge.accounts.models import User
from gitforge.repositories import permissions
from gitforge.repositories.models import Collaborator
from gitforge.repositories.services import set_collaborator
from tests.helpers import make_repository, token_client
from tests.openapi import assert_matches_spec

DOCS = "https://docs.github.com/rest"


# (caller, bob's collaborator level or None)
CALLERS = [
    ("anonymous", None),
    ("charlie", None),
    ("bob", permissions.PULL),
    ("bob", permissions.PUSH),
    ("bob", permissions.ADMIN),
    ("alice", None),
]
TOKENS = {"repo": ("repo",), "repo:status": ("repo:status",), "no-scopes": ()}

CASES = [
    pytest.param(caller, level, token, id=f"{caller}{'-' + level if level else ''}-{token}")
    for caller, level in CALLERS
    for token in (["none"] if caller == "anonymous" else TOKENS)
]
READS = [
    ("/repos/{owner}/{repo}", ""),
    ("/repos/{owner}/{repo}/branches", "/branches"),
    ("/repos/{owner}/{repo}/commits/{ref}", "/commits/main"),
]


def user_level(caller, level):
    """The caller's permission on a private repository, ignoring the token."""
    return {"alice": permissions.ADMIN, "bob": level}.get(caller)


@pytest.fixture(params=["public", "private"])
def visibility(request):
    return request.param


@pytest.fixture
def setup(visibility, alice, bob, charlie):
    """Build the repository and return a function making the caller's client."""
    repository = make_repository(alice, "project", private=visibility == "private")
    User.objects.create_user("dave", "dave@example.com", "dave-password-1")

    def client_for(caller, level, token):
        if level is not None:
            set_collaborator(repository=repository, user=bob, permission=level)
        if caller == "anonymous":
            return Client()
        user = {"alice": alice, "bob": bob, "charlie": charlie}[caller]
        return token_client(user, TOKENS[token])

    return repository, client_for


def can_read(caller, level, token, visibility):
    if visibility == "public":
        return True
    return user_level(caller, level) is not None and token == "repo"


def assert_like_a_missing_repository(client, response, method, suffix):
    missing = getattr(client, method)(f"/api/repos/alice/doesnotexist{suffix}")
    assert missing.status_code == 404
    assert response.status_code == 404, response.content[:300]
    assert response.json() == missing.json()
    assert response.json()["message"] == "Not Found"
    assert response.json()["documentation_url"].startswith(DOCS)


@pytest.mark.parametrize(("template", "suffix"), READS, ids=["repo", "branches", "commit"])
@pytest.mark.parametrize(("caller", "level", "token"), CASES)
def test_read(setup, visibility, caller, level, token, template, suffix):
    _, client_for = setup
    client = client_for(caller, level, token)
    response = client.get(f"/api/repos/alice/project{suffix}")
    if not can_read(caller, level, token, visibility):
        assert_like_a_missing_repository(client, response, "get", suffix)
        return
    if template.endswith("{ref}"):
        # The commit representation is pinned by test_routes; here only access matters.
        assert response.status_code == 200, response.content[:300]
        assert response.json()["commit"]["message"] == "Add app"
    else:
        assert_matches_spec(response, "get", template, 200)
    if suffix == "":
        body = response.json()
        assert body["private"] is (visibility == "private")
        if caller == "anonymous":
            assert "permissions" not in body
        elif token == "repo":
            expected = user_level(caller, level) or permissions.PULL
            assert body["permissions"] == permissions.as_flags(expected)


@pytest.mark.parametrize(("caller", "level", "token"), CASES)
def test_add_collaborator(setup, visibility, caller, level, token):
    repository, client_for = setup
    client = client_for(caller, level, token)
    response = client.put(
        "/api/repos/alice/project/collaborators/dave",
        data=json.dumps({"permission": "triage"}),
        content_type="application/json",
    )
    template = "/repos/{owner}/{repo}/collaborators/{username}"
    added = Collaborator.objects.filter(repository=repository, user__username="dave")

    if not can_read(caller, level, token, visibility):
        assert_like_a_missing_repository(client, response, "put", "/collaborators/dave")
    elif caller == "anonymous":
        assert response.status_code == 401
        assert response.json()["message"] == "Requires authentication"
    elif user_level(caller, level) != permissions.ADMIN:
        assert_matches_spec(response, "put", template, 403)
        assert response.json()["message"] == "Must have admin rights to Repository."
    elif token != "repo":
        assert_matches_spec(response, "put", template, 403)
        assert response.json()["message"] == (
            "Resource not accessible by this token: it needs the 'repo' scope"
        )
    else:
        assert_matches_spec(response, "put", template, 201)
        assert added.get().permission == permissions.TRIAGE
        return
    assert response.json()["documentation_url"].startswith(DOCS)
    assert not added.exists()
