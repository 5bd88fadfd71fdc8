"""Rate limits: status creation per repository and commit, the API budget, and the headers.

Limits use hourly windows rather than per-minute ones: django-ratelimit windows end at fixed
times, and a minute window could end in the middle of a test.
"""

import os
import time

import pytest
import redis
from django.conf import settings as django_settings
from django_ratelimit.core import _get_window, _make_cache_key

from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import set_collaborator
from statuses.models import CommitStatus
from tests.helpers import token_client


@pytest.fixture
def client(alice, public_repo):
    return token_client(alice)


def post_status(client, sha, state="success"):
    return client.post(
        f"/api/repos/alice/project/statuses/{sha}",
        {"state": state, "context": "ci"},
        content_type="application/json",
    )


def test_status_creation_is_limited_per_repository_and_commit(settings, client, public_repo, sha):
    settings.GITFORGE_STATUS_RATE_LIMIT = "3/h"
    feature = GitRepository(public_repo.id).branch_sha("feature")

    accepted = [post_status(client, sha).status_code for _ in range(3)]
    refused = post_status(client, sha, state="failure")

    assert accepted == [201, 201, 201]
    assert refused.status_code == 429
    body = refused.json()
    assert body["message"] == "API rate limit exceeded"
    assert body["documentation_url"].startswith("https://docs.github.com/")
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert CommitStatus.objects.filter(sha=sha).count() == 3
    assert not CommitStatus.objects.filter(state="failure").exists()

    assert post_status(client, feature).status_code == 201
    assert post_status(client, sha.upper()).status_code == 429


def test_the_status_limit_holds_for_every_caller(settings, public_repo, alice, bob, sha):
    settings.GITFORGE_STATUS_RATE_LIMIT = "2/h"
    set_collaborator(repository=public_repo, user=bob, permission="push")

    assert post_status(token_client(alice), sha).status_code == 201
    assert post_status(token_client(bob), sha).status_code == 201
    assert post_status(token_client(bob, scopes=["repo:status"]), sha).status_code == 429


def test_reading_statuses_is_not_counted_against_creation(settings, client, sha):
    settings.GITFORGE_STATUS_RATE_LIMIT = "1/h"

    for _ in range(3):
        assert client.get(f"/api/repos/alice/project/commits/{sha}/statuses").status_code == 200
    assert post_status(client, sha).status_code == 201


def test_api_responses_carry_rate_limit_headers(client, sha):
    responses = [
        post_status(client, sha),
        client.get("/api/repos/alice/project/commits/main/status"),
        client.get("/api/repos/alice/project/commits/main/statuses"),
    ]

    remaining = [int(response["X-RateLimit-Remaining"]) for response in responses]
    assert remaining == [4999, 4998, 4997]
    for response in responses:
        assert response["X-RateLimit-Limit"] == "5000"
        reset = int(response["X-RateLimit-Reset"])
        assert time.time() - 1 <= reset <= time.time() + 3600 + 1
    assert responses[0].status_code == 201


def test_errors_carry_rate_limit_headers_too(client):
    response = post_status(client, "main")

    assert response.status_code == 422
    assert response["X-RateLimit-Limit"] == "5000"
    assert response["X-RateLimit-Remaining"] == "4999"


def test_anonymous_callers_have_a_smaller_budget(settings, anonymous, public_repo):
    settings.GITFORGE_API_ANONYMOUS_RATE_LIMIT = "2/h"
    url = "/api/repos/alice/project/commits/main/status"

    first, second, third = (anonymous.get(url) for _ in range(3))

    assert [first.status_code, second.status_code] == [200, 200]
    assert [first["X-RateLimit-Remaining"], second["X-RateLimit-Remaining"]] == ["1", "0"]
    assert third.status_code == 429
    assert third.json()["message"] == "API rate limit exceeded"
    assert third["X-RateLimit-Limit"] == "2"
    assert third["X-RateLimit-Remaining"] == "0"
    assert int(third["Retry-After"]) >= 1


def test_an_exhausted_api_budget_blocks_status_creation(settings, alice, public_repo, sha):
    settings.GITFORGE_API_RATE_LIMIT = "1/h"
    client = token_client(alice)

    assert post_status(client, sha).status_code == 201
    assert post_status(client, sha).status_code == 429
    assert CommitStatus.objects.count() == 1


@pytest.mark.skipif("REDIS_URL" not in os.environ, reason="scripts/test always sets REDIS_URL")
def test_counters_live_in_redis_shared_by_every_process(settings, client, public_repo, sha):
    settings.GITFORGE_STATUS_RATE_LIMIT = "3/h"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    server = redis.Redis.from_url(os.environ["REDIS_URL"])

    assert post_status(client, sha).status_code == 201

    assert list(server.scan_iter(match=f"*{prefix}*"))
    value = f"{public_repo.id}:{sha}"
    counter = _make_cache_key("statuses.create", _get_window(value, 3600), "3/h", value, None)
    key = f"{prefix}:1:{counter}"
    assert server.get(key) == b"1"

    # Another worker process spends the rest of the budget: this one sees it.
    server.incr(key, 2)
    assert post_status(client, sha).status_code == 429
    assert CommitStatus.objects.count() == 1


def test_redis_is_the_cache_whenever_redis_url_is_set():
    if "REDIS_URL" in os.environ:
        backend = django_settings.CACHES["default"]["BACKEND"]
        assert backend == "django.core.cache.backends.redis.RedisCache"
        assert django_settings.CACHES["default"]["LOCATION"] == os.environ["REDIS_URL"]
    else:  # counters every worker process shares, in the database
        backend = django_settings.CACHES["default"]["BACKEND"]
        assert backend == "gitforge.ratelimits.cache.DatabaseCounterCache"
