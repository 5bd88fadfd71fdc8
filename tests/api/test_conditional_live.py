"""Conditional requests, CORS and request ids through a live server: a CI poller on plain
http.client, a browser's preflight, and PyGithub's conditional `update()`."""

import http.client
import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from github import Auth, Github

from gitforge.repositories.git import GitRepository
from gitforge.repositories.models import Repository
from tests.helpers import make_repository, token_for
from tests.openapi import assert_matches_schema

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def project(transactional_db, alice):
    return make_repository(alice, "project")


class Answer:
    """An http.client response read in full, with the accessors the spec helpers use."""

    def __init__(self, response):
        self.status_code = response.status
        self.headers = response.headers
        self.content = response.read()

    def __getitem__(self, name):
        return self.headers[name]

    def __contains__(self, name):
        return name in self.headers

    def json(self):
        return json.loads(self.content)


@pytest.fixture
def call(live_server):
    """One request on a fresh connection to the live server."""
    address = urlsplit(live_server.url)

    def request(method, path, headers=None, body=None):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            return Answer(connection.getresponse())
        finally:
            connection.close()

    return request


def test_a_ci_poller_waits_for_the_combined_status(call, project, alice):
    sha = GitRepository(project.id).branch_sha("main")
    token = {"Authorization": f"token {token_for(alice)}", "User-Agent": "ci-poller"}
    path = f"/api/v3/repos/alice/project/commits/{sha}/status"

    first = call("GET", path, token)
    assert first.status_code == 200
    assert_matches_schema(first, "combined-commit-status")
    assert first.json()["state"] == "pending"
    assert first["ETag"].startswith('W/"')
    assert first["Cache-Control"] == "private, max-age=60, s-maxage=60"

    polled = [call("GET", path, {**token, "If-None-Match": first["ETag"]}) for _ in range(3)]
    for unchanged in polled:
        assert unchanged.status_code == 304
        assert unchanged.content == b""
        assert unchanged["ETag"] == first["ETag"]
        assert unchanged["X-RateLimit-Remaining"] == first["X-RateLimit-Remaining"]
    assert len({answer["X-GitHub-Request-Id"] for answer in [first, *polled]}) == 4

    posted = call(
        "POST",
        f"/api/v3/repos/alice/project/statuses/{sha}",
        {**token, "Content-Type": "application/json"},
        json.dumps({"state": "success", "context": "ci/build"}),
    )
    assert posted.status_code == 201

    changed = call("GET", path, {**token, "If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed.json()["state"] == "success"
    assert changed["ETag"] != first["ETag"]
    assert int(changed["X-RateLimit-Remaining"]) == int(first["X-RateLimit-Remaining"]) - 2


def test_a_browser_preflight_then_call(call, project):
    preflight = call(
        "OPTIONS",
        "/api/repos/alice/project",
        {
            "Origin": "https://dashboard.example.com",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization, if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert preflight["Access-Control-Max-Age"] == "86400"

    answer = call("GET", "/api/repos/alice/project", {"Origin": "https://dashboard.example.com"})
    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer["Access-Control-Expose-Headers"]
    assert answer["X-RateLimit-Remaining"] == "59"  # the preflight was free
    assert answer["Cache-Control"] == "public, max-age=60, s-maxage=60"


def test_pygithub_update_is_a_conditional_request(live_server, project, alice):
    github = Github(
        auth=Auth.Token(token_for(alice)), base_url=live_server.url + "/api/v3", retry=None
    )
    try:
        repo = github.get_repo("alice/project")
        remaining = github.rate_limiting[0]
        assert (repo.etag or "").startswith('W/"')
        assert repo.last_modified_datetime is not None

        assert repo.update() is False  # 304: If-None-Match and If-Modified-Since both current
        assert repo.update() is False
        assert github.rate_limiting[0] == remaining

        Repository.objects.filter(pk=project.pk).update(
            description="Polled", updated_at=project.updated_at + timedelta(seconds=2)
        )
        assert repo.update() is True
        assert repo.description == "Polled"
    finally:
        github.close()
