"""The demo that `manage.py seeddemo` loads: `demo/hello` with a protected main and an open pull
request waiting for its last required check, so a newcomer sees what gitforge is for.

Every step creates what is missing and leaves alone what exists, so seeding again changes
nothing but the token it prints (and brings a repository seeded by an earlier version up to date).
"""

import json
import shlex
from dataclasses import dataclass

from django.urls import reverse

from gitforge.accounts.credentials import generate_password, has_published_password
from gitforge.accounts.models import User
from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.git import GitRepository
from gitforge.repositories.models import Repository
from gitforge.repositories.selectors import find_repository
from gitforge.repositories.services import commit_files, create_branch, create_repository
from protection.selectors import get_rule
from protection.services import save_protection
from pulls.models import OPEN, PullRequest
from pulls.selectors import head_sha
from pulls.services import open_pull_request
from statuses.contexts import context_key
from statuses.selectors import get_status_summaries
from statuses.services import create_commit_status
from web.badges import embed_badge

USERNAME = "demo"
ADMIN_USERNAME = "admin"
REPOSITORY = "hello"
DESCRIPTION = "A demo repository for gitforge"  # what earlier seeds wrote, without the badge

MAIN_HISTORY = [
    ("Initial commit", {"README.md": b"# hello\n\nA demo repository for gitforge.\n"}),
    ("Add greeting script", {"hello.py": b'print("Hello, world!")\n'}),
    ("Add a test", {"tests/test_hello.py": b"def test_truth():\n    assert True\n"}),
]
FEATURE_BRANCH = "feature/greeting"
FEATURE_HISTORY = [
    ("Greet by name", {"hello.py": b'import sys\n\nprint(f"Hello, {sys.argv[1:] or "world"}!")\n'}),
]
REQUIRED_CONTEXTS = ("ci/build", "ci/lint")
PULL_TITLE = "Greet by name"
PULL_BODY = (
    "Greets whoever is named on the command line.\n\n"
    "`main` requires **ci/build** and **ci/lint**: this pull request can merge once both pass."
)
HEAD_STATUSES = [  # what CI has reported on the pull request's head so far
    ("ci/build", "success", "Build passed"),
    ("ci/lint", "pending", "Lint is running"),
]
MISSING_STATUS = {"state": "success", "context": "ci/lint", "description": "Lint passed"}


@dataclass(frozen=True)
class Demo:
    user: User
    password: str | None  # set when the account was created or secured by this run
    admin_password: str | None
    repository: Repository
    pull: PullRequest | None  # the open pull request waiting for ci/lint
    token: str


def seed_demo(*, site_url: str) -> Demo:
    """Create what is missing of the demo and a fresh token; `site_url` is where it is served."""
    user, password = demo_user()
    admin_password = admin_account()
    repository = demo_repository(user, site_url)
    protect_main(repository)
    pull = demo_pull_request(repository, user)
    _, token = create_personal_access_token(
        user=user, name="demo token", scopes=["repo", "read:user"], expires_in_days=30
    )
    return Demo(user, password, admin_password, repository, pull, token)


def demo_user():
    """The demo account, an ordinary user; returns (user, password when it was just set).

    Seeds before this one made it a superuser with a published password: such an account gets a
    generated password and loses its staff rights (admin_account() makes an admin instead).
    """
    user = User.objects.filter(username__iexact=USERNAME).first()
    if user is None:
        password = generate_password()
        user = User.objects.create_user(
            USERNAME, f"{USERNAME}@example.com", password, first_name="Demo"
        )
        return user, password
    if not has_published_password(user):
        return user, None
    password = generate_password()
    user.set_password(password)
    user.is_staff = user.is_superuser = False
    user.save(update_fields=["password", "is_staff", "is_superuser"])
    return user, password


def admin_account():
    """Create an `admin` superuser when there is none; return its password, or None."""
    if User.objects.filter(is_superuser=True, is_active=True).exists():
        return None
    if User.objects.filter(username__iexact=ADMIN_USERNAME).exists():
        return None  # someone's ordinary account: never promoted
    password = generate_password()
    User.objects.create_superuser(ADMIN_USERNAME, f"{ADMIN_USERNAME}@example.com", password)
    return password


def demo_repository(user, site_url):
    """`demo/hello` with its history on main (its head built and linted) and feature/greeting,
    and its badge in the description."""
    repository = find_repository(USERNAME, REPOSITORY)
    created = repository is None
    if repository is None:
        repository = create_repository(owner=user, name=REPOSITORY)
        for message, files in MAIN_HISTORY:
            commit_files(
                repository=repository, branch="main", files=files, message=message, author=user
            )
        main = GitRepository(repository.id).branch_sha("main")
        for context in REQUIRED_CONTEXTS:  # so the badge of main reads "passing"
            create_commit_status(
                repository=repository, sha=main, state="success", context=context, creator=user
            )
        create_branch(repository=repository, branch=FEATURE_BRANCH, from_ref="main")
        for message, files in FEATURE_HISTORY:
            commit_files(
                repository=repository,
                branch=FEATURE_BRANCH,
                files=files,
                message=message,
                author=user,
            )
    if created or repository.description == DESCRIPTION:  # never overwrite an operator's text
        badge = embed_badge(site_url=site_url, repository=repository, branch="main")
        repository.description = f"{DESCRIPTION} {badge.markdown}"
        repository.save(update_fields=["description"])
    return repository


def protect_main(repository):
    """Require ci/build and ci/lint on main, for administrators too, unless main has a rule."""
    if get_rule(repository=repository, pattern="main") is None:
        save_protection(
            repository=repository,
            pattern="main",
            require_status_checks=True,
            contexts=list(REQUIRED_CONTEXTS),
            enforce_admins=True,
        )


def demo_pull_request(repository, user):
    """The open pull request from feature/greeting, opened (with ci/build passed and ci/lint
    pending on its head) unless one was opened before; None once it is closed or merged."""
    pull = (
        PullRequest.objects.filter(repository=repository, head_ref=FEATURE_BRANCH, base_ref="main")
        .order_by("-number")
        .first()
    )
    if pull is None:
        pull = open_pull_request(
            repository=repository,
            author=user,
            title=PULL_TITLE,
            body=PULL_BODY,
            head=FEATURE_BRANCH,
            base="main",
        )
    if pull.state != OPEN:
        return None
    pull.repository = repository
    head = head_sha(pull, GitRepository(repository.id))
    summary = get_status_summaries(repository=repository, shas=[head]).get(head)
    reported = {context_key(context) for context, _ in summary.contexts} if summary else set()
    for context, state, description in HEAD_STATUSES:
        if context_key(context) not in reported:
            create_commit_status(
                repository=repository,
                sha=head,
                state=state,
                context=context,
                description=description,
                creator=user,
            )
    return pull


def pull_url(site_url, pull):
    repository = pull.repository
    path = reverse("pull-detail", args=[repository.owner.username, repository.name, pull.number])
    return site_url.rstrip("/") + path


def missing_status_curl(*, site_url, pull, token):
    """A shell command that reports ci/lint passed on the pull request's head, as CI would."""
    repository = pull.repository
    head = head_sha(pull, GitRepository(repository.id))
    url = f"{site_url.rstrip('/')}/api/repos/{repository.owner.username}/{repository.name}"
    return shlex.join(
        [
            "curl",
            "-sS",
            "-X",
            "POST",
            "-H",
            f"Authorization: token {token}",
            "-H",
            "Accept: application/vnd.github+json",
            "-d",
            json.dumps(MISSING_STATUS),
            f"{url}/statuses/{head}",
        ]
    )
