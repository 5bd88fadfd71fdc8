"""Personal access tokens: how they look, how they are stored, and how the API accepts them."""

import base64
import hashlib
import string
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gitforge.accounts.models import PersonalAccessToken
from gitforge.accounts.services import create_personal_access_token
from tests.helpers import make_repository
from tests.openapi import assert_matches_spec

BASE62 = set(string.ascii_letters + string.digits)


def get_user(secret, scheme="Bearer"):
    return Client(HTTP_AUTHORIZATION=f"{scheme} {secret}").get("/api/user")


def assert_bad_credentials(response):
    assert_matches_spec(response, "get", "/user", 401)
    body = response.json()
    assert body["message"] == "Bad credentials"
    assert body["documentation_url"].startswith("https://docs.github.com/")


def test_secret_is_gfp_prefixed_base62_with_at_least_160_bits(alice):
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])

    assert secret.startswith("gfp_")
    body = secret.removeprefix("gfp_")
    assert set(body) <= BASE62
    # log2(62) ≈ 5.95 bits a character, so 27 characters already exceed 160 bits.
    assert len(body) * 5.95 >= 160


def test_each_secret_is_different(alice):
    secrets = {
        create_personal_access_token(user=alice, name=f"t{i}", scopes=["repo"])[1]
        for i in range(20)
    }
    assert len(secrets) == 20


def test_database_keeps_only_the_hash_and_a_short_prefix(alice):
    token, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])

    row = PersonalAccessToken.objects.filter(pk=token.pk).values().get()
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["token_prefix"] == secret[:8]
    assert len(row["token_prefix"]) == 8
    for value in row.values():
        assert secret not in str(value)
        assert secret.removeprefix("gfp_") not in str(value)


def test_scopes_are_stored_in_a_stable_order(alice):
    token, _ = create_personal_access_token(user=alice, name="ci", scopes=["read:user", "repo"])
    token.refresh_from_db()
    assert token.scopes == ["repo", "read:user"]


def test_unknown_scope_is_refused_and_nothing_is_created(alice):
    with pytest.raises(ValueError, match="unknown scopes: admin:org"):
        create_personal_access_token(user=alice, name="ci", scopes=["repo", "admin:org"])
    assert not PersonalAccessToken.objects.exists()


def test_expires_in_days_sets_the_expiry(alice):
    before = timezone.now()
    token, _ = create_personal_access_token(
        user=alice, name="ci", scopes=["repo"], expires_in_days=7
    )
    after = timezone.now()
    token.refresh_from_db()
    assert before + timedelta(days=7) <= token.expires_at <= after + timedelta(days=7)


def test_expiry_of_zero_days_is_refused(alice):
    with pytest.raises(ValueError):
        create_personal_access_token(user=alice, name="ci", scopes=["repo"], expires_in_days=0)
    assert not PersonalAccessToken.objects.exists()


def test_token_without_expiry_never_expires(alice):
    token, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    assert token.expires_at is None
    assert get_user(secret).status_code == 200


def test_unexpired_token_authenticates(alice):
    _, secret = create_personal_access_token(
        user=alice, name="ci", scopes=["repo"], expires_in_days=1
    )
    response = get_user(secret)
    assert_matches_spec(response, "get", "/user", 200)
    assert response.json()["login"] == "alice"


def test_expired_token_gets_bad_credentials(alice):
    token, secret = create_personal_access_token(
        user=alice, name="ci", scopes=["repo"], expires_in_days=1
    )
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert_bad_credentials(get_user(secret))


def test_revoked_token_gets_bad_credentials(alice):
    token, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    assert get_user(secret).status_code == 200

    PersonalAccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    assert_bad_credentials(get_user(secret))


def test_wrong_token_gets_bad_credentials(alice):
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    wrong = secret[:-1] + ("a" if secret[-1] != "a" else "b")
    assert_bad_credentials(get_user(wrong))


def test_unknown_oauth_looking_token_gets_bad_credentials(db):
    assert_bad_credentials(get_user("not-a-token-at-all"))


def test_malformed_authorization_header_gets_bad_credentials(alice):
    response = Client(HTTP_AUTHORIZATION="Digest abc").get("/api/user")
    assert_bad_credentials(response)


def test_token_of_an_inactive_user_gets_bad_credentials(alice):
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    alice.is_active = False
    alice.save()
    assert_bad_credentials(get_user(secret))


def test_last_used_at_is_recorded_on_use(alice):
    token, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    assert token.last_used_at is None

    before = timezone.now()
    assert get_user(secret).status_code == 200

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert before <= token.last_used_at <= timezone.now()


def test_failed_use_does_not_touch_last_used_at(alice):
    token, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    PersonalAccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    get_user(secret)
    token.refresh_from_db()
    assert token.last_used_at is None


@pytest.mark.parametrize("scheme", ["Bearer", "token", "bearer", "TOKEN"])
def test_bearer_and_token_schemes_authenticate(alice, scheme):
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    response = get_user(secret, scheme=scheme)
    assert response.status_code == 200
    assert response.json()["login"] == "alice"


@pytest.mark.parametrize("username", ["alice", "anyuser", "x-access-token", ""])
def test_basic_auth_with_token_as_password_authenticates(alice, username):
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    credentials = base64.b64encode(f"{username}:{secret}".encode()).decode()
    response = Client(HTTP_AUTHORIZATION=f"Basic {credentials}").get("/api/user")
    assert response.status_code == 200
    assert response.json()["login"] == "alice"


def test_basic_auth_with_a_wrong_password_gets_bad_credentials(alice):
    credentials = base64.b64encode(b"alice:alice-password-1").decode()
    response = Client(HTTP_AUTHORIZATION=f"Basic {credentials}").get("/api/user")
    assert_bad_credentials(response)


def test_basic_auth_that_is_not_base64_gets_bad_credentials(db):
    response = Client(HTTP_AUTHORIZATION="Basic %%%not-base64%%%").get("/api/user")
    assert_bad_credentials(response)


def test_no_authorization_header_requires_authentication(db, anonymous):
    response = anonymous.get("/api/user")
    assert_matches_spec(response, "get", "/user", 401)
    assert response.json()["message"] == "Requires authentication"
    assert "X-OAuth-Scopes" not in response


def test_the_v3_prefix_accepts_tokens_too(alice):
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    response = Client(HTTP_AUTHORIZATION=f"token {secret}").get("/api/v3/user")
    assert response.status_code == 200
    assert response.json()["login"] == "alice"


def test_response_lists_the_token_scopes_in_stored_order(alice):
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["read:user", "repo"])
    response = get_user(secret)
    assert response["X-OAuth-Scopes"] == "repo, read:user"
    assert "X-Accepted-OAuth-Scopes" in response


def test_response_for_a_token_without_scopes_has_empty_scope_header(alice):
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=[])
    response = get_user(secret)
    assert response.status_code == 200
    assert response["X-OAuth-Scopes"] == ""


def test_get_authenticated_user_with_read_user_scope_shows_the_private_profile(alice):
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["read:user"])
    response = get_user(secret)

    assert_matches_spec(response, "get", "/user", 200)
    body = response.json()
    assert body["login"] == "alice"
    assert body["id"] == alice.id
    assert body["user_view_type"] == "private"
    assert body["email"] == "alice@example.com"
    assert body["url"] == "http://testserver/api/users/alice"


def test_get_authenticated_user_without_read_user_scope_shows_only_the_public_profile(alice):
    """GitHub shows private profile information only to tokens with a user scope."""
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo:status"])
    response = get_user(secret)

    assert_matches_spec(response, "get", "/user", 200)
    body = response.json()
    assert body["login"] == "alice"
    assert body["user_view_type"] == "public"
    assert body["email"] is None
    assert "total_private_repos" not in body


def test_get_authenticated_user_counts_repositories(alice):
    make_repository(alice, "project")
    make_repository(alice, "secret", private=True)
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo", "read:user"])

    body = get_user(secret).json()
    assert body["public_repos"] == 1
    assert body["total_private_repos"] == 1
    assert body["owned_private_repos"] == 1


def test_get_user_by_name_shows_the_public_profile(alice, bob):
    _, secret = create_personal_access_token(user=bob, name="ci", scopes=["repo"])
    response = Client(HTTP_AUTHORIZATION=f"token {secret}").get("/api/users/alice")

    assert_matches_spec(response, "get", "/users/{username}", 200)
    body = response.json()
    assert body["login"] == "alice"
    assert body["user_view_type"] == "public"
    assert body["email"] is None


def test_get_user_by_name_works_anonymously_and_ignores_case(alice, anonymous):
    response = anonymous.get("/api/users/ALICE")
    assert_matches_spec(response, "get", "/users/{username}", 200)
    assert response.json()["login"] == "alice"


def test_get_user_by_name_is_404_for_unknown_and_inactive_users(alice, anonymous):
    alice.is_active = False
    alice.save()
    for name in ("nobody", "alice"):
        response = anonymous.get(f"/api/users/{name}")
        assert_matches_spec(response, "get", "/users/{username}", 404)
        assert response.json()["message"] == "Not Found"
