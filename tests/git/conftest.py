"""A real `git` client against a live gitforge server (smart HTTP through `git http-backend`).

The client runs with a throwaway HOME, no system config and no terminal prompts, so it only
ever uses the credentials a test puts in the URL. Pushes set a large http.postBuffer so git
sends a Content-Length (the live test server does not read chunked request bodies).
"""

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.git import repository_path

POST_BUFFER = "524288000"
ZERO = "0" * 40


@pytest.fixture(autouse=True)
def live_database(transactional_db):
    """The hooks read the database from another process: rows must be committed."""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def token_for(user, scopes=("repo",)):
    """A fresh personal access token secret for `user`."""
    _, secret = create_personal_access_token(user=user, name="git", scopes=list(scopes))
    return secret


def bare_sha(repository, ref="main"):
    """What the server's bare repository says `ref` is (None when it does not exist)."""
    result = subprocess.run(
        ["git", "-C", str(repository_path(repository.id)), "rev-parse", "--verify", "-q", ref],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() or None


@dataclass
class Git:
    """The git command line with an isolated environment; returns CompletedProcess."""

    home: Path
    base_url: str

    @property
    def env(self):
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "LANG": "C",
            "LC_ALL": "C",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "NO_PROXY": "*",
        }

    def url(self, path, *, user=None, secret=None):
        """http://[user:secret@]host/path for the live server."""
        parts = urlsplit(self.base_url)
        netloc = parts.netloc
        if secret is not None:
            netloc = f"{quote(user or 'x', safe='')}:{quote(secret, safe='')}@{netloc}"
        return urlunsplit((parts.scheme, netloc, "/" + path.lstrip("/"), "", ""))

    def __call__(self, *args, cwd=None, check=True):
        command = [
            "git",
            "-c",
            "user.name=Git Test",
            "-c",
            "user.email=git-test@example.com",
            "-c",
            f"http.postBuffer={POST_BUFFER}",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "advice.detachedHead=false",
            *args,
        ]
        result = subprocess.run(
            command, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=120
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} exited {result.returncode}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}"
            )
        return result

    def sha(self, workdir, ref="HEAD"):
        return self("rev-parse", ref, cwd=workdir).stdout.strip()

    def commit(self, workdir, filename, content, message):
        """Write a file, commit it and return the new commit's SHA."""
        path = Path(workdir) / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        self("add", filename, cwd=workdir)
        self("commit", "-q", "-m", message, cwd=workdir)
        return self.sha(workdir)

    def clone(self, path, target, *, user=None, secret=None, check=True):
        return self(
            "clone", "-q", self.url(path, user=user, secret=secret), str(target), check=check
        )


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
