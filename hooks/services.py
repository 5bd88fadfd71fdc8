"""Webhook rules: creating, editing and deleting hooks, pings, test pushes and redelivery."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from gitforge.api.inputs import http_url
from gitforge.errors import InvalidInput, field_error
from gitforge.repositories.models import Repository
from hooks import events, payloads
from hooks.addresses import AddressRefused, allowed_address
from hooks.models import FORM, JSON, Delivery, Hook
from hooks.tasks import queue_deliveries

EVENT_NAME = re.compile(r"^(\*|[a-z][a-z_]{0,49})$")
ZEN = "Keep it logically awesome."
MAX_SECRET = Hook._meta.get_field("secret").max_length or 255
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class HookConfig:
    url: str | None = None
    content_type: str | None = None
    secret: str | None = None
    insecure_ssl: bool | None = None


def check_hook(*, repository, config: HookConfig, events_, hook=None) -> Hook:
    """The hook `config` and `events_` describe (a change of `hook`, or a new one), unsaved;
    raises InvalidInput for a bad or refused config, or a URL the repository already has."""
    creating = hook is None
    if hook is None:
        hook = Hook(repository=repository, events=["push"])
    if events_ is not None:
        hook.events = list(events_)
    _apply(hook, config, creating=creating)
    _validate_events(hook.events)
    hook.events = list(dict.fromkeys(hook.events))
    same_url = Hook.objects.filter(repository=hook.repository_id, url=hook.url).exclude(pk=hook.pk)
    if any(_overlap(hook.events, other.events) for other in same_url):
        raise InvalidInput(
            "Validation Failed",
            [field_error("Hook", "hook", "custom", "Hook already exists on this repository")],
        )
    return hook


def create_hook(*, repository, user, config: HookConfig, events_=None, active=True) -> Hook:
    """Add a hook and send it a ping; raises InvalidInput for a bad or refused config."""
    with transaction.atomic():
        hook = check_hook(repository=repository, config=config, events_=events_)
        hook.active = active
        hook.save()
        _note_events(repository)
        ping(hook=hook, user=user)
    return hook


def update_hook(
    *, hook, config=None, events_=None, add_events=None, remove_events=None, active=None
) -> Hook:
    names = list(hook.events if events_ is None else events_)
    names += [name for name in add_events or () if name not in names]
    names = [name for name in names if name not in (remove_events or ())]
    with transaction.atomic():
        check_hook(
            repository=hook.repository, config=config or HookConfig(), events_=names, hook=hook
        )
        if active is not None:
            hook.active = active
        hook.save()
        _note_events(hook.repository)
    return hook


def delete_hook(*, hook) -> None:
    with transaction.atomic():
        hook.delete()
        _note_events(hook.repository)


def _note_events(repository) -> None:
    """Keep `Repository.hook_events`: what the active hooks subscribe to."""
    names = set()
    for events_ in Hook.objects.filter(repository=repository, active=True).values_list(
        "events", flat=True
    ):
        names.update(events_)
    repository.hook_events = sorted(names)
    Repository.objects.filter(pk=repository.pk).update(hook_events=repository.hook_events)


def ping(*, hook, user):
    return events.record_for_hooks(
        [hook],
        repository=hook.repository,
        name="ping",
        build=lambda site: payloads.ping(hook, site, zen=ZEN),
        sender=user,
    )


def test_push(*, hook, user):
    """Send the hook a push event for the head of the default branch (GitHub's "test"), if it
    subscribes to push events."""
    repository = hook.repository
    build = payloads.test_push_builder(repository, pusher=user)
    if build is None or not hook.wants("push"):
        return None
    return events.record_for_hooks(
        [hook], repository=repository, name="push", build=build, sender=user
    )


def redeliver(*, delivery) -> Delivery:
    """Send a delivery's event again, as a new delivery that keeps its GUID."""
    with transaction.atomic():
        (created,) = queue_deliveries(
            [
                Delivery(
                    hook=delivery.hook,
                    event=delivery.event,
                    guid=delivery.guid,
                    redelivery=True,
                    content_type=delivery.content_type,
                    next_attempt_at=timezone.now(),
                )
            ]
        )
    return created


def _apply(hook, config: HookConfig, *, creating: bool):
    errors = []
    if config.url is not None or creating:
        url = http_url(config.url)
        if url is None:
            errors.append(field_error("Hook", "url", "invalid" if config.url else "missing_field"))
        else:
            refusal = _refusal(url)
            if refusal:
                errors.append(field_error("Hook", "url", "custom", refusal))
            hook.url = url
    if config.content_type is not None:
        if config.content_type not in (JSON, FORM):
            errors.append(field_error("Hook", "content_type", "invalid"))
        hook.content_type = config.content_type
    if config.secret is not None:
        if not isinstance(config.secret, str) or len(config.secret) > MAX_SECRET:
            errors.append(field_error("Hook", "secret", "invalid"))
        hook.secret = config.secret
    if config.insecure_ssl is not None:
        hook.insecure_ssl = config.insecure_ssl
    if errors:
        raise InvalidInput("Validation Failed", errors)


def _refusal(url: str) -> str | None:
    """Why webhooks may not reach `url`, judged by its address now; a name that does not
    resolve yet is accepted (each delivery checks again)."""
    try:
        parts = urlsplit(url)
        allowed_address(parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme])
    except ValueError:
        return "URL is not valid"
    except AddressRefused as refused:
        return f"URL is not allowed: {refused}"
    except OSError:
        return None
    return None


def _overlap(events_a, events_b) -> bool:
    """Whether two hooks' events overlap (GitHub lets hooks share a URL only when not)."""
    return "*" in events_a or "*" in events_b or bool(set(events_a) & set(events_b))


def _validate_events(names):
    if not isinstance(names, list) or not all(
        isinstance(name, str) and EVENT_NAME.match(name) for name in names
    ):
        raise InvalidInput("Validation Failed", [field_error("Hook", "events", "invalid")])
