"""Commit status rules: validate and record a status, list them, combine the latest per context."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from gitforge.errors import InvalidInput, field_error
from gitforge.repositories.git import FULL_SHA, GitRepository
from gitforge.repositories.links import http_url
from statuses.models import (
    ERROR,
    FAILURE,
    PENDING,
    STATES,
    SUCCESS,
    CommitStatus,
    LatestCommitStatus,
)

DEFAULT_CONTEXT = "default"
MAX_DESCRIPTION = 140
MAX_CONTEXT = 255
MAX_STATUSES_PER_CONTEXT = 1000


@dataclass(frozen=True)
class Reporter:
    """Who posted a status: what pages and representations show of the user."""

    id: int
    username: str
    is_superuser: bool


@dataclass(frozen=True)
class LatestStatus:
    """The latest status of one context, read as plain values (no model instances)."""

    id: int
    sha: str
    state: str
    context: str
    description: str | None
    target_url: str | None
    created_at: object
    creator_id: int | None
    creator: Reporter | None

    @property
    def updated_at(self):
        return self.created_at  # statuses are immutable

    @property
    def context_key(self):
        return self.context.lower()


LATEST_STATUS_COLUMNS = (
    "status_id",
    "sha",
    "state",
    "context",
    "description",
    "target_url",
    "created_at",
    "creator_id",
    "creator__username",
    "creator__is_superuser",
)


@dataclass(frozen=True)
class CombinedStatus:
    """The latest status of each context for one commit, and the state they combine to."""

    sha: str
    state: str
    statuses: list  # the latest CommitStatus of each context, ordered by context

    @property
    def total_count(self):
        return len(self.statuses)


def combine_states(states):
    """GitHub's rule: failure if any error/failure, else pending if none or any pending."""
    states = set(states)
    if states & {ERROR, FAILURE}:
        return FAILURE
    if not states or PENDING in states:
        return PENDING
    return SUCCESS


def create_commit_status(
    *, repository, sha, state, creator, context=None, description=None, target_url=None
):
    """Record a status for the commit `sha`; returns the CommitStatus.

    Raises InvalidInput for bad fields, for a sha that is not a commit of the repository, and
    once a sha and context already hold 1000 statuses. Posts for one context are serialized by
    locking its LatestCommitStatus row, so the limit holds under concurrency.
    """
    context = DEFAULT_CONTEXT if context is None else context
    target_url = target_url or None
    _validate(state=state, context=context, description=description, target_url=target_url)
    sha = sha.lower()
    if not FULL_SHA.match(sha) or GitRepository(repository.id).commit(sha) is None:
        raise InvalidInput(
            f"No commit found for SHA: {sha}", [field_error("Status", "sha", "invalid")]
        )
    key = context.lower()
    with transaction.atomic():
        latest_id = _claim_slot(repository_id=repository.id, sha=sha, context_key=key)
        if latest_id is None:
            raise InvalidInput(
                "Validation Failed",
                [
                    field_error(
                        "Status",
                        "context",
                        "custom",
                        "This SHA and context has reached the maximum number of statuses.",
                    )
                ],
            )
        now = timezone.now()
        status = CommitStatus.objects.create(
            repository=repository,
            sha=sha,
            state=state,
            context=context,
            context_key=key,
            description=description,
            target_url=target_url,
            creator=creator,
            created_at=now,
            updated_at=now,
        )
        LatestCommitStatus.objects.filter(pk=latest_id).update(
            status=status,
            state=state,
            context=context,
            description=description,
            target_url=target_url,
            created_at=now,
            creator=creator,
        )
    return status


def _claim_slot(*, repository_id, sha, context_key):
    """Count one more status for (repository, sha, context) unless it already holds the maximum.

    One upsert (PostgreSQL and SQLite share the syntax) that also locks the row until the
    transaction ends, so concurrent posts for one context are serialized and the limit holds.
    Returns the LatestCommitStatus id, or None when the limit is reached.
    """
    table = LatestCommitStatus._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (repository_id, sha, context_key, total)
            VALUES (%s, %s, %s, 1)
            ON CONFLICT (repository_id, sha, context_key)
            DO UPDATE SET total = {table}.total + 1 WHERE {table}.total < %s
            RETURNING id
            """,
            [repository_id, sha, context_key, MAX_STATUSES_PER_CONTEXT],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _validate(*, state, context, description, target_url):
    errors = []
    if state not in STATES:
        errors.append(field_error("Status", "state", "invalid"))
    if not isinstance(context, str) or not context.strip() or len(context) > MAX_CONTEXT:
        errors.append(field_error("Status", "context", "invalid"))
    if description is not None and (
        not isinstance(description, str) or len(description) > MAX_DESCRIPTION
    ):
        errors.append(field_error("Status", "description", "invalid"))
    if target_url is not None and (not isinstance(target_url, str) or not http_url(target_url)):
        errors.append(field_error("Status", "target_url", "invalid"))
    if errors:
        raise InvalidInput("Validation Failed", errors)


def get_commit_statuses(*, repository, sha):
    """Every status of the commit, newest first (a QuerySet, for pagination)."""
    return (
        CommitStatus.objects.filter(repository=repository, sha=sha)
        .select_related("creator")
        .order_by("-id")
    )


def get_combined_status(*, repository, sha):
    """Combine the latest status of each context: one query, O(number of contexts)."""
    rows = (
        LatestCommitStatus.objects.filter(repository=repository, sha=sha, status__isnull=False)
        .order_by("context_key")
        .values_list(*LATEST_STATUS_COLUMNS)
    )
    reporters = {}
    statuses = []
    for *fields, creator_id, username, is_superuser in rows:
        if creator_id is not None and creator_id not in reporters:
            reporters[creator_id] = Reporter(creator_id, username, is_superuser)
        statuses.append(LatestStatus(*fields, creator_id, reporters.get(creator_id)))
    return CombinedStatus(
        sha=sha, state=combine_states(status.state for status in statuses), statuses=statuses
    )


@dataclass(frozen=True)
class StatusSummary:
    """A commit's combined state and how many contexts are in each state (for lists)."""

    state: str
    success: int = 0
    pending: int = 0
    failing: int = 0

    @property
    def total(self):
        return self.success + self.pending + self.failing


def get_status_summaries(*, repository, shas):
    """{sha: StatusSummary} for many commits in one query; commits with no status are absent."""
    states = {}
    rows = LatestCommitStatus.objects.filter(
        repository=repository, sha__in=list(shas), status__isnull=False
    ).values_list("sha", "state")
    for sha, state in rows:
        states.setdefault(sha, []).append(state)
    return {
        sha: StatusSummary(
            state=combine_states(found),
            success=found.count(SUCCESS),
            pending=found.count(PENDING),
            failing=found.count(ERROR) + found.count(FAILURE),
        )
        for sha, found in states.items()
    }
