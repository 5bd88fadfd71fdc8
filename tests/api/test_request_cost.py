"""What one authenticated API request costs: its queries and cache round trips are pinned, and
doing less per request changes nothing a caller sees (revocations and permission changes apply
at once, counts stay exact)."""

import time
import uuid
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import (
    DEFAULT_DB_ALIAS,
    NotSupportedError,
    close_old_connections,
    connection,
    connections,
)
from django.utils import timezone

from gitforge.accounts.models import PersonalAccessToken
from gitforge.accounts.services import (
    create_personal_access_token,
    revoke_personal_access_token,
)
from gitforge.accounts.tokens import resolve_token
from gitforge.ratelimits.cache import DatabaseCounterCache
from gitforge.ratelimits.counting import Window, count_calls
from gitforge.repositories.services import set_collaborator
from statuses.models import CommitStatus, LatestCommitStatus
from tests.helpers import run_together, token_client
from tests.openapi import assert_matches_spec

STATUSES = "/repos/{owner}/{repo}/statuses/{sha}"


def counter_queries(windows):
    """Queries the rate-limit counters add: none in Redis, one upsert per window without it."""
    return windows if isinstance(caches["default"], DatabaseCounterCache) else 0


def post_status(client, sha, state="pending", context="ci"):
    return client.post(
        f"/api/repos/alice/project/statuses/{sha}",
        {"state": state, "context": context},
        content_type="application/json",
    )


def test_get_user_makes_two_queries(alice, public_repo, django_assert_num_queries):
    client = token_client(alice)
    client.get("/api/user")  # the first call records when the token was used

    # the token with its user; the repository counts
    with django_assert_num_queries(2 + counter_queries(1)):
        response = client.get("/api/user")

    assert response.status_code == 200
    assert response.json()["login"] == "alice"
    assert response.json()["public_repos"] == 1
    assert_matches_spec(response, "get", "/user", 200)


def test_a_collaborators_status_post_reads_token_repository_and_level_in_two_queries(
    alice, bob, public_repo, sha, django_assert_num_queries
):
    set_collaborator(repository=public_repo, user=bob, permission="push")
    client = token_client(bob, scopes=["repo:status"])
    post_status(client, sha, context="warm-up")

    # token + user; repository + owner + bob's level; then the transaction: begin, claim the
    # slot, insert, update the latest, commit (a pending status queues no auto-merge check).
    with django_assert_num_queries(7 + counter_queries(2)):
        response = post_status(client, sha)

    assert response.status_code == 201
    assert_matches_spec(response, "post", STATUSES, 201)
    status = CommitStatus.objects.get(pk=response.json()["id"])
    assert (status.state, status.context, status.creator) == ("pending", "ci", bob)
    latest = LatestCommitStatus.objects.get(repository=public_repo, sha=sha, context_key="ci")
    assert (latest.status_id, latest.state, latest.creator_id) == (status.id, "pending", bob.id)
    assert latest.created_at == status.created_at


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return cursor.fetchall()


def prepare_after_five_runs():
    """Settings' default; the suite may run with GITFORGE_PREPARE_THRESHOLD set otherwise."""
    connection.ensure_connection()
    connection.connection.prepare_threshold = 5


def test_token_and_repository_reads_are_planned_once_per_connection(alice, public_repo, sha):
    """The suite runs on PostgreSQL, where the reads every request makes are prepared statements
    once they have run five times on a connection, so later requests skip planning them."""
    client = token_client(alice, scopes=["repo"])
    prepare_after_five_runs()

    for _ in range(7):
        assert client.get(f"/api/repos/alice/project/commits/{sha}/status").status_code == 200

    prepared = prepared_statements()
    tokens = PersonalAccessToken._meta.db_table
    assert any(tokens in statement and runs >= 2 for statement, runs in prepared), prepared
    assert any(
        "repositories_repository" in statement and runs >= 2 for statement, runs in prepared
    ), prepared


@pytest.mark.django_db(transaction=True)
def test_a_migration_changing_a_returned_column_costs_one_request_per_connection(alice):
    """PostgreSQL refuses a prepared statement whose result type changed; the connection that
    prepared it is replaced when the request ends, and the token works again on the next."""
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    prepare_after_five_runs()
    for _ in range(7):
        assert resolve_token(secret).user == alice
    assert any(PersonalAccessToken._meta.db_table in sql for sql, _ in prepared_statements())
    table = PersonalAccessToken._meta.db_table
    name = PersonalAccessToken._meta.get_field("name")
    widen = f"ALTER TABLE {table} ALTER COLUMN name TYPE varchar({name.max_length + 1})"
    restore = f"ALTER TABLE {table} ALTER COLUMN name TYPE {name.db_type(connection)}"
    migration = connections.create_connection(DEFAULT_DB_ALIAS)  # another process's, as in a deploy
    try:
        with migration.cursor() as cursor:
            cursor.execute(widen)
        with pytest.raises(NotSupportedError, match="cached plan must not change result type"):
            resolve_token(secret)
        close_old_connections()  # what Django does when a request ends

        assert resolve_token(secret).user == alice
    finally:
        with migration.cursor() as cursor:
            cursor.execute(restore)
        migration.close()


def test_a_permission_change_applies_to_the_next_request(alice, bob, public_repo, sha):
    set_collaborator(repository=public_repo, user=bob, permission="push")
    client = token_client(bob)
    assert post_status(client, sha).status_code == 201

    set_collaborator(repository=public_repo, user=bob, permission="triage")
    refused = post_status(client, sha)

    assert refused.status_code == 403
    assert refused.json()["message"] == "Must have push access to repository"


def test_a_private_repository_is_hidden_once_access_is_removed(alice, bob, private_repo):
    client = token_client(bob)
    assert client.get("/api/repos/alice/secret").status_code == 200

    private_repo.collaborators.filter(user=bob).delete()

    assert client.get("/api/repos/alice/secret").status_code == 404


def test_a_revoked_token_stops_working_at_once(alice):
    client = token_client(alice)
    assert client.get("/api/user").status_code == 200

    revoke_personal_access_token(token=PersonalAccessToken.objects.get(user=alice))

    response = client.get("/api/user")
    assert response.status_code == 401
    assert response.json()["message"] == "Bad credentials"


def test_token_use_is_recorded_at_most_once_a_minute(alice, django_assert_num_queries):
    client = token_client(alice)
    client.get("/api/user")
    token = PersonalAccessToken.objects.get(user=alice)
    first = token.last_used_at
    assert first is not None

    with django_assert_num_queries(2 + counter_queries(1)):  # no UPDATE of last_used_at
        client.get("/api/user")
    token.refresh_from_db()
    assert token.last_used_at == first

    earlier = timezone.now() - timedelta(minutes=2)
    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get("/api/user")
    token.refresh_from_db()
    assert token.last_used_at > earlier + timedelta(minutes=1)


def test_a_call_the_budget_refuses_does_not_count_against_the_status_limit(
    settings, alice, public_repo, sha
):
    settings.GITFORGE_API_RATE_LIMIT = "2/h"
    settings.GITFORGE_STATUS_RATE_LIMIT = "2/h"
    client = token_client(alice)
    assert post_status(client, sha).status_code == 201
    assert client.get("/api/user").status_code == 200
    assert post_status(client, sha).status_code == 429  # the budget is spent

    settings.GITFORGE_API_RATE_LIMIT = "100/h"  # a new budget, in a new counter

    assert post_status(client, sha).status_code == 201  # the status limit's 2nd use
    assert post_status(client, sha).status_code == 429


# The counters themselves, in whichever cache the deployment has -------------------------------

DATABASE_COUNTERS = "gitforge.ratelimits.cache.DatabaseCounterCache"


@pytest.fixture(params=["default", "database"])
def counter_cache(request, settings, db):
    if request.param == "database":
        settings.CACHES = {
            "default": {"BACKEND": DATABASE_COUNTERS, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        }
    return caches["default"]


def test_counting_stops_at_the_first_window_over_its_limit(counter_cache):
    windows = [Window("budget", 60, 2), Window("route", 60, 10)]

    counted = [count_calls(counter_cache, windows) for _ in range(3)]

    assert counted == [[1, 1], [2, 2], [3]]
    assert counter_cache.get("budget") == 3
    assert counter_cache.get("route") == 2


def test_a_counter_starts_again_when_its_window_ends(counter_cache):
    assert count_calls(counter_cache, [Window("short", 1, 100)]) == [1]
    assert count_calls(counter_cache, [Window("short", 1, 100)]) == [2]

    time.sleep(2.1)

    assert count_calls(counter_cache, [Window("short", 1, 100)]) == [1]


@pytest.mark.django_db(transaction=True)
def test_database_counts_from_many_connections_lose_nothing(settings):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes its writers: nothing to race")
    settings.CACHES = {
        "default": {"BACKEND": DATABASE_COUNTERS, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }
    threads, each = 8, 25

    def count():
        for _ in range(each):
            count_calls(caches["default"], [Window("shared", 600, 10**6)])

    assert run_together(threads, count) == []
    assert caches["default"].get("shared") == threads * each
