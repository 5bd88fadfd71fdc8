"""The repository webhooks REST API over the test client: hooks, config, pings, tests,
deliveries and redelivery, validation, and who may reach them with which token scopes."""

import base64
import json

import pytest

from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import set_collaborator
from hooks.models import Delivery, Event, Hook
from statuses.services import create_commit_status
from tests.helpers import assert_error, bare_sha, send, token_client
from tests.hooks.conftest import SECRET
from tests.openapi import assert_matches_spec
from tests.webhooks import Receiver, assert_valid_payload, verify_signatures

HOOKS = "/api/repos/alice/project/hooks"
SPEC_HOOKS = "/repos/{owner}/{repo}/hooks"
SPEC_HOOK = SPEC_HOOKS + "/{hook_id}"
SPEC_CONFIG = SPEC_HOOK + "/config"
SPEC_DELIVERIES = SPEC_HOOK + "/deliveries"
SPEC_DELIVERY = SPEC_DELIVERIES + "/{delivery_id}"
SPEC_ATTEMPTS = SPEC_DELIVERY + "/attempts"
HOOK_SCOPES = "admin:repo_hook, read:repo_hook, repo, write:repo_hook"


def hook_body(url, **fields):
    return {
        "name": "web",
        "config": {"url": url, "content_type": "json", "secret": SECRET},
        **fields,
    }


def create(client, url, prefix="/api", **fields):
    return send(client, "post", f"{prefix}/repos/alice/project/hooks", hook_body(url, **fields))


def errors_of(response):
    return response.json().get("errors")


def post_status(repository, user, state="success"):
    return create_commit_status(
        repository=repository, sha=bare_sha(repository), state=state, context="ci", creator=user
    )


# Creating ------------------------------------------------------------------------------------


def test_create_answers_201_masks_the_secret_and_pings_the_receiver(
    owner, public_repo, alice, receiver, deliver
):
    response = send(
        owner,
        "post",
        HOOKS,
        {"config": {"url": receiver.url, "content_type": "json", "secret": SECRET}},
    )

    assert_matches_spec(response, "post", SPEC_HOOKS, 201)
    body = response.json()
    hook = Hook.objects.get()
    assert body["id"] == hook.id
    assert response["Location"] == body["url"] == f"http://testserver{HOOKS}/{hook.id}"
    assert (body["name"], body["type"], body["events"], body["active"]) == (
        "web",
        "Repository",
        ["push"],
        True,
    )
    assert body["config"] == {
        "url": receiver.url,
        "content_type": "json",
        "insecure_ssl": "0",
        "secret": "********",
    }
    assert SECRET.encode() not in response.content
    assert body["ping_url"] == f"{body['url']}/pings"
    assert body["deliveries_url"] == f"{body['url']}/deliveries"
    assert (hook.secret, hook.events, hook.active) == (SECRET, ["push"], True)
    # The ping is queued with the hook, not sent inside the request.
    assert receiver.requests == []
    assert Delivery.objects.get(hook=hook).event.name == "ping"

    deliver()

    (received,) = receiver.wait_for(1)
    assert received.header("X-GitHub-Event") == "ping"
    assert received.header("X-GitHub-Hook-ID") == str(hook.id)
    verify_signatures(SECRET, received)
    payload = received.json()
    assert_valid_payload("ping", payload)
    assert payload["hook_id"] == payload["hook"]["id"] == hook.id
    assert payload["hook"]["events"] == ["push"]
    assert payload["repository"]["full_name"] == "alice/project"
    assert payload["sender"]["login"] == "alice"
    assert SECRET.encode() not in received.body
    assert Delivery.objects.get(hook=hook).state == Delivery.DELIVERED


def test_create_through_api_v3_keeps_the_prefix_in_urls(owner, public_repo, receiver):
    response = create(owner, receiver.url, prefix="/api/v3", events=["push", "status"])

    assert_matches_spec(response, "post", SPEC_HOOKS, 201)
    hook_id = response.json()["id"]
    expected = f"http://testserver/api/v3/repos/alice/project/hooks/{hook_id}"
    assert response["Location"] == response.json()["url"] == expected
    assert response.json()["events"] == ["push", "status"]

    listed = owner.get("/api/v3/repos/alice/project/hooks")
    assert_matches_spec(listed, "get", SPEC_HOOKS, 200)
    assert [item["url"] for item in listed.json()] == [expected]


def test_create_inactive_with_explicit_events_and_form_content(owner, public_repo, receiver):
    response = send(
        owner,
        "post",
        HOOKS,
        {
            "config": {"url": receiver.url, "content_type": "form", "insecure_ssl": 1},
            "events": ["pull_request", "status"],
            "active": False,
        },
    )

    assert_matches_spec(response, "post", SPEC_HOOKS, 201)
    body = response.json()
    assert (body["events"], body["active"]) == (["pull_request", "status"], False)
    assert body["config"] == {"url": receiver.url, "content_type": "form", "insecure_ssl": "1"}
    hook = Hook.objects.get()
    assert (hook.secret, hook.insecure_ssl, hook.content_type) == ("", True, "form")


# Reading, editing, deleting ------------------------------------------------------------------


def test_list_and_get_match_the_spec(owner, public_repo, private_repo, alice, make_hook):
    first = make_hook("http://127.0.0.1:9/one", events=["push"])
    second = make_hook("http://127.0.0.1:9/two", events=["status"])

    listed = owner.get(HOOKS)
    assert_matches_spec(listed, "get", SPEC_HOOKS, 200)
    assert [item["id"] for item in listed.json()] == [first.id, second.id]
    assert [item["config"]["secret"] for item in listed.json()] == ["********"] * 2
    assert SECRET.encode() not in listed.content

    one = owner.get(f"{HOOKS}/{second.id}")
    assert_matches_spec(one, "get", SPEC_HOOK, 200)
    assert one.json() == listed.json()[1]
    assert one.json()["last_response"] == {"code": None, "status": "unused", "message": None}

    # A hook is only found under its own repository.
    other = Hook.objects.create(repository=private_repo, url="http://127.0.0.1:9/x")
    assert_error(owner.get(f"{HOOKS}/{other.id}"), 404, "Not Found")
    assert_error(owner.get(f"{HOOKS}/999999"), 404, "Not Found")


def test_patch_replaces_adds_and_removes_events_and_toggles_active(owner, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook", events=["push"])
    url = f"{HOOKS}/{hook.id}"

    replaced = send(owner, "patch", url, {"events": ["push", "status"]})
    assert_matches_spec(replaced, "patch", SPEC_HOOK, 200)
    assert replaced.json()["events"] == ["push", "status"]

    added = send(owner, "patch", url, {"add_events": ["pull_request", "push"]})
    assert_matches_spec(added, "patch", SPEC_HOOK, 200)
    assert added.json()["events"] == ["push", "status", "pull_request"]

    removed = send(owner, "patch", url, {"remove_events": ["status"]})
    assert removed.json()["events"] == ["push", "pull_request"]

    inactive = send(owner, "patch", url, {"active": False})
    assert_matches_spec(inactive, "patch", SPEC_HOOK, 200)
    assert inactive.json()["active"] is False
    hook.refresh_from_db()
    assert (hook.events, hook.active) == (["push", "pull_request"], False)
    assert owner.get(url).json()["events"] == ["push", "pull_request"]


def test_an_inactive_hook_is_sent_no_events(owner, public_repo, alice, make_hook, deliver):
    with Receiver() as off, Receiver() as on:
        inactive = make_hook(off.url, events=["status"])
        make_hook(on.url, events=["status"])
        patched = send(owner, "patch", f"{HOOKS}/{inactive.id}", {"active": False})
        assert patched.status_code == 200

        post_status(public_repo, alice)
        deliver()

        (received,) = on.wait_for(1)
        assert received.header("X-GitHub-Event") == "status"
        assert off.requests == []
    assert not Delivery.objects.filter(hook=inactive).exists()


def test_patch_config_changes_url_and_content_type(owner, receiver, make_hook):
    hook = make_hook("http://127.0.0.1:9/old", events=["push"])

    response = send(
        owner,
        "patch",
        f"{HOOKS}/{hook.id}",
        {"config": {"url": receiver.url, "content_type": "form", "secret": "other"}},
    )

    assert_matches_spec(response, "patch", SPEC_HOOK, 200)
    config = response.json()["config"]
    assert (config["url"], config["content_type"], config["secret"]) == (
        receiver.url,
        "form",
        "********",
    )
    hook.refresh_from_db()
    assert (hook.url, hook.content_type, hook.secret) == (receiver.url, "form", "other")


def test_patch_config_without_the_secret_removes_it(owner, receiver, make_hook, deliver):
    """GitHub: "If you previously had a secret set, you must provide the same secret or set a
    new secret or the secret will be removed." (PATCH /hooks/{id} replaces the whole config.)"""
    hook = make_hook("http://127.0.0.1:9/old", events=["push"])

    response = send(
        owner,
        "patch",
        f"{HOOKS}/{hook.id}",
        {"config": {"url": receiver.url, "content_type": "json"}},
    )

    assert_matches_spec(response, "patch", SPEC_HOOK, 200)
    assert "secret" not in response.json()["config"]
    hook.refresh_from_db()
    assert hook.secret == ""
    assert send(owner, "post", f"{HOOKS}/{hook.id}/pings").status_code == 204
    deliver()
    (received,) = receiver.wait_for(1)
    assert received.header("X-Hub-Signature-256") is None


def test_delete_answers_204_then_404(owner, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook", keep_ping=True)
    url = f"{HOOKS}/{hook.id}"

    response = owner.delete(url)

    assert response.status_code == 204
    assert response.content == b""
    assert not Hook.objects.filter(pk=hook.id).exists()
    assert not Delivery.objects.filter(hook_id=hook.id).exists()
    assert_error(owner.get(url), 404, "Not Found")
    assert_error(owner.delete(url), 404, "Not Found")
    assert_error(owner.get(f"{url}/deliveries"), 404, "Not Found")


# Config --------------------------------------------------------------------------------------


def test_config_get_and_patch_keep_the_secret_write_only(owner, receiver, make_hook, deliver):
    hook = make_hook(receiver.url, events=["push"])
    url = f"{HOOKS}/{hook.id}/config"

    shown = owner.get(url)
    assert_matches_spec(shown, "get", SPEC_CONFIG, 200)
    assert shown.json() == {
        "url": receiver.url,
        "content_type": "json",
        "insecure_ssl": "0",
        "secret": "********",
    }

    changed = send(owner, "patch", url, {"secret": "a new secret", "insecure_ssl": "1"})
    assert_matches_spec(changed, "patch", SPEC_CONFIG, 200)
    # Only the given fields change: url and content_type stay.
    assert changed.json() == {
        "url": receiver.url,
        "content_type": "json",
        "insecure_ssl": "1",
        "secret": "********",
    }
    assert b"a new secret" not in changed.content

    assert send(owner, "post", f"{HOOKS}/{hook.id}/pings").status_code == 204
    deliver()
    (received,) = receiver.wait_for(1)
    verify_signatures("a new secret", received)
    with pytest.raises(AssertionError):
        verify_signatures(SECRET, received)


def test_config_patch_refuses_bad_values_and_changes_nothing(owner, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook", events=["push"])
    url = f"{HOOKS}/{hook.id}/config"

    bad_type = send(owner, "patch", url, {"content_type": "xml"})
    assert_error(bad_type, 422, "Validation Failed")
    assert {"resource": "Hook", "field": "content_type", "code": "invalid"} in errors_of(bad_type)

    bad_url = send(owner, "patch", url, {"url": "ftp://example.com/hook"})
    assert_error(bad_url, 422, "Validation Failed")

    not_json = owner.generic("PATCH", url, "{", content_type="application/json")
    assert_error(not_json, 400, "Problems parsing JSON")

    hook.refresh_from_db()
    assert (hook.url, hook.content_type) == ("http://127.0.0.1:9/hook", "json")


# Pings and tests -----------------------------------------------------------------------------


def test_ping_answers_204_and_sends_a_ping(owner, receiver, make_hook, deliver):
    hook = make_hook(receiver.url, events=["status"])

    response = owner.post(f"{HOOKS}/{hook.id}/pings")

    assert response.status_code == 204
    delivery = Delivery.objects.get(hook=hook)
    assert delivery.event.name == "ping"
    deliver()
    (received,) = receiver.wait_for(1)
    assert received.header("X-GitHub-Event") == "ping"
    assert received.header("X-GitHub-Delivery") == str(delivery.guid)
    verify_signatures(SECRET, received)
    payload = received.json()
    assert_valid_payload("ping", payload)
    assert payload["hook"]["events"] == ["status"]


def test_test_sends_a_push_of_the_default_branch_head(
    owner, public_repo, receiver, make_hook, deliver
):
    hook = make_hook(receiver.url, events=["push"])
    head = bare_sha(public_repo)
    parent = GitRepository(public_repo.id).commit(head).parents[0]

    response = owner.post(f"{HOOKS}/{hook.id}/tests")

    assert response.status_code == 204
    deliver()
    (received,) = receiver.wait_for(1)
    assert received.header("X-GitHub-Event") == "push"
    verify_signatures(SECRET, received)
    payload = received.json()
    assert_valid_payload("push", payload)
    assert (payload["ref"], payload["before"], payload["after"]) == (
        "refs/heads/main",
        parent,
        head,
    )
    assert payload["head_commit"]["id"] == head
    assert payload["repository"]["full_name"] == "alice/project"
    assert payload["sender"]["login"] == "alice"


def test_the_old_test_route_also_sends_a_push(owner, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook", events=["push"])
    assert owner.post(f"{HOOKS}/{hook.id}/test").status_code == 204
    assert [d.event.name for d in Delivery.objects.filter(hook=hook)] == ["push"]


def test_test_sends_nothing_to_a_hook_not_subscribed_to_push(owner, make_hook):
    """GitHub: "If the hook is not subscribed to push events, the server will respond with 204
    but no test POST will be generated." """
    hook = make_hook("http://127.0.0.1:9/hook", events=["status"])

    response = owner.post(f"{HOOKS}/{hook.id}/tests")

    assert response.status_code == 204
    assert list(Delivery.objects.filter(hook=hook)) == []


# Deliveries and redelivery -------------------------------------------------------------------


def test_deliveries_list_and_detail_match_the_spec(
    owner, public_repo, alice, receiver, make_hook, deliver
):
    hook = make_hook(receiver.url, events=["push", "status"], keep_ping=True)
    owner.post(f"{HOOKS}/{hook.id}/tests")
    post_status(public_repo, alice)
    deliver()
    received = receiver.wait_for(3)

    listed = owner.get(f"{HOOKS}/{hook.id}/deliveries")

    assert_matches_spec(listed, "get", SPEC_DELIVERIES, 200)
    items = listed.json()
    assert [item["event"] for item in items] == ["status", "push", "ping"]  # newest first
    assert [item["guid"] for item in reversed(items)] == [
        request.header("X-GitHub-Delivery") for request in received
    ]
    assert {(i["status"], i["status_code"], i["redelivery"]) for i in items} == {("OK", 200, False)}
    assert {item["repository_id"] for item in items} == {public_repo.id}

    push_id = items[1]["id"]
    detail = owner.get(f"{HOOKS}/{hook.id}/deliveries/{push_id}")

    assert_matches_spec(detail, "get", SPEC_DELIVERY, 200)
    body = detail.json()
    assert (body["id"], body["event"], body["url"]) == (push_id, "push", receiver.url)
    assert body["request"]["headers"]["X-GitHub-Event"] == "push"
    assert body["request"]["headers"]["X-GitHub-Delivery"] == items[1]["guid"]
    assert body["request"]["payload"] == received[1].json()
    assert body["request"]["payload"]["ref"] == "refs/heads/main"
    assert body["response"]["payload"] == "ok"
    assert body["response"]["headers"]["Content-Type"] == "text/plain"

    assert_error(owner.get(f"{HOOKS}/{hook.id}/deliveries/999999"), 404, "Not Found")
    # A delivery is only found under its own hook.
    other = make_hook("http://127.0.0.1:9/other")
    assert_error(owner.get(f"{HOOKS}/{other.id}/deliveries/{push_id}"), 404, "Not Found")
    redelivered = owner.post(f"{HOOKS}/{other.id}/deliveries/{push_id}/attempts")
    assert_error(redelivered, 404, "Not Found")


def test_a_pending_delivery_is_listed_before_any_attempt(owner, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook", keep_ping=True)

    listed = owner.get(f"{HOOKS}/{hook.id}/deliveries")
    assert_matches_spec(listed, "get", SPEC_DELIVERIES, 200)
    (item,) = listed.json()
    assert (item["event"], item["status"], item["attempts"]) == ("ping", "pending", 0)

    detail = owner.get(f"{HOOKS}/{hook.id}/deliveries/{item['id']}")
    assert_matches_spec(detail, "get", SPEC_DELIVERY, 200)
    assert detail.json()["request"]["headers"] is None
    assert detail.json()["request"]["payload"]["hook_id"] == hook.id


def test_redelivery_sends_the_same_guid_again(owner, receiver, make_hook, deliver):
    hook = make_hook(receiver.url, keep_ping=True)
    deliver()
    (first,) = receiver.wait_for(1)
    original = Delivery.objects.get(hook=hook)

    response = owner.post(f"{HOOKS}/{hook.id}/deliveries/{original.id}/attempts")

    assert_matches_spec(response, "post", SPEC_ATTEMPTS, 202)
    again = Delivery.objects.filter(hook=hook).exclude(pk=original.pk).get()
    assert (again.guid, again.redelivery, again.event_id) == (
        original.guid,
        True,
        original.event_id,
    )
    deliver()
    first, second = receiver.wait_for(2)
    assert second.header("X-GitHub-Delivery") == first.header("X-GitHub-Delivery")
    assert second.header("X-GitHub-Delivery") == str(original.guid)
    assert second.body == first.body
    verify_signatures(SECRET, second)

    listed = owner.get(f"{HOOKS}/{hook.id}/deliveries").json()
    assert [(item["id"], item["redelivery"]) for item in listed] == [
        (again.id, True),
        (original.id, False),
    ]
    assert listed[0]["status"] == "OK"
    assert owner.post(f"{HOOKS}/{hook.id}/deliveries/999999/attempts").status_code == 404


def test_credentials_in_the_url_are_sent_as_basic_auth(owner, public_repo, receiver, deliver):
    """GitHub sends a payload URL's user:password as HTTP basic authentication."""
    url = receiver.url.replace("http://", "http://hook-user:hook%20pass@")
    assert send(owner, "post", HOOKS, {"config": {"url": url}}).status_code == 201

    deliver()

    (received,) = receiver.wait_for(1)
    expected = base64.b64encode(b"hook-user:hook pass").decode()
    assert received.header("Authorization") == f"Basic {expected}"


# Validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"config": {"content_type": "json"}}, "url", "missing_field"),
        ({}, "config", "missing_field"),
        ({"config": {"url": "ftp://example.com/hook"}}, "url", "invalid"),
        ({"config": {"url": "example.com/hook"}}, "url", "invalid"),
        (
            {"config": {"url": "https://example.com/h", "content_type": "xml"}},
            "content_type",
            "invalid",
        ),
        (
            {"config": {"url": "https://example.com/h", "insecure_ssl": "2"}},
            "insecure_ssl",
            "invalid",
        ),
        ({"config": {"url": "https://example.com/h", "secret": 42}}, "secret", "invalid"),
        ({"config": {"url": "https://example.com/h"}, "events": "push"}, "events", "invalid"),
        ({"config": {"url": "https://example.com/h"}, "events": ["push", 1]}, "events", "invalid"),
        ({"config": {"url": "https://example.com/h"}, "events": ["Push!"]}, "events", "invalid"),
        ({"config": {"url": "https://example.com/h"}, "active": "yes"}, "active", "invalid"),
        ({"config": {"url": "https://example.com/h"}, "name": "travis"}, "name", "invalid"),
        ({"config": "https://example.com/h"}, "config", "invalid"),
    ],
)
def test_create_refuses_bad_input_and_creates_nothing(owner, public_repo, body, field, code):
    response = send(owner, "post", HOOKS, body)

    assert_error(response, 422, "Validation Failed")
    assert_matches_spec(response, "post", SPEC_HOOKS, 422)
    assert {"resource": "Hook", "field": field, "code": code} in errors_of(response)
    assert Hook.objects.count() == 0
    assert Event.objects.count() == 0


def test_create_refuses_a_url_the_repository_already_has(owner, public_repo, make_hook):
    make_hook("http://127.0.0.1:9/hook", events=["push"])

    response = create(owner, "http://127.0.0.1:9/hook", events=["push"])

    assert_error(response, 422, "Validation Failed")
    assert [error["message"] for error in errors_of(response)] == [
        "Hook already exists on this repository"
    ]
    assert Hook.objects.count() == 1


def test_the_same_url_with_disjoint_events_is_another_hook(owner, public_repo, make_hook):
    """GitHub: "Multiple webhooks can share the same config as long as those webhooks do not
    have any events that overlap." """
    make_hook("http://127.0.0.1:9/hook", events=["push"], secret=SECRET)

    response = create(owner, "http://127.0.0.1:9/hook", events=["status"])

    assert response.status_code == 201, response.content
    assert Hook.objects.count() == 2


def test_create_refuses_a_body_that_is_not_json(owner, public_repo):
    response = owner.generic("POST", HOOKS, '{"config": ', content_type="application/json")

    assert_error(response, 400, "Problems parsing JSON")
    assert Hook.objects.count() == 0


def test_a_malformed_url_is_refused_not_a_server_error(owner, public_repo, make_hook):
    """An unclosed IPv6 bracket makes urlsplit raise ValueError: it must be a 422."""
    owner.raise_request_exception = False
    hook = make_hook("http://127.0.0.1:9/hook", events=["push"])

    created = send(owner, "post", HOOKS, {"config": {"url": "http://[::1"}})
    by_config = send(owner, "patch", f"{HOOKS}/{hook.id}/config", {"url": "http://[::1"})
    by_hook = send(owner, "patch", f"{HOOKS}/{hook.id}", {"config": {"url": "http://[::1"}})

    for response in (created, by_config, by_hook):
        assert_error(response, 422, "Validation Failed")
        assert errors_of(response)[0]["field"] == "url"
    assert list(Hook.objects.values_list("url", flat=True)) == ["http://127.0.0.1:9/hook"]


def test_patch_refuses_bad_input_and_changes_nothing(owner, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook", events=["push"])
    make_hook("http://127.0.0.1:9/other", events=["push"])
    url = f"{HOOKS}/{hook.id}"

    for body in (
        {"events": "status"},
        {"add_events": [3]},
        {"config": {"url": "ftp://example.com/x"}},
        {"config": {"content_type": "xml"}},
        {"config": {"url": "http://127.0.0.1:9/other"}},
        {"active": "no"},
    ):
        assert_error(send(owner, "patch", url, body), 422, "Validation Failed")

    hook.refresh_from_db()
    assert (hook.url, hook.events, hook.content_type, hook.active) == (
        "http://127.0.0.1:9/hook",
        ["push"],
        "json",
        True,
    )


# Authorization -------------------------------------------------------------------------------


def test_anonymous_callers_need_authentication_on_public_and_find_nothing_private(
    anonymous, public_repo, private_repo, make_hook
):
    hook = make_hook("http://127.0.0.1:9/hook")

    assert_error(anonymous.get(HOOKS), 401, "Requires authentication")
    assert_error(anonymous.get(f"{HOOKS}/{hook.id}"), 401, "Requires authentication")
    created = send(anonymous, "post", HOOKS, hook_body("http://127.0.0.1:9/new"))
    assert_error(created, 401, "Requires authentication")
    assert_error(anonymous.delete(f"{HOOKS}/{hook.id}"), 401, "Requires authentication")
    assert_error(anonymous.post(f"{HOOKS}/{hook.id}/pings"), 401, "Requires authentication")

    secret_hooks = "/api/repos/alice/secret/hooks"
    assert_error(anonymous.get(secret_hooks), 404, "Not Found")
    posted = send(anonymous, "post", secret_hooks, hook_body("http://127.0.0.1:9/new"))
    assert_error(posted, 404, "Not Found")
    assert list(Hook.objects.values_list("id", flat=True)) == [hook.id]


def test_a_pull_collaborator_finds_no_hooks_on_a_private_repository(bob, private_repo):
    """GitHub answers 404 to non-admins on a private repository's hook routes."""
    hook = Hook.objects.create(repository=private_repo, url="http://127.0.0.1:9/hook")
    client = token_client(bob)
    secret_hooks = "/api/repos/alice/secret/hooks"

    assert_error(client.get(secret_hooks), 404, "Not Found")
    assert_error(client.get(f"{secret_hooks}/{hook.id}"), 404, "Not Found")
    posted = send(client, "post", secret_hooks, hook_body("http://127.0.0.1:9/new"))
    assert_error(posted, 404, "Not Found")
    assert Hook.objects.count() == 1


def test_a_stranger_finds_no_hooks_on_a_private_repository(charlie, private_repo):
    client = token_client(charlie)
    assert_error(client.get("/api/repos/alice/secret/hooks"), 404, "Not Found")
    posted = send(client, "post", "/api/repos/alice/secret/hooks", hook_body("http://x.test/"))
    assert_error(posted, 404, "Not Found")


def test_non_admins_on_a_public_repository_need_admin_rights(bob, charlie, public_repo, make_hook):
    set_collaborator(repository=public_repo, user=bob, permission="push")
    hook = make_hook("http://127.0.0.1:9/hook")
    message = "Must have admin rights to Repository."

    for user in (bob, charlie):
        client = token_client(user)
        assert_error(client.get(HOOKS), 403, message)
        assert_error(client.get(f"{HOOKS}/{hook.id}/config"), 403, message)
        created = send(client, "post", HOOKS, hook_body("http://127.0.0.1:9/new"))
        assert_error(created, 403, message)
        patched = send(client, "patch", f"{HOOKS}/{hook.id}", {"active": False})
        assert_error(patched, 403, message)
        assert_error(client.delete(f"{HOOKS}/{hook.id}"), 403, message)
        assert_error(client.post(f"{HOOKS}/{hook.id}/pings"), 403, message)

    assert list(Hook.objects.values_list("id", "active")) == [(hook.id, True)]
    assert Delivery.objects.count() == 0


def test_a_repo_status_token_is_refused_naming_the_hook_scopes(alice, public_repo, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook")
    client = token_client(alice, scopes=("repo:status",))

    for response in (
        client.get(HOOKS),
        send(client, "post", HOOKS, hook_body("http://127.0.0.1:9/new")),
        client.delete(f"{HOOKS}/{hook.id}"),
    ):
        assert response.status_code == 403, response.content
        message = response.json()["message"]
        assert message.startswith("Resource not accessible by this token"), message
        assert "'repo'" in message
        assert "'admin:repo_hook'" in message
    assert Hook.objects.count() == 1


def test_a_read_repo_hook_token_reads_but_cannot_write(alice, public_repo, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook", keep_ping=True)
    client = token_client(alice, scopes=("read:repo_hook",))
    url = f"{HOOKS}/{hook.id}"

    listed = client.get(HOOKS)
    assert_matches_spec(listed, "get", SPEC_HOOKS, 200)
    assert listed["X-Accepted-OAuth-Scopes"] == HOOK_SCOPES
    assert listed["X-OAuth-Scopes"] == "read:repo_hook"
    assert client.get(url).status_code == 200
    assert client.get(f"{url}/config").status_code == 200
    assert client.get(f"{url}/deliveries").status_code == 200

    refusals = [
        send(client, "post", HOOKS, hook_body("http://127.0.0.1:9/new")),
        send(client, "patch", url, {"active": False}),
        send(client, "patch", f"{url}/config", {"secret": "stolen"}),
        client.delete(url),
    ]
    for response in refusals:
        assert response.status_code == 403, response.content
        message = response.json()["message"]
        assert "'admin:repo_hook'" in message and "'read:repo_hook'" not in message, message
    hook.refresh_from_db()
    assert (Hook.objects.count(), hook.active, hook.secret) == (1, True, SECRET)


def test_a_write_repo_hook_token_creates_and_edits_but_cannot_delete(alice, public_repo, receiver):
    client = token_client(alice, scopes=("write:repo_hook",))

    created = create(client, receiver.url)
    assert created.status_code == 201, created.content
    url = created.json()["url"].removeprefix("http://testserver")
    patched = send(client, "patch", url, {"add_events": ["status"]})
    assert patched.json()["events"] == ["push", "status"]

    refused = client.delete(url)

    assert refused.status_code == 403
    assert refused["X-Accepted-OAuth-Scopes"] == "admin:repo_hook, repo"
    message = refused.json()["message"]
    assert "'admin:repo_hook'" in message and "'repo'" in message
    assert "'write:repo_hook'" not in message
    assert Hook.objects.count() == 1


def test_an_admin_repo_hook_token_deletes(alice, public_repo, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook")
    client = token_client(alice, scopes=("admin:repo_hook",))

    response = client.delete(f"{HOOKS}/{hook.id}")

    assert response.status_code == 204
    assert response["X-Accepted-OAuth-Scopes"] == "admin:repo_hook, repo"
    assert response["X-OAuth-Scopes"] == "admin:repo_hook"
    assert Hook.objects.count() == 0


def test_a_repo_token_reads_with_the_hook_scopes_accepted(owner, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook")
    response = owner.get(f"{HOOKS}/{hook.id}")
    assert response.status_code == 200
    assert response["X-Accepted-OAuth-Scopes"] == HOOK_SCOPES
    assert json.loads(response.content)["id"] == hook.id


def test_a_second_hook_on_another_receiver_gets_its_own_ping(owner, public_repo, deliver):
    with Receiver() as one, Receiver() as two:
        create(owner, one.url)
        create(owner, two.url)
        deliver()
        (first,) = one.wait_for(1)
        (second,) = two.wait_for(1)
    assert first.header("X-GitHub-Hook-ID") != second.header("X-GitHub-Hook-ID")
    assert first.header("X-GitHub-Delivery") != second.header("X-GitHub-Delivery")
