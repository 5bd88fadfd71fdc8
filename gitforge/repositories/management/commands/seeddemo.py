from django.core.management.base import BaseCommand
from django.db import transaction

from gitforge.accounts.credentials import generate_password, has_published_password
from gitforge.accounts.models import User
from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.selectors import find_repository
from gitforge.repositories.services import commit_files, create_branch, create_repository

USERNAME = "demo"
ADMIN_USERNAME = "admin"
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
    help = (
        "Create the demo user and repository, and an admin account when there is no superuser "
        "(once; their generated passwords are printed only then), and print a fresh personal "
        "access token."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        user, password = demo_user()
        admin_password = admin_account()
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
        if password:
            self.stdout.write(f"Demo user:      {USERNAME} / {password} (shown once)")
        else:
            self.stdout.write(
                f"Demo user:      {user.username} (password shown when it was set; "
                f"`python manage.py changepassword {user.username}` sets another)"
            )
        if admin_password:
            self.stdout.write(f"Admin user:     {ADMIN_USERNAME} / {admin_password} (shown once)")
        self.stdout.write(
            f"Demo repository: {USERNAME}/{REPOSITORY} (branches main, {FEATURE_BRANCH})"
        )
        self.stdout.write(f"Demo token:     {secret}")


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
