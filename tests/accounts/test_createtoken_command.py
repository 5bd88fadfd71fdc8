"""`manage.py createtoken`: an operator issues a personal access token from the shell."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from gitforge.accounts.models import PersonalAccessToken


def createtoken(*args):
    out, err = StringIO(), StringIO()
    call_command("createtoken", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_only_the_token_and_a_newline(alice):
    out, err = createtoken(
        "alice", "--scopes", "repo:status,repo", "--name", "ci", "--expires-in-days", "7"
    )

    assert out.endswith("\n")
    secret = out.removesuffix("\n")
    assert "\n" not in secret
    assert secret.startswith("gfp_")
    assert len(secret) == 40
    assert err == ""


def test_printed_token_authenticates(alice):
    out, _ = createtoken("alice", "--scopes", "repo:status,repo")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {out.strip()}").get("/api/user")
    assert response.status_code == 200
    assert response.json()["login"] == "alice"
    assert response["X-OAuth-Scopes"] == "repo, repo:status"


def test_stores_name_scopes_and_expiry(alice):
    before = timezone.now()
    createtoken("alice", "--scopes", "repo:status,repo", "--name", "ci", "--expires-in-days", "7")

    token = PersonalAccessToken.objects.get()
    assert token.user == alice
    assert token.name == "ci"
    assert token.scopes == ["repo", "repo:status"]
    assert before + timedelta(days=7) <= token.expires_at <= timezone.now() + timedelta(days=7)


def test_defaults_to_a_named_token_without_expiry(alice):
    createtoken("alice", "--scopes", "repo:status")
    token = PersonalAccessToken.objects.get()
    assert token.name == "command line token"
    assert token.scopes == ["repo:status"]
    assert token.expires_at is None


def test_stores_only_the_hash_of_the_printed_token(alice):
    out, _ = createtoken("alice", "--scopes", "repo")
    secret = out.strip()
    row = PersonalAccessToken.objects.values().get()
    assert all(secret not in str(value) for value in row.values())
    assert row["token_prefix"] == secret[:8]


def test_username_is_matched_case_insensitively(alice):
    out, _ = createtoken("ALICE", "--scopes", "repo")
    assert PersonalAccessToken.objects.get().user == alice
    response = Client(HTTP_AUTHORIZATION=f"token {out.strip()}").get("/api/user")
    assert response.json()["login"] == "alice"


@pytest.mark.parametrize(
    "args, message",
    [
        (["nobody", "--scopes", "repo"], "no user named 'nobody'"),
        (["alice", "--scopes", "repo,admin:org"], "unknown scopes: admin:org"),
        (["alice", "--scopes", "repo", "--expires-in-days", "0"], "at least one day"),
        (["alice", "--scopes", "repo", "--expires-in-days", "-3"], "at least one day"),
    ],
)
def test_refuses_bad_input_and_creates_nothing(alice, args, message):
    with pytest.raises(CommandError, match=message):
        createtoken(*args)
    assert not PersonalAccessToken.objects.exists()


def test_scopes_are_required(alice):
    with pytest.raises(CommandError, match="--scopes"):
        createtoken("alice")
    assert not PersonalAccessToken.objects.exists()
