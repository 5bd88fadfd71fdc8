"""OAuth 2 authorization code with PKCE: consent page, code exchange, and using the access token."""

import base64
import hashlib
import secrets
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from tests.helpers import make_repository

CALLBACK = "http://localhost:9999/callback"
CLIENT_SECRET = "s3cret-client-secret-for-tests-0123456789"


class HiddenInputs(HTMLParser):
    """Collects the hidden inputs of the page's forms."""

    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value") or ""


def hidden_fields(response):
    parser = HiddenInputs()
    parser.feed(response.content.decode())
    return parser.fields


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return verifier, challenge


def make_application(owner, *, client_type=Application.CLIENT_CONFIDENTIAL, name="Status Bot"):
    application = Application(
        name=name,
        user=owner,
        client_type=client_type,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=CALLBACK,
        client_secret=CLIENT_SECRET,
        skip_authorization=False,
    )
    application.save()
    return application


@pytest.fixture
def application(alice):
    return make_application(alice)


@pytest.fixture
def browser(alice):
    client = Client()
    client.force_login(alice)
    return client


def authorize_url(application, *, scope="repo:status", challenge=None, state="xyz", **extra):
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": CALLBACK,
        "scope": scope,
        "state": state,
        **extra,
    }
    if challenge is not None:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return "/login/oauth/authorize?" + urlencode(params)


def callback_params(response):
    assert response.status_code == 302, response.content[:500]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def consent(browser, application, *, scope="repo:status", challenge):
    page = browser.get(authorize_url(application, scope=scope, challenge=challenge))
    assert page.status_code == 200, page.content[:500]
    response = browser.post("/login/oauth/authorize", {**hidden_fields(page), "allow": "Authorize"})
    return callback_params(response)


def exchange(code, verifier, application, *, client_secret=CLIENT_SECRET):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK,
        "client_id": application.client_id,
        "code_verifier": verifier,
    }
    if client_secret is not None:
        data["client_secret"] = client_secret
    return Client().post("/login/oauth/access_token", data)


def obtain_token(browser, application, *, scope="repo:status"):
    verifier, challenge = pkce_pair()
    params = consent(browser, application, scope=scope, challenge=challenge)
    response = exchange(params["code"], verifier, application)
    assert response.status_code == 200, response.content
    return response.json()


def bearer(token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_client_secret_is_stored_hashed(application):
    application.refresh_from_db()
    assert application.client_secret != CLIENT_SECRET
    assert CLIENT_SECRET not in application.client_secret


def test_authorize_requires_sign_in(application, anonymous):
    _, challenge = pkce_pair()
    url = authorize_url(application, challenge=challenge)
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")


def test_consent_page_names_the_application_and_the_scope(application, browser):
    _, challenge = pkce_pair()
    response = browser.get(authorize_url(application, challenge=challenge))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Authorize Status Bot" in page
    assert "Read and write commit statuses" in page
    assert "<strong>alice</strong>" in page
    fields = hidden_fields(response)
    assert fields["client_id"] == application.client_id
    assert fields["scope"] == "repo:status"
    assert fields["state"] == "xyz"
    assert fields["code_challenge"] == challenge
    assert fields["code_challenge_method"] == "S256"
    assert fields["csrfmiddlewaretoken"]
    assert not Grant.objects.exists()


def test_consent_page_escapes_the_application_name(alice, browser):
    application = make_application(alice, name="<img src=x onerror=alert(1)>")
    _, challenge = pkce_pair()
    page = browser.get(authorize_url(application, challenge=challenge)).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_authorizing_redirects_to_the_callback_with_code_and_state(application, browser):
    _, challenge = pkce_pair()
    params = consent(browser, application, challenge=challenge)
    assert params["state"] == "xyz"
    assert params["code"]
    assert "error" not in params


def test_cancelling_redirects_with_access_denied(application, browser):
    _, challenge = pkce_pair()
    page = browser.get(authorize_url(application, challenge=challenge))
    response = browser.post("/login/oauth/authorize", hidden_fields(page))
    params = callback_params(response)
    assert params["error"] == "access_denied"
    assert params["state"] == "xyz"
    assert "code" not in params
    assert not Grant.objects.exists()


def test_consent_form_enforces_csrf(application, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    _, challenge = pkce_pair()
    page = client.get(authorize_url(application, challenge=challenge))
    fields = hidden_fields(page)
    fields.pop("csrfmiddlewaretoken")

    response = client.post("/login/oauth/authorize", {**fields, "allow": "Authorize"})

    assert response.status_code == 403
    assert not Grant.objects.exists()


def test_code_exchange_returns_an_access_token_and_scope(application, browser):
    verifier, challenge = pkce_pair()
    params = consent(browser, application, challenge=challenge)

    response = exchange(params["code"], verifier, application)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["access_token"]
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "repo:status"
    assert body["expires_in"] == 8 * 3600
    assert body["refresh_token"]


def test_access_token_authenticates_and_reports_its_scope(application, browser, alice):
    token = obtain_token(browser, application)["access_token"]

    response = bearer(token).get("/api/user")

    assert response.status_code == 200
    assert response.json()["login"] == "alice"
    assert response["X-OAuth-Scopes"] == "repo:status"


@pytest.mark.parametrize("scheme", ["token", "bearer"])
def test_access_token_works_with_other_schemes(application, browser, scheme):
    token = obtain_token(browser, application)["access_token"]
    response = Client(HTTP_AUTHORIZATION=f"{scheme} {token}").get("/api/user")
    assert response.status_code == 200


def test_access_token_is_not_stored_in_plaintext(application, browser):
    assert settings.OAUTH2_PROVIDER["COMPLIANT_BCP_RFC9700_TOKEN_STORAGE"] is True
    body = obtain_token(browser, application)

    stored = AccessToken.objects.values().get()
    assert stored["token"] == ""
    assert stored["token_checksum"] == hashlib.sha256(body["access_token"].encode()).hexdigest()
    assert all(body["access_token"] not in str(value) for value in stored.values())
    refresh = RefreshToken.objects.values().get()
    assert all(body["refresh_token"] not in str(value) for value in refresh.values())


def test_missing_code_challenge_is_refused(application, browser):
    response = browser.get(authorize_url(application, challenge=None))

    params = callback_params(response)
    assert params["error"] == "invalid_request"
    assert "code" not in params
    assert not Grant.objects.exists()


def test_wrong_code_verifier_is_refused(application, browser):
    _, challenge = pkce_pair()
    params = consent(browser, application, challenge=challenge)

    response = exchange(params["code"], secrets.token_urlsafe(48), application)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_code_cannot_be_exchanged_twice(application, browser):
    verifier, challenge = pkce_pair()
    params = consent(browser, application, challenge=challenge)
    assert exchange(params["code"], verifier, application).status_code == 200

    again = exchange(params["code"], verifier, application)

    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_refused(application, browser):
    verifier, challenge = pkce_pair()
    params = consent(browser, application, challenge=challenge)

    response = exchange(params["code"], verifier, application, client_secret="wrong")

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.exists()


def test_unregistered_redirect_uri_is_refused_without_redirecting(application, browser):
    _, challenge = pkce_pair()
    url = authorize_url(application, challenge=challenge).replace(
        "localhost%3A9999", "evil.example"
    )
    response = browser.get(url)
    assert response.status_code == 400
    assert "evil.example" not in response.get("Location", "")


def test_unknown_scope_is_refused(application, browser):
    _, challenge = pkce_pair()
    response = browser.get(authorize_url(application, scope="admin:org", challenge=challenge))
    params = callback_params(response)
    assert params["error"] == "invalid_scope"


def test_public_client_exchanges_a_code_with_pkce_only(alice, browser):
    application = make_application(alice, client_type=Application.CLIENT_PUBLIC)
    verifier, challenge = pkce_pair()
    params = consent(browser, application, challenge=challenge)

    response = exchange(params["code"], verifier, application, client_secret=None)

    assert response.status_code == 200
    token = response.json()["access_token"]
    assert bearer(token).get("/api/user").json()["login"] == "alice"


def test_repo_status_token_cannot_see_a_private_repository(application, browser, alice):
    make_repository(alice, "secret", private=True)
    token = obtain_token(browser, application, scope="repo:status")["access_token"]

    response = bearer(token).get("/api/repos/alice/secret")

    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"


def test_repo_token_sees_a_private_repository(application, browser, alice):
    make_repository(alice, "secret", private=True)
    body = obtain_token(browser, application, scope="repo")
    assert body["scope"] == "repo"

    response = bearer(body["access_token"]).get("/api/repos/alice/secret")

    assert response.status_code == 200
    assert response.json()["full_name"] == "alice/secret"
    assert response["X-OAuth-Scopes"] == "repo"


def test_expired_access_token_gets_bad_credentials(application, browser):
    token = obtain_token(browser, application)["access_token"]
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))

    response = bearer(token).get("/api/user")

    assert response.status_code == 401
    assert response.json()["message"] == "Bad credentials"


def test_access_token_of_an_inactive_user_gets_bad_credentials(application, browser, alice):
    token = obtain_token(browser, application)["access_token"]
    alice.is_active = False
    alice.save()

    assert bearer(token).get("/api/user").status_code == 401


def test_revoked_access_token_gets_bad_credentials(application, browser):
    token = obtain_token(browser, application)["access_token"]
    assert bearer(token).get("/api/user").status_code == 200

    response = Client().post(
        "/login/oauth/revoke_token",
        {
            "token": token,
            "token_type_hint": "access_token",
            "client_id": application.client_id,
            "client_secret": CLIENT_SECRET,
        },
    )

    assert response.status_code == 200
    assert bearer(token).get("/api/user").status_code == 401


def test_refresh_token_issues_a_working_access_token(application, browser):
    body = obtain_token(browser, application)

    response = Client().post(
        "/login/oauth/access_token",
        {
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_id": application.client_id,
            "client_secret": CLIENT_SECRET,
        },
    )

    assert response.status_code == 200, response.content
    refreshed = response.json()
    assert refreshed["access_token"] != body["access_token"]
    assert refreshed["scope"] == "repo:status"
    api = bearer(refreshed["access_token"]).get("/api/user")
    assert api.status_code == 200
    assert api["X-OAuth-Scopes"] == "repo:status"
    assert bearer(body["access_token"]).get("/api/user").status_code == 401
