"""Every URL a pull request hands out answers: its issue, its (empty) comments, reviews and
review requests, with GitHub's shapes and GitHub's 404 for what does not exist or may not be
seen."""

import pytest

from pulls.services import open_pull_request
from tests.helpers import assert_error, merge, send, token_client
from tests.openapi import _spec, assert_matches_spec

ISSUE = "/repos/{owner}/{repo}/issues/{issue_number}"
ROUTES = {
    "issue_url": ISSUE,
    "comments_url": ISSUE + "/comments",
    "review_comments_url": "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
}
EMPTY = [
    ("issues/1/comments", ISSUE + "/comments", []),
    ("pulls/1/comments", "/repos/{owner}/{repo}/pulls/{pull_number}/comments", []),
    ("pulls/1/reviews", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", []),
    (
        "pulls/1/requested_reviewers",
        "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
        {"users": [], "teams": []},
    ),
]


def test_urls_of_the_representation_answer(owner, pull):
    body = send(owner, "get", "/api/repos/alice/project/pulls/1").json()

    for key, operation in ROUTES.items():
        response = owner.get(body[key].removeprefix("http://testserver"))
        assert_matches_spec(response, "get", operation, 200)
    for link in ("issue", "comments", "review_comments", "commits", "statuses"):
        assert owner.get(body["_links"][link]["href"]).status_code == 200


def test_a_pull_request_is_an_issue(owner, pull):
    response = send(owner, "get", "/api/repos/alice/project/issues/1")

    assert_matches_spec(response, "get", ISSUE, 200)
    issue = response.json()
    assert issue["number"] == 1
    assert issue["title"] == "Change app"
    assert issue["body"] == "Makes **app** print 2."
    assert issue["state"] == "open"
    assert issue["user"]["login"] == "alice"
    assert issue["url"] == "http://testserver/api/repos/alice/project/issues/1"
    assert issue["html_url"] == "http://testserver/alice/project/pull/1"
    assert issue["pull_request"] == {
        "url": "http://testserver/api/repos/alice/project/pulls/1",
        "html_url": "http://testserver/alice/project/pull/1",
        "diff_url": "http://testserver/alice/project/pull/1.diff",
        "patch_url": "http://testserver/alice/project/pull/1.patch",
        "merged_at": None,
    }


def test_a_merged_pull_requests_issue_is_closed(owner, pull):
    assert merge(owner).status_code == 200

    response = send(owner, "get", "/api/repos/alice/project/issues/1")

    assert_matches_spec(response, "get", ISSUE, 200)
    issue = response.json()
    assert issue["state"] == "closed"
    assert issue["closed_at"] is not None
    assert issue["pull_request"]["merged_at"] == issue["closed_at"]
    assert issue["closed_by"]["login"] == "alice"


@pytest.mark.parametrize(("route", "operation", "empty"), EMPTY)
def test_collections_gitforge_keeps_nothing_in_are_empty(anonymous, pull, route, operation, empty):
    response = anonymous.get(f"/api/repos/alice/project/{route}")

    assert_matches_spec(response, "get", operation, 200)
    assert response.json() == empty


@pytest.mark.parametrize(
    "route", ["issues/9", "issues/9/comments", *(r[0].replace("1", "9") for r in EMPTY)]
)
def test_unknown_number_is_not_found(anonymous, pull, route):
    assert_error(anonymous.get(f"/api/repos/alice/project/{route}"), 404, "Not Found")


@pytest.mark.parametrize("route", ["issues/1", *(route for route, _, _ in EMPTY)])
def test_private_repository_routes_are_invisible_to_strangers(
    private_repo, alice, bob, charlie, anonymous, route
):
    open_pull_request(
        repository=private_repo, author=alice, title="Secret", head="feature", base="main"
    )
    url = f"/api/repos/alice/secret/{route}"

    assert_error(token_client(charlie).get(url), 404, "Not Found")
    assert_error(anonymous.get(url), 404, "Not Found")
    assert token_client(bob).get(url).status_code == 200


def test_head_and_base_repositories_carry_githubs_repository_keys(anonymous, pull):
    """Every key of the spec's `repository` (the pull's head.repo and base.repo) but those
    GitHub sends only in other places: starring lists, admin-only tokens, search status."""
    elsewhere = {
        "permissions",
        "starred_at",
        "temp_clone_token",
        "master_branch",
        "anonymous_access_enabled",
        "code_search_index_status",
    }
    expected = set(_spec()["components"]["schemas"]["repository"]["properties"]) - elsewhere

    body = anonymous.get("/api/repos/alice/project/pulls/1").json()

    for end in ("head", "base"):
        assert expected <= set(body[end]["repo"])
    listed = anonymous.get("/api/repos/alice/project/pulls").json()[0]
    assert expected <= set(listed["head"]["repo"])
