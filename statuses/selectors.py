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


# What pages and representations show of a creator, in the model's field order (as from_db wants).
CREATOR_FIELDS = tuple(
    field.attname
    for field in User._meta.concrete_fields
    if field.attname in ("id", "username", "is_superuser")
)


def get_combined_status(*, repository, sha) -> CombinedStatus:
    """Combine the latest status of each context: one query, O(number of contexts).

    Rows are read as plain values (no model per status); each creator becomes one User
    holding only the fields that pages and representations show.
    """
    rows = (
        LatestCommitStatus.objects.filter(repository=repository, sha=sha, status__isnull=False)
        .order_by("context_key")
        .values_list(
            "status_id",
            "sha",
            "state",
            "context",
            "description",
            "target_url",
            "created_at",
            *(f"creator__{field}" for field in CREATOR_FIELDS),
        )
    )
    creators: dict[int, User] = {}
    statuses = []
    for status_id, row_sha, state, context, description, target_url, created_at, *who in rows:
        creator = None
        if who[0] is not None:
            if who[0] not in creators:
                creators[who[0]] = User.from_db(None, CREATOR_FIELDS, who)
            creator = creators[who[0]]
        statuses.append(
            LatestStatus(
                id=status_id,
                sha=row_sha,
                state=state,
                context=context,
                description=description,
                target_url=target_url,
                created_at=created_at,
                creator=creator,
            )
        )
    return CombinedStatus(
        sha=sha, state=combine_states(status.state for status in statuses), statuses=statuses
    )


@dataclass(frozen=True)
class StatusSummary:
    """A commit's combined state, how many contexts are in each outcome, and each context's
    latest state ordered by context (for lists)."""

    state: State
    success: int = 0
    pending: int = 0
    failing: int = 0
    contexts: tuple[tuple[str, str], ...] = ()  # (context, state)

    @property
    def total(self) -> int:
        return self.success + self.pending + self.failing


def get_status_summaries(*, repository, shas) -> dict[str, StatusSummary]:
    """{sha: StatusSummary} for many commits in one query; commits with no status are absent."""
    latest: dict[str, list[tuple[str, str]]] = {}
    rows = (
        LatestCommitStatus.objects.filter(
            repository=repository, sha__in=list(shas), status__isnull=False
        )
        .order_by("sha", "context_key")
        .values_list("sha", "context", "state")
    )
    for sha, context, state in rows:
        latest.setdefault(sha, []).append((context, state))
    summaries = {}
    for sha, contexts in latest.items():
        outcomes = [outcome(state) for _, state in contexts]
        summaries[sha] = StatusSummary(
            state=combine_states(state for _, state in contexts),
            success=outcomes.count(Outcome.SUCCESS),
            pending=outcomes.count(Outcome.PENDING),
            failing=outcomes.count(Outcome.FAILING),
            contexts=tuple(contexts),
        )
    return summaries
