"""Cloning over smart HTTP: public repositories anonymously, private ones with a `repo` token."""

import requests

from tests.helpers import bare_sha, token_for

INFO_REFS = "/alice/secret.git/info/refs?service=git-upload-pack"


def test_anonymous_clone_of_public_repository(git, public_repo, tmp_path):
    git.clone("alice/project.git", tmp_path / "clone")

    assert git.sha(tmp_path / "clone", "main") == bare_sha(public_repo, "main")
    assert git.sha(tmp_path / "clone", "origin/feature") == bare_sha(public_repo, "feature")
    log = git("log", "--format=%s", "main", cwd=tmp_path / "clone").stdout.split("\n")
    assert log[:2] == ["Add app", "Initial commit"]


def test_clone_url_is_case_insensitive(git, public_repo, tmp_path):
    git.clone("ALICE/Project.git", tmp_path / "clone")

    assert git.sha(tmp_path / "clone", "main") == bare_sha(public_repo, "main")


def test_private_repository_challenges_anonymous_clients(git, live_server, private_repo, tmp_path):
    result = git.clone("alice/secret.git", tmp_path / "clone", check=False)

    assert result.returncode != 0
    assert not (tmp_path / "clone").exists()
    response = requests.get(live_server.url + INFO_REFS, timeout=10)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_owner_clones_private_repository_with_repo_token(git, alice, private_repo, tmp_path):
    git.clone("alice/secret.git", tmp_path / "clone", user="alice", secret=token_for(alice))

    assert git.sha(tmp_path / "clone", "main") == bare_sha(private_repo, "main")


def test_collaborator_clones_private_repository(git, bob, private_repo, tmp_path):
    git.clone("alice/secret.git", tmp_path / "clone", user="bob", secret=token_for(bob))

    assert git.sha(tmp_path / "clone", "main") == bare_sha(private_repo, "main")


def test_stranger_gets_not_found(git, live_server, charlie, private_repo, tmp_path):
    secret = token_for(charlie)

    result = git.clone(
        "alice/secret.git", tmp_path / "clone", user="charlie", secret=secret, check=False
    )

    assert result.returncode != 0
    assert not (tmp_path / "clone").exists()
    response = requests.get(live_server.url + INFO_REFS, auth=("charlie", secret), timeout=10)
    assert response.status_code == 404


def test_status_token_cannot_clone_private_repository(
    git, live_server, alice, private_repo, tmp_path
):
    secret = token_for(alice, scopes=("repo:status",))

    result = git.clone(
        "alice/secret.git", tmp_path / "clone", user="alice", secret=secret, check=False
    )

    assert result.returncode != 0
    assert not (tmp_path / "clone").exists()
    response = requests.get(live_server.url + INFO_REFS, auth=("alice", secret), timeout=10)
    assert response.status_code in (403, 404)


def test_wrong_token_is_challenged_again(git, live_server, alice, private_repo, tmp_path):
    result = git.clone(
        "alice/secret.git", tmp_path / "clone", user="alice", secret="gfp_wrong", check=False
    )

    assert result.returncode != 0
    response = requests.get(live_server.url + INFO_REFS, auth=("alice", "gfp_wrong"), timeout=10)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_wrong_token_is_challenged_on_public_repository_too(live_server, public_repo):
    response = requests.get(
        live_server.url + "/alice/project.git/info/refs?service=git-upload-pack",
        auth=("alice", "gfp_wrong"),
        timeout=10,
    )

    assert response.status_code == 401


def test_unknown_repository_is_not_found_for_signed_in_user(live_server, alice):
    response = requests.get(
        live_server.url + "/alice/nothing.git/info/refs?service=git-upload-pack",
        auth=("alice", token_for(alice)),
        timeout=10,
    )

    assert response.status_code == 404


def test_dumb_protocol_is_refused(live_server, public_repo):
    response = requests.get(live_server.url + "/alice/project.git/info/refs", timeout=10)

    assert response.status_code == 403
