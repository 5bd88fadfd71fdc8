"""Deliveries reach a real receiver signed, in order, and are retried until it answers 2xx."""

import json

from hooks.models import Attempt, Delivery
from statuses.services import create_commit_status
from tests.helpers import bare_sha, send
from tests.hooks.conftest import SECRET
from tests.webhooks import Receiver, assert_valid_payload, verify_signatures


def post_status(repository, user, state, context="ci/build"):
    return create_commit_status(
        repository=repository,
        sha=bare_sha(repository),
        state=state,
        context=context,
        creator=user,
    )


def test_a_status_reaches_the_receiver_signed_and_in_githubs_shape(
    public_repo, alice, receiver, make_hook, deliver
):
    hook = make_hook(receiver.url, events=["status"])
    status = post_status(public_repo, alice, "pending")
    assert receiver.requests == []  # nothing is sent inside the request that caused it

    deliver()

    (received,) = receiver.wait_for(1)
    verify_signatures(SECRET, received)
    assert received.header("X-GitHub-Event") == "status"
    assert received.header("X-GitHub-Hook-ID") == str(hook.id)
    assert received.header("User-Agent").startswith("GitHub-Hookshot/")
    assert received.header("Content-Type") == "application/json"
    delivery = Delivery.objects.get(hook=hook)
    assert received.header("X-GitHub-Delivery") == str(delivery.guid)
    payload = received.json()
    assert_valid_payload("status", payload)
    assert (payload["id"], payload["state"], payload["context"], payload["sha"]) == (
        status.id,
        "pending",
        "ci/build",
        status.sha,
    )
    assert payload["repository"]["full_name"] == "alice/project"
    assert payload["sender"]["login"] == "alice"
    # Every branch that contains the commit: feature grew from main.
    assert [branch["name"] for branch in payload["branches"]] == ["feature", "main"]
    assert delivery.state == Delivery.DELIVERED
    assert (delivery.status_code, delivery.status, delivery.attempts) == (200, "OK", 1)


def test_form_content_type_sends_the_payload_field_signed_over_the_exact_body(
    public_repo, alice, receiver, make_hook, deliver
):
    make_hook(receiver.url, events=["status"], content_type="form")
    post_status(public_repo, alice, "success")
    deliver()
    (received,) = receiver.wait_for(1)
    assert received.header("Content-Type") == "application/x-www-form-urlencoded"
    assert received.body.startswith(b"payload=")
    verify_signatures(SECRET, received)
    assert received.json()["state"] == "success"


def test_events_reach_a_hook_in_the_order_they_happened(
    public_repo, alice, receiver, make_hook, deliver
):
    make_hook(receiver.url, events=["status"])
    for state in ("pending", "failure", "pending", "success"):
        post_status(public_repo, alice, state)
    deliver()
    received = receiver.wait_for(4)
    assert [item.json()["state"] for item in received] == [
        "pending",
        "failure",
        "pending",
        "success",
    ]


def test_a_hook_that_does_not_subscribe_gets_nothing(
    public_repo, alice, receiver, make_hook, deliver
):
    make_hook(receiver.url, events=["push"])
    post_status(public_repo, alice, "success")
    assert deliver() == []
    assert receiver.requests == []


def test_a_receiver_that_fails_twice_then_succeeds_gets_three_attempts(
    public_repo, alice, make_hook, deliver
):
    with Receiver(responses=[500, 503, 200]) as flaky:
        hook = make_hook(flaky.url, events=["status"])
        post_status(public_repo, alice, "success")
        deliver()
        received = flaky.wait_for(3)
    assert len(received) == 3
    assert len({item.header("X-GitHub-Delivery") for item in received}) == 1
    assert [item.body for item in received] == [received[0].body] * 3
    delivery = Delivery.objects.get(hook=hook)
    assert (delivery.state, delivery.attempts, delivery.status_code) == ("delivered", 3, 200)
    attempts = list(Attempt.objects.filter(delivery=delivery))
    assert [attempt.status_code for attempt in attempts] == [500, 503, 200]
    assert attempts[0].request_headers["X-GitHub-Event"] == "status"
    assert attempts[2].response_body == "ok"
    hook.refresh_from_db()
    assert (hook.last_status_code, hook.last_status) == (200, "active")


def test_a_receiver_that_never_answers_2xx_fails_after_the_last_retry(
    public_repo, alice, make_hook, deliver, settings
):
    with Receiver(responses=[502]) as broken:
        hook = make_hook(broken.url, events=["status"])
        post_status(public_repo, alice, "success")
        deliver()
        assert len(broken.requests) == 1 + len(settings.GITFORGE_WEBHOOK_RETRY_DELAYS)
    delivery = Delivery.objects.get(hook=hook)
    assert (delivery.state, delivery.status) == ("failed", "Invalid HTTP Response: 502")


def test_a_receiver_that_times_out_or_refuses_is_retried(
    public_repo, alice, make_hook, deliver, settings
):
    settings.GITFORGE_WEBHOOK_TIMEOUT = 0.5
    with Receiver(delay=[5, 0]) as slow:
        hook = make_hook(slow.url, events=["status"])
        post_status(public_repo, alice, "success")
        deliver()
        slow.wait_for(2)
    first, second = Attempt.objects.filter(delivery__hook=hook)
    assert (first.status_code, first.error) == (None, "timed out")
    assert second.status_code == 200

    gone = Receiver().start()
    url = gone.url
    gone.stop()
    closed = make_hook(url.replace("/hook", "/closed"), events=["status"])
    post_status(public_repo, alice, "failure")
    deliver()
    refused = Delivery.objects.get(hook=closed)
    assert refused.state == "failed"
    assert refused.status == "failed to connect to host"
    assert refused.attempts == 1 + len(settings.GITFORGE_WEBHOOK_RETRY_DELAYS)


def test_the_payload_is_stored_once_and_sent_byte_for_byte(
    public_repo, alice, receiver, make_hook, deliver
):
    make_hook(receiver.url, events=["status"])
    post_status(public_repo, alice, "success")
    (delivery,) = deliver()
    (received,) = receiver.wait_for(1)
    assert received.body == delivery.event.body.encode()
    assert json.loads(received.body)["context"] == "ci/build"


def test_a_deactivated_hook_gets_nothing_and_reactivated_gets_new_events(
    public_repo, alice, receiver, make_hook, deliver, owner
):
    hook = make_hook(receiver.url, events=["status"])
    url = f"/api/repos/alice/project/hooks/{hook.id}"
    assert send(owner, "patch", url, {"active": False}).status_code == 200
    post_status(public_repo, alice, "pending")
    deliver()
    assert receiver.requests == []

    assert send(owner, "patch", url, {"active": True}).status_code == 200
    public_repo.refresh_from_db()
    post_status(public_repo, alice, "success")
    deliver()
    assert [item.json()["state"] for item in receiver.wait_for(1)] == ["success"]
