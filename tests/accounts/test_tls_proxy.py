"""Behind a TLS-terminating proxy (GITFORGE_BEHIND_TLS_PROXY=1) requests the proxy marks https
are secure: session and CSRF cookies are Secure and responses carry HSTS."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

SHOWN = (
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
)


def configured(**env):
    """The security settings gitforge starts with under `env`."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {SHOWN!r}}}))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("GITFORGE_BEHIND_TLS_PROXY", "SECURE_COOKIES", "SECURE_HSTS_SECONDS")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=django_settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_behind_a_tls_proxy_cookies_are_secure_and_hsts_is_on():
    assert configured(GITFORGE_BEHIND_TLS_PROXY="1") == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
    }


def test_by_default_the_forwarded_protocol_is_not_trusted():
    assert configured() == {
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }


@pytest.fixture
def behind_tls_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600


def test_signing_in_through_the_proxy_sets_secure_cookies_and_hsts(
    behind_tls_proxy, alice, anonymous
):
    page = anonymous.get("/login", HTTP_X_FORWARDED_PROTO="https")
    assert page.cookies["csrftoken"]["secure"] is True
    assert page["Strict-Transport-Security"] == "max-age=31536000"

    response = anonymous.post(
        "/login",
        {"username": "alice", "password": "alice-password-1"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True


def test_plain_http_gets_no_hsts(behind_tls_proxy, db, anonymous):
    assert "Strict-Transport-Security" not in anonymous.get("/login")
