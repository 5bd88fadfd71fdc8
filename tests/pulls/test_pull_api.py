"""Opening, listing, reading and editing pull requests through the API."""

import threading

import pytest
from django.db import connection

from gitforge.repositories import permissions
from gitforge.repositories.git import GitRepository
from gitforge.repositories.models import Repository
from gitforge.repositories.services import commit_files, create_branch, set_collaborator
from pulls.models import PullRequest
from pulls.services import open_pull_request
from tests.helpers import assert_error, make_repository, send, token_client
from tests.openapi import assert_matches_spec

PULLS = "/repos/{owner}/{repo}/pulls"
PULL = "/repos/{owner}/{repo}/pulls/{pull_number}"


def create_pull(client, repo="alice/project", **fields):
    body = {"title": "Change app", "head": "feature", "base": "main", **fields}
    return send(client, "post", f"/api/repos/{repo}/pulls", body)


def topic_branch(repository, author, name, files=None):
    """A branch off main with one commit of its own; returns its head SHA."""
    create_branch(repository=repository, branch=name, from_ref="main")
    return commit_files(
        repository=repository,
        branch=name,
        files=files or {f"{name}.txt": name.encode()},
        message=f"Work on {name}",
        author=author,
    )


def test_open_pull_request(owner, public_repo, alice):
    git = GitRepository(public_repo.id)

    response = create_pull(owner, body="Please merge")

    assert_matches_spec(response, "post", PULLS, 201)
    body = response.json()
    assert body["number"] == 1
    assert body["state"] == "open"
    assert body["title"] == "Change app"
    assert body["body"] == "Please merge"
    assert body["user"]["login"] == "alice"
    assert body["head"]["ref"] == "feature"
    assert body["head"]["sha"] == git.branch_sha("feature")
    assert body["base"]["ref"] == "main"
    assert body["base"]["sha"] == git.branch_sha("main")
    assert body["merged"] is False
    assert body["mergeable"] is True
    assert body["mergeable_state"] == "clean"
    assert body["commits"] == 1
    assert body["changed_files"] == 1
    assert body["url"] == "http://testserver/api/repos/alice/project/pulls/1"
    assert response["Location"] == body["url"]
    pull = PullRequest.objects.get(repository=public_repo)
    assert (pull.number, pull.author, pull.head_sha) == (1, alice, git.branch_sha("feature"))


def test_head_may_name_the_owner(owner, public_repo):
    response = create_pull(owner, head="alice:feature")

    assert response.status_code == 201
    assert response.json()["head"]["ref"] == "feature"


def test_pull_collaborator_may_open_on_private_repository(bob, private_repo):
    response = create_pull(token_client(bob), repo="alice/secret")

    assert response.status_code == 201
    assert response.json()["user"]["login"] == "bob"


def test_stranger_cannot_see_private_repository_pulls(charlie, private_repo):
    assert create_pull(token_client(charlie), repo="alice/secret").status_code == 404
    assert send(token_client(charlie), "get", "/api/repos/alice/secret/pulls").status_code == 404
    assert not PullRequest.objects.exists()


def test_numbers_are_sequential_per_repository(owner, alice, public_repo):
    other = make_repository(alice, "other")
    topic_branch(public_repo, alice, "second")
    topic_branch(other, alice, "second")

    numbers = [
        create_pull(owner).json()["number"],
        create_pull(owner, repo="alice/other").json()["number"],
        create_pull(owner, head="second").json()["number"],
        create_pull(owner, repo="alice/other", head="second").json()["number"],
    ]

    assert numbers == [1, 1, 2, 2]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": None}, "title"),
        ({"title": "   "}, "title"),
        ({"head": "nope"}, "head"),
        ({"base": "nope"}, "base"),
        ({"head": "main"}, "head"),
        ({"head": "bob:feature"}, "head"),
    ],
    ids=["missing-title", "blank-title", "unknown-head", "unknown-base", "head-is-base", "fork"],
)
def test_open_rejects_invalid_input(owner, public_repo, fields, field):
    body = {"title": "Change app", "head": "feature", "base": "main", **fields}
    body = {key: value for key, value in body.items() if value is not None}

    response = send(owner, "post", "/api/repos/alice/project/pulls", body)

    assert_matches_spec(response, "post", PULLS, 422)
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not PullRequest.objects.exists()


def test_open_rejects_a_head_without_new_commits(owner, public_repo):
    create_branch(repository=public_repo, branch="same", from_ref="main")

    response = create_pull(owner, head="same")

    assert response.status_code == 422
    assert "No commits between main and same" in response.json()["errors"][0]["message"]


def test_open_rejects_a_duplicate_open_pull(owner, public_repo):
    assert create_pull(owner).status_code == 201

    response = create_pull(owner, title="Again")

    assert_matches_spec(response, "post", PULLS, 422)
    assert "already exists" in response.json()["errors"][0]["message"]
    assert PullRequest.objects.count() == 1


def test_a_closed_pull_does_not_block_a_new_one(owner, public_repo):
    create_pull(owner)
    send(owner, "patch", "/api/repos/alice/project/pulls/1", {"state": "closed"})

    response = create_pull(owner, title="Again")

    assert response.status_code == 201
    assert response.json()["number"] == 2


@pytest.fixture
def pulls(public_repo, alice, bob):
    """Three pulls: #1 feature (open), #2 topic into feature (open), #3 docs (closed)."""
    topic_branch(public_repo, alice, "docs")
    create_branch(repository=public_repo, branch="topic", from_ref="feature")
    commit_files(
        repository=public_repo,
        branch="topic",
        files={"topic.txt": b"t"},
        message="Topic",
        author=alice,
    )
    first = open_pull_request(
        repository=public_repo, author=alice, title="One", head="feature", base="main"
    )
    second = open_pull_request(
        repository=public_repo, author=bob, title="Two", head="topic", base="feature"
    )
    third = open_pull_request(
        repository=public_repo, author=alice, title="Three", head="docs", base="main"
    )
    PullRequest.objects.filter(pk=third.pk).update(state="closed")
    return first, second, third


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({}, [2, 1]),
        ({"state": "open"}, [2, 1]),
        ({"state": "closed"}, [3]),
        ({"state": "all"}, [3, 2, 1]),
        ({"head": "feature"}, [1]),
        ({"head": "alice:topic"}, [2]),
        ({"base": "feature"}, [2]),
        ({"base": "main", "state": "all"}, [3, 1]),
        ({"head": "nope"}, []),
    ],
)
def test_list_filters(anonymous, pulls, params, numbers):
    response = anonymous.get("/api/repos/alice/project/pulls", params)

    assert_matches_spec(response, "get", PULLS, 200)
    assert [pull["number"] for pull in response.json()] == numbers


def test_list_paginates(anonymous, pulls):
    first = anonymous.get("/api/repos/alice/project/pulls", {"state": "all", "per_page": 2})
    second = anonymous.get(
        "/api/repos/alice/project/pulls", {"state": "all", "per_page": 2, "page": 2}
    )

    assert_matches_spec(first, "get", PULLS, 200)
    assert [pull["number"] for pull in first.json()] == [3, 2]
    assert 'rel="next"' in first["Link"]
    assert [pull["number"] for pull in second.json()] == [1]
    assert 'rel="prev"' in second["Link"]


def test_get_pull(anonymous, public_repo, pulls):
    git = GitRepository(public_repo.id)

    response = anonymous.get("/api/repos/alice/project/pulls/2")

    assert_matches_spec(response, "get", PULL, 200)
    body = response.json()
    assert body["number"] == 2
    assert body["title"] == "Two"
    assert body["user"]["login"] == "bob"
    assert body["author_association"] == "CONTRIBUTOR"
    assert body["head"] == {**body["head"], "ref": "topic", "sha": git.branch_sha("topic")}
    assert body["base"] == {**body["base"], "ref": "feature", "sha": git.branch_sha("feature")}
    assert body["merged"] is False
    assert body["merged_by"] is None
    assert body["merge_commit_sha"] is None
    assert body["mergeable"] is True
    assert body["mergeable_state"] == "clean"


def test_get_unknown_pull_is_404(anonymous, public_repo):
    response = anonymous.get("/api/repos/alice/project/pulls/7")

    assert_matches_spec(response, "get", PULL, 404)


def test_get_pull_through_api_v3(anonymous, pulls):
    response = anonymous.get("/api/v3/repos/alice/project/pulls/1")

    assert response.status_code == 200
    assert response.json()["url"] == "http://testserver/api/v3/repos/alice/project/pulls/1"


def test_head_sha_follows_the_head_branch(anonymous, public_repo, alice, pulls):
    new_head = commit_files(
        repository=public_repo,
        branch="feature",
        files={"more.txt": b"more"},
        message="More",
        author=alice,
    )

    body = anonymous.get("/api/repos/alice/project/pulls/1").json()

    assert body["head"]["sha"] == new_head
    assert body["commits"] == 2


# editing


def test_patch_title_and_body(owner, pull):
    response = send(
        owner, "patch", "/api/repos/alice/project/pulls/1", {"title": " New ", "body": "Text"}
    )

    assert_matches_spec(response, "patch", PULL, 200)
    assert response.json()["title"] == "New"
    assert response.json()["body"] == "Text"
    pull.refresh_from_db()
    assert (pull.title, pull.body) == ("New", "Text")


def test_close_and_reopen(owner, pull):
    closed = send(owner, "patch", "/api/repos/alice/project/pulls/1", {"state": "closed"})

    assert_matches_spec(closed, "patch", PULL, 200)
    assert closed.json()["state"] == "closed"
    assert closed.json()["closed_at"] is not None
    assert closed.json()["merged"] is False
    pull.refresh_from_db()
    assert pull.state == "closed"

    reopened = send(owner, "patch", "/api/repos/alice/project/pulls/1", {"state": "open"})

    assert_matches_spec(reopened, "patch", PULL, 200)
    assert reopened.json()["state"] == "open"
    assert reopened.json()["closed_at"] is None


@pytest.mark.parametrize(
    "body",
    [{"title": ""}, {"state": "merged"}, {"title": 5}, {"base": "nope"}],
    ids=["blank-title", "bad-state", "title-number", "unknown-base"],
)
def test_patch_rejects_invalid_input(owner, pull, body):
    response = send(owner, "patch", "/api/repos/alice/project/pulls/1", body)

    assert_matches_spec(response, "patch", PULL, 422)
    pull.refresh_from_db()
    assert (pull.title, pull.state, pull.base_ref) == ("Change app", "open", "main")


def test_patch_by_a_stranger_is_forbidden(charlie, pull):
    response = send(
        token_client(charlie), "patch", "/api/repos/alice/project/pulls/1", {"state": "closed"}
    )

    assert response.status_code == 403
    pull.refresh_from_db()
    assert pull.state == "open"


def test_author_with_pull_access_may_edit_own_pull(bob, public_repo):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PULL)
    client = token_client(bob)
    create_pull(client)

    response = send(client, "patch", "/api/repos/alice/project/pulls/1", {"title": "Mine"})

    assert response.status_code == 200
    assert response.json()["title"] == "Mine"


def test_merged_endpoint_is_404_until_merged(owner, anonymous, pull):
    assert anonymous.get("/api/repos/alice/project/pulls/1/merge").status_code == 404

    assert send(owner, "put", "/api/repos/alice/project/pulls/1/merge", {}).status_code == 200

    assert anonymous.get("/api/repos/alice/project/pulls/1/merge").status_code == 204


def test_merged_pull_cannot_be_reopened(owner, pull):
    send(owner, "put", "/api/repos/alice/project/pulls/1/merge", {})

    response = send(owner, "patch", "/api/repos/alice/project/pulls/1", {"state": "open"})

    assert response.status_code == 422
    pull.refresh_from_db()
    assert (pull.state, pull.merged) == ("closed", True)


# numbering under concurrency

THREADS = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_opens_get_distinct_sequential_numbers(alice):
    repository = make_repository(alice, "race")
    for index in range(THREADS):
        topic_branch(repository, alice, f"topic-{index}")
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    numbers, failures = [], []

    def opener(index):
        try:
            barrier.wait()
            pull = open_pull_request(
                repository=Repository.objects.get(pk=repository.pk),
                author=alice,
                title=f"Topic {index}",
                head=f"topic-{index}",
                base="main",
            )
            with lock:
                numbers.append(pull.number)
        except BaseException as error:  # noqa: BLE001 - reported to the main thread below
            with lock:
                failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=opener, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures, failures
    assert sorted(numbers) == list(range(1, THREADS + 1))
    stored = PullRequest.objects.filter(repository=repository).values_list("number", flat=True)
    assert sorted(stored) == list(range(1, THREADS + 1))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "post",
            "/api/repos/alice/project/pulls",
            {"title": "t", "head": "feature", "base": "main"},
        ),
        ("patch", "/api/repos/alice/project/pulls/1", {"state": "closed"}),
        ("put", "/api/repos/alice/project/pulls/1/merge", {}),
    ],
)
def test_writes_without_a_token_need_authentication(anonymous, pull, method, path, body):
    response = send(anonymous, method, path, body)

    assert_error(response, 401, "Requires authentication")
    assert [(p.number, p.state, p.merged) for p in PullRequest.objects.all()] == [
        (1, "open", False)
    ]
