"""Hostile input never makes the API answer 5xx: each gets GitHub's JSON 4xx and stores nothing.

Run on PostgreSQL (which refuses NUL in text and integers past 64 bits) and on SQLite alike.
"""

import json

import pytest
from django.test import Client

from hooks.models import Hook
from pulls.models import PullRequest
from statuses.models import CommitStatus
from tests.helpers import assert_error, send

BIG = "99999999999999999999"  # past a 64-bit integer


@pytest.fixture
def owner(owner):
    """alice's client; a 500 comes back as a response, not as an exception."""
    owner.raise_request_exception = False
    return owner


def raw_post(client, path, text):
    return client.post(path, data=text, content_type="application/json")


def test_anonymous_pull_request_on_a_public_repository_needs_authentication(public_repo):
    response = send(Client(), "post", "/api/repos/alice/project/pulls", new_pull())

    assert_error(response, 401, "Requires authentication")
    assert PullRequest.objects.count() == 0


def test_json_nested_two_thousand_levels_deep_is_a_parse_error(owner, public_repo):
    deep = '{"title": ' + "[" * 2000 + "]" * 2000 + ', "head": "feature", "base": "main"}'

    response = raw_post(owner, "/api/repos/alice/project/pulls", deep)

    assert_error(response, 400, "Problems parsing JSON")
    assert PullRequest.objects.count() == 0


@pytest.mark.parametrize("depth", [100, 900])
def test_deep_json_that_parses_is_refused_by_field(owner, public_repo, depth):
    nested = "[" * depth + '"x"' + "]" * depth
    body = '{"title": "t", "head": "feature", "base": "main", "body": ' + nested + "}"

    response = raw_post(owner, "/api/repos/alice/project/pulls", body)

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [error["field"] for error in errors] == ["body"]
    assert PullRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("title", "a\\u0000b"),
        ("title", "half \\ud800 a pair"),
        ("title", "trailing low \\udfff"),
        ("body", "nul \\u0000 in a body"),
        ("body", "\\udc00"),
        ("head", "feat\\u0000ure"),
        ("base", "ma\\ud83din"),
    ],
)
def test_nul_and_unpaired_surrogates_in_a_pull_request_are_refused(owner, public_repo, field, text):
    body = {**new_pull(), field: "PLACEHOLDER"}
    raw = json.dumps(body).replace("PLACEHOLDER", text)  # JSON escapes, as a client sends them

    response = raw_post(owner, "/api/repos/alice/project/pulls", raw)

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert errors == [
        {
            "resource": "PullRequest",
            "field": field,
            "code": "invalid",
            "message": f"{field} may not contain control characters or unpaired surrogates",
        }
    ]
    assert PullRequest.objects.count() == 0


def test_bytes_that_are_not_utf8_are_a_parse_error(owner, public_repo):
    response = owner.post(
        "/api/repos/alice/project/pulls",
        data=b'{"title": "\xff\xfe", "head": "feature", "base": "main"}',
        content_type="application/json",
    )

    assert_error(response, 400, "Problems parsing JSON")
    assert PullRequest.objects.count() == 0


def test_a_surrogate_encoded_as_raw_bytes_is_refused_by_field(owner, public_repo):
    response = owner.post(
        "/api/repos/alice/project/pulls",
        data=b'{"title": "\xed\xa0\x80", "head": "feature", "base": "main"}',
        content_type="application/json",
    )

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [error["field"] for error in errors] == ["title"]
    assert PullRequest.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/repos/alice/%00/pulls",
        "/api/repos/%00/project",
        "/api/repos/alice/project/commits/%ED%A0%80/status",
        "/api/repos/alice/project/commits/ma%00in/statuses",
        "/api/repos/alice/project/branches/ma%0Ain",
        "/api/repos/alice/project/branches/main%0D/protection",
        "/api/users/al%00ice",
        "/api/repos/alice/project/collaborators/b%00ob",
        "/api/v3/repos/alice/pro%1Fject/hooks",
        "/api/no%0Asuch/route",
    ],
)
def test_control_characters_in_an_api_path_are_json_not_found(owner, public_repo, path):
    response = owner.get(path)

    body = assert_error(response, 404, "Not Found")
    assert body["status"] == "404"


def test_a_write_to_a_path_with_nul_stores_nothing(owner, public_repo, sha):
    response = send(
        owner, "post", f"/api/repos/alice/project%00/statuses/{sha}", {"state": "error"}
    )

    assert_error(response, 404, "Not Found")
    assert CommitStatus.objects.count() == 0


@pytest.mark.parametrize(
    "path", ["/alice/%00", "/alice/project/pull/%00", "/al%00ice/project.git/info/refs"]
)
def test_control_characters_in_page_and_git_paths_are_not_found(public_repo, path):
    client = Client(raise_request_exception=False)

    assert client.get(path).status_code == 404


def test_nul_in_a_query_parameter_is_invalid(owner, public_repo):
    response = owner.get("/api/repos/alice/project/pulls?head=fea%00ture")

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [(error["resource"], error["field"]) for error in errors] == [("Query", "head")]


@pytest.mark.parametrize(
    "path",
    [
        "/api/repos/alice/project/pulls",
        "/api/repos/alice/project/branches",
        "/api/repos/alice/project/commits/main/statuses",
        "/api/repos/alice/project/commits/main/status",
        "/api/repos/alice/project/hooks",
    ],
)
@pytest.mark.parametrize("query", [f"page={BIG}", f"per_page={BIG}", f"page={BIG}&per_page={BIG}"])
def test_page_numbers_past_any_integer_are_an_empty_page(owner, pull, sha, path, query):
    response = owner.get(f"{path}?{query}")

    assert response.status_code == 200, response.content[:300]
    data = response.json()
    items = data["statuses"] if path.endswith("/status") else data
    if "page=" + BIG in query and not query.startswith("per_page"):
        assert items == []


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]:99999/", "http://", "ftp://x/"])
def test_malformed_target_url_is_invalid(owner, public_repo, sha, url):
    response = send(
        owner,
        "post",
        f"/api/repos/alice/project/statuses/{sha}",
        {"state": "success", "target_url": url},
    )

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [error["field"] for error in errors] == ["target_url"]
    assert CommitStatus.objects.count() == 0


@pytest.mark.parametrize("url", ["http://[::1", "http://exa\u0000mple.com/", "http://\ud800.com/"])
def test_malformed_hook_url_is_invalid(owner, public_repo, url):
    raw = json.dumps({"config": {"url": url}})

    response = raw_post(owner, "/api/repos/alice/project/hooks", raw)

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [error["field"] for error in errors] == ["url"]
    assert Hook.objects.count() == 0


def test_pull_request_title_longer_than_its_column_is_invalid(owner, public_repo):
    response = send(owner, "post", "/api/repos/alice/project/pulls", new_pull(title="t" * 257))

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert errors == [
        {
            "resource": "PullRequest",
            "field": "title",
            "code": "custom",
            "message": "title is too long (maximum is 256 characters)",
        }
    ]
    assert PullRequest.objects.count() == 0


def test_pull_request_title_of_exactly_the_column_length_is_stored(owner, public_repo):
    response = send(owner, "post", "/api/repos/alice/project/pulls", new_pull(title="t" * 256))

    assert response.status_code == 201, response.content
    assert PullRequest.objects.get().title == "t" * 256


def test_renaming_a_pull_request_past_the_column_length_is_invalid(owner, pull):
    response = send(owner, "patch", "/api/repos/alice/project/pulls/1", {"title": "t" * 300})

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [("title", "custom")]
    assert PullRequest.objects.get().title == "Change app"


def new_pull(**fields):
    return {"title": "New feature", "head": "feature", "base": "main", **fields}
