"""GET /repos/{owner}/{repo}/commits: a ref's history, newest first, paginated as GitHub."""

from gitforge.repositories.services import create_repository
from tests.helpers import assert_error, bare_git, token_client
from tests.openapi import assert_matches_spec

ROUTE = "/repos/{owner}/{repo}/commits"
URL = "/api/repos/alice/project/commits"


def test_lists_the_default_branch_newest_first(owner, public_repo):
    response = owner.get(URL)

    assert_matches_spec(response, "get", ROUTE, 200)
    shas = [commit["sha"] for commit in response.json()]
    assert shas == bare_git(public_repo, "rev-list", "main").split()
    assert response.json()[0]["commit"]["message"] == "Add app"
    assert response.json()[0]["author"]["login"] == "alice"


def test_sha_picks_a_branch_or_commit(owner, public_repo):
    by_branch = owner.get(URL, {"sha": "feature"})
    tip = bare_git(public_repo, "rev-parse", "feature")
    by_sha = owner.get(URL, {"sha": tip})

    assert [c["sha"] for c in by_branch.json()] == bare_git(
        public_repo, "rev-list", "feature"
    ).split()
    assert by_sha.json() == by_branch.json()


def test_pages_with_link_headers(owner, public_repo):
    first = owner.get(URL, {"sha": "feature", "per_page": 1})
    second = owner.get(URL, {"sha": "feature", "per_page": 1, "page": 2})

    assert len(first.json()) == len(second.json()) == 1
    assert first.json()[0]["sha"] != second.json()[0]["sha"]
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    assert 'rel="last"' in first["Link"] and "page=3" in first["Link"]


def test_unknown_sha_is_404(owner, public_repo):
    assert_error(owner.get(URL, {"sha": "no-such-branch"}), 404, "Not Found")


def test_empty_repository_is_409(alice, owner):
    create_repository(owner=alice, name="empty")

    response = owner.get("/api/repos/alice/empty/commits")

    assert_error(response, 409, "Git Repository is empty.")


def test_private_repository_is_404_for_strangers(charlie, private_repo):
    response = token_client(charlie).get("/api/repos/alice/secret/commits")

    assert_error(response, 404, "Not Found")
