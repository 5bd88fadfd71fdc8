"""Reading commit statuses: a commit's history, its combined status, and summaries for lists."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from gitforge.accounts.models import User
from statuses.models import CommitStatus, LatestCommitStatus
from statuses.states import Outcome, State, combine_states, outcome


@dataclass(frozen=True)
class LatestStatus:
    """The latest status of one context; `id` is the CommitStatus id."""

    id: int
    sha: str
    state: str
    context: str
    description: str | None
    target_url: str | None
    created_at: datetime
    creator: User | None

    @property
    def updated_at(self) -> datetime:
        return self.created_at  # statuses are immutable


@dataclass(frozen=True)
class CombinedStatus:
    """The latest status of each context for one commit, and the state they combine to."""

    sha: str
    state: State
    statuses: list[LatestStatus]  # ordered by context

    @property
    def total_count(self) -> int:
        return len(self.statuses)


def get_commit_statuses(*, repository, sha) -> QuerySet[CommitStatus]:
    """Every status of the commit, newest first (a QuerySet, for pagination)."""
    return (
        CommitStatus.objects.filter(repository=repository, sha=sha)
        .select_related("creator")
        .order_by("-id")
    )


def get_combined_status(*, repository, sha) -> CombinedStatus:
    """Combine the latest status of each context: one query, O(number of contexts)."""
    rows = (
        LatestCommitStatus.objects.filter(repository=repository, sha=sha, status__isnull=False)
        .select_related("creator")
        .order_by("context_key")
    )
    statuses = []
    for row in rows:
        if row.status_id is None or row.created_at is None:
            continue  # a slot that a post still in its transaction has claimed
        statuses.append(
            LatestStatus(
                id=row.status_id,
                sha=row.sha,
                state=row.state,
                context=row.context,
                description=row.description,
                target_url=row.target_url,
                created_at=row.created_at,
                creator=row.creator,
            )
        )
    return CombinedStatus(
        sha=sha, state=combine_states(status.state for status in statuses), statuses=statuses
    )


@dataclass(frozen=True)
class StatusSummary:
    """A commit's combined state and how many contexts are in each outcome (for lists)."""

    state: State
    success: int = 0
    pending: int = 0
    failing: int = 0

    @property
    def total(self) -> int:
        return self.success + self.pending + self.failing


def get_status_summaries(*, repository, shas) -> dict[str, StatusSummary]:
    """{sha: StatusSummary} for many commits in one query; commits with no status are absent."""
    states: dict[str, list[str]] = {}
    rows = LatestCommitStatus.objects.filter(
        repository=repository, sha__in=list(shas), status__isnull=False
    ).values_list("sha", "state")
    for sha, state in rows:
        states.setdefault(sha, []).append(state)
    summaries = {}
    for sha, found in states.items():
        outcomes = [outcome(state) for state in found]
        summaries[sha] = StatusSummary(
            state=combine_states(found),
            success=outcomes.count(Outcome.SUCCESS),
            pending=outcomes.count(Outcome.PENDING),
            failing=outcomes.count(Outcome.FAILING),
        )
    return summaries
