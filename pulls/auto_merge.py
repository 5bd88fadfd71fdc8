"""Auto-merge: "merge this pull request as soon as the required checks pass".

Enabling it records who asked, with which method and message. A status that turns a context
green on the head of a pull request waiting to merge queues `attempt_auto_merge` (in the
status's transaction); the task merges through `merge_pull_request`, as the user who enabled it,
so the merge decision and the compare-and-swap of the base branch are the same as a manual
merge's. A merge that cannot happen yet (a conflict, a base that moved in strict mode, a check
that fails) leaves auto-merge enabled and records why, for the page. It never fires on a
vacuous rollup: the base branch must require checks, and every required context (or pattern)
must have been reported and be success.
"""

from django.db import transaction
from django_tasks import task

from gitforge.errors import Conflict, Forbidden, InvalidInput, NotMergeable, field_error
from gitforge.repositories.git import GitRepository
from gitforge.repositories.selectors import repository_permission
from protection.gate import StatusCheckDecision, check_status_checks
from protection.selectors import rule_for_branch
from pulls.models import MERGE_METHODS, OPEN, AutoMerge, PullRequest
from pulls.permissions import PUSH_ACCESS_REQUIRED, pull_abilities
from pulls.services import disable_auto_merge, merge_pull_request, record_pull_event

NOT_REQUIRED = (
    "Auto-merge is available only when the base branch requires status checks; "
    "there is nothing to wait for, so merge the pull request now."
)
ENABLER_LOST_ACCESS = "The user who enabled auto-merge can no longer merge."


def enable_auto_merge(*, pull, user, permission, method, commit_title=None, commit_message=None):
    """Record that `pull` merges by `method` once its required checks pass; returns the
    AutoMerge. Only someone who could merge may ask, and only when the base requires checks."""
    if not pull_abilities(pull=pull, user=user, permission=permission).merge:
        raise Forbidden(PUSH_ACCESS_REQUIRED)
    if method not in MERGE_METHODS:
        raise InvalidInput(
            "Validation Failed", [field_error("PullRequest", "merge_method", "invalid")]
        )
    if pull.state != OPEN or pull.merged:
        raise NotMergeable("Pull Request is not mergeable")
    rule = rule_for_branch(repository=pull.repository, branch=pull.base_ref)
    if rule is None or not rule.require_status_checks:
        raise InvalidInput(
            "Validation Failed",
            [field_error("PullRequest", "merge_when_checks_succeed", "custom", NOT_REQUIRED)],
        )
    with transaction.atomic():
        PullRequest.objects.select_for_update().filter(pk=pull.pk).first()
        auto_merge, _ = AutoMerge.objects.update_or_create(
            pull=pull,
            defaults={
                "enabled_by": user,
                "merge_method": method,
                "commit_title": commit_title or "",
                "commit_message": commit_message or "",
                "waiting_reason": "",
            },
        )
        pull.auto_merge = auto_merge
        record_pull_event(pull, "auto_merge_enabled", user)
        attempt_auto_merge.enqueue(pull.pk)  # the checks may already have passed
    return auto_merge


def waiting_auto_merges(*, repository, sha):
    """The ids of open pull requests whose head is `sha` and that wait to auto-merge."""
    return list(
        AutoMerge.objects.filter(
            pull__repository=repository, pull__head_sha=sha, pull__state=OPEN
        ).values_list("pull_id", flat=True)
    )


def queue_auto_merges(*, repository, sha):
    """Queue an attempt for each pull request waiting on `sha` (called when a status arrives)."""
    for pull_id in waiting_auto_merges(repository=repository, sha=sha):
        attempt_auto_merge.enqueue(pull_id)


def checks_have_passed(decision: StatusCheckDecision) -> bool:
    """Required checks that are really green: required, every one reported and success, and
    (in strict mode) a head that is up to date."""
    return bool(decision.checks) and decision.passed


@task()
def attempt_auto_merge(pull_id: int) -> None:
    """Merge the pull request if it still waits to auto-merge and its checks have passed."""
    pull = (
        PullRequest.objects.select_related("repository__owner", "author", "auto_merge__enabled_by")
        .filter(pk=pull_id, state=OPEN)
        .first()
    )
    auto_merge = getattr(pull, "auto_merge", None) if pull is not None else None
    if pull is None or auto_merge is None:
        return
    git = GitRepository(pull.repository_id)
    head = git.branch_sha(pull.head_ref)
    if head is None:
        _wait(auto_merge, "The head branch is gone.")
        return
    decision = check_status_checks(
        repository=pull.repository, base_branch=pull.base_ref, head_sha=head, git=git
    )
    if decision.rule is None or not decision.rule.require_status_checks:
        _wait(auto_merge, "The base branch no longer requires status checks.")
        return
    if not checks_have_passed(decision):
        _wait(auto_merge, decision.message or "Required status checks have not been reported.")
        return
    user = auto_merge.enabled_by
    try:
        merge_pull_request(
            pull=pull,
            user=user,
            permission=repository_permission(user, pull.repository),
            method=auto_merge.merge_method,
            sha=head,
            commit_title=auto_merge.commit_title or None,
            commit_message=auto_merge.commit_message or None,
        )
    except Forbidden:
        disable_auto_merge(pull=pull, user=user, reason=ENABLER_LOST_ACCESS, check=False)
    except (NotMergeable, Conflict) as refusal:
        if PullRequest.objects.filter(pk=pull.pk, state=OPEN).exists():
            _wait(auto_merge, refusal.message)
        # else merged or closed meanwhile (a manual merge, or another attempt)


def _wait(auto_merge, reason):
    """Keep waiting, and say why on the page."""
    AutoMerge.objects.filter(pk=auto_merge.pk).update(waiting_reason=reason[:1000])
