"""The push hooks are thin clients of the server that serves the push: pre-receive asks over a
per-push Unix socket and refuses the push whenever the answer does not arrive."""

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from gitforge.repositories.push_hooks import PushHooks
from protection.services import save_protection
from tests.helpers import bare_sha

HOOKS = Path(settings.GITFORGE_HOOKS_DIR)


def run_pre_receive(environment, stdin="0" * 40 + " " + "1" * 40 + " refs/heads/x\n"):
    return subprocess.run(
        [str(HOOKS / "pre-receive")],
        input=stdin,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "GITFORGE_PYTHON": sys.executable, **environment},
        timeout=30,
    )


def answering(hooks):
    """Serve the hooks' socket from a thread until one hook has been answered."""
    done = threading.Event()

    def serve():
        while not done.is_set():
            hooks.answer()
            done.wait(0.01)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return done, thread


def commit_on_main(git, workdir, name="change.txt"):
    return git.commit(workdir, name, "change\n", "Change")


def test_push_is_refused_when_the_server_cannot_check_it(git, public_repo, workdir):
    before = bare_sha(public_repo, "main")
    commit_on_main(git, workdir)

    with override_settings(GITFORGE_PUSH_CHECK="tests.git.test_push_hooks.failing_check"):
        result = git("push", "--porcelain", "origin", "main", cwd=workdir, check=False)

    assert result.returncode != 0
    assert "remote: error: gitforge could not check this push; nothing was updated." in (
        result.stderr
    )
    assert "pre-receive hook declined" in result.stdout + result.stderr
    assert bare_sha(public_repo, "main") == before


def failing_check(**arguments):
    raise RuntimeError("database unavailable")


def test_hook_that_cannot_reach_a_server_refuses():
    result = run_pre_receive({"GITFORGE_HOOK_SOCKET": "/nonexistent/hook.sock"})

    assert result.returncode == 1
    assert result.stdout == "error: gitforge could not check this push; nothing was updated.\n"


def test_hook_without_a_socket_refuses():
    result = run_pre_receive({})

    assert result.returncode == 1
    assert "could not check this push" in result.stdout


@pytest.mark.django_db
def test_hook_with_a_wrong_secret_is_refused(public_repo, alice):
    hooks = PushHooks(repository=public_repo, user=alice, permission="admin")
    environment = hooks.environment() | {"GITFORGE_HOOK_SECRET": "guessed"}
    done, thread = answering(hooks)
    try:
        result = run_pre_receive(environment)
    finally:
        done.set()
        thread.join()
        hooks.finish()

    assert result.returncode == 1
    assert "could not check this push" in result.stdout


@pytest.mark.django_db
def test_hook_answer_carries_the_refusal_messages(public_repo, alice):
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)
    main = bare_sha(public_repo, "main")
    hooks = PushHooks(repository=public_repo, user=alice, permission="push")
    done, thread = answering(hooks)
    try:
        result = run_pre_receive(hooks.environment(), stdin=f"{main} {'0' * 40} refs/heads/main\n")
    finally:
        done.set()
        thread.join()
        hooks.finish()

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines)
    assert "Cannot delete" in result.stdout


@pytest.mark.django_db
def test_quarantine_outside_the_repository_is_refused(public_repo, alice, tmp_path):
    hooks = PushHooks(repository=public_repo, user=alice, permission="admin")
    done, thread = answering(hooks)
    try:
        result = run_pre_receive(hooks.environment() | {"GIT_QUARANTINE_PATH": str(tmp_path)})
    finally:
        done.set()
        thread.join()
        hooks.finish()

    assert result.returncode == 1
    assert "could not check this push" in result.stdout


@pytest.mark.django_db
def test_socket_lives_in_a_private_directory_removed_after_the_push(public_repo, alice):
    hooks = PushHooks(repository=public_repo, user=alice, permission="admin")
    directory = Path(hooks.environment()["GITFORGE_HOOK_SOCKET"]).parent

    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_ISSOCK((directory / "hook.sock").stat().st_mode)
    hooks.finish()
    assert not directory.exists()


def test_post_receive_hands_the_updates_to_the_server(tmp_path):
    pushed = tmp_path / "pushed"
    lines = f"{'0' * 40} {'a' * 40} refs/heads/topic\n"

    result = subprocess.run(
        [str(HOOKS / "post-receive")],
        input=lines,
        text=True,
        env={"PATH": os.environ["PATH"], "GITFORGE_PUSHED": str(pushed)},
        timeout=30,
    )

    assert result.returncode == 0
    assert pushed.read_text() == lines


def test_push_records_updates_once_git_has_finished(git, public_repo, workdir):
    sha = commit_on_main(git, workdir)

    git("push", "-q", "origin", "main:topic", cwd=workdir)

    public_repo.refresh_from_db()
    assert bare_sha(public_repo, "topic") == sha
    assert public_repo.pushed_at is not None
