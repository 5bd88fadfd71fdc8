"""The base API view (GitHub's headers on every response), the API root and its 404."""

from collections.abc import Sequence
from datetime import UTC, datetime

from django.utils.http import http_date
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from gitforge.api.permissions import ScopedPermission
from gitforge.api.ratelimit import RateLimit, count_api_call, rate_limit_headers
from gitforge.api.representations import api_base


class GitHubAPIView(APIView):
    """Counts each call against the caller's rate limit and adds GitHub's headers to responses:
    X-OAuth-Scopes and, for a token that expires, GitHub-Authentication-Token-Expiration (token
    callers), X-Accepted-OAuth-Scopes (from the permission classes), X-RateLimit-*, and
    Last-Modified for a route that knows when its resource last changed."""

    documentation_url: str | None = None

    def last_modified(self) -> datetime | None:
        """When the resource a successful GET answers with last changed, if the route knows
        (If-Modified-Since relies on it): the resource's own time, as GitHub sends it, which
        does not move with the caller's `permissions` shown in the body."""
        return None

    def rate_limits(self, request) -> Sequence[RateLimit]:
        """Limits of the route's own, counted with the caller's budget once the call is
        authorized (see count_api_call)."""
        return ()

    def initial(self, request, *args, **kwargs):
        # Bad credentials answer 401 before anything is counted.
        self.perform_authentication(request)
        try:
            super().initial(request, *args, **kwargs)
        except Exception:
            # A refused call counts too, and a spent budget answers 429 before the refusal.
            count_api_call(request)
            raise
        count_api_call(request, self.rate_limits(request))

    def accepted_scopes(self) -> list[str]:
        accepted: list[str] = []
        for permission in self.get_permissions():
            if isinstance(permission, ScopedPermission):
                accepted += [s for s in permission.accepted_scopes(self) if s not in accepted]
        return accepted

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        grant = getattr(request, "_auth", None)
        if grant is not None:
            response["X-OAuth-Scopes"] = ", ".join(grant.scopes)
            if grant.expires_at is not None:
                response["GitHub-Authentication-Token-Expiration"] = token_expiration(grant)
        response["X-Accepted-OAuth-Scopes"] = ", ".join(self.accepted_scopes())
        response["X-GitHub-Media-Type"] = "github.v3; format=json"
        for header, value in rate_limit_headers(request).items():
            response[header] = value
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            modified = self.last_modified()
            if modified is not None:
                response["Last-Modified"] = http_date(modified.timestamp())
        return response


def token_expiration(grant) -> str:
    """GitHub's format for when a token expires: `2026-12-31 00:00:00 UTC`."""
    return grant.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@api_view(["GET"])
def api_root(request):
    base = api_base(request)
    return Response(
        {
            "current_user_url": f"{base}/user",
            "current_user_authorizations_html_url": (
                request.build_absolute_uri("/") + "settings/connections/applications{/client_id}"
            ),
            "authorizations_url": f"{base}/authorizations",
            "code_search_url": f"{base}/search/code?q={{query}}{{&page,per_page,sort,order}}",
            "commit_search_url": f"{base}/search/commits?q={{query}}{{&page,per_page,sort,order}}",
            "emails_url": f"{base}/user/emails",
            "emojis_url": f"{base}/emojis",
            "events_url": f"{base}/events",
            "feeds_url": f"{base}/feeds",
            "followers_url": f"{base}/user/followers",
            "following_url": f"{base}/user/following{{/target}}",
            "gists_url": f"{base}/gists{{/gist_id}}",
            "hub_url": f"{base}/hub",
            "issue_search_url": f"{base}/search/issues?q={{query}}{{&page,per_page,sort,order}}",
            "issues_url": f"{base}/issues",
            "keys_url": f"{base}/user/keys",
            "label_search_url": (
                f"{base}/search/labels?q={{query}}&repository_id={{repository_id}}"
                "{&page,per_page}"
            ),
            "notifications_url": f"{base}/notifications",
            "organization_url": f"{base}/orgs/{{org}}",
            "organization_repositories_url": (
                f"{base}/orgs/{{org}}/repos{{?type,page,per_page,sort}}"
            ),
            "organization_teams_url": f"{base}/orgs/{{org}}/teams",
            "public_gists_url": f"{base}/gists/public",
            "rate_limit_url": f"{base}/rate_limit",
            "repository_url": f"{base}/repos/{{owner}}/{{repo}}",
            "repository_search_url": (
                f"{base}/search/repositories?q={{query}}{{&page,per_page,sort,order}}"
            ),
            "current_user_repositories_url": f"{base}/user/repos{{?type,page,per_page,sort}}",
            "starred_url": f"{base}/user/starred{{/owner}}{{/repo}}",
            "starred_gists_url": f"{base}/gists/starred",
            "topic_search_url": f"{base}/search/topics?q={{query}}{{&page,per_page}}",
            "user_url": f"{base}/users/{{user}}",
            "user_organizations_url": f"{base}/user/orgs",
            "user_repositories_url": f"{base}/users/{{user}}/repos{{?type,page,per_page,sort}}",
            "user_search_url": f"{base}/search/users?q={{query}}{{&page,per_page,sort,order}}",
        }
    )


ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@api_view(ALL_METHODS)
def api_not_found(request, *args, **kwargs):
    raise NotFound()


@api_view(ALL_METHODS)
def api_refusal(request, refusal):
    """Answer with `refusal` (an APIException) through the one exception handler, for requests
    that RequestLimits turns away before routing."""
    raise refusal
