"""Recording events: the service that causes one calls `record` inside its transaction.

The event goes into a row of the task queue in that same transaction: the queue is the
database, so a rolled-back change sends nothing, a committed one always has its task, and
workers cannot see it before the commit. A request never waits for a receiver. Payloads are
built once per event, and only when a hook wants it: at once for events whose subject changes
later (a pull request), by the worker for those whose subject never changes (`record_later`: a
status), which keeps the busiest request path to one small insert.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from hooks import payloads
from hooks.envelope import PayloadBuilder, event_body
from hooks.models import Event, Hook
from hooks.tasks import create_event, store_event


def listens(repository, name) -> bool:
    """Whether an active hook of the repository subscribes to `name`, from the row the caller
    holds (`Repository.hook_events`)."""
    return name in repository.hook_events or "*" in repository.hook_events


def record(*, repository, name, build: PayloadBuilder, sender, action=None) -> None:
    """Queue event `name` for the repository's active hooks that subscribe to it.

    `build(site)` returns the event's own fields (see envelope.event_body). The request writes
    one task row, however many hooks there are; the worker writes the event and its deliveries.
    """
    if listens(repository, name):
        store_event.enqueue(
            repository.id,
            name,
            action or "",
            event_body(repository, build, sender, action),
            timezone.now().isoformat(),
        )


def record_later(*, repository, name, builder: str, subject_id: int, sender) -> None:
    """Queue event `name` whose payload the worker builds: `builder` is the dotted path of a
    function that takes `subject_id` and returns a PayloadBuilder. Only for subjects that never
    change after the event (a commit status), so the payload is the same either way."""
    if listens(repository, name):
        store_event.enqueue(
            repository.id,
            name,
            "",
            "",
            timezone.now().isoformat(),
            builder=builder,
            subject_id=subject_id,
            sender_id=sender.pk,
        )


def record_for_hooks(
    hooks: Iterable[Hook], *, repository, name, build: PayloadBuilder, sender, action=None
) -> Event:
    """Queue event `name` for exactly `hooks` (pings and tests), its deliveries written now."""
    with transaction.atomic(savepoint=False):
        return create_event(
            repository_id=repository.id,
            name=name,
            action=action or "",
            body=event_body(repository, build, sender, action),
            hook_ids=[hook.id for hook in hooks],
            occurred_at=timezone.now(),
        )


def record_ref_update(*, repository, pusher, ref, before, after, git):
    """The events of one ref moving: `create` (new ref), `push`, `delete` (removed ref)."""
    if before == payloads.ZERO_SHA:
        record(
            repository=repository,
            name="create",
            build=payloads.created_ref(repository, ref=ref),
            sender=pusher,
        )
    record(
        repository=repository,
        name="push",
        build=payloads.push(
            repository, ref=ref, before=before, after=after, pusher=pusher, git=git
        ),
        sender=pusher,
    )
    if after == payloads.ZERO_SHA:
        record(
            repository=repository,
            name="delete",
            build=payloads.deleted_ref(repository, ref=ref),
            sender=pusher,
        )
