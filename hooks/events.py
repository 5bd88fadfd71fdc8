"""Recording events: the service that causes one calls `record` inside its transaction.

Each hook that wants the event gets a Delivery row, and its delivery task a row in the task
queue, in that same transaction: the queue is the database, so a rolled-back change sends
nothing, a committed one always has its task, and workers cannot see either before the commit.
A request never waits for a receiver. Payloads are built once per event, only when a hook
wants it.
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
from hooks.models import Delivery, Event, Hook
from hooks.tasks import deliver_hook, deliver_hooks

PayloadBuilder = Callable[[ExternalSite], dict]


def site() -> ExternalSite:
    return ExternalSite(settings.GITFORGE_EXTERNAL_URL)


def record(*, repository, name, build: PayloadBuilder, sender, action=None) -> Event | None:
    """Queue event `name` for the repository's active hooks that subscribe to it.

    `build(site)` returns the event's own fields; `action`, `repository` and `sender` are added
    around them as GitHub orders them.
    """
    hooks = [hook for hook in Hook.objects.filter(repository=repository) if hook.wants(name)]
    if not hooks:
        return None
    return record_for_hooks(
        hooks, repository=repository, name=name, build=build, sender=sender, action=action
    )


def record_for_hooks(
    hooks: Iterable[Hook], *, repository, name, build: PayloadBuilder, sender, action=None
) -> Event:
    """Queue event `name` for exactly `hooks` (pings and tests go to one hook)."""
    here = site()
    payload = {"action": action} if action else {}
    payload.update(build(here))
    payload.setdefault("repository", repository_json(repository, here))
    payload["sender"] = user_json(sender, here)
    with transaction.atomic(savepoint=False):
        event = Event.objects.create(
            repository=repository,
            name=name,
            action=action or "",
            body=json.dumps(payload, separators=(",", ":")),
        )
        queue_deliveries(
            Delivery(
                hook=hook,
                event=event,
                content_type=hook.content_type,
                next_attempt_at=timezone.now(),
            )
            for hook in hooks
        )
    return event


def queue_deliveries(deliveries: Iterable[Delivery]) -> list[Delivery]:
    created = Delivery.objects.bulk_create(list(deliveries))
    hook_ids = sorted({delivery.hook_id for delivery in created})
    # One task row however many hooks: the request path stays as short with three as with one.
    if len(hook_ids) == 1:
        deliver_hook.enqueue(hook_ids[0])
    else:
        deliver_hooks.enqueue(hook_ids)
    return created


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
