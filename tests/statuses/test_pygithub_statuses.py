"""PyGithub, a real GitHub client, creates and reads commit statuses against a live server."""

import pytest
from github import Auth, Github, GithubException

from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import set_collaborator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def github_for(live_server):
    """Make PyGithub clients; close them after the test so the server drops its DB sessions."""
    clients = []

    def connect(user, *, prefix="/api/v3", scopes=("repo",)):
        _, secret = create_personal_access_token(user=user, name="pygithub", scopes=list(scopes))
        client = Github(auth=Auth.Token(secret), base_url=live_server.url + prefix, retry=None)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        client.close()


@pytest.mark.parametrize("prefix", ["/api/v3", "/api"])
def test_create_and_read_statuses(github_for, live_server, alice, sha, prefix):
    commit = github_for(alice, prefix=prefix).get_repo("alice/project").get_commit(sha)

    pending = commit.create_status(
        state="pending",
        target_url="https://ci.example.com/1",
        description="running",
        context="ci/tests",
    )
    success = commit.create_status(
        state="success",
        target_url="https://ci.example.com/1",
        description="passed",
        context="ci/tests",
    )

    assert pending.state == "pending"
    assert success.creator.login == "alice"
    assert success.url == f"{live_server.url}{prefix}/repos/alice/project/statuses/{sha}"

    statuses = list(commit.get_statuses())
    assert [(s.id, s.state) for s in statuses] == [
        (success.id, "success"),
        (pending.id, "pending"),
    ]
    assert statuses[0].description == "passed"
    assert statuses[0].target_url == "https://ci.example.com/1"

    combined = commit.get_combined_status()
    assert combined.state == "success"
    assert combined.total_count == 1
    assert combined.sha == sha
    assert [(s.context, s.state) for s in combined.statuses] == [("ci/tests", "success")]
    assert combined.repository.full_name == "alice/project"


def test_statuses_are_paged_through(github_for, alice, sha):
    g = github_for(alice)
    g.per_page = 2
    commit = g.get_repo("alice/project").get_commit(sha)
    for number in range(5):
        commit.create_status(state="pending", context=f"ci/{number}")

    statuses = list(commit.get_statuses())

    assert [s.context for s in statuses] == [f"ci/{number}" for number in reversed(range(5))]


def test_a_repo_status_token_creates_statuses(github_for, public_repo, bob, sha):
    set_collaborator(repository=public_repo, user=bob, permission="push")
    commit = github_for(bob, scopes=["repo:status"]).get_repo("alice/project").get_commit(sha)

    status = commit.create_status(state="error", context="ci/deploy")

    assert status.creator.login == "bob"
    assert commit.get_combined_status().state == "failure"


def test_a_bad_state_raises_validation_failed(github_for, alice, sha):
    commit = github_for(alice).get_repo("alice/project").get_commit(sha)

    with pytest.raises(GithubException) as raised:
        commit.create_status(state="passed")

    assert raised.value.status == 422
    assert raised.value.data["message"] == "Validation Failed"
    assert raised.value.data["errors"][0]["field"] == "state"
    assert commit.get_combined_status().total_count == 0


def test_a_read_only_collaborator_is_refused(github_for, private_repo, bob):
    sha = GitRepository(private_repo.id).branch_sha("main")
    commit = github_for(bob).get_repo("alice/secret").get_commit(sha)

    with pytest.raises(GithubException) as raised:
        commit.create_status(state="success")

    assert raised.value.status == 403
    assert raised.value.data["message"] == "Must have push access to repository"
