"""GitHub's representations of repository webhooks and their deliveries."""

import json

from gitforge.api.representations import api_base, timestamp
from hooks.models import Attempt, Delivery, Hook
from hooks.sending import request_body

SECRET_MASK = "********"


def config_json(hook: Hook) -> dict:
    config = {
        "content_type": hook.content_type,
        "insecure_ssl": "1" if hook.insecure_ssl else "0",
        "url": hook.url,
    }
    if hook.secret:
        config["secret"] = SECRET_MASK
    return config


def hook_json(hook: Hook, request) -> dict:
    url = f"{api_base(request)}/repos/{hook.repository.full_name}/hooks/{hook.id}"
    return {
        "type": "Repository",
        "id": hook.id,
        "name": "web",
        "active": hook.active,
        "events": hook.events,
        "config": config_json(hook),
        "updated_at": timestamp(hook.updated_at),
        "created_at": timestamp(hook.created_at),
        "url": url,
        "test_url": f"{url}/test",
        "ping_url": f"{url}/pings",
        "deliveries_url": f"{url}/deliveries",
        "last_response": {
            "code": hook.last_status_code,
            "status": hook.last_status,
            "message": hook.last_message or None,
        },
    }


def delivery_json(delivery: Delivery, repository_id: int) -> dict:
    """The `hook-delivery-item` representation (a delivery not yet attempted says `pending`)."""
    return {
        "id": delivery.id,
        "guid": str(delivery.guid),
        "delivered_at": timestamp(delivery.delivered_at or delivery.created_at),
        "redelivery": delivery.redelivery,
        "duration": round(delivery.duration or 0, 3),
        "status": delivery.status,
        "status_code": delivery.status_code,
        "event": delivery.event.name,
        "action": delivery.event.action or None,
        "installation_id": None,
        "repository_id": repository_id,
        "throttled_at": None,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "next_attempt_at": (
            timestamp(delivery.next_attempt_at) if delivery.state == Delivery.PENDING else None
        ),
    }


def delivery_detail_json(delivery: Delivery, attempts: list[Attempt]) -> dict:
    """The `hook-delivery` representation: the last attempt's request and response, and
    every attempt under `attempts`."""
    last = attempts[-1] if attempts else None
    body = request_body(delivery.event.body, delivery.content_type).decode()
    return {
        **delivery_json(delivery, delivery.hook.repository_id),
        "url": delivery.hook.url,
        "request": {
            "headers": last.request_headers if last else None,
            "payload": json.loads(delivery.event.body),
        },
        "response": {
            "headers": last.response_headers if last else None,
            "payload": last.response_body if last else None,
        },
        "request_body": body,
        "attempt_log": [attempt_json(attempt) for attempt in attempts],
    }


def attempt_json(attempt: Attempt) -> dict:
    return {
        "number": attempt.number,
        "started_at": timestamp(attempt.started_at),
        "duration": round(attempt.duration, 3),
        "status_code": attempt.status_code,
        "error": attempt.error or None,
        "request_headers": attempt.request_headers,
        "response_headers": attempt.response_headers,
        "response_body": attempt.response_body,
    }
