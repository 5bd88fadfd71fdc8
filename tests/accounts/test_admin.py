"""The Django admin: operators browse accounts, tokens and repositories, and issue tokens."""

import re

import pytest
from django.test import Client

from gitforge.accounts.models import PersonalAccessToken, User
from gitforge.accounts.services import create_personal_access_token
from gitforge.accounts.tokens import hash_token
from gitforge.repositories.services import set_collaborator
from tests.helpers import get_page, make_repository

SECRET_PATTERN = re.compile(r"gfp_[A-Za-z0-9]{20,}")


@pytest.fixture
def repositories(alice, bob, charlie):
    project = make_repository(alice, "project")
    secret = make_repository(alice, "secret", private=True)
    set_collaborator(repository=secret, user=bob, permission="pull")
    set_collaborator(repository=project, user=charlie, permission="push")
    return project, secret


def test_admin_requires_staff(alice, bob):
    anonymous = Client()
    assert anonymous.get("/admin/accounts/personalaccesstoken/")["Location"].startswith(
        "/admin/login/"
    )
    client = Client()
    client.force_login(bob)
    response = client.get("/admin/accounts/personalaccesstoken/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/personalaccesstoken/",
        "/admin/repositories/repository/",
        "/admin/repositories/collaborator/",
    ],
)
def test_changelists_load(operator, repositories, url):
    get_page(operator, url)


def test_user_search(operator, bob, charlie):
    html = get_page(operator, "/admin/accounts/user/?q=BOB")
    assert ">bob</a>" in html
    assert ">charlie</a>" not in html


def test_token_search_by_name_user_and_prefix(operator, bob):
    deploy, _ = create_personal_access_token(user=bob, name="deploy-bot", scopes=["repo"])
    create_personal_access_token(user=bob, name="laptop", scopes=["repo"])

    assert "deploy-bot" in get_page(operator, "/admin/accounts/personalaccesstoken/?q=deploy")
    assert "laptop" not in get_page(operator, "/admin/accounts/personalaccesstoken/?q=deploy")
    by_user = get_page(operator, "/admin/accounts/personalaccesstoken/?q=bob")
    assert "deploy-bot" in by_user
    assert "laptop" in by_user
    by_prefix = get_page(operator, f"/admin/accounts/personalaccesstoken/?q={deploy.token_prefix}")
    assert "deploy-bot" in by_prefix


def test_repository_search(operator, repositories):
    html = get_page(operator, "/admin/repositories/repository/?q=secret")
    assert "alice/secret" in html
    assert "alice/project" not in html


def test_collaborator_search(operator, repositories):
    html = get_page(operator, "/admin/repositories/collaborator/?q=charlie")
    assert "charlie" in html
    assert "1 result" in html


def test_repository_change_page_loads_with_collaborators(operator, repositories):
    _, secret = repositories
    html = get_page(operator, f"/admin/repositories/repository/{secret.pk}/change/")
    assert "bob" in html


def test_token_changelist_and_change_page_never_show_the_secret(operator, bob):
    token, secret = create_personal_access_token(user=bob, name="deploy", scopes=["repo"])

    for url in (
        "/admin/accounts/personalaccesstoken/",
        f"/admin/accounts/personalaccesstoken/{token.pk}/change/",
    ):
        html = get_page(operator, url)
        assert token.token_prefix in html
        assert secret not in html
        assert secret.removeprefix("gfp_") not in html
        assert not SECRET_PATTERN.search(html)


def test_adding_a_token_shows_the_secret_once_and_stores_only_its_hash(operator, bob):
    add_page = get_page(operator, "/admin/accounts/personalaccesstoken/add/")
    assert 'name="scopes"' in add_page

    response = operator.post(
        "/admin/accounts/personalaccesstoken/add/",
        {
            "user": bob.pk,
            "name": "from-admin",
            "scopes": ["repo:status", "read:user"],
            "expires_at_0": "",
            "expires_at_1": "",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/accounts/personalaccesstoken/"
    html = response.content.decode()
    secrets = SECRET_PATTERN.findall(html)
    assert len(secrets) == 1
    secret = secrets[0]
    assert f"New token {secret}" in html

    token = PersonalAccessToken.objects.get()
    assert token.user == bob
    assert token.name == "from-admin"
    assert token.scopes == ["repo:status", "read:user"]
    assert token.expires_at is None
    assert token.token_hash == hash_token(secret)
    row = PersonalAccessToken.objects.values().get()
    assert all(secret not in str(value) for value in row.values())

    api = Client(HTTP_AUTHORIZATION=f"token {secret}").get("/api/user")
    assert api.status_code == 200
    assert api.json()["login"] == "bob"
    assert api["X-OAuth-Scopes"] == "repo:status, read:user"

    again = get_page(operator, "/admin/accounts/personalaccesstoken/")
    assert secret not in again
    assert token.token_prefix in again


def test_admin_success_message_names_the_new_token(operator, bob):
    response = operator.post(
        "/admin/accounts/personalaccesstoken/add/",
        {"user": bob.pk, "name": "from-admin", "scopes": ["repo"]},
        follow=True,
    )
    token = PersonalAccessToken.objects.get()
    added = re.search(
        r"<li class=\"success\">The personal access token (.*?)</li>", response.content.decode()
    )
    assert added, "no 'was added' message"
    assert f"from-admin ({token.token_prefix}…)" in added.group(1)
    assert f"/admin/accounts/personalaccesstoken/{token.pk}/change/" in added.group(1)


def test_adding_a_token_with_expiry_through_the_admin(operator, bob):
    operator.post(
        "/admin/accounts/personalaccesstoken/add/",
        {
            "user": bob.pk,
            "name": "short-lived",
            "scopes": ["repo"],
            "expires_at_0": "2999-01-02",
            "expires_at_1": "03:04:05",
        },
    )
    token = PersonalAccessToken.objects.get()
    assert token.expires_at.isoformat() == "2999-01-02T03:04:05+00:00"


def test_adding_a_token_without_scopes_is_refused(operator, bob):
    response = operator.post(
        "/admin/accounts/personalaccesstoken/add/",
        {"user": bob.pk, "name": "nothing"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_revoking_a_token_through_the_admin_stops_it_working(operator, bob):
    token, secret = create_personal_access_token(user=bob, name="deploy", scopes=["repo"])

    response = operator.post(
        f"/admin/accounts/personalaccesstoken/{token.pk}/change/",
        {
            "name": "deploy",
            "expires_at_0": "",
            "expires_at_1": "",
            "revoked_at_0": "2020-01-01",
            "revoked_at_1": "00:00:00",
        },
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.token_hash == hash_token(secret)
    assert token.scopes == ["repo"]
    api = Client(HTTP_AUTHORIZATION=f"token {secret}").get("/api/user")
    assert api.status_code == 401


def test_adding_a_user_whose_name_differs_only_in_case_is_refused(operator):
    response = operator.post(
        "/admin/accounts/user/add/",
        {
            "username": "ALICE",
            "usable_password": "true",
            "password1": "another-password-1",
            "password2": "another-password-1",
        },
    )
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.filter(username__iexact="alice").count() == 1
