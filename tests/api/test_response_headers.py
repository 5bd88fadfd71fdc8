"""GitHub's headers on every API response: X-GitHub-Request-Id (logged with the request),
Vary, Cache-Control, CORS and its preflight, and when a token expires."""

import logging
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken

from gitforge.accounts.services import create_personal_access_token
from gitforge.api.request_ids import RequestIdFilter
from gitforge.repositories.models import Repository
from tests.helpers import signed_in

REQUEST_ID = re.compile(r"^[0-9A-F]{4}:[0-9A-F]{5}:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}$")
REPO = "/api/repos/alice/project"
EXPOSED = (
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, "
    "X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, "
    "X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, "
    "X-GitHub-Request-Id, Deprecation, Sunset"
)


def every_kind_of_answer(client):
    """A 200, the catch-all 404, a 401, a 422 refused before routing, and a 304."""
    ok = client.get(REPO)
    return [
        ok,
        client.get("/api/no/such/route"),
        Client(HTTP_AUTHORIZATION="token gfp_unknown").get(REPO),
        client.get(REPO, {"q": "\x01"}),
        client.get(REPO, HTTP_IF_NONE_MATCH=ok["ETag"]),
    ]


def test_every_api_response_has_its_own_request_id(owner, public_repo):
    responses = every_kind_of_answer(owner)

    assert [response.status_code for response in responses] == [200, 404, 401, 422, 304]
    ids = [response["X-GitHub-Request-Id"] for response in responses]
    assert all(REQUEST_ID.match(request_id) for request_id in ids), ids
    assert len(set(ids)) == len(ids)


class Records(logging.Handler):
    """Keeps the records it sees, through the same filter the console handler has."""

    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def records():
    handler = Records()
    loggers = [logging.getLogger("gitforge.api.requests"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)


def test_each_request_is_logged_with_its_id(owner, public_repo, records):
    response = owner.get(REPO)
    missing = owner.get("/api/repos/alice/nothing")

    logged = {
        record.request_id: record.getMessage()
        for record in records
        if record.name == "gitforge.api.requests"
    }
    assert logged[response["X-GitHub-Request-Id"]] == "GET /api/repos/alice/project 200"
    assert logged[missing["X-GitHub-Request-Id"]] == "GET /api/repos/alice/nothing 404"
    [warning] = [record for record in records if record.name == "django.request"]
    assert warning.request_id == missing["X-GitHub-Request-Id"]  # other loggers' records too


def test_records_outside_an_api_request_have_no_id(records):
    logging.getLogger("django.request").warning("between requests")

    assert records[-1].request_id == "-"


def vary(response):
    return [name.strip() for name in response["Vary"].split(",")]


def test_vary_names_what_github_varies_on(owner, anonymous, public_repo):
    for response in [*every_kind_of_answer(owner), anonymous.get(REPO)]:
        assert vary(response)[:6] == [
            "Accept",
            "Authorization",
            "Cookie",
            "X-GitHub-OTP",
            "Accept-Encoding",
            "X-Requested-With",
        ]
        assert len(vary(response)) == len({name.lower() for name in vary(response)})


def test_reads_are_cached_privately_for_callers_and_publicly_for_anyone(
    owner, anonymous, public_repo
):
    assert owner.get(REPO)["Cache-Control"] == "private, max-age=60, s-maxage=60"
    assert anonymous.get(REPO)["Cache-Control"] == "public, max-age=60, s-maxage=60"
    assert anonymous.get("/api/")["Cache-Control"] == "public, max-age=60, s-maxage=60"


def test_writes_and_errors_are_not_cached(owner, anonymous, public_repo):
    created = owner.post("/api/user/repos", data={"name": "fresh"}, content_type="application/json")
    assert created.status_code == 201
    assert created["Cache-Control"] == "no-cache"
    assert owner.get("/api/repos/alice/nothing")["Cache-Control"] == "no-cache"
    assert anonymous.get("/api/user")["Cache-Control"] == "no-cache"


def test_any_origin_may_read_the_answers_and_github_headers(owner, public_repo):
    for response in every_kind_of_answer(owner):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Access-Control-Expose-Headers"] == EXPOSED
        assert "Access-Control-Allow-Credentials" not in response


def preflight(client, path, method="POST"):
    return client.options(
        path,
        HTTP_ORIGIN="https://ci.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-none-match",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/repos/alice/project/statuses/0123456789abcdef0123456789abcdef01234567",
        "/api/v3/repos/alice/secret/pulls/1/merge",
        "/api/no/such/route",
        "/api/",
    ],
)
def test_a_preflight_is_answered_without_authentication(anonymous, private_repo, path):
    response = preflight(anonymous, path)

    assert response.status_code == 204
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, POST, PATCH, PUT, DELETE"
    assert response["Access-Control-Allow-Headers"] == (
        "Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, "
        "If-Unmodified-Since, Accept-Encoding, X-GitHub-OTP, X-Requested-With, User-Agent, "
        "GraphQL-Features, X-Github-Next-Global-ID, X-GitHub-Api-Version"
    )
    assert response["Access-Control-Max-Age"] == "86400"
    assert REQUEST_ID.match(response["X-GitHub-Request-Id"])
    assert "X-RateLimit-Remaining" not in response


def test_preflights_cost_no_rate_limit(anonymous, public_repo):
    for _ in range(5):
        assert preflight(anonymous, REPO, "GET").status_code == 204

    assert anonymous.get(REPO)["X-RateLimit-Remaining"] == "59"


def test_pages_get_no_api_headers(alice, public_repo):
    browser = signed_in(alice)
    page = browser.get("/alice/project")

    assert page.status_code == 200
    for header in ("Access-Control-Allow-Origin", "X-GitHub-Request-Id", "ETag"):
        assert header not in page
    assert "Access-Control-Allow-Origin" not in preflight(browser, "/alice/project")


def test_a_signed_in_browser_session_does_not_authenticate_the_api(alice, public_repo):
    browser = signed_in(alice, enforce_csrf_checks=True)

    assert browser.get("/api/user").status_code == 401
    created = browser.post(
        "/api/user/repos",
        data={"name": "via-cookie"},
        content_type="application/json",
        HTTP_ORIGIN="https://evil.example.com",
    )
    assert created.status_code == 401
    assert created.json()["message"] == "Requires authentication"
    assert not Repository.objects.filter(name="via-cookie").exists()


def test_a_token_that_expires_says_when(alice, public_repo):
    expires_at = datetime(2026, 12, 31, 0, 0, 0, tzinfo=UTC) + timedelta(days=365 * 10)
    _, secret = create_personal_access_token(
        user=alice, name="ci", scopes=["repo"], expires_at=expires_at
    )
    client = Client(HTTP_AUTHORIZATION=f"token {secret}")

    response = client.get(REPO)
    assert response["GitHub-Authentication-Token-Expiration"] == "2036-12-28 00:00:00 UTC"
    etag = response["ETag"]
    unchanged = client.get(REPO, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged["GitHub-Authentication-Token-Expiration"] == "2036-12-28 00:00:00 UTC"


def test_a_token_without_expiry_sends_no_expiration(owner, anonymous, public_repo):
    assert "GitHub-Authentication-Token-Expiration" not in owner.get(REPO)
    assert "GitHub-Authentication-Token-Expiration" not in anonymous.get(REPO)


def test_an_oauth_token_says_when_it_expires(alice, public_repo):
    secret = secrets.token_urlsafe(30)
    expires = datetime(2031, 5, 17, 8, 30, 15, 123456, tzinfo=UTC)
    AccessToken.objects.create(user=alice, token=secret, scope="repo", expires=expires)

    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(REPO)

    assert response.status_code == 200
    assert response["GitHub-Authentication-Token-Expiration"] == "2031-05-17 08:30:15 UTC"
