"""A real `git` client against a live gitforge server (smart HTTP through `git http-backend`).

The client runs with a throwaway HOME, no system config and no terminal prompts, so it only
ever uses the credentials a test puts in the URL. Pushes set a large http.postBuffer so git
sends a Content-Length (the live test server does not read chunked request bodies).
"""

import pytest

from tests.helpers import Git, token_for


@pytest.fixture(autouse=True)
def live_database(transactional_db):
    """The live server (which also answers the push hooks) reads the database on its own
    connection: rows must be committed."""


@pytest.fixture
def git(live_server, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return Git(home=home, base_url=live_server.url)


@pytest.fixture
def alice_token(alice):
    return token_for(alice)


@pytest.fixture
def workdir(git, public_repo, alice_token, tmp_path):
    """alice's clone of alice/project, with credentials in its remote URL."""
    target = tmp_path / "project"
    git.clone("alice/project.git", target, user="alice", secret=alice_token)
    return target
