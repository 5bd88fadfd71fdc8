"""API request bodies are bounded: over GITFORGE_API_MAX_BODY_SIZE (5 MiB) is a 413 decided by
Content-Length before any byte is read, and a body without a length is refused (411)."""

import io
import json

import pytest
from django.conf import settings as django_settings

from gitforge.api.exceptions import RequestTooLarge
from gitforge.api.parsers import GitHubJSONParser
from statuses.models import CommitStatus, LatestCommitStatus
from tests.helpers import assert_error, send

LIMIT = 5 * 1024 * 1024


def status_path(sha):
    return f"/api/repos/alice/project/statuses/{sha}"


def test_the_documented_limit_is_five_mebibytes_for_the_api_and_for_forms():
    assert django_settings.GITFORGE_API_MAX_BODY_SIZE == LIMIT
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == LIMIT


def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body(owner, sha):
    # The test client's payload refuses reads past the two bytes it holds: any read would fail.
    response = owner.generic(
        "POST",
        status_path(sha),
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(LIMIT + 1),
    )

    body = assert_error(response, 413, f"Request body too large: the limit is {LIMIT} bytes")
    assert body["status"] == "413"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert CommitStatus.objects.count() == 0


def test_a_body_one_byte_over_the_limit_is_refused(owner, sha):
    padding = "x" * (LIMIT - len('{"state": "success", "p": ""}') + 1)
    data = json.dumps({"state": "success", "p": padding})
    assert len(data) == LIMIT + 1

    response = owner.post(status_path(sha), data=data, content_type="application/json")

    assert_error(response, 413, f"Request body too large: the limit is {LIMIT} bytes")
    assert CommitStatus.objects.count() == 0


def test_a_body_of_exactly_the_limit_is_read(owner, sha):
    padding = "x" * (LIMIT - len('{"state": "success", "p": ""}'))
    data = json.dumps({"state": "success", "p": padding})
    assert len(data) == LIMIT

    response = owner.post(status_path(sha), data=data, content_type="application/json")

    assert response.status_code == 201, response.content[:300]
    assert CommitStatus.objects.get().state == "success"


def test_a_body_sent_without_a_length_is_refused(owner, sha):
    response = owner.generic(
        "POST",
        status_path(sha),
        data=b"",
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )

    assert_error(response, 411, "Length Required")
    assert CommitStatus.objects.count() == 0


def test_the_parser_never_reads_more_than_the_limit(settings):
    settings.GITFORGE_API_MAX_BODY_SIZE = 10
    stream = io.BytesIO(b'{"a": "' + b"x" * 100 + b'"}')

    with pytest.raises(RequestTooLarge):
        GitHubJSONParser().parse(stream)
    assert stream.tell() == 11


# target_url ------------------------------------------------------------------------------------


def url_of_length(length, base="https://ci.example.com/"):
    return base + "a" * (length - len(base))


def test_a_target_url_of_2048_characters_is_stored(owner, sha):
    url = url_of_length(2048)

    response = send(owner, "post", status_path(sha), {"state": "success", "target_url": url})

    assert response.status_code == 201, response.content[:300]
    assert response.json()["target_url"] == url
    assert CommitStatus.objects.get().target_url == url


def test_a_target_url_over_2048_characters_is_invalid(owner, sha):
    body = {"state": "success", "target_url": url_of_length(2049)}

    response = send(owner, "post", status_path(sha), body)

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert errors == [
        {
            "resource": "Status",
            "field": "target_url",
            "code": "custom",
            "message": "target_url is too long (maximum is 2048 characters)",
        }
    ]
    assert CommitStatus.objects.count() == 0
    assert LatestCommitStatus.objects.count() == 0


def test_a_target_url_is_stored_stripped_with_scheme_and_host_in_lower_case(owner, sha):
    sent = "  HTTPS://User:PW@CI.Example.COM:8443/Builds/1?Q=A#Top "

    response = send(owner, "post", status_path(sha), {"state": "success", "target_url": sent})

    stored = "https://User:PW@ci.example.com:8443/Builds/1?Q=A#Top"
    assert response.status_code == 201, response.content
    assert response.json()["target_url"] == stored
    assert CommitStatus.objects.get().target_url == stored
    assert LatestCommitStatus.objects.get().target_url == stored
