"""Tokens as presented and resolved: the one parser of Authorization headers, used by the REST
API and the git transport alike, and the lookup of personal access and OAuth tokens."""

import base64
import binascii
import hashlib
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from gitforge.accounts.models import PersonalAccessToken, User

TOKEN_PREFIX = "gfp_"
TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 36  # 36 base62 characters: about 214 bits of randomness
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenGrant:
    """Who a presented token speaks for, with which scopes, and until when (None: no expiry)."""

    user: User
    scopes: tuple[str, ...]
    expires_at: datetime | None = None


def new_secret() -> str:
    return TOKEN_PREFIX + "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def presented_token(header: str | None) -> str | None:
    """The token in an Authorization header value, '' for a malformed one, None when absent.

    GitHub accepts `Bearer T`, `token T`, and Basic with T as the password or the username.
    """
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme in ("bearer", "token"):
        return value
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        username, _, password = decoded.partition(":")
        if password in ("", "x-oauth-basic"):
            return username
        return password
    return ""


def resolve_token(secret: str | None) -> TokenGrant | None:
    """The TokenGrant for a presented secret; None if unknown, revoked or expired.

    Records when a personal access token was last used, at most once a minute.
    """
    if not secret:
        return None
    if secret.startswith(TOKEN_PREFIX):
        return _resolve_personal_access_token(secret)
    return _resolve_oauth_token(secret)


def _resolve_personal_access_token(secret: str) -> TokenGrant | None:
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=hash_token(secret))
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return TokenGrant(user=token.user, scopes=tuple(token.scopes), expires_at=token.expires_at)


def _resolve_oauth_token(secret: str) -> TokenGrant | None:
    access_token = (
        get_access_token_model()
        .objects.select_related("user")
        .filter(token_checksum=hash_token(secret))
        .first()
    )
    if access_token is None or access_token.is_expired() or access_token.user is None:
        return None
    if not access_token.user.is_active:
        return None
    return TokenGrant(
        user=access_token.user,
        scopes=tuple(access_token.scope.split()),
        expires_at=access_token.expires,
    )
