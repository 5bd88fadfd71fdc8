"""The shared cast: alice owns repositories, bob collaborates, charlie is a stranger."""

import subprocess
import uuid

import pytest
from django.test import Client

from gitforge.accounts.models import User
from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.git import repository_path
from gitforge.repositories.services import (
    commit_files,
    create_branch,
    create_repository,
    set_collaborator,
)


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


def make_repository(owner, name, *, private=False):
    """A repository with two commits on main and one more on `feature`."""
    repository = create_repository(
        owner=owner, name=name, description=f"{name} repo", private=private
    )
    commit_files(
        repository=repository,
        branch="main",
        files={"README.md": b"# hi\n"},
        message="Initial commit",
        author=owner,
    )
    commit_files(
        repository=repository,
        branch="main",
        files={"src/app.py": b"print(1)\n"},
        message="Add app",
        author=owner,
    )
    create_branch(repository=repository, branch="feature", from_ref="main")
    commit_files(
        repository=repository,
        branch="feature",
        files={"src/app.py": b"print(2)\n"},
        message="Change app",
        author=owner,
    )
    return repository


@pytest.fixture
def public_repo(alice):
    return make_repository(alice, "project")


@pytest.fixture
def private_repo(alice, bob):
    repository = make_repository(alice, "secret", private=True)
    set_collaborator(repository=repository, user=bob, permission="pull")
    return repository


def bare_git(repository, *args):
    """Run the real `git` command in a repository's bare repository; return its output."""
    result = subprocess.run(
        ["git", "-C", str(repository_path(repository.id)), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def token_client(user, scopes=("repo",)):
    """A test client that sends a fresh personal access token for `user` with `scopes`."""
    _, secret = create_personal_access_token(user=user, name="test", scopes=list(scopes))
    return Client(HTTP_AUTHORIZATION=f"token {secret}")


@pytest.fixture
def anonymous():
    return Client()
