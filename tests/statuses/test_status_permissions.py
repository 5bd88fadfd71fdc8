"""Who may create and read commit statuses: repository permission capped by token scopes."""

import pytest
from django.test import Client

from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import set_collaborator
from statuses.models import CommitStatus
from statuses.services import create_commit_status
from tests.helpers import token_client


def head(repository):
    return GitRepository(repository.id).branch_sha("main")


def post_status(client, repository, sha=None):
    return client.post(
        f"/api/repos/{repository.full_name}/statuses/{sha or head(repository)}",
        {"state": "success", "context": "ci"},
        content_type="application/json",
    )


def assert_refused(response, status, message=None):
    assert response.status_code == status, response.content
    if message is not None:
        assert response.json()["message"] == message
    assert CommitStatus.objects.count() == 0


# Creating


def test_anonymous_needs_to_authenticate_on_a_public_repository(public_repo, anonymous):
    assert_refused(post_status(anonymous, public_repo), 401, "Requires authentication")


def test_anonymous_cannot_see_a_private_repository(private_repo, anonymous):
    assert_refused(post_status(anonymous, private_repo), 404, "Not Found")


def test_bad_token_is_refused(public_repo):
    client = Client(HTTP_AUTHORIZATION="token ghp_not-a-real-token")

    assert_refused(post_status(client, public_repo), 401, "Bad credentials")


def test_stranger_may_not_write_to_a_public_repository(public_repo, charlie):
    assert_refused(
        post_status(token_client(charlie), public_repo),
        403,
        "Must have push access to repository",
    )


def test_stranger_cannot_see_a_private_repository(private_repo, charlie):
    assert_refused(post_status(token_client(charlie), private_repo), 404, "Not Found")


def test_pull_collaborator_sees_the_private_repository_but_may_not_write(private_repo, bob):
    assert_refused(
        post_status(token_client(bob), private_repo),
        403,
        "Must have push access to repository",
    )


@pytest.mark.parametrize("scope", ["repo", "repo:status"])
def test_push_collaborator_with_a_status_scope_may_create(public_repo, bob, scope):
    set_collaborator(repository=public_repo, user=bob, permission="push")

    response = post_status(token_client(bob, scopes=[scope]), public_repo)

    assert response.status_code == 201, response.content
    assert CommitStatus.objects.get().creator == bob


def test_push_collaborator_with_a_status_scope_may_create_on_a_private_repository(
    private_repo, bob
):
    set_collaborator(repository=private_repo, user=bob, permission="push")

    response = post_status(token_client(bob, scopes=["repo:status"]), private_repo)

    assert response.status_code == 201, response.content


def test_push_collaborator_without_a_scope_is_told_which_scope_is_missing(public_repo, bob):
    set_collaborator(repository=public_repo, user=bob, permission="push")

    response = post_status(token_client(bob, scopes=[]), public_repo)

    assert_refused(response, 403)
    message = response.json()["message"]
    assert "'repo'" in message and "'repo:status'" in message


def test_owner_with_a_read_user_token_cannot_see_the_private_repository(private_repo, alice):
    assert_refused(
        post_status(token_client(alice, scopes=["read:user"]), private_repo), 404, "Not Found"
    )


def test_owner_with_a_read_user_token_is_refused_on_a_public_repository(public_repo, alice):
    response = post_status(token_client(alice, scopes=["read:user"]), public_repo)

    assert_refused(response, 403)
    assert "scope" in response.json()["message"]


# Reading


@pytest.fixture
def status_on(alice):
    def create(repository):
        return create_commit_status(
            repository=repository, sha=head(repository), state="success", creator=alice
        )

    return create


READ_ROUTES = ["commits/main/status", "commits/main/statuses", "statuses/main"]


@pytest.mark.parametrize("route", READ_ROUTES)
def test_anyone_may_read_statuses_of_a_public_repository(public_repo, status_on, route):
    status_on(public_repo)

    response = Client().get(f"/api/repos/alice/project/{route}")

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("route", READ_ROUTES)
def test_reading_a_private_repository_needs_pull(private_repo, status_on, alice, charlie, route):
    status_on(private_repo)
    url = f"/api/repos/alice/secret/{route}"

    assert Client().get(url).status_code == 404
    assert token_client(charlie).get(url).status_code == 404
    assert token_client(alice, scopes=["read:user"]).get(url).status_code == 404
    assert token_client(alice).get(url).status_code == 200


@pytest.mark.parametrize("route", READ_ROUTES)
@pytest.mark.parametrize("scope", ["repo", "repo:status"])
def test_pull_collaborator_reads_a_private_repository(private_repo, status_on, bob, route, scope):
    status_on(private_repo)

    response = token_client(bob, scopes=[scope]).get(f"/api/repos/alice/secret/{route}")

    assert response.status_code == 200, response.content


def test_a_repo_status_token_reads_nothing_but_statuses(private_repo, bob):
    client = token_client(bob, scopes=["repo:status"])

    assert client.get("/api/repos/alice/secret").status_code == 404
    assert client.get("/api/repos/alice/secret/commits/main/status").status_code == 200


def test_responses_name_accepted_and_granted_scopes(public_repo, bob):
    set_collaborator(repository=public_repo, user=bob, permission="push")
    client = token_client(bob, scopes=["repo:status"])

    created = post_status(client, public_repo)
    read = client.get("/api/repos/alice/project/commits/main/status")
    refused = post_status(token_client(bob, scopes=["read:user"]), public_repo)

    for response in (created, read):
        assert response["X-Accepted-OAuth-Scopes"] == "repo, repo:status"
        assert response["X-OAuth-Scopes"] == "repo:status"
    assert refused.status_code == 403
    assert refused["X-Accepted-OAuth-Scopes"] == "repo, repo:status"
    assert refused["X-OAuth-Scopes"] == "read:user"
