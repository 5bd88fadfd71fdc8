"""PyGithub, a real GitHub client, against a live gitforge server under /api/v3 and /api."""

import github
import pytest
from github import Auth, Github

from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.git import GitRepository
from gitforge.repositories.models import Collaborator, Repository
from gitforge.repositories.services import create_branch
from tests.helpers import make_repository


@pytest.fixture(params=["/api/v3", "/api"])
def base_url(request, live_server):
    return live_server.url + request.param


def connect(base_url, secret):
    return Github(
        auth=Auth.Token(secret),
        base_url=base_url,
        retry=None,
        timeout=10,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


def client_for(user, base_url, scopes=("repo",)):
    _, secret = create_personal_access_token(user=user, name="pygithub", scopes=list(scopes))
    return connect(base_url, secret)


@pytest.fixture
def project(transactional_db, alice):
    return make_repository(alice, "project")


def test_authenticated_user(alice, base_url):
    assert client_for(alice, base_url).get_user().login == "alice"


def test_create_repository(alice, base_url):
    created = (
        client_for(alice, base_url)
        .get_user()
        .create_repo("made-by-pygithub", private=True, auto_init=True)
    )
    assert created.full_name == "alice/made-by-pygithub"
    assert created.private is True
    repository = Repository.objects.get(owner=alice, name="made-by-pygithub")
    assert repository.private is True
    assert GitRepository(repository.id).branch_sha("main") is not None


def test_read_repository_branches_and_commits(project, alice, base_url):
    repo = client_for(alice, base_url).get_repo("alice/project")
    assert repo.full_name == "alice/project"
    assert repo.default_branch == "main"
    assert [branch.name for branch in repo.get_branches()] == ["feature", "main"]

    git = GitRepository(project.id)
    assert repo.get_branch("feature").commit.sha == git.branch_sha("feature")

    commit = repo.get_commit("main")
    assert commit.sha == git.branch_sha("main")
    assert commit.commit.message == "Add app"
    assert [changed.filename for changed in commit.files] == ["src/app.py"]
    assert commit.stats.additions == 1
    assert [parent.sha for parent in commit.parents] == [git.commit(commit.sha).parents[0]]


def test_branches_follow_link_pagination(project, alice, base_url):
    for number in range(5):
        create_branch(repository=project, branch=f"b{number}", from_ref="main")
    gh = client_for(alice, base_url)
    gh.per_page = 2
    names = [branch.name for branch in gh.get_repo("alice/project").get_branches()]
    assert names == ["b0", "b1", "b2", "b3", "b4", "feature", "main"]


def test_add_collaborator(project, alice, bob, base_url):
    repo = client_for(alice, base_url).get_repo("alice/project")
    invitation = repo.add_to_collaborators("bob", permission="push")
    assert invitation.invitee.login == "bob"
    assert Collaborator.objects.get(repository=project, user=bob).permission == "push"

    assert repo.add_to_collaborators("bob", permission="admin") is None
    assert Collaborator.objects.get(repository=project, user=bob).permission == "admin"


def test_bad_token_is_bad_credentials(transactional_db, base_url):
    with pytest.raises(github.BadCredentialsException):
        connect(base_url, "gfp_not-a-real-token").get_user().login  # noqa: B018


def test_private_repository_is_unknown_to_a_stranger(transactional_db, alice, charlie, base_url):
    make_repository(alice, "secret", private=True)
    with pytest.raises(github.UnknownObjectException):
        client_for(charlie, base_url).get_repo("alice/secret")
    assert client_for(alice, base_url).get_repo("alice/secret").private is True
