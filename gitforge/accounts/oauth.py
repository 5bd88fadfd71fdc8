"""The OAuth 2 grants gitforge accepts: the authorization code grant (with PKCE S256, see
OAUTH2_PROVIDER in settings) and refreshing its tokens; nothing else, whatever grant type an
application was registered with in the admin."""

from oauth2_provider.models import Application
from oauth2_provider.oauth2_validators import OAuth2Validator

GRANT_TYPES = ("authorization_code", "refresh_token")
RESPONSE_TYPES = ("code",)


class AuthorizationCodeValidator(OAuth2Validator):
    """django-oauth-toolkit's validator, refusing the implicit, password, client credentials,
    device and hybrid grants (RFC 9700 forbids the first two; gitforge has no use for the rest).
    """

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return grant_type in GRANT_TYPES and request.client.allows_grant_type(
            Application.GRANT_AUTHORIZATION_CODE
        )

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        return response_type in RESPONSE_TYPES and client.allows_grant_type(
            Application.GRANT_AUTHORIZATION_CODE
        )
