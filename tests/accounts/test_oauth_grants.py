"""OAuth 2 allows only the authorization code grant with PKCE S256, and rotates refresh tokens:
implicit, password and client credentials grants and `plain` PKCE are refused, and a refresh
token works once."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Application, Grant

from tests.accounts.test_oauth import (
    CALLBACK,
    CLIENT_SECRET,
    callback_params,
    hidden_fields,
    make_application,
    obtain_token,
    pkce_pair,
)


@pytest.fixture
def browser(alice):
    client = Client()
    client.force_login(alice)
    return client


def application_for(owner, grant_type):
    application = make_application(owner)
    application.authorization_grant_type = grant_type
    application.save()
    return application


def token_request(application, **data):
    return Client().post(
        "/login/oauth/access_token",
        {"client_id": application.client_id, "client_secret": CLIENT_SECRET, **data},
    )


def refresh(application, refresh_token):
    return token_request(application, grant_type="refresh_token", refresh_token=refresh_token)


def redirect_params(response):
    """The parameters of a redirect to the callback, from its query and its fragment."""
    assert response.status_code == 302, response.content[:500]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    pairs = parse_qs(location.query) | parse_qs(location.fragment)
    return {key: values[0] for key, values in pairs.items()}


def authorize(browser, application, *, response_type="code", method="S256"):
    _, challenge = pkce_pair()
    params = {
        "response_type": response_type,
        "client_id": application.client_id,
        "redirect_uri": CALLBACK,
        "scope": "repo:status",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": method,
    }
    return browser.get("/login/oauth/authorize?" + urlencode(params))


@pytest.mark.parametrize(
    "grant_type", [Application.GRANT_IMPLICIT, Application.GRANT_AUTHORIZATION_CODE]
)
def test_the_implicit_grant_is_refused(alice, browser, grant_type):
    application = application_for(alice, grant_type)

    response = authorize(browser, application, response_type="token")

    params = redirect_params(response)
    assert params["error"] == "unauthorized_client"
    assert "access_token" not in params
    assert not AccessToken.objects.exists()


def test_the_password_grant_is_refused(alice):
    application = application_for(alice, Application.GRANT_PASSWORD)

    response = token_request(
        application, grant_type="password", username="alice", password="alice-password-1"
    )

    assert response.status_code == 400
    assert response.json() == {"error": "unauthorized_client"}
    assert not AccessToken.objects.exists()


def test_the_client_credentials_grant_is_refused(alice):
    application = application_for(alice, Application.GRANT_CLIENT_CREDENTIALS)

    response = token_request(application, grant_type="client_credentials", scope="read:user")

    assert response.status_code == 400
    assert response.json() == {"error": "unauthorized_client"}
    assert not AccessToken.objects.exists()


def test_the_password_grant_is_refused_for_an_authorization_code_application(alice):
    application = make_application(alice)

    response = token_request(
        application, grant_type="password", username="alice", password="alice-password-1"
    )

    assert response.status_code == 400
    assert response.json() == {"error": "unauthorized_client"}
    assert not AccessToken.objects.exists()


def test_plain_pkce_is_refused(alice, browser):
    application = make_application(alice)

    page = authorize(browser, application, method="plain")
    response = browser.post("/login/oauth/authorize", {**hidden_fields(page), "allow": "Authorize"})

    params = callback_params(response)
    assert params["error"] == "invalid_request"
    assert "code" not in params
    assert not Grant.objects.exists()


def test_a_refresh_token_works_once(alice, browser):
    application = make_application(alice)
    first = obtain_token(browser, application)

    rotated = refresh(application, first["refresh_token"])
    assert rotated.status_code == 200, rotated.content
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]

    again = refresh(application, first["refresh_token"])
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_replaying_an_old_refresh_token_revokes_the_new_one(alice, browser):
    """A replayed refresh token means it leaked: the whole chain it started stops working."""
    application = make_application(alice)
    first = obtain_token(browser, application)
    second = refresh(application, first["refresh_token"]).json()

    assert refresh(application, first["refresh_token"]).status_code == 400

    response = refresh(application, second["refresh_token"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
