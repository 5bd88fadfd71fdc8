"""Signing in and out of the web pages, and usernames that ignore case."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import IntegrityError, transaction
from django.test import Client

from gitforge.accounts.models import User


def sign_in(client, username, password, **extra):
    return client.post("/login", {"username": username, "password": password, **extra})


def test_sign_in_page_has_a_form(anonymous):
    response = anonymous.get("/login")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in to gitforge" in page
    assert '<form method="post">' in page
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert 'type="password"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_signing_in_redirects_home_and_shows_the_username(alice, anonymous):
    response = sign_in(anonymous, "alice", "alice-password-1")
    assert response.status_code == 302
    assert response["Location"] == "/"

    home = anonymous.get("/").content.decode()
    assert '<span class="who">alice</span>' in home
    assert "Sign out" in home


def test_signing_in_follows_next(alice, anonymous):
    response = sign_in(anonymous, "alice", "alice-password-1", next="/settings/tokens")
    assert response["Location"] == "/settings/tokens"
    assert anonymous.get("/settings/tokens").status_code == 200


def test_signing_in_refuses_an_offsite_next(alice, anonymous):
    response = sign_in(anonymous, "alice", "alice-password-1", next="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_shows_an_error_and_does_not_sign_in(alice, anonymous):
    response = sign_in(anonymous, "alice", "wrong-password")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please enter a correct username and password" in page
    assert SESSION_KEY not in anonymous.session
    assert "Sign out" not in anonymous.get("/").content.decode()


def test_unknown_user_shows_the_same_error(db, anonymous):
    page = sign_in(anonymous, "nobody", "alice-password-1").content.decode()
    assert "Please enter a correct username and password" in page


def test_inactive_user_cannot_sign_in(alice, anonymous):
    alice.is_active = False
    alice.save()
    response = sign_in(anonymous, "alice", "alice-password-1")
    assert response.status_code == 200
    assert SESSION_KEY not in anonymous.session


def test_sign_in_form_enforces_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "alice", "alice-password-1").status_code == 403

    page = client.get("/login").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = sign_in(client, "alice", "alice-password-1", csrfmiddlewaretoken=csrf)
    assert response.status_code == 302


def test_sign_out_is_a_post(alice, anonymous):
    sign_in(anonymous, "alice", "alice-password-1")

    assert anonymous.get("/logout").status_code == 405
    assert SESSION_KEY in anonymous.session

    response = anonymous.post("/logout")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in anonymous.session
    home = anonymous.get("/").content.decode()
    assert "alice" not in home
    assert "Sign in" in home


def test_anonymous_home_page_offers_sign_in(anonymous):
    page = anonymous.get("/").content.decode()
    assert 'href="/login"' in page


def test_usernames_are_unique_regardless_of_case(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("Alice", "other@example.com", "other-password-1")
    assert User.objects.filter(username__iexact="alice").count() == 1


def test_sign_in_ignores_username_case(alice, anonymous):
    response = sign_in(anonymous, "ALICE", "alice-password-1")
    assert response.status_code == 302
    assert anonymous.session[SESSION_KEY] == str(alice.pk)
    assert '<span class="who">alice</span>' in anonymous.get("/").content.decode()


def test_mixed_case_username_signs_in_with_any_case(db, anonymous):
    user = User.objects.create_user("MixedCase", "m@example.com", "mixed-password-1")
    response = sign_in(anonymous, "mixedcase", "mixed-password-1")
    assert response.status_code == 302
    assert anonymous.session[SESSION_KEY] == str(user.pk)
