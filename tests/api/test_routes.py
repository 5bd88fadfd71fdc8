"""Each API route: the root, users, creating repositories, branches, commits, collaborators."""

import json

import pytest
from django.test import Client

from gitforge.repositories.git import GitRepository
from gitforge.repositories.models import Collaborator, Repository
from gitforge.repositories.services import create_branch, create_repository, set_collaborator
from tests.helpers import token_client
from tests.openapi import assert_matches_spec

DOCS = "https://docs.github.com/rest"


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def put_json(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def assert_error(response, status, message):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["message"] == message
    assert body["documentation_url"].startswith(DOCS)
    return body


# The API root


@pytest.mark.parametrize("prefix", ["/api", "/api/v3"])
def test_root_lists_urls_under_the_prefix_used(db, anonymous, prefix):
    response = anonymous.get(f"{prefix}/")
    assert_matches_spec(response, "get", "/", 200)
    body = response.json()
    assert body["current_user_url"] == f"http://testserver{prefix}/user"
    assert body["repository_url"] == f"http://testserver{prefix}/repos/{{owner}}/{{repo}}"


# Users


def test_authenticated_user_is_the_token_owner(alice, public_repo):
    create_repository(owner=alice, name="hidden", private=True)
    response = token_client(alice, ("repo", "read:user")).get("/api/user")
    assert_matches_spec(response, "get", "/user", 200)
    body = response.json()
    assert body["login"] == "alice"
    assert body["email"] == "alice@example.com"
    assert body["public_repos"] == 1
    assert body["total_private_repos"] == 1
    assert response["X-OAuth-Scopes"] == "repo, read:user"


def test_authenticated_user_requires_authentication(db, anonymous):
    response = anonymous.get("/api/user")
    assert_matches_spec(response, "get", "/user", 401)
    assert_error(response, 401, "Requires authentication")


def test_bad_token_is_bad_credentials(db):
    response = Client(HTTP_AUTHORIZATION="token gfp_not-a-real-token").get("/api/user")
    assert_error(response, 401, "Bad credentials")


def test_user_lookup_is_case_insensitive(alice, public_repo, anonymous):
    response = anonymous.get("/api/users/ALICE")
    assert_matches_spec(response, "get", "/users/{username}", 200)
    body = response.json()
    assert body["login"] == "alice"
    assert body["public_repos"] == 1
    assert body["email"] is None
    assert body["url"] == "http://testserver/api/users/alice"


def test_unknown_user_is_not_found(db, anonymous):
    response = anonymous.get("/api/users/nobody")
    assert_matches_spec(response, "get", "/users/{username}", 404)
    assert_error(response, 404, "Not Found")


# Creating repositories


def test_create_repository_with_auto_init(alice):
    client = token_client(alice)
    response = post_json(
        client,
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
    response = post_json(client, "/api/user/repos", {"name": "empty"})
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
    response = post_json(anonymous, "/api/user/repos", {"name": "made"})
    assert_matches_spec(response, "post", "/user/repos", 401)
    assert_error(response, 401, "Requires authentication")
    assert not Repository.objects.exists()


def test_create_repository_needs_the_repo_scope(alice):
    response = post_json(token_client(alice, ["repo:status"]), "/api/user/repos", {"name": "made"})
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
    response = post_json(token_client(alice), "/api/user/repos", body)
    assert_matches_spec(response, "post", "/user/repos", 422)
    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [error["field"] for error in errors] == [field]
    assert errors[0]["resource"] == "Repository"
    assert not Repository.objects.exists()


def test_create_repository_names_every_bad_field(alice):
    response = post_json(token_client(alice), "/api/user/repos", {"name": 5, "private": "yes"})
    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert {error["field"] for error in errors} == {"name", "private"}


@pytest.mark.parametrize("name", ["project", "PROJECT"])
def test_create_repository_rejects_a_duplicate_name(alice, public_repo, name):
    response = post_json(token_client(alice), "/api/user/repos", {"name": name})
    assert_matches_spec(response, "post", "/user/repos", 422)
    body = assert_error(response, 422, "Repository creation failed.")
    assert body["errors"][0]["field"] == "name"
    assert body["errors"][0]["message"] == "name already exists on this account"
    assert Repository.objects.count() == 1


@pytest.mark.parametrize("name", ["bad name", "x.git", "..", ""])
def test_create_repository_rejects_an_invalid_name(alice, name):
    response = post_json(token_client(alice), "/api/user/repos", {"name": name})
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
    response = put_json(client, f"{url}/BOB", {"permission": "pull"})
    assert_matches_spec(response, "put", COLLABORATOR, 201)
    body = response.json()
    assert body["invitee"]["login"] == "bob"
    assert body["inviter"]["login"] == "alice"
    assert body["repository"]["full_name"] == "alice/project"
    assert body["permissions"] == "read"
    assert Collaborator.objects.get(repository=public_repo, user=bob).permission == "pull"

    again = put_json(client, f"{url}/bob", {"permission": "admin"})
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
    response = put_json(
        token_client(alice),
        "/api/repos/alice/project/collaborators/bob",
        {"permission": permission},
    )
    assert_matches_spec(response, "put", COLLABORATOR, 422)
    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [error["field"] for error in errors] == ["permission"]
    assert not Collaborator.objects.exists()


def test_add_collaborator_needs_admin(public_repo, bob, charlie):
    set_collaborator(repository=public_repo, user=bob, permission="push")
    response = put_json(
        token_client(bob), "/api/repos/alice/project/collaborators/charlie", {"permission": "pull"}
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
    assert response.json() == {"message": "Not Found", "documentation_url": DOCS, "status": "404"}


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
    created = post_json(token_client(alice), "/api/v3/user/repos", {"name": "via-v3"})
    assert created.status_code == 201
    assert created.json()["url"] == f"{V3}/repos/alice/via-v3"


def test_v3_invitation_urls(public_repo, alice, bob):
    invitation = token_client(alice).put("/api/v3/repos/alice/project/collaborators/bob")
    assert_matches_spec(invitation, "put", COLLABORATOR, 201)
    body = invitation.json()
    assert body["repository"]["url"] == f"{V3}/repos/alice/project"
    assert body["invitee"]["url"] == f"{V3}/users/bob"
    assert body["url"] == f"{V3}/user/repository_invitations/{body['id']}"
