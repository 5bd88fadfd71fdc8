"""GET /users/{username}/repos: a user's repositories the caller may see."""

from rest_framework.exceptions import NotFound

from gitforge.accounts.selectors import find_active_user
from gitforge.api.pagination import GitHubPagination
from gitforge.api.views import GitHubAPIView
from gitforge.repositories import permissions
from gitforge.repositories.listings import repositories_visible_to, sorted_repositories
from gitforge.repositories.representations import minimal_repository_json


class UserRepositoryListView(GitHubAPIView):
    """The public repositories of the user, and the private ones the caller may read when its
    token reaches private repositories; sorted by `sort`/`direction` as on GitHub."""

    documentation_url = "https://docs.github.com/rest/repos/repos#list-repositories-for-a-user"

    def get(self, request, username):
        user = find_active_user(username)
        if user is None:
            raise NotFound()
        scopes = request.auth.scopes if request.auth is not None else None
        repositories = sorted_repositories(
            repositories_visible_to(
                request.user,
                owner=user,
                private=permissions.scopes_allow(scopes, permissions.CONTENTS),
            ),
            sort=request.query_params.get("sort", "full_name"),
            direction=request.query_params.get("direction"),
        )
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(repositories, request)
        return paginator.get_paginated_response(
            [minimal_repository_json(repository, request) for repository in page]
        )
