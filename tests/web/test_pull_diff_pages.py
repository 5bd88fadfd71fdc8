"""A pull request's `diff_url` and `patch_url`: plain-text pages holding exactly what
`git diff base...head` and `git format-patch base..head` print for it."""

import subprocess

import pytest

from gitforge.repositories import diffs
from gitforge.repositories.git import repository_path
from gitforge.repositories.services import commit_files
from pulls.services import open_pull_request
from tests.helpers import advance_main, head_of, merge, signed_in, token_client


def git_cli(repository, *args):
    """The git command line's output, byte for byte."""
    return subprocess.run(
        ["git", "-C", str(repository_path(repository.id)), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def format_patch(repository, revisions):
    return git_cli(repository, "format-patch", "--stdout", "--signature=gitforge", revisions)


@pytest.fixture
def busy_pull(public_repo, alice, pull):
    """feature gets a moved file, a new script, a multi-line message in UTF-8, and main
    moves on meanwhile (the diff starts where feature forked)."""
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"README.md": None, "docs/README.md": b"# hi\n", "run.sh": b"echo run\n"},
        message="Move the readme and add a runner script for everyone who wants to run it",
        author=alice,
    )
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"src/app.py": "print('héllo')\n".encode() * 3},
        message="Grüße: greet in UTF-8\n\nThe app says héllo,\nthree times.\n",
        author=alice,
    )
    advance_main(public_repo, alice)
    return pull


def test_diff_is_what_git_diff_prints(anonymous, public_repo, busy_pull):
    response = anonymous.get("/alice/project/pull/1.diff")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    expected = git_cli(public_repo, "diff", "main...feature")
    assert response.content.decode() == expected
    assert "rename from README.md" in expected


def test_patch_is_what_git_format_patch_prints(anonymous, public_repo, busy_pull):
    response = anonymous.get("/alice/project/pull/1.patch")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text == format_patch(public_repo, "main..feature")
    assert "Subject: [PATCH 1/3] Change app\n" in text
    assert "Subject: [PATCH 3/3] =?UTF-8?q?Gr=C3=BC=C3=9Fe:=20greet" in text


def test_a_single_commit_is_one_unnumbered_patch(anonymous, public_repo, pull):
    text = anonymous.get("/alice/project/pull/1.patch").content.decode()

    assert text == format_patch(public_repo, "main..feature")
    assert "Subject: [PATCH] Change app\n" in text


def test_a_merged_pull_keeps_its_diff_and_patch(owner, anonymous, public_repo, busy_pull):
    feature = head_of(public_repo)
    base = git_cli(public_repo, "rev-parse", "main").strip()
    assert merge(owner).status_code == 200

    diff = anonymous.get("/alice/project/pull/1.diff").content.decode()
    patch = anonymous.get("/alice/project/pull/1.patch").content.decode()

    assert diff == git_cli(public_repo, "diff", f"{base}...{feature}")
    assert patch == format_patch(public_repo, f"{base}..{feature}")


def test_unknown_pull_is_not_found(anonymous, pull):
    assert anonymous.get("/alice/project/pull/9.diff").status_code == 404
    assert anonymous.get("/alice/project/pull/9.patch").status_code == 404


def test_private_diffs_are_for_those_who_may_read(private_repo, alice, bob, charlie, anonymous):
    open_pull_request(
        repository=private_repo, author=alice, title="Secret", head="feature", base="main"
    )
    for suffix in ("diff", "patch"):
        url = f"/alice/secret/pull/1.{suffix}"
        assert anonymous.get(url).status_code == 404
        assert signed_in(charlie).get(url).status_code == 404
        assert token_client(charlie).get(url).status_code == 404
        assert signed_in(bob).get(url).status_code == 200


def test_too_many_commits_is_refused_rather_than_cut(
    anonymous, public_repo, alice, pull, monkeypatch
):
    monkeypatch.setattr(diffs, "MAX_COMMITS", 1)
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"more.txt": b"more\n"},
        message="More",
        author=alice,
    )

    response = anonymous.get("/alice/project/pull/1.patch")

    assert response.status_code == 406
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "too large" in response.content.decode()
