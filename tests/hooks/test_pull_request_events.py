"""Pull requests send `pull_request` events for each action, and a merge sends the base's push."""

from protection.services import save_protection
from pulls.auto_merge import enable_auto_merge
from pulls.services import (
    disable_auto_merge,
    merge_pull_request,
    open_pull_request,
    update_pull_request,
)
from statuses.services import create_commit_status
from tests.helpers import bare_sha, head_of
from tests.webhooks import assert_valid_payload


def events_received(receiver, deliver, count):
    deliver()
    return [(item.header("X-GitHub-Event"), item.json()) for item in receiver.wait_for(count)]


def test_opening_editing_closing_and_reopening(public_repo, alice, receiver, make_hook, deliver):
    make_hook(receiver.url, events=["pull_request"])
    pull = open_pull_request(
        repository=public_repo, author=alice, title="Change app", head="feature", base="main"
    )
    update_pull_request(pull=pull, user=alice, permission="admin", title="Change the app")
    update_pull_request(pull=pull, user=alice, permission="admin", state="closed")
    update_pull_request(pull=pull, user=alice, permission="admin", state="open")

    received = events_received(receiver, deliver, 4)

    assert [event for event, _ in received] == ["pull_request"] * 4
    assert [payload["action"] for _, payload in received] == [
        "opened",
        "edited",
        "closed",
        "reopened",
    ]
    for _, payload in received:
        assert_valid_payload("pull_request", payload)
        assert payload["number"] == 1
        assert payload["pull_request"]["head"]["sha"] == head_of(public_repo)
    opened, edited, closed, reopened = (payload for _, payload in received)
    assert opened["pull_request"]["title"] == "Change app"
    assert edited["changes"] == {"title": {"from": "Change app"}}
    assert edited["pull_request"]["title"] == "Change the app"
    assert (closed["pull_request"]["state"], closed["pull_request"]["merged"]) == (
        "closed",
        False,
    )
    assert reopened["pull_request"]["state"] == "open"


def test_an_unchanged_edit_sends_nothing(pull, alice, receiver, make_hook, deliver):
    make_hook(receiver.url, events=["pull_request"])
    update_pull_request(pull=pull, user=alice, permission="admin", title=pull.title)
    assert deliver() == []


def test_a_merge_sends_closed_merged_and_the_push_of_the_base(
    public_repo, pull, alice, receiver, make_hook, deliver
):
    make_hook(receiver.url, events=["pull_request", "push"])
    before = bare_sha(public_repo)
    result = merge_pull_request(pull=pull, user=alice, permission="admin")

    received = dict(events_received(receiver, deliver, 2))

    closed = received["pull_request"]
    assert_valid_payload("pull_request", closed)
    assert (closed["action"], closed["pull_request"]["merged"]) == ("closed", True)
    assert closed["pull_request"]["merge_commit_sha"] == result.sha
    push = received["push"]
    assert_valid_payload("push", push)
    assert (push["ref"], push["before"], push["after"]) == ("refs/heads/main", before, result.sha)
    assert (push["created"], push["deleted"], push["forced"]) == (False, False, False)
    assert push["head_commit"]["id"] == result.sha
    assert push["commits"][-1]["id"] == result.sha
    assert push["pusher"]["name"] == "alice"
    assert push["sender"]["login"] == "alice"


def test_auto_merge_sends_enabled_disabled_then_closed_when_it_fires(
    public_repo, pull, alice, receiver, make_hook, deliver
):
    save_protection(
        repository=public_repo, pattern="main", require_status_checks=True, contexts=["ci/tests"]
    )
    make_hook(receiver.url, events=["pull_request"])
    enable_auto_merge(pull=pull, user=alice, permission="admin", method="squash")
    disable_auto_merge(pull=pull, user=alice, permission="admin")
    enable_auto_merge(pull=pull, user=alice, permission="admin", method="rebase")
    create_commit_status(
        repository=public_repo,
        sha=head_of(public_repo),
        state="success",
        context="ci/tests",
        creator=alice,
    )

    received = events_received(receiver, deliver, 4)

    actions = [payload["action"] for _, payload in received]
    assert actions == ["auto_merge_enabled", "auto_merge_disabled", "auto_merge_enabled", "closed"]
    for _, payload in received:
        assert_valid_payload("pull_request", payload)
    enabled, disabled, _, closed = (payload for _, payload in received)
    assert enabled["pull_request"]["auto_merge"]["merge_method"] == "squash"
    assert enabled["pull_request"]["auto_merge"]["enabled_by"]["login"] == "alice"
    assert disabled["reason"] == "Disabled by a user."
    assert disabled["pull_request"]["auto_merge"] is None
    assert closed["pull_request"]["merged"] is True
    assert closed["pull_request"]["auto_merge"] is None
