"""Merges racing each other or a push for one branch: one wins at a time and no commit is lost."""

import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest
from django.db import connection

from gitforge.errors import Conflict, NotMergeable
from gitforge.repositories import permissions
from gitforge.repositories.git import repository_path
from gitforge.repositories.models import Repository
from gitforge.repositories.services import commit_files, create_branch
from pulls.models import PullRequest
from pulls.services import merge_pull_request, open_pull_request
from tests.helpers import bare_git as git
from tests.helpers import make_repository

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 4


def reachable(repository, sha, ref="main"):
    """Whether `sha` is `ref` or one of its ancestors, asked of the git CLI."""
    result = subprocess.run(
        ["git", "-C", str(repository_path(repository.id)), "merge-base", "--is-ancestor", sha, ref],
        capture_output=True,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode == 0


def assert_fsck_clean(repository):
    result = subprocess.run(
        ["git", "-C", str(repository_path(repository.id)), "fsck", "--strict"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def topic_pull(repository, author, name):
    """A pull for a new branch `name` that adds its own file (so no two topics conflict)."""
    create_branch(repository=repository, branch=name, from_ref="main")
    commit_files(
        repository=repository,
        branch=name,
        files={f"{name}.txt": name.encode()},
        message=f"Work on {name}",
        author=author,
    )
    return open_pull_request(
        repository=repository, author=author, title=name, head=name, base="main"
    )


@contextmanager
def tight_interleaving():
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def run_threads(targets):
    """Start every target together behind a barrier; return the exceptions they leaked."""
    barrier = threading.Barrier(len(targets))
    leaked = []

    def wrap(target):
        try:
            barrier.wait()
            target()
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            leaked.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(target,)) for target in targets]
    with tight_interleaving():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return leaked


def attempt_merge(pull_pk, user, outcomes, lock, method="merge"):
    def target():
        pull = PullRequest.objects.select_related("repository__owner").get(pk=pull_pk)
        try:
            result = merge_pull_request(
                pull=pull, user=user, permission=permissions.ADMIN, method=method
            )
        except (Conflict, NotMergeable) as error:
            outcome = ("refused", pull_pk, error)
        else:
            outcome = ("merged", pull_pk, result.sha)
        with lock:
            outcomes.append(outcome)

    return target


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
def test_two_pulls_merged_at_once_lose_nothing(alice, method):
    for round_number in range(ROUNDS):
        repository = make_repository(alice, f"race-{method}-{round_number}")
        first = topic_pull(repository, alice, "one")
        second = topic_pull(repository, alice, "two")
        old_main = git(repository, "rev-parse", "main")
        outcomes, lock = [], threading.Lock()

        leaked = run_threads(
            [
                attempt_merge(first.pk, alice, outcomes, lock, method),
                attempt_merge(second.pk, alice, outcomes, lock, method),
            ]
        )

        assert not leaked, leaked
        merged = [outcome for outcome in outcomes if outcome[0] == "merged"]
        refused = [outcome for outcome in outcomes if outcome[0] == "refused"]
        assert len(merged) + len(refused) == 2
        assert merged, "at least one merge must win"
        for _, pk, error in refused:
            assert isinstance(error, Conflict), error  # the base moved: 409
            pull = PullRequest.objects.get(pk=pk)
            assert (pull.state, pull.merged, pull.merge_commit_sha) == ("open", False, "")
        tip = git(repository, "rev-parse", "main")
        assert reachable(repository, old_main)
        for _, pk, sha in merged:
            assert reachable(repository, sha), "a merge reported as done is not on main"
            pull = PullRequest.objects.get(pk=pk)
            assert (pull.state, pull.merged, pull.merge_commit_sha) == ("closed", True, sha)
            added = f"{pull.head_ref}.txt"
            assert git(repository, "show", f"main:{added}") == pull.head_ref
        if len(merged) == 2:
            assert tip in {sha for _, _, sha in merged}
        else:
            assert tip == merged[0][2]
        assert_fsck_clean(repository)


def test_the_same_pull_merged_at_once_merges_exactly_once(alice):
    for round_number in range(ROUNDS):
        repository = make_repository(alice, f"same-{round_number}")
        pull = topic_pull(repository, alice, "topic")
        old_main = git(repository, "rev-parse", "main")
        outcomes, lock = [], threading.Lock()

        leaked = run_threads([attempt_merge(pull.pk, alice, outcomes, lock) for _ in range(4)])

        assert not leaked, leaked
        merged = [outcome for outcome in outcomes if outcome[0] == "merged"]
        refused = [outcome for outcome in outcomes if outcome[0] == "refused"]
        assert len(merged) == 1, outcomes
        assert len(refused) == 3
        assert all(isinstance(error, Conflict | NotMergeable) for _, _, error in refused)
        sha = merged[0][2]
        assert git(repository, "rev-parse", "main") == sha
        assert git(repository, "log", "--format=%P", "-1", "main").split() == [
            old_main,
            git(repository, "rev-parse", "topic"),
        ]
        pull.refresh_from_db()
        assert (pull.state, pull.merged, pull.merge_commit_sha) == ("closed", True, sha)
        assert_fsck_clean(repository)


PUSHES = 15


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_merge_racing_pushes_loses_no_commit(alice, round_number):
    repository = make_repository(alice, f"push-{round_number}")
    pull = topic_pull(repository, alice, "topic")
    head = git(repository, "rev-parse", "topic")
    pushed, push_conflicts, merge_outcomes = [], [], []

    def pusher():
        for index in range(PUSHES):
            try:
                sha = commit_files(
                    repository=Repository.objects.get(pk=repository.pk),
                    branch="main",
                    files={f"push-{index}.txt": str(index).encode()},
                    message=f"Push {index}",
                    author=alice,
                )
            except Conflict:
                push_conflicts.append(index)
            else:
                pushed.append(sha)

    def merger():
        for _ in range(PUSHES * 2):
            fresh = PullRequest.objects.select_related("repository__owner").get(pk=pull.pk)
            try:
                result = merge_pull_request(pull=fresh, user=alice, permission=permissions.ADMIN)
            except Conflict as error:
                merge_outcomes.append(error)  # the base moved under us: try again
            else:
                merge_outcomes.append(result.sha)
                return

    leaked = run_threads([pusher, merger])

    assert not leaked, leaked
    assert len(pushed) + len(push_conflicts) == PUSHES
    for sha in pushed:
        assert reachable(repository, sha), "a pushed commit was lost"
    pull.refresh_from_db()
    merged = [outcome for outcome in merge_outcomes if isinstance(outcome, str)]
    if merged:
        (sha,) = merged
        assert reachable(repository, sha), "the reported merge is not on main"
        assert reachable(repository, head)
        assert (pull.state, pull.merged, pull.merge_commit_sha) == ("closed", True, sha)
    else:
        assert all(isinstance(outcome, Conflict) for outcome in merge_outcomes)
        assert not reachable(repository, head)
        assert (pull.state, pull.merged, pull.merge_commit_sha) == ("open", False, "")
    files = set(git(repository, "ls-tree", "-r", "--name-only", "main").splitlines())
    pushed_files = {
        git(repository, "show", "--name-only", "--format=", sha).strip() for sha in pushed
    }
    assert pushed_files <= files
    assert_fsck_clean(repository)
