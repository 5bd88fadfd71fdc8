"""Reading pull requests: their head, whether and how they can merge, and their diff summary."""

from dataclasses import dataclass

from django.db.models import QuerySet

from gitforge.repositories.git import GitRepository
from protection.gate import StatusCheckDecision, check_status_checks
from pulls.models import OPEN, PullRequest
from statuses.selectors import CombinedStatus, get_combined_status
from statuses.states import State


def pulls_of(repository) -> QuerySet[PullRequest]:
    """The repository's pull requests with what their representation needs, newest first."""
    return PullRequest.objects.filter(repository=repository).select_related(
        "author", "merged_by", "repository__owner"
    )


def head_sha(pull: PullRequest, git: GitRepository | None = None) -> str:
    """The head branch's current commit (the last one seen if the branch is gone)."""
    git = git or GitRepository(pull.repository_id)
    return git.branch_sha(pull.head_ref) or pull.head_sha


@dataclass(frozen=True)
class Mergeability:
    """What GitHub reports as `mergeable` and `mergeable_state`, with the decision behind it."""

    mergeable: bool | None
    state: str  # clean, blocked, behind, dirty, unstable or unknown
    decision: StatusCheckDecision | None = None
    conflicts: bool = False


def mergeability(
    pull: PullRequest, *, git: GitRepository | None = None, combined: CombinedStatus | None = None
) -> Mergeability:
    """Compute `mergeable`/`mergeable_state` as GitHub does, for an open pull request."""
    if pull.state != OPEN:
        return Mergeability(mergeable=None, state="unknown")
    git = git or GitRepository(pull.repository_id)
    head = head_sha(pull, git)
    base = git.branch_sha(pull.base_ref)
    if base is None:
        return Mergeability(mergeable=False, state="dirty", conflicts=True)
    combined = combined or get_combined_status(repository=pull.repository, sha=head)
    decision = check_status_checks(
        repository=pull.repository,
        base_branch=pull.base_ref,
        head_sha=head,
        combined=combined,
        git=git,
    )
    if git.has_conflicts(base, head):
        return Mergeability(mergeable=False, state="dirty", decision=decision, conflicts=True)
    if decision.behind:
        state = "behind"
    elif not decision.passed:
        state = "blocked"
    elif combined.statuses and combined.state != State.SUCCESS:
        state = "unstable"
    else:
        state = "clean"
    return Mergeability(mergeable=True, state=state, decision=decision)


@dataclass(frozen=True)
class PullSummary:
    """What the pull request representation reports beyond the row: both ends' commits and,
    in detail, mergeability and the size of the change."""

    head_sha: str
    base_sha: str
    mergeability: Mergeability | None = None
    commits: int = 0
    additions: int = 0
    deletions: int = 0
    changed_files: int = 0


def pull_summary(pull: PullRequest, *, git: GitRepository, detail: bool = False) -> PullSummary:
    head = head_sha(pull, git)
    base = git.branch_sha(pull.base_ref) or ""
    if not detail:
        return PullSummary(head_sha=head, base_sha=base)
    additions, deletions, changed_files = git.diff_stats(base, head) if base and head else (0, 0, 0)
    return PullSummary(
        head_sha=head,
        base_sha=base,
        mergeability=mergeability(pull, git=git),
        commits=len(git.commits_between(base, head)) if base and head else 0,
        additions=additions,
        deletions=deletions,
        changed_files=changed_files,
    )
