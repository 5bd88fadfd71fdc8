"""Auto-merge under concurrency, on PostgreSQL: attempts racing each other, or a manual merge,
merge the pull request exactly once."""

import threading

import pytest

from gitforge.errors import Conflict, NotMergeable
from gitforge.repositories import permissions
from protection.services import save_protection
from pulls.auto_merge import attempt_auto_merge, enable_auto_merge
from pulls.models import AutoMerge, PullRequest
from pulls.services import merge_pull_request
from statuses.services import create_commit_status
from tests.helpers import bare_git as git
from tests.helpers import make_repository
from tests.pulls.test_merge_races import run_threads, topic_pull

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 4


def waiting_pull(alice, name):
    repository = make_repository(alice, name)
    save_protection(
        repository=repository,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/a", "ci/b"],
    )
    pull = topic_pull(repository, alice, "topic")
    enable_auto_merge(pull=pull, user=alice, permission=permissions.ADMIN, method="merge")
    return repository, pull


def new_commits_on_main(repository, old_main):
    return git(repository, "rev-list", "--first-parent", f"{old_main}..main").split()


def test_two_statuses_turning_the_last_contexts_green_merge_once(alice):
    for round_number in range(ROUNDS):
        repository, pull = waiting_pull(alice, f"statuses-{round_number}")
        head = git(repository, "rev-parse", "topic")
        old_main = git(repository, "rev-parse", "main")

        def report_then_attempt(context, repository=repository, head=head, pull=pull):
            def target():
                create_commit_status(
                    repository=repository, sha=head, state="success", context=context, creator=alice
                )
                attempt_auto_merge.call(pull.pk)

            return target

        leaked = run_threads([report_then_attempt("ci/a"), report_then_attempt("ci/b")])
        attempt_auto_merge.call(pull.pk)  # whichever status committed last, one attempt sees both

        assert not leaked, leaked
        pull = PullRequest.objects.get(pk=pull.pk)
        assert pull.merged and pull.state == "closed"
        assert new_commits_on_main(repository, old_main) == [pull.merge_commit_sha]
        assert not AutoMerge.objects.filter(pull=pull).exists()


def test_a_manual_merge_racing_auto_merge_merges_once(alice):
    for round_number in range(ROUNDS):
        repository, pull = waiting_pull(alice, f"manual-{round_number}")
        head = git(repository, "rev-parse", "topic")
        for context in ("ci/a", "ci/b"):
            create_commit_status(
                repository=repository, sha=head, state="success", context=context, creator=alice
            )
        old_main = git(repository, "rev-parse", "main")
        outcomes, lock = [], threading.Lock()

        def manual(pull=pull, outcomes=outcomes, lock=lock):
            fresh = PullRequest.objects.select_related("repository__owner").get(pk=pull.pk)
            try:
                merge_pull_request(pull=fresh, user=alice, permission=permissions.ADMIN)
            except (Conflict, NotMergeable) as error:
                with lock:
                    outcomes.append(("manual refused", error))
            else:
                with lock:
                    outcomes.append(("manual merged", None))

        leaked = run_threads([manual, lambda pull=pull: attempt_auto_merge.call(pull.pk)])

        assert not leaked, leaked
        pull = PullRequest.objects.get(pk=pull.pk)
        assert pull.merged
        assert new_commits_on_main(repository, old_main) == [pull.merge_commit_sha]
        assert not AutoMerge.objects.filter(pull=pull).exists()
        assert len(outcomes) == 1
