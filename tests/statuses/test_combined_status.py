"""The combined status of a commit: the latest status of each context, and the state they make."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statuses.models import CommitStatus
from statuses.selectors import get_combined_status
from statuses.services import create_commit_status
from statuses.states import combine_states
from tests.helpers import token_client
from tests.openapi import assert_matches_spec

SPEC_PATH = "/repos/{owner}/{repo}/commits/{ref}/status"


@pytest.mark.parametrize(
    ("states", "combined"),
    [
        ([], "pending"),
        (["success"], "success"),
        (["success", "success"], "success"),
        (["pending"], "pending"),
        (["success", "pending"], "pending"),
        (["pending", "pending"], "pending"),
        (["error"], "failure"),
        (["failure"], "failure"),
        (["error", "pending"], "failure"),
        (["failure", "success"], "failure"),
        (["error", "success"], "failure"),
        (["failure", "pending", "success"], "failure"),
        (["error", "failure"], "failure"),
    ],
)
def test_combine_states(states, combined):
    assert combine_states(states) == combined
    assert combine_states(reversed(states)) == combined


@pytest.fixture
def post(public_repo, alice, sha):
    """Record a status on main's head through the service."""

    def create(state, context="ci", **fields):
        return create_commit_status(
            repository=public_repo, sha=sha, state=state, context=context, creator=alice, **fields
        )

    return create


def combined(client, ref, **params):
    return client.get(f"/api/repos/alice/project/commits/{ref}/status", params)


def test_combined_status_matches_spec(anonymous, public_repo, post, sha):
    post("success", "ci/tests", description="all green", target_url="https://ci.example.com/1")
    post("pending", "ci/lint")

    response = combined(anonymous, "main")

    assert_matches_spec(response, "get", SPEC_PATH, 200)
    body = response.json()
    assert body["state"] == "pending"
    assert body["sha"] == sha
    assert body["total_count"] == 2
    assert body["commit_url"] == f"http://testserver/api/repos/alice/project/commits/{sha}"
    assert body["url"] == f"http://testserver/api/repos/alice/project/commits/{sha}/status"
    assert body["repository"]["full_name"] == "alice/project"
    assert body["repository"]["id"] == public_repo.id
    assert body["repository"]["owner"]["login"] == "alice"
    assert [(s["context"], s["state"]) for s in body["statuses"]] == [
        ("ci/lint", "pending"),
        ("ci/tests", "success"),
    ]
    assert body["statuses"][1]["description"] == "all green"
    assert body["statuses"][1]["target_url"] == "https://ci.example.com/1"


def test_a_commit_without_statuses_is_pending(anonymous, public_repo, sha):
    response = combined(anonymous, sha)

    assert_matches_spec(response, "get", SPEC_PATH, 200)
    body = response.json()
    assert (body["state"], body["total_count"], body["statuses"]) == ("pending", 0, [])


def test_latest_status_of_each_context_wins(anonymous, post):
    post("failure", "ci/tests")
    post("success", "ci/tests")
    post("pending", "ci/lint")
    latest_lint = post("success", "ci/lint")

    body = combined(anonymous, "main").json()

    assert body["state"] == "success"
    assert body["total_count"] == 2
    assert {s["context"]: s["state"] for s in body["statuses"]} == {
        "ci/tests": "success",
        "ci/lint": "success",
    }
    assert latest_lint.id in [s["id"] for s in body["statuses"]]


def test_a_later_failure_fails_the_commit(anonymous, post):
    post("success", "ci/tests")
    post("success", "ci/lint")
    post("error", "ci/lint")

    assert combined(anonymous, "main").json()["state"] == "failure"


def test_contexts_are_case_insensitive_and_show_the_last_spelling(anonymous, post):
    post("failure", "CI/Tests")
    post("success", "ci/tests")

    body = combined(anonymous, "main").json()

    assert body["total_count"] == 1
    assert body["state"] == "success"
    assert [(s["context"], s["state"]) for s in body["statuses"]] == [("ci/tests", "success")]


def test_latest_wins_even_when_timestamps_are_equal(anonymous, post, public_repo, sha):
    first = post("failure", "ci/tests")
    second = post("success", "ci/tests")
    moment = first.created_at
    CommitStatus.objects.filter(pk__in=[first.pk, second.pk]).update(
        created_at=moment, updated_at=moment
    )

    latest = get_combined_status(repository=public_repo, sha=sha).statuses
    assert [(status.id, status.state) for status in latest] == [(second.id, "success")]
    body = combined(anonymous, "main").json()
    assert [s["id"] for s in body["statuses"]] == [second.id]
    assert body["state"] == "success"


def test_total_count_counts_contexts_not_statuses(anonymous, post):
    for state in ("pending", "success", "pending", "success"):
        post(state, "ci/tests")
    post("success", "ci/lint")

    body = combined(anonymous, "main").json()

    assert body["total_count"] == 2
    assert len(body["statuses"]) == 2


def test_statuses_are_paginated_but_the_state_reflects_every_context(anonymous, post):
    post("success", "a")
    post("success", "b")
    post("failure", "c")

    first = combined(anonymous, "main", per_page=2)
    second = combined(anonymous, "main", per_page=2, page=2)

    assert_matches_spec(first, "get", SPEC_PATH, 200)
    assert [s["context"] for s in first.json()["statuses"]] == ["a", "b"]
    assert [s["context"] for s in second.json()["statuses"]] == ["c"]
    for response in (first, second):
        assert response.json()["state"] == "failure"
        assert response.json()["total_count"] == 3
    assert 'page=2>; rel="next"' in first["Link"]
    assert 'page=2>; rel="last"' in first["Link"]
    assert 'rel="prev"' in second["Link"]


def test_any_ref_form_reports_the_full_sha(anonymous, post, sha):
    post("success")

    for ref in ("main", "heads/main", sha[:7], sha):
        body = combined(anonymous, ref).json()
        assert body["sha"] == sha
        assert body["total_count"] == 1


def test_unknown_ref_is_not_found(anonymous, public_repo):
    assert combined(anonymous, "nope").status_code == 404


def test_v3_prefix_keeps_v3_urls(anonymous, post, sha):
    post("success")

    body = anonymous.get("/api/v3/repos/alice/project/commits/main/status").json()

    base = "http://testserver/api/v3/repos/alice/project"
    assert body["url"] == f"{base}/commits/{sha}/status"
    assert body["commit_url"] == f"{base}/commits/{sha}"
    assert body["repository"]["url"] == base
    assert body["statuses"][0]["url"] == f"{base}/statuses/{sha}"


# Query counts


def test_get_combined_status_costs_one_query_whatever_the_number_of_contexts(
    django_assert_num_queries, post, public_repo, sha
):
    post("success", "only")
    with django_assert_num_queries(1):
        assert get_combined_status(repository=public_repo, sha=sha).total_count == 1

    for number in range(29):
        post("success", f"ci/{number}")
    with django_assert_num_queries(1):
        result = get_combined_status(repository=public_repo, sha=sha)
        assert result.total_count == 30
        assert {status.creator and status.creator.username for status in result.statuses} == {
            "alice"
        }


def test_creators_are_accounts_that_load_the_rest_when_asked(post, public_repo, sha, alice):
    post("success", "ci/tests")

    [status] = get_combined_status(repository=public_repo, sha=sha).statuses

    assert status.creator == alice
    assert not status.creator.is_superuser
    assert status.creator.email == "alice@example.com"  # not read by the combining query


def count_queries(request):
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("caller", ["anonymous", "owner"])
def test_combined_status_endpoint_query_count_does_not_grow_with_contexts(
    anonymous, alice, post, caller
):
    client = anonymous if caller == "anonymous" else token_client(alice)
    combined(client, "main")  # a token's first use records last_used_at
    for number in range(3):
        post("success", f"ci/{number}")
    with_three = count_queries(lambda: combined(client, "main"))

    for number in range(3, 30):
        post("success", f"ci/{number}")
    with_thirty = count_queries(lambda: combined(client, "main"))

    assert with_thirty == with_three
    assert with_three <= 3


def test_list_statuses_endpoint_query_count_does_not_grow_with_statuses(anonymous, post):
    for number in range(3):
        post("success", f"ci/{number}")
    with_three = count_queries(
        lambda: anonymous.get("/api/repos/alice/project/commits/main/statuses")
    )

    for number in range(3, 30):
        post("success", f"ci/{number}")
    with_thirty = count_queries(
        lambda: anonymous.get("/api/repos/alice/project/commits/main/statuses")
    )

    assert with_thirty == with_three
