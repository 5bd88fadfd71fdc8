"""Pushes over HTTP send `create`, `push` and `delete` events, and `synchronize` to open pulls.

The post-receive hook runs in its own process and queues the events in the database; the worker
here sends them.
"""

import pytest

from tests.helpers import ZERO, Git, bare_sha, token_for
from tests.webhooks import assert_valid_payload


@pytest.fixture(autouse=True)
def live_database(transactional_db):
    """The git hooks read and write the database from another process: rows must commit."""


@pytest.fixture
def workdir(live_server, public_repo, alice, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    git = Git(home=home, base_url=live_server.url)
    target = tmp_path / "project"
    git.clone("alice/project.git", target, user="alice", secret=token_for(alice))
    return git, target


def received_events(receiver, deliver, count):
    deliver()
    return [(item.header("X-GitHub-Event"), item.json()) for item in receiver.wait_for(count)]


def test_pushing_a_new_branch_then_deleting_it(workdir, public_repo, receiver, make_hook, deliver):
    git, clone = workdir
    make_hook(receiver.url)
    git("switch", "-q", "-c", "topic", cwd=clone)
    first = git.commit(clone, "a.txt", "a\n", "Add a")
    second = git.commit(clone, "b.txt", "b\n", "Add b")
    git("push", "-q", "origin", "topic", cwd=clone)

    received = received_events(receiver, deliver, 2)

    assert [event for event, _ in received] == ["create", "push"]
    create, push = (payload for _, payload in received)
    assert_valid_payload("create", create)
    assert (create["ref"], create["ref_type"], create["master_branch"]) == (
        "topic",
        "branch",
        "main",
    )
    assert_valid_payload("push", push)
    assert (push["ref"], push["before"], push["after"]) == ("refs/heads/topic", ZERO, second)
    assert (push["created"], push["deleted"]) == (True, False)
    # Only the commits no other branch has, oldest first, with the files they touched.
    assert [commit["id"] for commit in push["commits"]] == [first, second]
    assert push["commits"][0]["added"] == ["a.txt"]
    assert push["head_commit"]["id"] == second
    assert (push["pusher"]["name"], push["sender"]["login"]) == ("alice", "alice")

    receiver.requests.clear()
    git("push", "-q", "origin", "--delete", "topic", cwd=clone)
    received = received_events(receiver, deliver, 2)
    assert [event for event, _ in received] == ["push", "delete"]
    push, delete = (payload for _, payload in received)
    assert_valid_payload("push", push)
    assert (push["deleted"], push["after"], push["head_commit"], push["commits"]) == (
        True,
        ZERO,
        None,
        [],
    )
    assert_valid_payload("delete", delete)
    assert (delete["ref"], delete["ref_type"]) == ("topic", "branch")


def test_pushing_to_a_pull_requests_head_synchronizes_it(
    workdir, public_repo, pull, receiver, make_hook, deliver
):
    git, clone = workdir
    make_hook(receiver.url, events=["pull_request", "push"])
    git("switch", "-q", "feature", cwd=clone)
    before = git.sha(clone)
    after = git.commit(clone, "more.txt", "more\n", "More")
    git("push", "-q", "origin", "feature", cwd=clone)

    received = dict(received_events(receiver, deliver, 2))

    push, synchronize = received["push"], received["pull_request"]
    assert (push["before"], push["after"], push["forced"]) == (before, after, False)
    assert_valid_payload("pull_request", synchronize)
    assert synchronize["action"] == "synchronize"
    assert (synchronize["before"], synchronize["after"]) == (before, after)
    assert synchronize["pull_request"]["head"]["sha"] == after


def test_a_forced_push_and_a_tag(workdir, public_repo, receiver, make_hook, deliver):
    git, clone = workdir
    make_hook(receiver.url, events=["push", "create"])
    git("switch", "-q", "feature", cwd=clone)
    before = git.sha(clone)
    git("reset", "-q", "--hard", "main", cwd=clone)
    rewritten = git.commit(clone, "other.txt", "other\n", "Rewrite")
    git("push", "-q", "--force", "origin", "feature", cwd=clone)
    git("tag", "v1.0", cwd=clone)
    git("push", "-q", "origin", "v1.0", cwd=clone)

    received = received_events(receiver, deliver, 3)

    forced = received[0][1]
    assert (forced["before"], forced["after"], forced["forced"]) == (before, rewritten, True)
    tag_events = dict(received[1:])
    assert (tag_events["create"]["ref"], tag_events["create"]["ref_type"]) == ("v1.0", "tag")
    assert tag_events["push"]["ref"] == "refs/tags/v1.0"
    assert_valid_payload("push", tag_events["push"])
    assert bare_sha(public_repo, "feature") == rewritten
