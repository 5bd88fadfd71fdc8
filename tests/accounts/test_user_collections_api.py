"""A user's collections gitforge keeps nothing in answer GitHub's empty list."""

import pytest

from tests.openapi import assert_matches_spec

EMPTY = [
    ("followers", "followers"),
    ("following", "following"),
    ("gists", "gists"),
    ("orgs", "orgs"),
    ("starred", "starred"),
    ("subscriptions", "subscriptions"),
    ("events", "events"),
    ("received_events", "received_events"),
]


@pytest.mark.parametrize(("route", "spec_route"), EMPTY, ids=[route for route, _ in EMPTY])
def test_answers_an_empty_list(bob, anonymous, route, spec_route):
    response = anonymous.get(f"/api/users/bob/{route}")
    assert_matches_spec(response, "get", f"/users/{{username}}/{spec_route}", 200)
    assert response.json() == []


def test_public_events_answer_an_empty_list(bob, anonymous):
    response = anonymous.get("/api/users/bob/events/public")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("route", ["followers", "orgs", "starred"])
def test_unknown_user_is_not_found(db, anonymous, route):
    response = anonymous.get(f"/api/users/nobody/{route}")
    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"
