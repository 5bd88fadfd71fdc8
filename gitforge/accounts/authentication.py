"""The REST API's authentication class (configured in settings.REST_FRAMEWORK)."""

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from gitforge.accounts.tokens import presented_token, resolve_token


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
