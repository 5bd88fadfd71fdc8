"""API routes: the root, branches, commits, collaborators, unknown paths and the /api/v3 prefix."""

import pytest

from gitforge.repositories.git import GitRepository
from gitforge.repositories.models import Collaborator
from gitforge.repositories.services import create_branch, set_collaborator
from tests.helpers import assert_error, send, token_client
from tests.openapi import assert_matches_spec

# The API root


@pytest.mark.parametrize("prefix", ["/api", "/api/v3"])
def test_root_lists_urls_under_the_prefix_used(db, anonymous, prefix):
    response = anonymous.get(f"{prefix}/")
    assert_matches_spec(response, "get", "/", 200)
    body = response.json()
    assert body["current_user_url"] == f"http://testserver{prefix}/user"
    assert body["repository_url"] == f"http://testserver{prefix}/repos/{{owner}}/{{repo}}"


# Branches


def test_branches_are_listed_by_name(public_repo, anonymous):
    create_branch(repository=public_repo, branch="release/1.0", from_ref="main")
    response = anonymous.get("/api/repos/alice/project/branches")
    assert_matches_spec(response, "get", "/repos/{owner}/{repo}/branches", 200)
    body = response.json()
    assert [branch["name"] for branch in body] == ["feature", "main", "release/1.0"]
    git = GitRepository(public_repo.id)
    main = body[1]
    assert main["commit"]["sha"] == git.branch_sha("main")
    assert main["commit"]["url"] == (
        f"http://testserver/api/repos/alice/project/commits/{git.branch_sha('main')}"
    )
    assert main["protected"] is False


@pytest.mark.parametrize("name", ["main", "feature", "release/1.0"])
def test_get_branch(public_repo, anonymous, name):
    create_branch(repository=public_repo, branch="release/1.0", from_ref="feature")
    response = anonymous.get(f"/api/repos/alice/project/branches/{name}")
    assert_matches_spec(response, "get", "/repos/{owner}/{repo}/branches/{branch}", 200)
    body = response.json()
    assert body["name"] == name
    assert body["commit"]["sha"] == GitRepository(public_repo.id).branch_sha(name)
    assert body["_links"]["self"] == f"http://testserver/api/repos/alice/project/branches/{name}"


def test_unknown_branch_is_not_found(public_repo, anonymous):
    response = anonymous.get("/api/repos/alice/project/branches/nope")
    assert_matches_spec(response, "get", "/repos/{owner}/{repo}/branches/{branch}", 404)
    assert_error(response, 404, "Branch not found")


# Commits


@pytest.fixture
def history(public_repo):
    """SHAs of the fixture repository's three commits, oldest first."""
    git = GitRepository(public_repo.id)
    main = git.commit(git.branch_sha("main"))
    return {
        "initial": main.parents[0],
        "main": main.sha,
        "feature": git.branch_sha("feature"),
    }


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("main", "main"),
        ("heads/main", "main"),
        ("feature", "feature"),
        ("heads/feature", "feature"),
        ("SHA", "feature"),
        ("SHORT", "feature"),
    ],
)
def test_get_commit_by_ref(history, anonymous, ref, expected):
    sha = history[expected]
    ref = {"SHA": sha, "SHORT": sha[:7]}.get(ref, ref)
    response = anonymous.get(f"/api/repos/alice/project/commits/{ref}")
    assert_matches_spec(response, "get", "/repos/{owner}/{repo}/commits/{ref}", 200)
    body = response.json()
    assert body["sha"] == sha
    assert body["url"] == f"http://testserver/api/repos/alice/project/commits/{sha}"


def test_commit_has_parents_files_and_stats(history, anonymous):
    response = anonymous.get(f"/api/repos/alice/project/commits/{history['feature']}")
    body = response.json()
    assert body["commit"]["message"] == "Change app"
    assert [parent["sha"] for parent in body["parents"]] == [history["main"]]
    assert body["parents"][0]["url"] == (
        f"http://testserver/api/repos/alice/project/commits/{history['main']}"
    )
    assert body["stats"] == {"additions": 1, "deletions": 1, "total": 2}
    [change] = body["files"]
    assert change["filename"] == "src/app.py"
    assert change["status"] == "modified"
    assert (change["additions"], change["deletions"], change["changes"]) == (1, 1, 2)
    assert "-print(1)\n+print(2)" in change["patch"]


def test_root_commit_lists_added_files(history, anonymous):
    response = anonymous.get(f"/api/repos/alice/project/commits/{history['initial']}")
    assert_matches_spec(response, "get", "/repos/{owner}/{repo}/commits/{ref}", 200)
    body = response.json()
    assert body["parents"] == []
    assert [(f["filename"], f["status"]) for f in body["files"]] == [("README.md", "added")]
    assert body["stats"] == {"additions": 1, "deletions": 0, "total": 1}


def test_commit_author_is_the_account_with_that_email(history, anonymous):
    """GitHub links a commit's author and committer to the account owning the email."""
    response = anonymous.get("/api/repos/alice/project/commits/main")
    body = response.json()
    assert body["commit"]["author"]["email"] == "alice@example.com"
    assert body["author"]["login"] == "alice"
    assert body["committer"]["login"] == "alice"


@pytest.mark.parametrize("ref", ["nope", "0" * 40, "refs/heads/main", "deadbeef"])
def test_unknown_ref_is_unprocessable(public_repo, anonymous, ref):
    response = anonymous.get(f"/api/repos/alice/project/commits/{ref}")
    assert_matches_spec(response, "get", "/repos/{owner}/{repo}/commits/{ref}", 422)
    assert_error(response, 422, f"No commit found for SHA: {ref}")


# Collaborators


COLLABORATOR = "/repos/{owner}/{repo}/collaborators/{username}"


def test_add_collaborator_then_update_permission(public_repo, alice, bob):
    client = token_client(alice)
    url = "/api/repos/alice/project/collaborators"
    response = send(client, "put", f"{url}/BOB", {"permission": "pull"})
    assert_matches_spec(response, "put", COLLABORATOR, 201)
    body = response.json()
    assert body["invitee"]["login"] == "bob"
    assert body["inviter"]["login"] == "alice"
    assert body["repository"]["full_name"] == "alice/project"
    assert body["permissions"] == "read"
    assert Collaborator.objects.get(repository=public_repo, user=bob).permission == "pull"

    again = send(client, "put", f"{url}/bob", {"permission": "admin"})
    assert again.status_code == 204
    assert again.content == b""
    assert Collaborator.objects.get(repository=public_repo, user=bob).permission == "admin"


def test_add_collaborator_defaults_to_push(public_repo, alice, bob):
    response = token_client(alice).put("/api/repos/alice/project/collaborators/bob")
    assert_matches_spec(response, "put", COLLABORATOR, 201)
    assert response.json()["permissions"] == "write"
    assert Collaborator.objects.get(repository=public_repo, user=bob).permission == "push"


@pytest.mark.parametrize("permission", ["write", "ADMIN", 3, True])
def test_add_collaborator_rejects_an_invalid_permission(public_repo, alice, bob, permission):
    response = send(
        token_client(alice),
        "put",
        "/api/repos/alice/project/collaborators/bob",
        {"permission": permission},
    )
    assert_matches_spec(response, "put", COLLABORATOR, 422)
    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [error["field"] for error in errors] == ["permission"]
    assert not Collaborator.objects.exists()


def test_add_collaborator_needs_admin(public_repo, bob, charlie):
    set_collaborator(repository=public_repo, user=bob, permission="push")
    response = send(
        token_client(bob),
        "put",
        "/api/repos/alice/project/collaborators/charlie",
        {"permission": "pull"},
    )
    assert_matches_spec(response, "put", COLLABORATOR, 403)
    assert_error(response, 403, "Must have admin rights to Repository.")
    assert not Collaborator.objects.filter(user=charlie).exists()


def test_add_unknown_collaborator_is_not_found(public_repo, alice):
    response = token_client(alice).put("/api/repos/alice/project/collaborators/nobody")
    assert_error(response, 404, "Not Found")
    assert not Collaborator.objects.exists()


def test_owner_cannot_be_a_collaborator(public_repo, alice):
    response = token_client(alice).put("/api/repos/alice/project/collaborators/alice")
    assert_matches_spec(response, "put", COLLABORATOR, 422)
    body = assert_error(response, 422, "Validation Failed")
    assert body["errors"][0]["message"] == "Repository owner cannot be a collaborator"
    assert not Collaborator.objects.exists()


# Unknown paths and the /api/v3 prefix


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/nope"),
        ("get", "/api/v3/nope"),
        ("post", "/api/v3/repos/alice/project/nope"),
        ("get", "/api/repos/alice"),
    ],
)
def test_unknown_api_path_is_json_not_found(public_repo, anonymous, method, path):
    response = getattr(anonymous, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest",
        "status": "404",
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [("patch", "/api/repos/alice/project/branches"), ("post", "/api/v3/users/alice")],
)
def test_unsupported_method_is_json_not_found(public_repo, alice, method, path):
    response = getattr(token_client(alice), method)(path)
    assert_error(response, 404, "Not Found")


V3 = "http://testserver/api/v3"


def test_v3_user_urls(alice):
    client = token_client(alice)
    user = client.get("/api/v3/user")
    assert_matches_spec(user, "get", "/user", 200)
    assert user.json()["url"] == f"{V3}/users/alice"
    other = client.get("/api/v3/users/alice")
    assert_matches_spec(other, "get", "/users/{username}", 200)
    assert other.json()["repos_url"] == f"{V3}/users/alice/repos"


def test_v3_repository_urls(public_repo, alice):
    response = token_client(alice).get("/api/v3/repos/alice/project")
    assert_matches_spec(response, "get", "/repos/{owner}/{repo}", 200)
    body = response.json()
    assert body["url"] == f"{V3}/repos/alice/project"
    assert body["branches_url"] == f"{V3}/repos/alice/project/branches{{/branch}}"
    assert body["owner"]["url"] == f"{V3}/users/alice"


def test_v3_branch_urls(public_repo, anonymous):
    branches = anonymous.get("/api/v3/repos/alice/project/branches")
    assert_matches_spec(branches, "get", "/repos/{owner}/{repo}/branches", 200)
    for branch in branches.json():
        assert branch["commit"]["url"].startswith(f"{V3}/repos/alice/project/commits/")
        assert branch["protection_url"] == (
            f"{V3}/repos/alice/project/branches/{branch['name']}/protection"
        )
    branch = anonymous.get("/api/v3/repos/alice/project/branches/main").json()
    assert branch["_links"]["self"] == f"{V3}/repos/alice/project/branches/main"
    assert branch["commit"]["url"].startswith(f"{V3}/repos/alice/project/commits/")


def test_v3_commit_urls(public_repo, anonymous):
    commit = anonymous.get("/api/v3/repos/alice/project/commits/feature").json()
    assert commit["url"].startswith(f"{V3}/repos/alice/project/commits/")
    assert commit["commit"]["tree"]["url"].startswith(f"{V3}/repos/alice/project/git/trees/")
    assert commit["parents"][0]["url"].startswith(f"{V3}/repos/alice/project/commits/")
    assert commit["files"][0]["contents_url"].startswith(f"{V3}/repos/alice/project/contents/")


def test_v3_created_repository_urls(alice):
    created = send(token_client(alice), "post", "/api/v3/user/repos", {"name": "via-v3"})
    assert created.status_code == 201
    assert created.json()["url"] == f"{V3}/repos/alice/via-v3"


def test_v3_invitation_urls(public_repo, alice, bob):
    invitation = token_client(alice).put("/api/v3/repos/alice/project/collaborators/bob")
    assert_matches_spec(invitation, "put", COLLABORATOR, 201)
    body = invitation.json()
    assert body["repository"]["url"] == f"{V3}/repos/alice/project"
    assert body["invitee"]["url"] == f"{V3}/users/bob"
    assert body["url"] == f"{V3}/user/repository_invitations/{body['id']}"
