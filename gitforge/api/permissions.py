"""Token scope checks as DRF permission classes, in django-oauth-toolkit's TokenHasScope style.

A permission class declares the scopes it accepts (`accepted_scopes`); the base API view sends
them as `X-Accepted-OAuth-Scopes`, so the header and the check can never disagree. What a scope
means is the apps' business: this module only compares names.
"""

from typing import Protocol

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from gitforge.api.exceptions import RequiresAuthentication


class Grant(Protocol):
    """What an authenticated token puts in `request.auth`."""

    scopes: tuple[str, ...]


def token_allows(grant: Grant | None, scopes) -> bool:
    """Whether a token carries one of `scopes` (signing in without a token is never limited)."""
    return grant is None or any(scope in grant.scopes for scope in scopes)


def scope_refusal(scopes) -> PermissionDenied:
    quoted = " or ".join(f"'{scope}'" for scope in scopes)
    return PermissionDenied(f"Resource not accessible by this token: it needs the {quoted} scope")


class ScopedPermission(BasePermission):
    """A permission class that names the token scopes its route accepts."""

    def accepted_scopes(self, view) -> tuple[str, ...]:
        return tuple(getattr(view, "required_scopes", ()))


class SignedIn(ScopedPermission):
    """Requires a signed-in caller; `required_scopes` only widen what the route shows."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            raise RequiresAuthentication()
        return True


class TokenHasScope(SignedIn):
    """Requires a signed-in caller whose token (if any) carries one of `required_scopes`."""

    def has_permission(self, request, view) -> bool:
        super().has_permission(request, view)
        scopes = self.accepted_scopes(view)
        if not token_allows(request.auth, scopes):
            raise scope_refusal(scopes)
        return True
