"""At most 1000 statuses per commit and context, also when many posts race on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client

from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.git import GitRepository
from statuses.models import CommitStatus, LatestCommitStatus
from statuses.services import MAX_STATUSES_PER_CONTEXT, create_commit_status
from tests.helpers import token_client
from tests.openapi import assert_matches_schema

LIMIT_MESSAGE = "This SHA and context has reached the maximum number of statuses."


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.GITFORGE_STATUS_RATE_LIMIT = "100000/m"
    settings.GITFORGE_API_RATE_LIMIT = "100000/h"


def post_status(client, sha, context="ci/tests"):
    return client.post(
        f"/api/repos/alice/project/statuses/{sha}",
        {"state": "success", "context": context},
        content_type="application/json",
    )


def fill(repository, sha, context, count, creator):
    """Insert `count` statuses in one go, with the counter the service keeps."""
    statuses = CommitStatus.objects.bulk_create(
        CommitStatus(
            repository=repository,
            sha=sha,
            state="pending",
            context=context,
            context_key=context.lower(),
            creator=creator,
        )
        for _ in range(count)
    )
    LatestCommitStatus.objects.create(
        repository=repository,
        sha=sha,
        context_key=context.lower(),
        status=statuses[-1],
        total=count,
        state=statuses[-1].state,
        context=context,
        created_at=statuses[-1].created_at,
        creator=creator,
    )


def assert_limit_reached(response):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["message"] == "Validation Failed"
    assert body["errors"] == [{"resource": "Status", "code": "custom", "message": LIMIT_MESSAGE}]
    assert body["documentation_url"] == (
        "https://docs.github.com/rest/commits/statuses#create-a-commit-status"
    )
    assert_matches_schema(response, "validation-error")


def test_the_1001st_status_of_a_context_is_refused(public_repo, alice, sha):
    for number in range(MAX_STATUSES_PER_CONTEXT):
        create_commit_status(
            repository=public_repo,
            sha=sha,
            state="pending",
            # the limit counts a context whatever its case
            context="CI/Tests" if number % 2 else "ci/tests",
            creator=alice,
            description=str(number),
        )
    client = token_client(alice)

    assert_limit_reached(post_status(client, sha))
    assert_limit_reached(post_status(client, sha, context="CI/TESTS"))
    assert CommitStatus.objects.filter(context_key="ci/tests").count() == 1000
    latest = client.get(f"/api/repos/alice/project/commits/{sha}/status").json()
    assert latest["statuses"][0]["description"] == "999"


def test_the_limit_is_per_context_and_per_commit(public_repo, alice, sha):
    feature = GitRepository(public_repo.id).branch_sha("feature")
    fill(public_repo, sha, "ci/tests", MAX_STATUSES_PER_CONTEXT, alice)
    client = token_client(alice)

    assert_limit_reached(post_status(client, sha))
    assert post_status(client, sha, context="ci/lint").status_code == 201
    assert post_status(client, feature).status_code == 201
    assert CommitStatus.objects.filter(sha=sha, context_key="ci/tests").count() == 1000


def test_one_below_the_limit_is_accepted_once(public_repo, alice, sha):
    fill(public_repo, sha, "ci/tests", MAX_STATUSES_PER_CONTEXT - 1, alice)
    client = token_client(alice)

    assert post_status(client, sha).status_code == 201
    assert_limit_reached(post_status(client, sha))
    assert LatestCommitStatus.objects.get(sha=sha, context_key="ci/tests").total == 1000


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_never_exceed_the_limit(public_repo, alice, sha):
    fill(public_repo, sha, "ci/tests", MAX_STATUSES_PER_CONTEXT - 10, alice)
    threads_count = 24
    secrets = [
        create_personal_access_token(user=alice, name=f"ci-{n}", scopes=["repo"])[1]
        for n in range(threads_count)
    ]
    barrier = threading.Barrier(threads_count)
    codes = []
    failures = []

    def worker(secret):
        try:
            client = Client(HTTP_AUTHORIZATION=f"token {secret}")
            barrier.wait(timeout=30)
            codes.append(post_status(client, sha).status_code)
        except Exception as error:  # reported below, so a thread cannot fail silently
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(secret,)) for secret in secrets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures, failures
    assert sorted(codes) == [201] * 10 + [422] * (threads_count - 10)
    assert CommitStatus.objects.filter(sha=sha, context_key="ci/tests").count() == 1000
    assert LatestCommitStatus.objects.get(sha=sha, context_key="ci/tests").total == 1000


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_posts_of_a_new_context_are_all_counted(public_repo, alice, sha):
    threads_count = 20
    secrets = [
        create_personal_access_token(user=alice, name=f"ci-{n}", scopes=["repo"])[1]
        for n in range(threads_count)
    ]
    barrier = threading.Barrier(threads_count)
    codes = []

    def worker(secret):
        try:
            client = Client(HTTP_AUTHORIZATION=f"token {secret}")
            barrier.wait(timeout=30)
            codes.append(post_status(client, sha, context="ci/new").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(secret,)) for secret in secrets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert codes == [201] * threads_count
    latest = LatestCommitStatus.objects.get(sha=sha, context_key="ci/new")
    assert latest.total == threads_count
    assert latest.status == CommitStatus.objects.filter(context_key="ci/new").latest("id")
