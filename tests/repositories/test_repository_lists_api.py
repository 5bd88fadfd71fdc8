"""Tags, collaborators, assignees, contributors and languages of a repository."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.accounts.models import User
from gitforge.repositories.services import commit_files, create_repository, set_collaborator
from tests.helpers import bare_git, token_client
from tests.openapi import assert_matches_spec

REPO = "/repos/{owner}/{repo}"


def logins(response):
    return [item["login"] for item in response.json()]


def test_tags_list_lightweight_and_annotated_tags(public_repo, owner, sha):
    bare_git(public_repo, "tag", "v1.0", "main")
    bare_git(
        public_repo,
        "-c",
        "user.name=A",
        "-c",
        "user.email=a@x",
        "tag",
        "-a",
        "-m",
        "two",
        "v2.0",
        "main",
    )
    response = owner.get("/api/repos/alice/project/tags")
    assert_matches_spec(response, "get", REPO + "/tags", 200)
    assert [(tag["name"], tag["commit"]["sha"]) for tag in response.json()] == [
        ("v2.0", sha),
        ("v1.0", sha),
    ]
    tag = response.json()[0]
    assert tag["commit"]["url"] == f"http://testserver/api/repos/alice/project/commits/{sha}"
    assert tag["zipball_url"] == "http://testserver/api/repos/alice/project/zipball/refs/tags/v2.0"


def test_tags_paginate_with_links(public_repo, owner):
    for number in range(3):
        bare_git(public_repo, "tag", f"v{number}", "main")
    response = owner.get("/api/repos/alice/project/tags?per_page=2")
    assert len(response.json()) == 2
    assert 'rel="next"' in response["Link"] and "page=2" in response["Link"]


def test_collaborators_list_the_owner_and_collaborators(private_repo, bob, charlie):
    set_collaborator(repository=private_repo, user=charlie, permission="push")
    response = token_client(charlie).get("/api/repos/alice/secret/collaborators")
    assert_matches_spec(response, "get", REPO + "/collaborators", 200)
    assert [(c["login"], c["role_name"]) for c in response.json()] == [
        ("alice", "admin"),
        ("bob", "read"),
        ("charlie", "write"),
    ]
    assert response.json()[1]["permissions"]["push"] is False


def test_collaborators_need_push_access(private_repo, bob):
    response = token_client(bob).get("/api/repos/alice/secret/collaborators")
    assert response.status_code == 403


def test_collaborators_of_a_private_repository_are_hidden_from_strangers(private_repo, charlie):
    assert token_client(charlie).get("/api/repos/alice/secret/collaborators").status_code == 404


def test_collaborator_pages_take_a_fixed_number_of_queries(public_repo, alice, owner):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert owner.get("/api/repos/alice/project/collaborators").status_code == 200
        return len(captured)

    set_collaborator(
        repository=public_repo, user=User.objects.create_user("u0", "u0@x.org"), permission="push"
    )
    queries()  # the token's first use is recorded once
    one = queries()
    for number in range(1, 6):
        user = User.objects.create_user(f"u{number}", f"u{number}@x.org")
        set_collaborator(repository=public_repo, user=user, permission="push")
    assert queries() == one


def test_assignees_are_those_who_may_push(private_repo, bob, charlie):
    set_collaborator(repository=private_repo, user=charlie, permission="maintain")
    response = token_client(bob).get("/api/repos/alice/secret/assignees")
    assert_matches_spec(response, "get", REPO + "/assignees", 200)
    assert logins(response) == ["alice", "charlie"]


def test_contributors_count_commits_by_account(public_repo, alice, bob, owner):
    commit_files(
        repository=public_repo, branch="main", files={"b": b"b"}, message="bob's", author=bob
    )
    response = owner.get("/api/repos/alice/project/contributors")
    assert_matches_spec(response, "get", REPO + "/contributors", 200)
    assert [(c["login"], c["contributions"]) for c in response.json()] == [
        ("alice", 2),
        ("bob", 1),
    ]


def test_anonymous_contributors_only_when_asked(public_repo, owner):
    bob = User(username="ghost", email="ghost@example.net", first_name="Ghost")
    commit_files(
        repository=public_repo, branch="main", files={"g": b"g"}, message="ghost", author=bob
    )
    assert (
        "ghost@example.net"
        not in owner.get("/api/repos/alice/project/contributors").content.decode()
    )
    response = owner.get("/api/repos/alice/project/contributors?anon=1")
    assert_matches_spec(response, "get", REPO + "/contributors", 200)
    assert response.json()[-1]["type"] == "Anonymous"
    assert response.json()[-1]["email"] == "ghost@example.net"


def test_contributors_of_an_empty_repository_answer_204(alice, owner):
    create_repository(owner=alice, name="empty")
    assert owner.get("/api/repos/alice/empty/contributors").status_code == 204


def test_languages_count_bytes_by_extension(public_repo, alice, owner):
    commit_files(
        repository=public_repo,
        branch="main",
        files={"web/app.js": b"x = 1;\n", "web/more.js": b"y = 2;\n", "lib/a.py": b"pass\npass\n"},
        message="more code",
        author=alice,
    )
    response = owner.get("/api/repos/alice/project/languages")
    assert_matches_spec(response, "get", REPO + "/languages", 200)
    assert response.json() == {"JavaScript": 14, "Python": 19}
    assert list(response.json()) == ["Python", "JavaScript"]


def test_languages_of_an_empty_repository(alice, owner):
    create_repository(owner=alice, name="empty")
    response = owner.get("/api/repos/alice/empty/languages")
    assert_matches_spec(response, "get", REPO + "/languages", 200)
    assert response.json() == {}


@pytest.mark.parametrize("route", ["tags", "assignees", "contributors", "languages"])
def test_private_repository_lists_are_hidden_from_strangers(private_repo, charlie, route):
    assert token_client(charlie).get(f"/api/repos/alice/secret/{route}").status_code == 404
