"""GET /users/{username}/repos: the public repositories, plus those the caller may read."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.repositories.services import create_repository
from tests.helpers import token_client
from tests.openapi import assert_matches_spec

ROUTE = "/users/{username}/repos"


def names(response):
    return [repository["name"] for repository in response.json()]


def test_strangers_see_public_repositories(public_repo, private_repo, anonymous, charlie):
    response = anonymous.get("/api/users/alice/repos")
    assert_matches_spec(response, "get", ROUTE, 200)
    assert names(response) == ["project"]
    assert names(token_client(charlie).get("/api/users/alice/repos")) == ["project"]


def test_collaborators_and_the_owner_see_private_ones(public_repo, private_repo, alice, bob):
    response = token_client(bob).get("/api/users/alice/repos")
    assert_matches_spec(response, "get", ROUTE, 200)
    assert names(response) == ["project", "secret"]
    assert names(token_client(alice).get("/api/users/alice/repos")) == ["project", "secret"]


def test_tokens_without_repo_scope_see_public_ones(public_repo, private_repo, alice):
    client = token_client(alice, scopes=("read:user",))
    assert names(client.get("/api/users/alice/repos")) == ["project"]


def test_sorted_and_paginated(alice, anonymous):
    for name in ("c", "a", "b"):
        create_repository(owner=alice, name=name)
    assert names(anonymous.get("/api/users/alice/repos")) == ["a", "b", "c"]
    assert names(anonymous.get("/api/users/alice/repos?sort=created")) == ["b", "a", "c"]
    response = anonymous.get("/api/users/alice/repos?per_page=2&page=2")
    assert names(response) == ["c"]
    assert 'rel="prev"' in response["Link"] and 'rel="first"' in response["Link"]


def test_unknown_user_is_not_found(db, anonymous):
    assert anonymous.get("/api/users/nobody/repos").status_code == 404


def test_a_page_takes_a_fixed_number_of_queries(alice, anonymous):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert anonymous.get("/api/users/alice/repos").status_code == 200
        return len(captured)

    create_repository(owner=alice, name="r0")
    one = queries()
    for number in range(1, 6):
        create_repository(owner=alice, name=f"r{number}")
    assert queries() == one
