"""Recording events: the service that causes one calls `record` inside its transaction.

The event's payload is built at once (it shows the state it happened in) and goes into a row
of the task queue in that same transaction: the queue is the database, so a rolled-back change
sends nothing, a committed one always has its task, and workers cannot see it before the
commit. A request never waits for a receiver. Payloads are built once per event, and only when
a hook wants it.
"""

import json
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gitforge.accounts.representations import user_json
from gitforge.api.representations import ExternalSite
from gitforge.repositories.representations import repository_json
from hooks import payloads
from hooks.models import Event, Hook
from hooks.tasks import create_event, store_event

PayloadBuilder = Callable[[ExternalSite], dict]


def site() -> ExternalSite:
    return ExternalSite(settings.GITFORGE_EXTERNAL_URL)


def record(*, repository, name, build: PayloadBuilder, sender, action=None) -> None:
    """Queue event `name` for the repository's active hooks that subscribe to it.

    `build(site)` returns the event's own fields; `action`, `repository` and `sender` are added
    around them as GitHub orders them. Whether any hook listens is read from the repository
    row the caller holds (`hook_events`), and the request writes one task row, however many
    hooks there are; the worker writes the event and its deliveries from it.
    """
    if name in repository.hook_events or "*" in repository.hook_events:
        store_event.enqueue(
            repository.id,
            name,
            action or "",
            _body(repository, build, sender, action),
            timezone.now().isoformat(),
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
            body=_body(repository, build, sender, action),
            hook_ids=[hook.id for hook in hooks],
            occurred_at=timezone.now(),
        )


def _body(repository, build, sender, action) -> str:
    here = site()
    payload = {"action": action} if action else {}
    payload.update(build(here))
    payload.setdefault("repository", repository_json(repository, here))
    payload["sender"] = user_json(sender, here)
    return json.dumps(payload, separators=(",", ":"))


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
