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


@pytest.mark.django_db
def test_demo_user_can_sign_in():
    seed()
    client = Client()
    response = client.post("/login", {"username": "demo", "password": "gitforge-demo"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="demo").pk


@pytest.mark.django_db
def test_wrong_password_does_not_sign_in():
    seed()
    client = Client()
    response = client.post("/login", {"username": "demo", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


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
    assert "demo / gitforge-demo" in output
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
