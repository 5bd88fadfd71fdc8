"""Helpers the tests share: building repositories, talking to the API and pages as a user,
reading git, and the git command line against a live server. Fixtures live in conftest.py."""

import html
import json
import os
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.db import connection
from django.test import Client

from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.git import GitRepository, repository_path
from gitforge.repositories.services import commit_files, create_branch, create_repository
from protection.models import ProtectedBranch
from protection.services import save_protection
from pulls.models import PullRequest
from statuses.services import create_commit_status

ZERO = "0" * 40
POST_BUFFER = "524288000"


# Repositories and git ------------------------------------------------------------------------


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


def advance_main(repository, author, files=None):
    """One more commit on main (by default a new NEWS.md); returns its SHA."""
    return commit_files(
        repository=repository,
        branch="main",
        files=files or {"NEWS.md": b"news\n"},
        message="Advance main",
        author=author,
    )


def bare_git(repository, *args, check=True):
    """Run the real `git` command in a repository's bare repository; return its output."""
    result = subprocess.run(
        ["git", "-C", str(repository_path(repository.id)), *args],
        capture_output=True,
        text=True,
        check=check,
    )
    return result.stdout.strip()


def files_at(repository, ref):
    """The paths of every file in `ref`'s tree."""
    return set(bare_git(repository, "ls-tree", "-r", "--name-only", ref).splitlines())


def bare_sha(repository, ref="main"):
    """What the server's bare repository says `ref` is (None when it does not exist)."""
    return bare_git(repository, "rev-parse", "--verify", "-q", ref, check=False) or None


def head_of(repository, branch="feature"):
    return GitRepository(repository.id).branch_sha(branch)


def report(repository, sha, context, state="success", *, creator, **fields):
    """Post a status through the service, as the API would."""
    return create_commit_status(
        repository=repository, sha=sha, state=state, context=context, creator=creator, **fields
    )


def protect_main(repository, *contexts, strict=False, enforce_admins=True):
    """Require `contexts` on main; by default even alice (admin) cannot bypass them."""
    return save_protection(
        repository=repository,
        pattern="main",
        require_status_checks=True,
        strict=strict,
        contexts=list(contexts),
        enforce_admins=enforce_admins,
    )


def protection_url(branch="main", suffix="", repo="alice/project"):
    return f"/api/repos/{repo}/branches/{branch}/protection{suffix}"


def protection_body(contexts=("ci/tests", "ci/lint"), *, strict=False, enforce_admins=False):
    return {
        "required_status_checks": {"strict": strict, "contexts": list(contexts)},
        "enforce_admins": enforce_admins,
        "required_pull_request_reviews": None,
        "restrictions": None,
    }


def protection_rules(repository):
    """Every rule of the repository with its settings and contexts, to compare before/after."""
    return [
        (
            rule.pattern,
            rule.require_status_checks,
            rule.strict,
            rule.enforce_admins,
            [item.context for item in rule.required_contexts.all()],
        )
        for rule in ProtectedBranch.objects.filter(repository=repository).order_by("pattern")
    ]


# Clients -------------------------------------------------------------------------------------


def token_for(user, scopes=("repo",)):
    """A fresh personal access token secret for `user`."""
    _, secret = create_personal_access_token(user=user, name="test", scopes=list(scopes))
    return secret


def token_client(user, scopes=("repo",)):
    """A test client that sends a fresh personal access token for `user` with `scopes`."""
    return Client(HTTP_AUTHORIZATION=f"token {token_for(user, scopes)}")


def send(client, method, path, body=None):
    """Call the API with `body` as JSON (no body when None)."""
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def merge(client, number=1, repo="alice/project", **body):
    return send(client, "put", f"/api/repos/{repo}/pulls/{number}/merge", body)


def pull_state(pull):
    pull = PullRequest.objects.get(pk=pull.pk)
    return (pull.state, pull.merged, pull.merged_by_id, pull.merged_at, pull.merge_commit_sha)


def merge_snapshot(repository, pull):
    """What a refused merge must not change: every ref, and the pull's merge fields."""
    return bare_git(repository, "for-each-ref", "--format=%(refname) %(objectname)"), pull_state(
        pull
    )


def assert_refused(response, status, *phrases):
    assert response.status_code == status, response.content
    message = response.json()["message"]
    for phrase in phrases:
        assert phrase in message, message


def assert_error(response, status, message):
    """A GitHub error body: JSON, exactly `message`, and a link to GitHub's REST docs."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["message"] == message
    assert body["documentation_url"].startswith("https://docs.github.com/rest")
    return body


def signed_in(user, **client_options):
    client = Client(**client_options)
    client.force_login(user)
    return client


# Reading pages -------------------------------------------------------------------------------


def get_page(client, path):
    """The HTML of a page that must answer 200."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def merge_box(page):
    """The merge box of a pull request page."""
    start = page.index('id="merge-box"')
    return page[start : page.index("</section>", start)]


def text_of(fragment):
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def check_rows(page):
    """{context: (state, row html)} for each row of the checks box, in page order."""
    found = re.findall(
        r'<li class="check-row" data-context="([^"]*)" data-state="([^"]*)">(.*?)</li>',
        page,
        re.DOTALL,
    )
    return {html.unescape(context): (state, inner) for context, state, inner in found}


def list_item(page, href):
    """The <li> of a list whose first link points at `href`."""
    match = re.search(r'<li><a href="' + re.escape(href) + r'">.*?</li>', page, re.DOTALL)
    assert match, f"no list item linking to {href}"
    return match.group(0)


def csrf_token_of(html, action):
    """The CSRF token inside the form that posts to `action`."""
    form = re.search(
        r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', html, re.DOTALL
    )
    assert form, f"no form posting to {action}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))
    assert token, f"form posting to {action} has no CSRF token"
    return token.group(1)


# The git command line -------------------------------------------------------------------------


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


def run_together(threads, work):
    """Run `work` on `threads` threads released at once, each closing its database connection;
    returns the exceptions they raised."""
    start = threading.Barrier(threads)
    failures = []

    def run():
        try:
            start.wait(10)
            work()
        except Exception as error:  # noqa: BLE001 (returned to the caller's assertion)
            failures.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    return failures
