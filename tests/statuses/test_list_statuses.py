"""Listing statuses (commits/{ref}/statuses and the legacy statuses/{ref}): all, newest first."""

import pygit2
import pytest

from gitforge.repositories.git import GitRepository, repository_path
from statuses.services import create_commit_status
from tests.openapi import assert_matches_spec

SPEC_PATH = "/repos/{owner}/{repo}/commits/{ref}/statuses"


@pytest.fixture
def history(public_repo, alice, sha):
    """Four statuses on main's head, oldest first: two contexts, each updated once."""
    posts = [
        ("ci/tests", "pending"),
        ("ci/lint", "pending"),
        ("ci/tests", "success"),
        ("ci/lint", "failure"),
    ]
    return [
        create_commit_status(
            repository=public_repo, sha=sha, state=state, context=context, creator=alice
        )
        for context, state in posts
    ]


def ids(response):
    return [status["id"] for status in response.json()]


@pytest.mark.parametrize("route", ["commits/{ref}/statuses", "statuses/{ref}"])
def test_lists_every_status_newest_first(anonymous, history, sha, route):
    response = anonymous.get("/api/repos/alice/project/" + route.format(ref=sha))

    assert_matches_spec(response, "get", SPEC_PATH, 200)
    assert ids(response) == [status.id for status in reversed(history)]
    assert [(s["context"], s["state"]) for s in response.json()] == [
        ("ci/lint", "failure"),
        ("ci/tests", "success"),
        ("ci/lint", "pending"),
        ("ci/tests", "pending"),
    ]
    assert response.json()[0]["creator"]["login"] == "alice"
    assert "Link" not in response


def test_a_commit_without_statuses_lists_nothing(anonymous, public_repo):
    response = anonymous.get("/api/repos/alice/project/commits/feature/statuses")

    assert_matches_spec(response, "get", SPEC_PATH, 200)
    assert response.json() == []


def test_statuses_of_other_commits_are_not_listed(anonymous, public_repo, alice, history):
    feature = GitRepository(public_repo.id).branch_sha("feature")
    create_commit_status(repository=public_repo, sha=feature, state="error", creator=alice)

    response = anonymous.get("/api/repos/alice/project/commits/main/statuses")

    assert ids(response) == [status.id for status in reversed(history)]


def test_pages_with_a_link_header(anonymous, history, sha):
    url = f"/api/repos/alice/project/commits/{sha}/statuses"

    first = anonymous.get(url, {"per_page": 2})
    second = anonymous.get(url, {"per_page": 2, "page": 2})

    assert ids(first) == [history[3].id, history[2].id]
    assert ids(second) == [history[1].id, history[0].id]
    assert 'page=2>; rel="next"' in first["Link"]
    assert 'page=2>; rel="last"' in first["Link"]
    assert "per_page=2" in first["Link"]
    assert 'rel="prev"' in second["Link"] and 'rel="first"' in second["Link"]
    assert 'rel="next"' not in second["Link"]


@pytest.fixture
def tagged(public_repo, sha):
    on_disk = pygit2.Repository(str(repository_path(public_repo.id)))
    on_disk.references.create("refs/tags/v1", sha)


@pytest.mark.parametrize(
    "ref",
    ["{sha}", "{short}", "main", "heads/main", "v1", "tags/v1"],
)
def test_ref_forms_name_the_same_commit(anonymous, history, tagged, sha, ref):
    ref = ref.format(sha=sha, short=sha[:7])

    response = anonymous.get(f"/api/repos/alice/project/commits/{ref}/statuses")

    assert response.status_code == 200, response.content
    assert ids(response) == [status.id for status in reversed(history)]


@pytest.mark.parametrize(
    "ref", ["nope", "heads/nope", "tags/nope", "0123456789abcdef0123456789abcdef01234567"]
)
def test_unknown_ref_is_not_found(anonymous, history, ref):
    response = anonymous.get(f"/api/repos/alice/project/commits/{ref}/statuses")

    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"


def test_v3_prefix_keeps_v3_urls(anonymous, history, sha):
    response = anonymous.get(f"/api/v3/repos/alice/project/commits/{sha}/statuses")

    status = response.json()[0]
    assert status["url"] == f"http://testserver/api/v3/repos/alice/project/statuses/{sha}"
    assert status["creator"]["url"] == "http://testserver/api/v3/users/alice"
