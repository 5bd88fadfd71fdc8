"""Token issuing and resolution for personal access tokens and OAuth access tokens."""

import hashlib
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from gitforge.accounts.models import PersonalAccessToken, User
from gitforge.accounts.scopes import parse_scopes

TOKEN_PREFIX = "gfp_"
TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 36  # 36 base62 characters: about 214 bits of randomness
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenGrant:
    """Who a presented token speaks for, and with which scopes."""

    user: User
    scopes: tuple[str, ...]
    kind: str  # "pat" or "oauth"


def hash_token(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def create_personal_access_token(*, user, name, scopes, expires_in_days=None, expires_at=None):
    """Create a token; return (token, secret). The secret exists only in the return value."""
    scopes = parse_scopes(" ".join(scopes))
    if expires_in_days is not None:
        if expires_in_days < 1:
            raise ValueError("expiry must be at least one day")
        expires_at = timezone.now() + timedelta(days=expires_in_days)
    secret = TOKEN_PREFIX + "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name,
        scopes=scopes,
        token_hash=hash_token(secret),
        token_prefix=secret[:8],
        expires_at=expires_at,
    )
    return token, secret


def revoke_personal_access_token(*, token):
    with transaction.atomic():
        PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def resolve_token(secret):
    """The TokenGrant for a presented secret; None if unknown, revoked or expired."""
    if not secret:
        return None
    if secret.startswith(TOKEN_PREFIX):
        return _resolve_personal_access_token(secret)
    return _resolve_oauth_token(secret)


def _resolve_personal_access_token(secret):
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
    return TokenGrant(user=token.user, scopes=tuple(token.scopes), kind="pat")


def _resolve_oauth_token(secret):
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
        user=access_token.user, scopes=tuple(access_token.scope.split()), kind="oauth"
    )


def users_by_email(emails):
    """{lower-cased email: active user} for the given addresses, in one query."""
    wanted = {email.lower() for email in emails if email}
    if not wanted:
        return {}
    users = User.objects.alias(email_key=Lower("email")).filter(
        email_key__in=wanted, is_active=True
    )
    return {user.email.lower(): user for user in users}
