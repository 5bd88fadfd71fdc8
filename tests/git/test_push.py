"""Pushing over smart HTTP: who may push, and what gitforge records after a push."""

import os

import requests
from django.utils import timezone

from gitforge.repositories.models import Repository
from gitforge.repositories.services import set_collaborator
from pulls.models import PullRequest
from statuses.services import create_commit_status
from tests.helpers import bare_sha, token_for


def api(live_server, path, secret, method="GET", **kwargs):
    return requests.request(
        method,
        f"{live_server.url}/api/repos/alice/project/{path}",
        headers={"Authorization": f"token {secret}"},
        timeout=10,
        **kwargs,
    )


def test_push_new_branch(git, live_server, public_repo, alice_token, workdir):
    git("switch", "-q", "-c", "topic", cwd=workdir)
    sha = git.commit(workdir, "topic.txt", "topic\n", "Add topic")
    started = timezone.now()

    git("push", "-q", "origin", "topic", cwd=workdir)

    assert bare_sha(public_repo, "topic") == sha
    branches = api(live_server, "branches", alice_token).json()
    assert {"topic": sha}.items() <= {b["name"]: b["commit"]["sha"] for b in branches}.items()
    assert api(live_server, f"commits/{sha}", alice_token).json()["sha"] == sha
    public_repo.refresh_from_db()
    assert public_repo.pushed_at >= started


def test_push_updates_pushed_at(git, public_repo, workdir):
    Repository.objects.filter(pk=public_repo.pk).update(pushed_at=None)
    git.commit(workdir, "notes.txt", "notes\n", "Add notes")

    git("push", "-q", "origin", "main", cwd=workdir)

    public_repo.refresh_from_db()
    assert public_repo.pushed_at is not None
    assert public_repo.updated_at >= public_repo.pushed_at


def test_push_moves_open_pull_request_head(
    git, live_server, alice, public_repo, alice_token, workdir
):
    git("switch", "-q", "-c", "topic", cwd=workdir)
    first = git.commit(workdir, "topic.txt", "one\n", "First")
    git("push", "-q", "origin", "topic", cwd=workdir)
    created = api(
        live_server,
        "pulls",
        alice_token,
        method="POST",
        json={"title": "Topic", "head": "topic", "base": "main"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["head"]["sha"] == first
    create_commit_status(
        repository=public_repo, sha=first, state="success", context="ci/test", creator=alice
    )
    assert api(live_server, f"commits/{first}/status", alice_token).json()["state"] == "success"

    git.commit(workdir, "topic.txt", "two\n", "Second")
    second = git.commit(workdir, "topic.txt", "three\n", "Third")
    git("push", "-q", "origin", "topic", cwd=workdir)

    pull = api(live_server, "pulls/1", alice_token).json()
    assert pull["head"]["sha"] == second
    assert PullRequest.objects.get(repository=public_repo, number=1).head_sha == second
    combined = api(live_server, f"commits/{second}/status", alice_token).json()
    assert combined["sha"] == second
    assert combined["total_count"] == 0
    assert combined["state"] == "pending"


def test_closed_pull_request_keeps_its_head(git, live_server, public_repo, alice_token, workdir):
    git("switch", "-q", "-c", "topic", cwd=workdir)
    first = git.commit(workdir, "topic.txt", "one\n", "First")
    git("push", "-q", "origin", "topic", cwd=workdir)
    api(
        live_server,
        "pulls",
        alice_token,
        method="POST",
        json={"title": "Topic", "head": "topic", "base": "main"},
    )
    PullRequest.objects.filter(repository=public_repo, number=1).update(state="closed")

    git.commit(workdir, "topic.txt", "two\n", "Second")
    git("push", "-q", "origin", "topic", cwd=workdir)

    assert PullRequest.objects.get(repository=public_repo, number=1).head_sha == first


def test_pull_collaborator_cannot_push(git, live_server, bob, public_repo, workdir):
    set_collaborator(repository=public_repo, user=bob, permission="pull")
    secret = token_for(bob)
    before = bare_sha(public_repo, "main")
    git.commit(workdir, "bob.txt", "bob\n", "Bob was here")

    result = git(
        "push",
        git.url("alice/project.git", user="bob", secret=secret),
        "main",
        cwd=workdir,
        check=False,
    )

    assert result.returncode != 0
    assert "403" in result.stderr
    assert bare_sha(public_repo, "main") == before
    response = requests.get(
        live_server.url + "/alice/project.git/info/refs?service=git-receive-pack",
        auth=("bob", secret),
        timeout=10,
    )
    assert response.status_code == 403


def test_push_collaborator_can_push(git, bob, public_repo, workdir):
    set_collaborator(repository=public_repo, user=bob, permission="push")
    sha = git.commit(workdir, "bob.txt", "bob\n", "Bob was here")

    git(
        "push",
        "-q",
        git.url("alice/project.git", user="bob", secret=token_for(bob)),
        "main",
        cwd=workdir,
    )

    assert bare_sha(public_repo, "main") == sha


def test_status_token_cannot_push(git, live_server, alice, public_repo, workdir):
    secret = token_for(alice, scopes=("repo:status",))
    before = bare_sha(public_repo, "main")
    git.commit(workdir, "status.txt", "status\n", "Status token push")

    result = git(
        "push",
        git.url("alice/project.git", user="alice", secret=secret),
        "main",
        cwd=workdir,
        check=False,
    )

    assert result.returncode != 0
    assert bare_sha(public_repo, "main") == before
    response = requests.get(
        live_server.url + "/alice/project.git/info/refs?service=git-receive-pack",
        auth=("alice", secret),
        timeout=10,
    )
    assert response.status_code in (403, 404)


def test_anonymous_push_is_challenged(git, live_server, public_repo, workdir):
    before = bare_sha(public_repo, "main")
    git.commit(workdir, "anon.txt", "anon\n", "Anonymous push")

    result = git("push", git.url("alice/project.git"), "main", cwd=workdir, check=False)

    assert result.returncode != 0
    assert bare_sha(public_repo, "main") == before
    response = requests.get(
        live_server.url + "/alice/project.git/info/refs?service=git-receive-pack", timeout=10
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_large_push_streams(git, public_repo, workdir):
    content = os.urandom(5 * 1024 * 1024)
    sha = git.commit(workdir, "big.bin", content, "Add a big file")
    blob = git("rev-parse", "HEAD:big.bin", cwd=workdir).stdout.strip()

    git("push", "-q", "origin", "main", cwd=workdir)

    assert bare_sha(public_repo, "main") == sha
    assert bare_sha(public_repo, f"{sha}:big.bin") == blob
