"""PyGithub, a real GitHub client, manages repository webhooks against a live server; the
pings and test push it asks for reach a real receiver, signed."""

import pytest
from github import Auth, Github, GithubException, UnknownObjectException

from gitforge.accounts.services import create_personal_access_token
from hooks.models import Hook
from tests.helpers import bare_sha
from tests.webhooks import assert_valid_payload, verify_signatures

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "s3cret"


@pytest.fixture
def github_for(live_server):
    """Make PyGithub clients; close them after the test so the server drops its DB sessions."""
    clients = []

    def connect(user, *, prefix="/api/v3", scopes=("repo",)):
        _, secret = create_personal_access_token(user=user, name="pygithub", scopes=list(scopes))
        client = Github(
            auth=Auth.Token(secret),
            base_url=live_server.url + prefix,
            retry=None,
            timeout=10,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        clients.append(client)
        return client

    yield connect
    for client in clients:
        client.close()


def test_a_hook_round_trip(github_for, live_server, alice, public_repo, receiver, deliver):
    repo = github_for(alice).get_repo("alice/project")

    hook = repo.create_hook(
        "web",
        {"url": receiver.url, "content_type": "json", "secret": SECRET},
        events=["push", "pull_request"],
        active=True,
    )

    assert hook.id == Hook.objects.get().id
    assert hook.url == f"{live_server.url}/api/v3/repos/alice/project/hooks/{hook.id}"
    assert (hook.name, hook.events, hook.active) == ("web", ["push", "pull_request"], True)
    assert (hook.config["url"], hook.config["content_type"]) == (receiver.url, "json")
    assert hook.config.get("secret") == "********"
    assert SECRET not in str(hook.raw_data)

    assert [listed.id for listed in repo.get_hooks()] == [hook.id]
    fetched = repo.get_hook(hook.id)
    assert (fetched.events, fetched.config["url"]) == (["push", "pull_request"], receiver.url)
    assert fetched.last_response.status == "unused"

    hook.edit(
        "web",
        {"url": receiver.url, "content_type": "json", "secret": SECRET},
        events=["push"],
        add_events=["status"],
    )
    assert hook.events == ["push", "status"]
    assert repo.get_hook(hook.id).events == ["push", "status"]

    hook.ping()
    hook.test()
    pending = list(repo.get_hook_deliveries(hook.id))
    assert [(item.event, item.status) for item in pending] == [
        ("push", "pending"),
        ("ping", "pending"),
        ("ping", "pending"),
    ]

    deliver()

    created_ping, ping, push = receiver.wait_for(3)
    for received in (created_ping, ping, push):
        verify_signatures(SECRET, received)
        assert received.header("X-GitHub-Hook-ID") == str(hook.id)
    assert ping.header("X-GitHub-Event") == "ping"
    assert_valid_payload("ping", ping.json())
    assert ping.json()["hook"]["events"] == ["push", "status"]
    assert push.header("X-GitHub-Event") == "push"
    assert_valid_payload("push", push.json())
    assert push.json()["after"] == bare_sha(public_repo)

    summaries = list(repo.get_hook_deliveries(hook.id))
    assert [(item.event, item.status, item.status_code) for item in summaries] == [
        ("push", "OK", 200),
        ("ping", "OK", 200),
        ("ping", "OK", 200),
    ]
    assert summaries[0].guid == push.header("X-GitHub-Delivery")
    detail = repo.get_hook_delivery(hook.id, summaries[0].id)
    assert detail.request.headers["X-GitHub-Event"] == "push"
    assert detail.request.payload == push.json()
    assert detail.response.payload == "ok"
    assert repo.get_hook(hook.id).last_response.code == 200

    hook.delete()

    assert list(repo.get_hooks()) == []
    with pytest.raises(UnknownObjectException):
        repo.get_hook(hook.id).events  # noqa: B018
    assert Hook.objects.count() == 0


def test_hooks_are_listed_under_the_api_prefix_too(github_for, live_server, alice, make_hook):
    hook = make_hook("http://127.0.0.1:9/hook", events=["status"])

    (listed,) = github_for(alice, prefix="/api").get_repo("alice/project").get_hooks()

    assert listed.id == hook.id
    assert listed.url == f"{live_server.url}/api/repos/alice/project/hooks/{hook.id}"
    assert listed.events == ["status"]


def test_a_bad_url_raises_validation_failed(github_for, alice, public_repo):
    repo = github_for(alice).get_repo("alice/project")

    with pytest.raises(GithubException) as raised:
        repo.create_hook("web", {"url": "ftp://example.com/hook", "content_type": "json"})

    assert raised.value.status == 422
    assert raised.value.data["message"] == "Validation Failed"
    assert raised.value.data["errors"][0]["field"] == "url"
    assert Hook.objects.count() == 0


def test_a_read_repo_hook_token_lists_but_cannot_create(github_for, alice, make_hook, receiver):
    hook = make_hook(receiver.url)
    repo = github_for(alice, scopes=["read:repo_hook"]).get_repo("alice/project")

    assert [listed.id for listed in repo.get_hooks()] == [hook.id]
    with pytest.raises(GithubException) as raised:
        repo.create_hook("web", {"url": receiver.url + "/2", "content_type": "json"})

    assert raised.value.status == 403
    assert "write:repo_hook" in raised.value.data["message"]
    assert Hook.objects.count() == 1
