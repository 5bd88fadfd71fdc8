from django.core.management.base import BaseCommand
from django.db import transaction

from gitforge.accounts.models import User
from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.selectors import find_repository
from gitforge.repositories.services import commit_files, create_branch, create_repository

USERNAME = "demo"
PASSWORD = "gitforge-demo"
REPOSITORY = "hello"

MAIN_HISTORY = [
    ("Initial commit", {"README.md": b"# hello\n\nA demo repository for gitforge.\n"}),
    ("Add greeting script", {"hello.py": b'print("Hello, world!")\n'}),
    ("Add a test", {"tests/test_hello.py": b"def test_truth():\n    assert True\n"}),
]
FEATURE_BRANCH = "feature/greeting"
FEATURE_HISTORY = [
    ("Greet by name", {"hello.py": b'import sys\n\nprint(f"Hello, {sys.argv[1:] or "world"}!")\n'}),
]


class Command(BaseCommand):
    help = "Create the demo user and repository (once) and print a fresh personal access token."

    @transaction.atomic
    def handle(self, *args, **options):
        user = User.objects.filter(username__iexact=USERNAME).first()
        if user is None:
            user = User.objects.create_superuser(
                USERNAME, f"{USERNAME}@example.com", PASSWORD, first_name="Demo"
            )
        if find_repository(USERNAME, REPOSITORY) is None:
            repository = create_repository(
                owner=user, name=REPOSITORY, description="A demo repository for gitforge"
            )
            for message, files in MAIN_HISTORY:
                commit_files(
                    repository=repository, branch="main", files=files, message=message, author=user
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
        _, secret = create_personal_access_token(
            user=user, name="demo token", scopes=["repo", "read:user"], expires_in_days=30
        )
        self.stdout.write(f"Demo user:      {USERNAME} / {PASSWORD}")
        self.stdout.write(
            f"Demo repository: {USERNAME}/{REPOSITORY} (branches main, {FEATURE_BRANCH})"
        )
        self.stdout.write(f"Demo token:     {secret}")
