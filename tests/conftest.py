"""The shared cast: alice owns repositories, bob collaborates, charlie is a stranger."""

import uuid

import pytest
from django.test import Client

from gitforge.accounts.models import User
from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import set_collaborator
from pulls.services import open_pull_request
from tests.helpers import make_repository, signed_in, token_client


@pytest.fixture(autouse=True)
def repos_root(settings, tmp_path):
    settings.GITFORGE_REPOS_ROOT = tmp_path / "repos"
    return settings.GITFORGE_REPOS_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Pages link unhashed static files: tests never depend on a collectstatic run."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Each test counts rate limits under its own cache key prefix (Redis is shared)."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", "alice@example.com", "alice-password-1")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob", "bob@example.com", "bob-password-1")


@pytest.fixture
def charlie(db):
    return User.objects.create_user("charlie", "charlie@example.com", "charlie-password-1")


@pytest.fixture
def public_repo(alice):
    return make_repository(alice, "project")


@pytest.fixture
def private_repo(alice, bob):
    repository = make_repository(alice, "secret", private=True)
    set_collaborator(repository=repository, user=bob, permission="pull")
    return repository


@pytest.fixture
def operator(alice):
    """alice, promoted to superuser, signed in to the admin."""
    alice.is_staff = alice.is_superuser = True
    alice.save()
    return signed_in(alice)


@pytest.fixture
def pull(alice, public_repo):
    """alice's open pull request #1 on alice/project: feature (one commit) into main."""
    return open_pull_request(
        repository=public_repo,
        author=alice,
        title="Change app",
        body="Makes **app** print 2.",
        head="feature",
        base="main",
    )


@pytest.fixture
def sha(public_repo):
    """The head of alice/project's main branch."""
    return GitRepository(public_repo.id).branch_sha("main")


@pytest.fixture
def owner(alice):
    """An API client with alice's token: alice owns the repositories."""
    return token_client(alice)


@pytest.fixture
def anonymous():
    return Client()
