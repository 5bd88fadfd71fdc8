"""A pull request body is at most 65,536 characters, as on GitHub: longer is refused, not stored."""

import pytest

from gitforge.errors import InvalidInput
from pulls.models import PullRequest
from pulls.services import open_pull_request
from tests.helpers import assert_error, send, signed_in
from tests.openapi import assert_matches_spec

LIMIT = 65536
TOO_LONG = {
    "resource": "PullRequest",
    "code": "custom",
    "field": "body",
    "message": "body is too long (maximum is 65536 characters)",
}


def create_pull(client, body):
    fields = {"title": "Change app", "head": "feature", "base": "main", "body": body}
    return send(client, "post", "/api/repos/alice/project/pulls", fields)


def test_opening_with_a_body_over_the_limit_is_422_and_stores_nothing(owner, public_repo):
    response = create_pull(owner, "[" * (LIMIT + 1))

    body = assert_error(response, 422, "Validation Failed")
    assert body["errors"] == [TOO_LONG]
    assert_matches_spec(response, "post", "/repos/{owner}/{repo}/pulls", 422)
    assert not PullRequest.objects.exists()


def test_a_body_of_exactly_the_limit_is_accepted(owner, public_repo):
    response = create_pull(owner, "x" * LIMIT)

    assert response.status_code == 201, response.content[:300]
    assert len(PullRequest.objects.get().body) == LIMIT


@pytest.mark.parametrize("length", [LIMIT + 1, 10 * LIMIT])
def test_editing_to_a_body_over_the_limit_is_422_and_keeps_the_old_body(owner, pull, length):
    response = send(owner, "patch", "/api/repos/alice/project/pulls/1", {"body": "a" * length})

    body = assert_error(response, 422, "Validation Failed")
    assert body["errors"] == [TOO_LONG]
    pull.refresh_from_db()
    assert pull.body == "Makes **app** print 2."


def test_editing_title_with_a_long_body_changes_neither(owner, pull):
    response = send(
        owner,
        "patch",
        "/api/repos/alice/project/pulls/1",
        {"title": "New title", "body": "a" * (LIMIT + 1)},
    )

    assert response.status_code == 422
    pull.refresh_from_db()
    assert (pull.title, pull.body) == ("Change app", "Makes **app** print 2.")


def test_the_new_pull_request_form_shows_the_message_and_stores_nothing(public_repo, alice):
    response = signed_in(alice).post(
        "/alice/project/compare",
        {"base": "main", "head": "feature", "title": "Long", "body": "a" * (LIMIT + 1)},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert '<p class="error">body is too long (maximum is 65536 characters)</p>' in page
    assert 'maxlength="65536"' in page
    assert not PullRequest.objects.exists()


def test_the_service_refuses_a_long_body_whoever_calls_it(alice, public_repo):
    with pytest.raises(InvalidInput) as refused:
        open_pull_request(
            repository=public_repo,
            author=alice,
            title="t",
            head="feature",
            base="main",
            body="a" * (LIMIT + 1),
        )

    assert refused.value.errors == [TOO_LONG]
    assert not PullRequest.objects.exists()
