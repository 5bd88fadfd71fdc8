"""POST /repos/{owner}/{repo}/statuses/{sha}: what is recorded, and what is refused."""

import pytest

from statuses.models import CommitStatus
from tests.helpers import token_client
from tests.openapi import assert_matches_schema, assert_matches_spec

SPEC_PATH = "/repos/{owner}/{repo}/statuses/{sha}"


@pytest.fixture
def client(alice, public_repo):
    return token_client(alice)


def post_status(client, sha, body, *, prefix="/api"):
    return client.post(
        f"{prefix}/repos/alice/project/statuses/{sha}", body, content_type="application/json"
    )


def assert_validation_failed(response, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["message"] == "Validation Failed"
    assert field in [error["field"] for error in body["errors"]], body["errors"]
    assert CommitStatus.objects.count() == 0


def test_create_status_matches_spec_and_is_stored(client, alice, public_repo, sha):
    response = post_status(
        client,
        sha,
        {
            "state": "success",
            "target_url": "https://ci.example.com/builds/1",
            "description": "The build succeeded!",
            "context": "continuous-integration/jenkins",
        },
    )

    assert_matches_spec(response, "post", SPEC_PATH, 201)
    body = response.json()
    assert body["state"] == "success"
    assert body["context"] == "continuous-integration/jenkins"
    assert body["description"] == "The build succeeded!"
    assert body["target_url"] == "https://ci.example.com/builds/1"
    assert body["creator"]["login"] == "alice"
    assert body["url"] == f"http://testserver/api/repos/alice/project/statuses/{sha}"
    assert response["Location"] == body["url"]

    stored = CommitStatus.objects.get()
    assert stored.id == body["id"]
    assert stored.repository == public_repo
    assert stored.sha == sha
    assert stored.state == "success"
    assert stored.creator == alice
    assert stored.context_key == "continuous-integration/jenkins"


def test_context_defaults_to_default_and_optional_fields_may_be_null(client, sha):
    response = post_status(
        client, sha, {"state": "pending", "target_url": None, "description": None}
    )

    assert_matches_spec(response, "post", SPEC_PATH, 201)
    body = response.json()
    assert body["context"] == "default"
    assert body["target_url"] is None
    assert body["description"] is None
    stored = CommitStatus.objects.get()
    assert (stored.context, stored.target_url, stored.description) == ("default", None, None)


def test_v3_prefix_keeps_v3_urls(client, sha):
    response = post_status(client, sha, {"state": "success"}, prefix="/api/v3")

    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/v3/repos/alice/project/statuses/{sha}"


def test_uppercase_sha_is_accepted_and_stored_lower_case(client, sha):
    response = post_status(client, sha.upper(), {"state": "success"})

    assert response.status_code == 201, response.content
    assert response.json()["url"].endswith(f"/statuses/{sha}")
    assert CommitStatus.objects.get().sha == sha


@pytest.mark.parametrize("state", ["passed", "SUCCESS", ""])
def test_invalid_state_is_refused(client, sha, state):
    assert_validation_failed(post_status(client, sha, {"state": state}), "state")


def test_missing_state_is_refused(client, sha):
    response = post_status(client, sha, {"context": "ci"})

    assert_validation_failed(response, "state")
    assert response.json()["errors"][0]["code"] == "missing_field"


@pytest.mark.parametrize(
    ("field", "value"),
    [("state", 1), ("context", []), ("description", 5), ("target_url", True)],
)
def test_non_string_fields_are_refused(client, sha, field, value):
    body = {"state": "success", field: value}

    assert_validation_failed(post_status(client, sha, body), field)


def test_description_may_hold_140_characters_and_no_more(client, sha):
    refused = post_status(client, sha, {"state": "success", "description": "d" * 141})

    assert_validation_failed(refused, "description")
    assert refused.json()["errors"] == [
        {
            "resource": "Status",
            "code": "custom",
            "field": "description",
            "message": "description is too long (maximum is 140 characters)",
        }
    ]
    assert refused.json()["documentation_url"] == (
        "https://docs.github.com/rest/commits/statuses#create-a-commit-status"
    )
    assert_matches_schema(refused, "validation-error")

    response = post_status(client, sha, {"state": "success", "description": "d" * 140})
    assert response.status_code == 201
    assert CommitStatus.objects.get().description == "d" * 140


def test_context_may_hold_255_characters_and_no_more(client, sha):
    assert_validation_failed(
        post_status(client, sha, {"state": "success", "context": "c" * 256}), "context"
    )

    response = post_status(client, sha, {"state": "success", "context": "c" * 255})
    assert response.status_code == 201
    assert CommitStatus.objects.get().context == "c" * 255


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x", "/relative", "http://"])
def test_target_url_must_be_an_absolute_http_url(client, sha, url):
    assert_validation_failed(
        post_status(client, sha, {"state": "success", "target_url": url}), "target_url"
    )


def test_branch_name_is_not_a_sha(client):
    response = post_status(client, "main", {"state": "success"})

    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "No commit found for SHA: main"
    assert body["errors"][0]["field"] == "sha"
    assert CommitStatus.objects.count() == 0


def test_unknown_sha_is_refused(client, public_repo):
    unknown = "0123456789abcdef0123456789abcdef01234567"

    response = post_status(client, unknown, {"state": "success"})

    assert response.status_code == 422
    assert response.json()["message"] == f"No commit found for SHA: {unknown}"
    assert CommitStatus.objects.count() == 0


def test_malformed_json_is_a_parse_error(client, sha):
    response = post_status(client, sha, '{"state": "success",')

    assert response.status_code == 400
    assert response.json()["message"] == "Problems parsing JSON"
    assert CommitStatus.objects.count() == 0


def test_json_that_is_not_an_object_is_a_parse_error(client, sha):
    response = post_status(client, sha, '["success"]')

    assert response.status_code == 400
    assert response.json()["message"] == "Problems parsing JSON"
    assert CommitStatus.objects.count() == 0
