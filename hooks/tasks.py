"""The delivery task: a worker (`manage.py db_worker`) sends a hook's due deliveries in order.

A worker holds a hook (`Hook.busy_until`) while it sends one delivery, so one hook's deliveries
go out one at a time, oldest first, whichever worker runs them. Holding a hook also queues a
check for when the hold expires: a worker killed mid-delivery leaves the delivery pending, and
that check sends it again. Failures are retried after GITFORGE_WEBHOOK_RETRY_DELAYS; after the
last one the delivery is marked failed.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from gitforge.repositories.models import Repository
from hooks.envelope import event_body
from hooks.models import Attempt, Delivery, Event, Hook
from hooks.sending import post, request_body, signed_headers

# With twice the timeout (connecting, then waiting for the answer), longer than any attempt takes.
HOLD_MARGIN = timedelta(seconds=2)


@task()
def deliver_hook(hook_id: int) -> None:
    """Send the hook's due deliveries, oldest first, until none is left."""
    while (delivery := _take_next(hook_id)) is not None:
        try:
            attempt_delivery(delivery)
        finally:
            Hook.objects.filter(pk=hook_id).update(busy_until=None)


@task()
def store_event(
    repository_id: int,
    name: str,
    action: str,
    body: str,
    occurred_at: str,
    builder: str | None = None,
    subject_id: int | None = None,
    sender_id: int | None = None,
) -> None:
    """Write an event recorded by a request, with one delivery per active hook that wants it;
    build its body first when the request left that to the worker (`builder`)."""
    hooks = Hook.objects.filter(repository_id=repository_id, active=True)
    if builder is not None:
        repository = Repository.objects.select_related("owner").get(pk=repository_id)
        sender = get_user_model().objects.get(pk=sender_id)
        body = event_body(repository, import_string(builder)(subject_id), sender)
    with transaction.atomic():
        create_event(
            repository_id=repository_id,
            name=name,
            action=action,
            body=body,
            hook_ids=[hook.id for hook in hooks if hook.wants(name)],
            occurred_at=datetime.fromisoformat(occurred_at),
        )


def create_event(*, repository_id, name, action, body, hook_ids, occurred_at) -> Event:
    event = Event.objects.create(
        repository_id=repository_id, name=name, action=action, body=body, created_at=occurred_at
    )
    hooks = Hook.objects.filter(pk__in=hook_ids).values_list("id", "content_type")
    queue_deliveries(
        Delivery(
            hook_id=hook_id,
            event=event,
            content_type=content_type,
            next_attempt_at=timezone.now(),
        )
        for hook_id, content_type in hooks
    )
    return event


def queue_deliveries(deliveries: Iterable[Delivery]) -> list[Delivery]:
    """Write deliveries and a task per hook to send them; a slow receiver holds up only its
    own hook."""
    created = Delivery.objects.bulk_create(list(deliveries))
    for hook_id in sorted({delivery.hook_id for delivery in created}):
        deliver_hook.enqueue(hook_id)
    return created


def _hold() -> timedelta:
    return timedelta(seconds=2 * settings.GITFORGE_WEBHOOK_TIMEOUT) + HOLD_MARGIN


def _take_next(hook_id: int) -> Delivery | None:
    """Hold the hook and return its oldest due delivery, or None (nothing due, or another
    worker holds the hook and will find this one after its own)."""
    with transaction.atomic():
        hook = Hook.objects.select_for_update().filter(pk=hook_id).first()
        now = timezone.now()
        if hook is None or (hook.busy_until is not None and hook.busy_until > now):
            return None
        delivery = (
            Delivery.objects.filter(hook=hook, state=Delivery.PENDING, next_attempt_at__lte=now)
            .select_related("event", "hook")
            .order_by("event__created_at", "id")
            .first()
        )
        if delivery is None:
            return None
        hook.busy_until = now + _hold()
        Hook.objects.filter(pk=hook_id).update(busy_until=hook.busy_until)
        deliver_hook.using(run_after=hook.busy_until + timedelta(seconds=1)).enqueue(hook_id)
    return delivery


def attempt_delivery(delivery: Delivery) -> None:
    """POST the delivery once and record the attempt, its outcome, and any retry."""
    hook = delivery.hook
    body = request_body(delivery.event.body, delivery.content_type)
    headers = signed_headers(
        body=body,
        content_type=delivery.content_type,
        secret=hook.secret,
        event=delivery.event.name,
        guid=delivery.guid,
        hook_id=hook.id,
        repository_id=hook.repository_id,
    )
    started = timezone.now()
    outcome = post(hook.url, headers, body, insecure_ssl=hook.insecure_ssl)
    delays = settings.GITFORGE_WEBHOOK_RETRY_DELAYS
    number = delivery.attempts + 1
    with transaction.atomic():
        Attempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started,
            duration=outcome.duration,
            request_headers=headers,
            status_code=outcome.status_code,
            response_headers=outcome.headers,
            response_body=outcome.body,
            error=outcome.error,
        )
        delivery.attempts = number
        delivery.delivered_at = started
        delivery.duration = outcome.duration
        delivery.status_code = outcome.status_code or 0
        delivery.status = outcome.summary[:200]
        if outcome.ok:
            delivery.state = Delivery.DELIVERED
        elif number > len(delays):
            delivery.state = Delivery.FAILED
        else:
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=delays[number - 1])
            deliver_hook.using(run_after=delivery.next_attempt_at).enqueue(hook.id)
        delivery.save()
        Hook.objects.filter(pk=hook.id).update(
            last_status_code=outcome.status_code,
            last_status="active" if outcome.ok else "failed",
            last_message=delivery.status,
        )
