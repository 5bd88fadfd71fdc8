"""`manage.py seeddemo`: a demo user, a demo repository with history, and a working token."""

import re
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from gitforge.accounts.models import User
from gitforge.repositories.git import repository_path
from gitforge.repositories.models import Repository
from tests.helpers import bare_git as git


def seed():
    out = StringIO()
    call_command("seeddemo", stdout=out)
    return out.getvalue()


def token_in(output):
    match = re.search(r"^Demo token:\s+(\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def password_in(output, username="demo"):
    """The password printed for `username`, or None when none was printed."""
    match = re.search(rf"^\w+ user:\s+{username} / (\S+) \(shown once\)$", output, re.MULTILINE)
    return match.group(1) if match else None


def sign_in(username, password, path="/login"):
    client = Client()
    response = client.post(path, {"username": username, "password": password})
    return response, client


@pytest.mark.django_db
def test_demo_user_can_sign_in_with_the_printed_password():
    password = password_in(seed())
    assert password and len(password) >= 20
    response, client = sign_in("demo", password)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="demo").pk


@pytest.mark.django_db
def test_the_published_demo_password_does_not_sign_in():
    output = seed()
    assert "gitforge-demo" not in output
    response, client = sign_in("demo", "gitforge-demo")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_password_does_not_sign_in():
    seed()
    response, client = sign_in("demo", "nope")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_demo_user_is_an_ordinary_user_who_owns_the_demo_repository():
    password = password_in(seed())
    demo = User.objects.get(username="demo")
    assert (demo.is_staff, demo.is_superuser) == (False, False)
    assert Repository.objects.get(name="hello").owner == demo

    _, client = sign_in("demo", password)
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_passwords_are_shown_only_when_created():
    first, second = seed(), seed()
    assert password_in(first) and password_in(first, "admin")
    assert password_in(second) is None and password_in(second, "admin") is None
    assert "Demo user:      demo (password shown when it was set" in second
    response, _ = sign_in("demo", password_in(first))
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_admin_account_signs_in_to_the_admin_with_its_printed_password():
    password = password_in(seed(), "admin")
    assert password and len(password) >= 20
    admin = User.objects.get(username="admin")
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    response, client = sign_in("admin", password, "/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_no_admin_account_when_a_superuser_exists():
    User.objects.create_superuser("root", "root@example.com", "root-password-1")
    output = seed()
    assert "Admin user" not in output
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_an_earlier_seed_with_the_published_password_is_secured():
    User.objects.create_superuser("demo", "demo@example.com", "gitforge-demo", first_name="Demo")

    output = seed()

    demo = User.objects.get(username="demo")
    assert (demo.is_staff, demo.is_superuser) == (False, False)
    assert sign_in("demo", "gitforge-demo")[0].status_code == 200
    assert sign_in("demo", password_in(output))[0].status_code == 302
    assert password_in(output, "admin")


@pytest.mark.django_db
def test_a_demo_password_the_operator_chose_is_kept():
    User.objects.create_user("demo", "demo@example.com", "operator-chosen-password-1")
    output = seed()
    assert password_in(output) is None
    assert sign_in("demo", "operator-chosen-password-1")[0].status_code == 302


@pytest.mark.django_db
def test_demo_repository_has_history_on_main_and_a_feature_branch():
    seed()
    repository = Repository.objects.get(owner__username="demo", name="hello")
    assert git(repository, "rev-parse", "--is-bare-repository") == "true"
    assert git(repository, "for-each-ref", "--format=%(refname)", "refs/heads").splitlines() == [
        "refs/heads/feature/greeting",
        "refs/heads/main",
    ]
    assert git(repository, "rev-list", "--count", "main") == "3"
    assert git(repository, "rev-list", "--count", "main..feature/greeting") == "1"
    assert git(repository, "rev-list", "--count", "feature/greeting..main") == "0"
    assert git(repository, "log", "--format=%s", "main").splitlines() == [
        "Add a test",
        "Add greeting script",
        "Initial commit",
    ]
    assert git(repository, "log", "-1", "--format=%an", "feature/greeting") == "Demo"
    fsck = subprocess.run(
        ["git", "-C", str(repository_path(repository.id)), "fsck", "--strict"],
        capture_output=True,
        text=True,
    )
    assert fsck.returncode == 0, fsck.stderr


@pytest.mark.django_db
def test_printed_token_authenticates():
    output = seed()
    response = Client(HTTP_AUTHORIZATION=f"token {token_in(output)}").get("/api/user")
    assert response.status_code == 200
    assert response.json()["login"] == "demo"
    assert "demo/hello" in output


@pytest.mark.django_db
def test_running_twice_is_idempotent_and_prints_a_new_token(repos_root):
    first = seed()
    repository = Repository.objects.get()
    heads = git(repository, "for-each-ref", "--format=%(refname) %(objectname)")

    second = seed()
    assert User.objects.filter(username__iexact="demo").count() == 1
    assert Repository.objects.get() == repository
    assert git(repository, "for-each-ref", "--format=%(refname) %(objectname)") == heads
    assert sorted(p.name for p in repos_root.iterdir()) == [f"{repository.id}.git"]

    assert token_in(first) != token_in(second)
    for output in (first, second):
        response = Client(HTTP_AUTHORIZATION=f"token {token_in(output)}").get("/api/user")
        assert response.status_code == 200
