"""Base API views: GitHub headers on every response, and repository lookup with authorization."""

from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from gitforge.accounts.scopes import REPO
from gitforge.api.permissions import CONTENTS, authorize_repository
from gitforge.api.ratelimit import check_api_rate_limit, rate_limit_headers
from gitforge.api.representations import api_base
from gitforge.repositories import permissions
from gitforge.repositories.services import find_repository


class GitHubAPIView(APIView):
    """Counts each call against the caller's rate limit and adds GitHub's headers to responses:
    X-OAuth-Scopes (token callers), X-Accepted-OAuth-Scopes and X-RateLimit-*."""

    accepted_scopes = ()
    documentation_url = None

    def check_throttles(self, request):
        check_api_rate_limit(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        grant = getattr(request, "_auth", None)
        if grant is not None:
            response["X-OAuth-Scopes"] = ", ".join(grant.scopes)
        response["X-Accepted-OAuth-Scopes"] = ", ".join(self.accepted_scopes)
        response["X-GitHub-Media-Type"] = "github.v3; format=json"
        for header, value in rate_limit_headers(request).items():
            response[header] = value
        return response


class RepositoryAPIView(GitHubAPIView):
    """A route under /repos/{owner}/{repo}: finds the repository and authorizes the caller.

    `required_permission` maps HTTP methods to the level needed (default: pull); `access_kind`
    says whether `repo:status` tokens qualify. Views read `self.repository` and `self.permission`.
    """

    accepted_scopes = (REPO,)
    required_permission = {}
    access_kind = CONTENTS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        repository = find_repository(kwargs["owner"], kwargs["repo"])
        if repository is None:
            raise NotFound()
        need = self.required_permission.get(request.method, permissions.PULL)
        self.permission = authorize_repository(
            request, repository, need=need, kind=self.access_kind
        )
        self.repository = repository


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


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def api_not_found(request, *args, **kwargs):
    raise NotFound()
