"""Issuing and revoking personal access tokens."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gitforge.accounts.models import PersonalAccessToken
from gitforge.accounts.scopes import parse_scopes
from gitforge.accounts.tokens import hash_token, new_secret


def create_personal_access_token(*, user, name, scopes, expires_in_days=None, expires_at=None):
    """Create a token; return (token, secret). The secret exists only in the return value."""
    scopes = parse_scopes(" ".join(scopes))
    if expires_in_days is not None:
        if expires_in_days < 1:
            raise ValueError("expiry must be at least one day")
        expires_at = timezone.now() + timedelta(days=expires_in_days)
    secret = new_secret()
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
