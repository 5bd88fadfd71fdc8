"""Reading pull requests: their head, whether and how they can merge, and their diff summary."""

from dataclasses import dataclass

from django.db.models import QuerySet

from gitforge.repositories.diffs import range_stats
from gitforge.repositories.git import GitRepository
from protection.gate import StatusCheckDecision, check_status_checks
from pulls.models import OPEN, PullRequest
from statuses.selectors import CombinedStatus, get_combined_status
from statuses.states import State


def pulls_of(repository) -> QuerySet[PullRequest]:
    """The repository's pull requests with what their representation needs, newest first."""
    return PullRequest.objects.filter(repository=repository).select_related(
        "author", "merged_by", "repository__owner", "auto_merge__enabled_by"
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
class ChangeSize:
    """How big a pull request's change is: GitHub's `commits`, `additions`, `deletions` and
    `changed_files`."""

    commits: int = 0
    additions: int = 0
    deletions: int = 0
    changed_files: int = 0


def pull_range(pull: PullRequest, git: GitRepository) -> tuple[str, str]:
    """The (base, head) commits whose difference the pull request shows: for a merged pull, the
    base branch's tip and the head when it was merged; otherwise both branches' heads now.
    Either is "" when its branch is gone."""
    if pull.merged and pull.merge_base_sha:
        return pull.merge_base_sha, pull.head_sha
    return git.branch_sha(pull.base_ref) or "", head_sha(pull, git)


def change_size(git: GitRepository, base: str, head: str) -> ChangeSize:
    """The size of what `head` adds since it forked from `base`."""
    if not base or not head:
        return ChangeSize()
    additions, deletions, changed_files = range_stats(git, base, head)
    return ChangeSize(len(git.commits_between(base, head)), additions, deletions, changed_files)


def pull_size(pull: PullRequest, git: GitRepository) -> ChangeSize:
    """The size stored when the pull was merged, else what its range holds now."""
    if pull.merged and pull.merged_commits is not None:
        return ChangeSize(
            commits=pull.merged_commits,
            additions=pull.merged_additions or 0,
            deletions=pull.merged_deletions or 0,
            changed_files=pull.merged_changed_files or 0,
        )
    return change_size(git, *pull_range(pull, git))


@dataclass(frozen=True)
class PullSummary:
    """What the pull request representation reports beyond the row: both ends' commits and,
    in detail, mergeability and the size of the change."""

    head_sha: str
    base_sha: str
    mergeability: Mergeability | None = None
    size: ChangeSize = ChangeSize()


def pull_summary(pull: PullRequest, *, git: GitRepository, detail: bool = False) -> PullSummary:
    head = head_sha(pull, git)
    base = git.branch_sha(pull.base_ref) or ""
    if not detail:
        return PullSummary(head_sha=head, base_sha=base)
    return PullSummary(
        head_sha=head,
        base_sha=base,
        mergeability=mergeability(pull, git=git),
        size=pull_size(pull, git),
    )
