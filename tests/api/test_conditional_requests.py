"""Conditional requests: a weak ETag on every successful GET, Last-Modified where GitHub sends
one, and 304 Not Modified, without a body and free of rate limit, when the copy is current."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.http import http_date

from gitforge.repositories.models import Repository
from gitforge.repositories.services import create_branch
from tests.helpers import send, token_client, token_for
from tests.openapi import assert_matches_spec

WEAK_ETAG = re.compile(r'^W/"[0-9a-f]{64}"$')
STATUS = "/api/repos/alice/project/commits/main/status"
REPO = "/api/repos/alice/project"


def remaining(response):
    return int(response["X-RateLimit-Remaining"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/v3/",
        "/api/user",
        "/api/users/alice",
        REPO,
        "/api/repos/alice/project/commits/main",
        STATUS,
        "/api/repos/alice/project/commits/main/statuses",
        "/api/repos/alice/project/branches",
        "/api/repos/alice/project/branches/main",
        "/api/repos/alice/project/pulls",
        "/api/repos/alice/project/pulls/1",
    ],
)
def test_every_successful_get_has_a_weak_etag(owner, pull, path):
    response = owner.get(path)

    assert response.status_code == 200
    assert WEAK_ETAG.match(response["ETag"]), response["ETag"]
    again = owner.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_poller_is_answered_304_without_a_body_and_without_charge(owner, public_repo, sha):
    first = owner.get(STATUS)
    assert_matches_spec(first, "get", "/repos/{owner}/{repo}/commits/{ref}/status", 200)
    etag = first["ETag"]

    unchanged = owner.get(STATUS, HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert "Content-Type" not in unchanged
    assert unchanged["ETag"] == etag
    assert remaining(unchanged) == remaining(first)
    assert unchanged["X-RateLimit-Used"] == first["X-RateLimit-Used"]
    assert unchanged["X-RateLimit-Limit"] == first["X-RateLimit-Limit"]
    assert unchanged["X-OAuth-Scopes"] == "repo"
    assert unchanged["X-Accepted-OAuth-Scopes"] == first["X-Accepted-OAuth-Scopes"]
    assert unchanged["X-GitHub-Request-Id"] != first["X-GitHub-Request-Id"]
    assert unchanged["Cache-Control"] == "private, max-age=60, s-maxage=60"
    assert unchanged["Access-Control-Allow-Origin"] == "*"

    posted = send(
        owner,
        "post",
        f"/api/repos/alice/project/statuses/{sha}",
        {"state": "success", "context": "ci/build"},
    )
    assert posted.status_code == 201
    assert remaining(posted) == remaining(first) - 1

    changed = owner.get(STATUS, HTTP_IF_NONE_MATCH=etag)

    assert changed.status_code == 200
    assert_matches_spec(changed, "get", "/repos/{owner}/{repo}/commits/{ref}/status", 200)
    assert changed.json()["state"] == "success"
    assert changed["ETag"] != etag
    assert remaining(changed) == remaining(first) - 2
    assert owner.get(STATUS, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


def test_anonymous_callers_are_not_charged_for_a_304_either(anonymous, public_repo):
    first = anonymous.get(STATUS)
    assert first["X-RateLimit-Limit"] == "60"

    for _ in range(3):
        unchanged = anonymous.get(STATUS, HTTP_IF_NONE_MATCH=first["ETag"])
        assert unchanged.status_code == 304
        assert remaining(unchanged) == remaining(first)

    assert remaining(anonymous.get(STATUS)) == remaining(first) - 1


DATABASE_COUNTERS = "gitforge.ratelimits.cache.DatabaseCounterCache"


def test_the_refund_also_works_on_the_database_counters(settings, owner, public_repo):
    settings.CACHES = {"default": {"BACKEND": DATABASE_COUNTERS, "KEY_PREFIX": "refund-test"}}
    first = owner.get(STATUS)

    assert remaining(owner.get(STATUS, HTTP_IF_NONE_MATCH=first["ETag"])) == remaining(first)
    assert remaining(owner.get(STATUS)) == remaining(first) - 1


@pytest.mark.parametrize(
    "if_none_match",
    [
        "{etag}",
        "{opaque}",  # the same tag, strong: GET compares weakly
        '"other", {etag}',
        "*",
    ],
)
def test_if_none_match_forms_that_match(owner, public_repo, if_none_match):
    etag = owner.get(REPO)["ETag"]
    header = if_none_match.format(etag=etag, opaque=etag.removeprefix("W/"))

    assert owner.get(REPO, HTTP_IF_NONE_MATCH=header).status_code == 304


@pytest.mark.parametrize("if_none_match", ['W/"other"', '"other"', "garbage"])
def test_an_etag_that_does_not_match_gets_the_body(owner, public_repo, if_none_match):
    response = owner.get(REPO, HTTP_IF_NONE_MATCH=if_none_match)

    assert response.status_code == 200
    assert response.json()["full_name"] == "alice/project"


def test_the_etag_varies_with_the_caller_and_its_token(alice, bob, public_repo):
    alice_etag = token_client(alice).get(REPO)["ETag"]
    other_token = token_client(alice)
    bob_client = token_client(bob)

    assert other_token.get(REPO)["ETag"] != alice_etag
    assert other_token.get(REPO, HTTP_IF_NONE_MATCH=alice_etag).status_code == 200
    assert bob_client.get(REPO, HTTP_IF_NONE_MATCH=alice_etag).status_code == 200
    assert Client().get(REPO, HTTP_IF_NONE_MATCH=alice_etag).status_code == 200


def test_the_same_token_gets_the_same_etag(alice, public_repo):
    client = Client(HTTP_AUTHORIZATION=f"token {token_for(alice)}")

    assert client.get(REPO)["ETag"] == client.get(REPO)["ETag"]


def test_each_page_has_its_own_etag(owner, public_repo):
    for number in range(3):
        create_branch(repository=public_repo, branch=f"b{number}", from_ref="main")
    path = "/api/repos/alice/project/branches"
    first = owner.get(path, {"per_page": 2, "page": 1})
    second = owner.get(path, {"per_page": 2, "page": 2})
    beyond = [owner.get(path, {"per_page": 2, "page": page}) for page in (7, 8)]

    assert first["ETag"] != second["ETag"]
    assert beyond[0].json() == beyond[1].json() == []
    assert beyond[0]["ETag"] != beyond[1]["ETag"]
    again = owner.get(path, {"per_page": 2, "page": 2}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert [branch["name"] for branch in again.json()] == ["b2", "feature"]


def test_a_new_item_on_a_later_page_changes_the_first_pages_etag(owner, public_repo):
    path = "/api/repos/alice/project/branches"
    before = owner.get(path, {"per_page": 1})
    create_branch(repository=public_repo, branch="zz-last", from_ref="main")

    after = owner.get(path, {"per_page": 1}, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.json() == before.json()  # the same first item, but a new last page
    assert after.status_code == 200
    assert after["Link"] != before["Link"]


def test_the_repository_is_last_modified_when_it_was_updated(owner, public_repo):
    response = owner.get(REPO)
    public_repo.refresh_from_db()

    assert response["Last-Modified"] == http_date(public_repo.updated_at.timestamp())
    since = response["Last-Modified"]
    unchanged = owner.get(REPO, HTTP_IF_MODIFIED_SINCE=since)
    assert unchanged.status_code == 304
    assert unchanged["Last-Modified"] == since
    assert remaining(unchanged) == remaining(response)


def test_an_older_copy_or_a_later_update_gets_the_body(owner, public_repo):
    since = owner.get(REPO)["Last-Modified"]
    earlier = http_date(public_repo.updated_at.timestamp() - 60)

    assert owner.get(REPO, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    Repository.objects.filter(pk=public_repo.pk).update(
        description="renamed", updated_at=public_repo.updated_at + timedelta(seconds=5)
    )
    response = owner.get(REPO, HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200
    assert response.json()["description"] == "renamed"


def test_if_none_match_takes_precedence_over_if_modified_since(owner, public_repo):
    current = owner.get(REPO)

    response = owner.get(
        REPO, HTTP_IF_NONE_MATCH='"stale"', HTTP_IF_MODIFIED_SINCE=current["Last-Modified"]
    )

    assert response.status_code == 200


def test_routes_without_a_modification_time_send_no_last_modified(owner, public_repo):
    for path in (STATUS, "/api/user", "/api/repos/alice/project/branches"):
        response = owner.get(path, HTTP_IF_MODIFIED_SINCE=http_date(4_000_000_000))
        assert response.status_code == 200
        assert "Last-Modified" not in response


def test_head_is_conditional_too(owner, public_repo):
    etag = owner.get(REPO)["ETag"]

    assert owner.head(REPO)["ETag"] == etag
    assert owner.head(REPO, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_errors_and_writes_carry_no_etag_and_are_never_304(owner, public_repo):
    missing = owner.get("/api/repos/alice/nothing", HTTP_IF_NONE_MATCH="*")
    assert missing.status_code == 404
    assert "ETag" not in missing

    created = owner.post(
        "/api/user/repos",
        data={"name": "fresh"},
        content_type="application/json",
        HTTP_IF_NONE_MATCH="*",
    )
    assert created.status_code == 201
    assert "ETag" not in created
