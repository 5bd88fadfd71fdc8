"""The admin shows commit statuses as read-only history: list, filter, search, never edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.accounts.models import User
from gitforge.repositories.git import GitRepository
from statuses.models import CommitStatus
from statuses.services import create_commit_status
from tests.helpers import make_repository

CHANGELIST = "/admin/statuses/commitstatus/"


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser("root", "root@example.com", "root-password-1")
    client.force_login(admin)
    return client


@pytest.fixture
def statuses(public_repo, alice):
    other = make_repository(alice, "other")

    def post(repository, state, context, description=None, branch="main"):
        sha = GitRepository(repository.id).branch_sha(branch)
        return create_commit_status(
            repository=repository,
            sha=sha,
            state=state,
            context=context,
            description=description,
            creator=alice,
        )

    return {
        "tests": post(public_repo, "success", "ci/tests", "unit tests passed"),
        "lint": post(public_repo, "failure", "ci/lint", "flake8 found 3 problems"),
        "deploy": post(other, "pending", "deploy/staging", branch="feature"),
        "other": other,
    }


def listed(response):
    assert response.status_code == 200
    return {status.context for status in response.context["cl"].result_list}


def test_changelist_lists_statuses(admin_client, statuses):
    response = admin_client.get(CHANGELIST)

    assert listed(response) == {"ci/tests", "ci/lint", "deploy/staging"}
    page = response.content.decode()
    assert "ci/lint" in page
    assert statuses["lint"].sha[:7] in page


def test_filter_by_state(admin_client, statuses):
    response = admin_client.get(CHANGELIST, {"state__exact": "failure"})

    assert listed(response) == {"ci/lint"}


def test_filter_by_repository(admin_client, statuses):
    response = admin_client.get(CHANGELIST, {"repository__id__exact": statuses["other"].id})

    assert listed(response) == {"deploy/staging"}


def test_filter_by_context(admin_client, statuses):
    response = admin_client.get(CHANGELIST, {"context": "ci/tests"})

    assert listed(response) == {"ci/tests"}


@pytest.mark.parametrize(
    ("query", "found"),
    [("flake8", {"ci/lint"}), ("deploy", {"deploy/staging"}), ("nothing-like-it", set())],
)
def test_search_by_description_and_context(admin_client, statuses, query, found):
    assert listed(admin_client.get(CHANGELIST, {"q": query})) == found


def test_search_by_sha(admin_client, statuses):
    sha = statuses["deploy"].sha

    assert listed(admin_client.get(CHANGELIST, {"q": sha})) == {"deploy/staging"}


def test_statuses_cannot_be_added(admin_client, statuses):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client.post(f"{CHANGELIST}add/", {"state": "success"}).status_code == 403
    assert CommitStatus.objects.count() == 3


def test_statuses_can_be_viewed_but_not_changed(admin_client, statuses):
    status = statuses["lint"]
    url = f"{CHANGELIST}{status.pk}/change/"

    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content

    response = admin_client.post(url, {"state": "success", "context": "ci/lint"})
    assert response.status_code == 403
    status.refresh_from_db()
    assert status.state == "failure"


def test_statuses_cannot_be_deleted(admin_client, statuses):
    status = statuses["lint"]

    assert admin_client.get(f"{CHANGELIST}{status.pk}/delete/").status_code == 403
    assert admin_client.post(f"{CHANGELIST}{status.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [status.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert CommitStatus.objects.count() == 3


def test_only_staff_may_see_the_changelist(client, alice, statuses):
    client.force_login(alice)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_changelist_query_count_does_not_grow_with_rows(admin_client, statuses, alice):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(CHANGELIST).status_code == 200
        return len(queries)

    with_three = count_queries()
    sha = statuses["tests"].sha
    for number in range(20):
        create_commit_status(
            repository=statuses["tests"].repository,
            sha=sha,
            state="success",
            context=f"ci/{number}",
            creator=alice,
        )

    assert count_queries() == with_three
