"""Token authentication as GitHub accepts it: `Bearer T`, `token T`, or Basic with T as password."""

import base64
import binascii

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from gitforge.accounts.services import resolve_token


def presented_token(header):
    """The token in an Authorization header value, '' for a malformed one, None when absent."""
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
            return username  # GitHub also takes the token as the username
        return password
    return ""


class GitHubTokenAuthentication(BaseAuthentication):
    """Resolves personal access tokens and OAuth tokens; `request.auth` is a TokenGrant."""

    def authenticate(self, request):
        secret = presented_token(request.META.get("HTTP_AUTHORIZATION"))
        if secret is None:
            return None
        grant = resolve_token(secret)
        if grant is None:
            raise AuthenticationFailed("Bad credentials")
        return grant.user, grant

    def authenticate_header(self, request):
        return 'Bearer realm="gitforge"'
