"""Guessing passwords is limited: 10 failed sign-ins per account and 50 per address in 15
minutes, on the sign-in page and the admin's; past either, a 429 page that says so, and the
password is not even checked."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from gitforge.accounts.models import User

REFUSAL = "Too many failed sign-in attempts for this account or from this address."


def sign_in(username, password, *, address="10.0.0.1", path="/login", client=None):
    client = client or Client(REMOTE_ADDR=address)
    response = client.post(path, {"username": username, "password": password})
    return response, client


def fail(times, username, *, address="10.0.0.1", path="/login"):
    for _ in range(times):
        response, _ = sign_in(username, "wrong-password", address=address, path=path)
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()


def assert_refused(response, client):
    assert response.status_code == 429
    assert REFUSAL in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert SESSION_KEY not in client.session


def test_ten_failures_lock_the_account_even_for_the_right_password(alice):
    fail(10, "alice")

    response, client = sign_in("alice", "alice-password-1")

    assert_refused(response, client)
    assert "Try again in" in response.content.decode()
    assert 'name="username"' in response.content.decode()  # the sign-in page, with the message


def test_the_account_limit_follows_the_account_across_addresses_and_case(alice):
    for number in range(10):
        fail(1, "ALICE" if number % 2 else "alice", address=f"10.0.1.{number}")

    assert_refused(*sign_in("Alice", "alice-password-1", address="10.9.9.9"))


def test_nine_failures_still_let_the_right_password_in(alice):
    fail(9, "alice")

    response, client = sign_in("alice", "alice-password-1")

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_other_accounts_are_not_locked_by_one_account_s_failures(alice, bob):
    fail(10, "alice")

    response, client = sign_in("bob", "bob-password-1", address="10.0.0.2")

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == bob.pk


def test_fifty_failures_from_one_address_block_that_address(alice, charlie):
    for number in range(10):
        fail(5, f"nobody{number}")  # never ten on one account

    assert_refused(*sign_in("charlie", "charlie-password-1"))
    elsewhere, _ = sign_in("charlie", "charlie-password-1", address="10.0.0.2")
    assert elsewhere.status_code == 302


def test_successful_sign_ins_do_not_count(alice):
    for _ in range(12):
        response, _ = sign_in("alice", "alice-password-1")
        assert response.status_code == 302


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", "root-password-1")


def test_the_admin_sign_in_is_limited_too(root):
    fail(10, "root", path="/admin/login/")

    response, client = sign_in("root", "root-password-1", path="/admin/login/")

    assert_refused(response, client)
    assert 'id="login-form"' in response.content.decode()  # the admin's page, with the message


def test_failures_on_either_page_count_together(root):
    fail(5, "root", path="/admin/login/")
    fail(5, "root")

    assert_refused(*sign_in("root", "root-password-1", path="/admin/login/"))
    assert_refused(*sign_in("root", "root-password-1"))


def test_the_admin_still_signs_staff_in(root):
    response, client = sign_in("root", "root-password-1", path="/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_behind_the_tls_proxy_the_address_is_the_one_the_proxy_forwarded(settings, charlie):
    settings.GITFORGE_BEHIND_TLS_PROXY = True
    for number in range(10):
        for _ in range(5):
            client = Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.7")
            sign_in(f"nobody{number}", "wrong-password", client=client)

    blocked = Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert_refused(*sign_in("charlie", "charlie-password-1", client=blocked))
    other = Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert sign_in("charlie", "charlie-password-1", client=other)[0].status_code == 302
