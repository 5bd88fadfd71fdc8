"""Credentials everyone knows, which a server reachable by others must not run with."""

import ipaddress
import secrets

from django.contrib.auth.hashers import check_password

# Passwords gitforge itself has published: the demo account's, in earlier READMEs and seeds.
PUBLISHED_PASSWORDS = ("gitforge-demo",)
LOOPBACK_NAMES = ("localhost",)


def generate_password():
    """A password for an account gitforge creates; shown once, to the operator."""
    return secrets.token_urlsafe(18)


def is_loopback(host):
    """Whether `host` (as in HOST, e.g. 127.0.0.1, ::1, [::1], localhost) is reachable only here."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_insecure_secret_key(key):
    """Django's rule for `check --deploy` (security.W009): unset, `django-insecure-`, or weak."""
    return not key or key.startswith("django-insecure-") or len(key) < 50 or len(set(key)) < 5


def has_published_password(user):
    """Whether `user` signs in with a password anyone can look up: a published one, or their
    own username."""
    if not user.has_usable_password():
        return False
    candidates = {*PUBLISHED_PASSWORDS, user.username, user.username.lower()}
    return any(check_password(candidate, user.password) for candidate in sorted(candidates))
