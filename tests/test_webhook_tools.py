"""The webhook test tools fail when they should, so a passing delivery test means something."""

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from tests.webhooks import (
    SPEC_PATH,
    Received,
    Receiver,
    assert_valid_payload,
    verify_signatures,
)

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
ZERO = "0" * 40
SHA = "a" * 40


def post(url, body=b"{}", headers=None, timeout=5):
    """POST and return the status, HTTP errors included."""
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def post_or_error(url):
    try:
        return post(url)
    except OSError as error:
        return error


def ping_example():
    """The ping payload GitHub's description gives as its example."""
    return json.loads(SPEC_PATH.read_text())["components"]["examples"]["ping"]["value"]


def push_payload():
    """A branch creation push; its repository is the push event's own variant of the schema."""
    repository = {
        **ping_example()["repository"],
        "created_at": 1557933642,
        "pushed_at": 1557933633,
        "has_discussions": False,
        "topics": [],
        "visibility": "public",
    }
    return {
        "ref": "refs/heads/main",
        "before": ZERO,
        "after": SHA,
        "created": True,
        "deleted": False,
        "forced": False,
        "base_ref": None,
        "compare": "https://forge.example/o/r/compare/main",
        "commits": [],
        "head_commit": None,
        "repository": repository,
        "pusher": {"name": "alice", "email": "alice@example.com"},
    }


# Payloads ------------------------------------------------------------------------------------


def test_valid_payloads_pass():
    assert_valid_payload("ping", ping_example())
    assert_valid_payload("push", push_payload())


def test_a_missing_required_field_fails():
    ping = ping_example()
    del ping["hook"]["created_at"]
    with pytest.raises(AssertionError, match=r"\$\.hook: 'created_at' is a required property"):
        assert_valid_payload("ping", ping)

    push = push_payload()
    del push["pusher"]
    with pytest.raises(AssertionError, match="'pusher' is a required property"):
        assert_valid_payload("push", push)


def test_a_null_pushed_at_fails_in_push_payloads():
    """The push schema's repository takes timestamps as integers or strings, never null."""
    push = push_payload()
    push["repository"]["pushed_at"] = None
    with pytest.raises(AssertionError, match=r"\$\.repository\.pushed_at"):
        assert_valid_payload("push", push)


def test_pull_request_payloads_are_checked_against_the_given_action():
    with pytest.raises(AssertionError, match=r"\$\.action: 'opened' is not one of \['closed'\]"):
        assert_valid_payload("pull_request", {"action": "opened"}, action="closed")
    with pytest.raises(ValueError, match="no webhook schema 'issues'"):
        assert_valid_payload("issues", {})


# Receiver ------------------------------------------------------------------------------------


def test_receiver_answers_the_scripted_statuses_in_order():
    with Receiver(responses=[500, 503, 200]) as receiver:
        assert [post(receiver.url) for _ in range(4)] == [500, 503, 200, 200]
        assert len(receiver.wait_for(4)) == 4


def test_receiver_records_requests():
    payload = {"zen": "Keep it logically awesome."}
    with Receiver() as receiver:
        post(receiver.url, json.dumps(payload).encode(), {"X-GitHub-Event": "ping"})
        form = urlencode({"payload": json.dumps(payload)}).encode()
        post(receiver.url, form, {"Content-Type": "application/x-www-form-urlencoded"})
        as_json, as_form = receiver.wait_for(2)
    assert (as_json.method, as_json.path) == ("POST", "/hook")
    assert as_json.header("x-github-event") == "ping"
    assert as_json.header("X-Hub-Signature") is None
    assert as_json.json() == as_form.json() == payload


def test_wait_for_fails_with_what_arrived():
    with Receiver() as receiver:
        post(receiver.url, b'{"zen": "x"}')
        with pytest.raises(AssertionError, match=r"expected 2 request\(s\).*got 1:\n  POST /hook"):
            receiver.wait_for(2, timeout=0.2)


def test_stop_does_not_wait_for_a_delayed_answer():
    receiver = Receiver(delay=30).start()
    outcome = []
    client = threading.Thread(target=lambda: outcome.append(post_or_error(receiver.url)))
    client.start()
    assert receiver.first_request_started.wait(5)
    started = time.monotonic()
    receiver.stop()
    client.join(2)
    assert time.monotonic() - started < 2
    assert len(receiver.requests) == 1
    assert outcome and isinstance(outcome[0], ConnectionError), outcome


def test_delays_follow_their_script():
    with Receiver(delay=[0.5, 0]) as receiver:
        with pytest.raises(TimeoutError):
            post(receiver.url, timeout=0.1)
        assert post(receiver.url, timeout=0.4) == 200


# Signatures ----------------------------------------------------------------------------------


def signed(secret, body):
    return Received(
        "POST",
        "/hook",
        {
            "X-Hub-Signature-256": "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest(),
            "X-Hub-Signature": "sha1=" + hmac.new(secret, body, hashlib.sha1).hexdigest(),
        },
        body,
    )


def test_verify_signatures_accepts_the_right_secret():
    verify_signatures("s3cret", signed(b"s3cret", b'{"zen": "x"}'))


def test_verify_signatures_rejects_a_wrong_secret_body_or_missing_header():
    with pytest.raises(AssertionError, match="X-Hub-Signature-256 is"):
        verify_signatures("other", signed(b"s3cret", b'{"zen": "x"}'))
    tampered = signed(b"s3cret", b'{"zen": "x"}')
    with pytest.raises(AssertionError, match="X-Hub-Signature-256 is"):
        verify_signatures("s3cret", Received("POST", "/hook", tampered.headers, b'{"zen": "y"}'))
    sha256_only = {"X-Hub-Signature-256": tampered.headers["X-Hub-Signature-256"]}
    with pytest.raises(AssertionError, match="X-Hub-Signature missing"):
        verify_signatures("s3cret", Received("POST", "/hook", sha256_only, tampered.body))
