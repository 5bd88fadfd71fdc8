"""Tokens as presented and resolved: the one parser of Authorization headers, used by the REST
API and the git transport alike, and the lookup of personal access and OAuth tokens."""

import base64
import binascii
import hashlib
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from gitforge.accounts.models import PersonalAccessToken, User
from gitforge.rows import Selected, fetch_row

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


TOKEN_COLUMNS = Selected(PersonalAccessToken, "t")
USER_COLUMNS = Selected(User, "u")


@cache
def token_with_user_sql() -> str:
    return f"""
        SELECT {TOKEN_COLUMNS.columns}, {USER_COLUMNS.columns}
        FROM {PersonalAccessToken._meta.db_table} t
        JOIN {User._meta.db_table} u ON u.id = t.user_id
        WHERE t.token_hash = %s
    """


def _resolve_personal_access_token(secret: str) -> TokenGrant | None:
    """One query for the token and its user, written by hand: the ORM would spend longer
    building it than the database running it, on every API request."""
    row, using = fetch_row(PersonalAccessToken, token_with_user_sql(), [hash_token(secret)])
    if row is None:
        return None
    token = TOKEN_COLUMNS.instance(row, 0, using)
    token.user = USER_COLUMNS.instance(row, TOKEN_COLUMNS.width, using)
    if not token.is_active or not token.user.is_active:
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
