"""Commit status rules: validate and record a status, within the limit per sha and context."""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from gitforge.api.inputs import MAX_URL_LENGTH, http_url
from gitforge.errors import InvalidInput, field_error, resource_error
from gitforge.repositories.git import FULL_SHA, GitRepository
from gitforge.rows import hot_cursor
from hooks import events
from statuses.contexts import clean_context, context_key
from statuses.models import CommitStatus, LatestCommitStatus
from statuses.states import State

DEFAULT_CONTEXT = "default"
MAX_DESCRIPTION = 140
MAX_STATUSES_PER_CONTEXT = 1000


def create_commit_status(
    *, repository, sha, state, creator, context=None, description=None, target_url=None
):
    """Record a status for the commit `sha`; returns the CommitStatus.

    Raises InvalidInput for bad fields, for a sha that is not a commit of the repository, and
    once a sha and context already hold 1000 statuses. Posts for one context are serialized by
    locking its LatestCommitStatus row, so the limit holds under concurrency. The `status`
    event is queued for the repository's hooks in the same transaction, and so are the
    GITFORGE_ON_STATUS_SUCCESS handlers' tasks (auto-merge) for a success.
    """
    context, target_url = _validate(
        state=state,
        context=DEFAULT_CONTEXT if context is None else context,
        description=description,
        target_url=target_url or None,
    )
    sha = sha.lower()
    if not FULL_SHA.match(sha) or GitRepository(repository.id).commit(sha) is None:
        raise InvalidInput(
            f"No commit found for SHA: {sha}", [field_error("Status", "sha", "invalid")]
        )
    key = context_key(context)
    with transaction.atomic():
        latest_id = _claim_slot(repository_id=repository.id, sha=sha, context_key=key)
        if latest_id is None:
            raise InvalidInput(
                "Validation Failed",
                [
                    resource_error(
                        "Status",
                        "custom",
                        "This SHA and context has reached the maximum number of statuses.",
                    )
                ],
            )
        status = _record(
            latest_id=latest_id,
            status=CommitStatus(
                repository=repository,
                sha=sha,
                state=state,
                context=context,
                context_key=key,
                description=description,
                target_url=target_url,
                creator=creator,
                created_at=timezone.now(),
            ),
        )
        events.record_later(
            repository=repository,
            name="status",
            builder="statuses.payloads.status_event_by_id",
            subject_id=status.id,
            sender=creator,
        )
        if state == State.SUCCESS:
            for handler in settings.GITFORGE_ON_STATUS_SUCCESS:
                import_string(handler)(repository=repository, sha=sha)
    return status


def _claim_slot(*, repository_id, sha, context_key):
    """Count one more status for (repository, sha, context) unless it already holds the maximum.

    One upsert (PostgreSQL and SQLite share the syntax) that also locks the row until the
    transaction ends, so concurrent posts for one context are serialized and the limit holds.
    Returns the LatestCommitStatus id, or None when the limit is reached.
    """
    table = LatestCommitStatus._meta.db_table
    with hot_cursor(connection) as cursor:
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


def _record(*, latest_id, status):
    """Insert `status` and make it the latest of its context (LatestCommitStatus `latest_id`):
    two statements written by hand, as the ORM's save and update cost more than they do on
    the API's busiest write. Returns `status`, saved."""
    status.updated_at = status.created_at
    stamp = connection.ops.adapt_datetimefield_value(status.created_at)
    fields = [status.state, status.context, status.description, status.target_url]
    with hot_cursor(connection) as cursor:
        cursor.execute(
            f"""
            INSERT INTO {CommitStatus._meta.db_table} (repository_id, sha, context_key, state,
                context, description, target_url, creator_id, created_at, updated_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            RETURNING id
            """,
            [status.repository_id, status.sha, status.context_key, *fields]
            + [status.creator_id, stamp, stamp],
        )
        (status.id,) = cursor.fetchone()
        cursor.execute(
            f"""
            UPDATE {LatestCommitStatus._meta.db_table} SET status_id = %s, state = %s,
                context = %s, description = %s, target_url = %s, creator_id = %s,
                created_at = %s
            WHERE id = %s
            """,
            [status.id, *fields, status.creator_id, stamp, latest_id],
        )
    status._state.adding = False
    status._state.db = connection.alias
    return status


def _validate(*, state, context, description, target_url):
    """Return the context and target URL as stored (see statuses.contexts and http_url)."""
    errors = []
    if state not in State.values:
        errors.append(field_error("Status", "state", "invalid"))
    try:
        context = clean_context(context) if isinstance(context, str) else None
    except ValueError as error:
        errors.append(field_error("Status", "context", "invalid", str(error)))
    else:
        if context is None:
            errors.append(field_error("Status", "context", "invalid"))
    if description is not None and not isinstance(description, str):
        errors.append(field_error("Status", "description", "invalid"))
    elif description is not None and len(description) > MAX_DESCRIPTION:
        message = f"description is too long (maximum is {MAX_DESCRIPTION} characters)"
        errors.append(field_error("Status", "description", "custom", message))
    if target_url is not None:
        url = http_url(target_url)
        if url is None:
            errors.append(field_error("Status", "target_url", "invalid"))
        elif len(url) > MAX_URL_LENGTH:
            message = f"target_url is too long (maximum is {MAX_URL_LENGTH} characters)"
            errors.append(field_error("Status", "target_url", "custom", message))
        target_url = url
    if errors:
        raise InvalidInput("Validation Failed", errors)
    return context, target_url
