"""/settings/tokens: a signed-in user lists, creates and revokes their personal access tokens."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gitforge.accounts.models import PersonalAccessToken
from gitforge.accounts.services import create_personal_access_token
from tests.helpers import signed_in

SECRET_PATTERN = re.compile(r"gfp_[A-Za-z0-9]{20,}")


def csrf_token_from(response):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "the page has no CSRF token"
    return match.group(1)


def create_through_page(client, **data):
    form = {"name": "deploy", "scopes": ["repo"], "expires_in_days": "30", **data}
    return client.post("/settings/tokens", form)


def api_user(secret):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/user")


def test_anonymous_visitor_is_sent_to_sign_in(anonymous):
    response = anonymous.get("/settings/tokens")
    assert response.status_code == 302
    assert response["Location"] == "/login?next=/settings/tokens"


def test_anonymous_post_creates_nothing(anonymous, alice):
    response = anonymous.post("/settings/tokens", {"name": "x", "scopes": ["repo"]})
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    assert not PersonalAccessToken.objects.exists()


def test_user_sees_own_tokens_with_prefix_but_not_secret(alice, bob):
    token, secret = create_personal_access_token(user=alice, name="alice-ci", scopes=["repo"])
    _, bob_secret = create_personal_access_token(user=bob, name="bob-ci", scopes=["repo"])

    response = signed_in(alice).get("/settings/tokens")

    assert response.status_code == 200
    page = response.content.decode()
    assert "alice-ci" in page
    assert f"{token.token_prefix}…" in page
    assert secret not in page
    assert "bob-ci" not in page
    assert bob_secret[:8] not in page
    assert not SECRET_PATTERN.search(page)


def test_user_with_no_tokens_is_told_so(alice):
    response = signed_in(alice).get("/settings/tokens")
    assert "You have no tokens." in response.content.decode()


def test_revoked_tokens_are_not_listed(alice):
    create_personal_access_token(user=alice, name="still-here", scopes=["repo"])
    gone, _ = create_personal_access_token(user=alice, name="long-gone", scopes=["repo"])
    PersonalAccessToken.objects.filter(pk=gone.pk).update(revoked_at=timezone.now())

    page = signed_in(alice).get("/settings/tokens").content.decode()
    assert "still-here" in page
    assert "long-gone" not in page


def test_list_shows_scopes_and_expiry(alice):
    create_personal_access_token(
        user=alice, name="ci", scopes=["repo:status", "read:user"], expires_in_days=7
    )
    page = signed_in(alice).get("/settings/tokens").content.decode()
    assert "repo:status, read:user" in page
    expires = (timezone.now() + timezone.timedelta(days=7)).strftime("%Y-%m-%d")
    assert expires in page


def test_token_page_is_not_cached(alice):
    client = signed_in(alice)
    assert client.get("/settings/tokens")["Cache-Control"] == "no-store"
    assert create_through_page(client)["Cache-Control"] == "no-store"


def test_creating_a_token_shows_its_secret_exactly_once(alice):
    client = signed_in(alice)

    response = create_through_page(client, name="deploy")

    assert response.status_code == 200
    page = response.content.decode()
    secrets = SECRET_PATTERN.findall(page)
    assert len(secrets) == 1
    secret = secrets[0]
    assert "You won’t be able to see it again." in page
    token = PersonalAccessToken.objects.get(user=alice)
    assert token.name == "deploy"
    assert secret.startswith(token.token_prefix)

    reloaded = client.get("/settings/tokens").content.decode()
    assert secret not in reloaded
    assert not SECRET_PATTERN.search(reloaded)
    assert "deploy" in reloaded


def test_created_token_works_against_the_api_with_the_chosen_scopes(alice):
    response = create_through_page(
        signed_in(alice), name="deploy", scopes=["repo:status", "read:user"]
    )
    secret = SECRET_PATTERN.search(response.content.decode()).group(0)

    api = api_user(secret)
    assert api.status_code == 200
    assert api.json()["login"] == "alice"
    assert api["X-OAuth-Scopes"] == "repo:status, read:user"


@pytest.mark.parametrize("days", ["7", "30", "90"])
def test_created_token_expires_after_the_chosen_days(alice, days):
    before = timezone.now()
    create_through_page(signed_in(alice), expires_in_days=days)
    token = PersonalAccessToken.objects.get(user=alice)
    expected = timezone.timedelta(days=int(days))
    assert before + expected <= token.expires_at <= timezone.now() + expected


def test_created_token_can_have_no_expiry(alice):
    create_through_page(signed_in(alice), expires_in_days="")
    assert PersonalAccessToken.objects.get(user=alice).expires_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"scopes": []},
        {"name": ""},
        {"scopes": ["admin:org"]},
        {"expires_in_days": "0"},
        {"expires_in_days": "365"},
    ],
)
def test_invalid_form_shows_errors_and_creates_nothing(alice, data):
    response = create_through_page(signed_in(alice), **data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page
    assert not SECRET_PATTERN.search(page)
    assert not PersonalAccessToken.objects.exists()


def test_revoke_is_post_only(alice):
    token, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])

    response = signed_in(alice).get(f"/settings/tokens/{token.pk}/revoke")

    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_user(secret).status_code == 200


def test_revoking_own_token_stops_it_working(alice):
    token, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    client = signed_in(alice)

    response = client.post(f"/settings/tokens/{token.pk}/revoke", follow=True)

    assert response.redirect_chain == [("/settings/tokens", 302)]
    page = response.content.decode()
    assert "Token “ci” was revoked." in page
    assert "<td>ci</td>" not in page
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_user(secret).status_code == 401


def test_revoking_someone_elses_token_is_not_found(alice, bob):
    token, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo"])

    response = signed_in(bob).post(f"/settings/tokens/{token.pk}/revoke")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_user(secret).status_code == 200


def test_revoking_a_missing_token_is_not_found(alice):
    assert signed_in(alice).post("/settings/tokens/999999/revoke").status_code == 404


def test_anonymous_revoke_is_sent_to_sign_in(alice, anonymous):
    token, _ = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    response = anonymous.post(f"/settings/tokens/{token.pk}/revoke")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_create_without_csrf_token_is_forbidden(alice):
    client = signed_in(alice, enforce_csrf_checks=True)

    response = create_through_page(client)

    assert response.status_code == 403
    assert not PersonalAccessToken.objects.exists()


def test_create_with_csrf_token_from_the_page_succeeds(alice):
    client = signed_in(alice, enforce_csrf_checks=True)
    csrf = csrf_token_from(client.get("/settings/tokens"))

    response = create_through_page(client, csrfmiddlewaretoken=csrf)

    assert response.status_code == 200
    assert SECRET_PATTERN.search(response.content.decode())
    assert PersonalAccessToken.objects.filter(user=alice).count() == 1


def test_revoke_without_csrf_token_is_forbidden(alice):
    token, _ = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    client = signed_in(alice, enforce_csrf_checks=True)

    response = client.post(f"/settings/tokens/{token.pk}/revoke")

    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_with_csrf_token_from_the_page_succeeds(alice):
    token, _ = create_personal_access_token(user=alice, name="ci", scopes=["repo"])
    client = signed_in(alice, enforce_csrf_checks=True)
    csrf = csrf_token_from(client.get("/settings/tokens"))

    response = client.post(f"/settings/tokens/{token.pk}/revoke", {"csrfmiddlewaretoken": csrf})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_names_are_escaped(alice):
    client = signed_in(alice)
    create_through_page(client, name="<script>alert(1)</script>")
    token = PersonalAccessToken.objects.get(user=alice)

    listed = client.get("/settings/tokens").content.decode()
    assert "<script>alert(1)</script>" not in listed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listed

    revoked = client.post(f"/settings/tokens/{token.pk}/revoke", follow=True).content.decode()
    assert "<script>alert(1)</script>" not in revoked
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in revoked


def test_token_list_query_count_does_not_grow_with_tokens(alice):
    client = signed_in(alice)
    create_personal_access_token(user=alice, name="one", scopes=["repo"])
    with CaptureQueriesContext(connection) as one:
        client.get("/settings/tokens")
    for i in range(5):
        create_personal_access_token(user=alice, name=f"more-{i}", scopes=["repo"])
    with CaptureQueriesContext(connection) as six:
        client.get("/settings/tokens")
    assert len(six) == len(one)
