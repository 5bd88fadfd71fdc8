"""GET /repos/{owner}/{repo}/issues lists the pull requests as issues, as GitHub does."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.repositories.services import create_branch
from pulls.services import open_pull_request, update_pull_request
from tests.helpers import token_client
from tests.openapi import assert_matches_spec

ROUTE = "/repos/{owner}/{repo}/issues"


def open_more(repository, author, count):
    for number in range(count):
        create_branch(repository=repository, branch=f"more-{number}", from_ref="feature")
        open_pull_request(
            repository=repository,
            author=author,
            title=f"More {number}",
            head=f"more-{number}",
            base="main",
        )


def numbers(response):
    return [issue["number"] for issue in response.json()]


def test_lists_pull_requests_in_the_issue_representation(pull, owner):
    response = owner.get("/api/repos/alice/project/issues")
    assert_matches_spec(response, "get", ROUTE, 200)
    issue = response.json()[0]
    assert issue == owner.get("/api/repos/alice/project/issues/1").json()
    assert issue["pull_request"]["url"] == "http://testserver/api/repos/alice/project/pulls/1"


def test_state_filters(pull, alice, public_repo, owner):
    open_more(public_repo, alice, 1)
    update_pull_request(pull=pull, user=alice, permission="admin", state="closed")
    assert numbers(owner.get("/api/repos/alice/project/issues")) == [2]
    assert numbers(owner.get("/api/repos/alice/project/issues?state=closed")) == [1]
    response = owner.get("/api/repos/alice/project/issues?state=all")
    assert_matches_spec(response, "get", ROUTE, 200)
    assert numbers(response) == [2, 1]
    assert numbers(owner.get("/api/repos/alice/project/issues?state=all&direction=asc")) == [1, 2]


def test_paginated_with_links(pull, alice, public_repo, owner):
    open_more(public_repo, alice, 2)
    response = owner.get("/api/repos/alice/project/issues?per_page=2")
    assert numbers(response) == [3, 2]
    assert 'rel="next"' in response["Link"] and 'rel="last"' in response["Link"]


def test_private_repository_is_hidden_from_strangers(private_repo, charlie):
    assert token_client(charlie).get("/api/repos/alice/secret/issues").status_code == 404


def test_a_page_takes_a_fixed_number_of_queries(pull, alice, public_repo, owner):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert owner.get("/api/repos/alice/project/issues").status_code == 200
        return len(captured)

    queries()  # the token's first use is recorded once
    one = queries()
    open_more(public_repo, alice, 4)
    assert queries() == one
