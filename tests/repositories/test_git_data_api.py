"""Git's own objects over the API: commits, trees, blobs, refs, and repository contents."""

import base64

import pytest

from gitforge.repositories.services import create_repository
from tests.helpers import bare_git, token_client
from tests.openapi import assert_matches_schema, assert_matches_spec

REPO = "/repos/{owner}/{repo}"
API = "http://testserver/api/repos/alice/project"


def test_git_commit(public_repo, owner, sha):
    response = owner.get(f"/api/repos/alice/project/git/commits/{sha}")
    assert_matches_spec(response, "get", REPO + "/git/commits/{commit_sha}", 200)
    body = response.json()
    assert body["sha"] == sha
    assert body["message"] == "Add app"
    assert body["tree"]["sha"] == bare_git(public_repo, "rev-parse", f"{sha}^{{tree}}")
    assert body["parents"][0]["sha"] == bare_git(public_repo, "rev-parse", f"{sha}^")
    assert body["url"] == f"{API}/git/commits/{sha}"


def test_git_commit_unknown_is_not_found(public_repo, owner):
    assert owner.get("/api/repos/alice/project/git/commits/" + "0" * 40).status_code == 404


def test_tree_top_level_and_recursive(public_repo, owner, sha):
    response = owner.get(f"/api/repos/alice/project/git/trees/{sha}")
    assert_matches_spec(response, "get", REPO + "/git/trees/{tree_sha}", 200)
    top = {item["path"]: item for item in response.json()["tree"]}
    assert set(top) == {"README.md", "src"}
    assert top["src"]["type"] == "tree" and top["src"]["mode"] == "040000"
    assert top["README.md"]["size"] == 5
    assert top["README.md"]["url"] == f"{API}/git/blobs/{top['README.md']['sha']}"
    assert response.json()["truncated"] is False

    response = owner.get("/api/repos/alice/project/git/trees/main?recursive=1")
    assert_matches_spec(response, "get", REPO + "/git/trees/{tree_sha}", 200)
    paths = [item["path"] for item in response.json()["tree"]]
    assert paths == ["README.md", "src", "src/app.py"]
    assert paths == sorted(
        bare_git(public_repo, "ls-tree", "-r", "-t", "--name-only", "main").split()
    )


def test_blob_is_base64(public_repo, owner):
    blob_sha = bare_git(public_repo, "rev-parse", "main:src/app.py")
    response = owner.get(f"/api/repos/alice/project/git/blobs/{blob_sha}")
    assert_matches_spec(response, "get", REPO + "/git/blobs/{file_sha}", 200)
    assert base64.b64decode(response.json()["content"]) == b"print(1)\n"
    assert response.json()["size"] == 9
    tree_sha = bare_git(public_repo, "rev-parse", "main^{tree}")
    assert owner.get(f"/api/repos/alice/project/git/blobs/{tree_sha}").status_code == 404


def test_refs(public_repo, owner, sha):
    bare_git(public_repo, "tag", "v1", "main")
    response = owner.get("/api/repos/alice/project/git/ref/heads/main")
    assert_matches_spec(response, "get", REPO + "/git/ref/{ref}", 200)
    assert response.json()["object"] == {
        "type": "commit",
        "sha": sha,
        "url": f"{API}/git/commits/{sha}",
    }
    assert response.json()["url"] == f"{API}/git/refs/heads/main"
    assert owner.get("/api/repos/alice/project/git/ref/heads/nope").status_code == 404

    response = owner.get("/api/repos/alice/project/git/matching-refs/heads")
    assert_matches_spec(response, "get", REPO + "/git/matching-refs/{ref}", 200)
    assert [ref["ref"] for ref in response.json()] == ["refs/heads/feature", "refs/heads/main"]
    assert owner.get("/api/repos/alice/project/git/matching-refs/heads/zz").json() == []


def test_legacy_refs_route(public_repo, owner):
    bare_git(public_repo, "tag", "v1", "main")
    all_refs = owner.get("/api/repos/alice/project/git/refs").json()
    assert [ref["ref"] for ref in all_refs] == [
        "refs/heads/feature",
        "refs/heads/main",
        "refs/tags/v1",
    ]
    assert owner.get("/api/repos/alice/project/git/refs/heads/main").json()["ref"] == (
        "refs/heads/main"
    )
    assert len(owner.get("/api/repos/alice/project/git/refs/heads").json()) == 2
    assert owner.get("/api/repos/alice/project/git/refs/heads/zz").status_code == 404


def test_empty_repository_answers_409(alice, owner):
    create_repository(owner=alice, name="empty")
    response = owner.get("/api/repos/alice/empty/git/refs")
    assert response.status_code == 409
    assert response.json()["message"] == "Git Repository is empty."


def test_contents_of_a_file_and_a_folder(public_repo, owner, sha):
    response = owner.get(f"/api/repos/alice/project/contents/src/app.py?ref={sha}")
    assert_matches_spec(response, "get", REPO + "/contents/{path}", 200)
    body = response.json()
    assert base64.b64decode(body["content"]) == b"print(1)\n"
    assert body["html_url"] == f"http://testserver/alice/project/blob/{sha}/src/app.py"
    assert body["download_url"] == f"http://testserver/alice/project/raw/{sha}/src/app.py"

    response = owner.get("/api/repos/alice/project/contents/")
    assert response.status_code == 200
    # The operation's oneOf discriminates on `type`, which an array lacks: the validator cannot
    # pick the directory alternative, so the folder is checked against it directly.
    assert_matches_schema(response, "content-directory")
    assert [(item["name"], item["type"]) for item in response.json()] == [
        ("README.md", "file"),
        ("src", "dir"),
    ]
    assert owner.get("/api/repos/alice/project/contents/nope").status_code == 404


@pytest.mark.parametrize(
    "route", ["git/refs", "git/matching-refs/heads", "git/trees/main", "contents/README.md"]
)
def test_private_repository_is_hidden_from_strangers(private_repo, charlie, route):
    assert token_client(charlie).get(f"/api/repos/alice/secret/{route}").status_code == 404
