from django.db.models import Count, Q
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.accounts.models import User
from gitforge.accounts.scopes import READ_USER
from gitforge.api.exceptions import RequiresAuthentication
from gitforge.api.representations import private_user_json, public_user_json
from gitforge.api.views import GitHubAPIView


def _with_repository_counts(users):
    return users.annotate(
        public_repos=Count("repositories", filter=Q(repositories__private=False)),
        private_repos=Count("repositories", filter=Q(repositories__private=True)),
    )


class AuthenticatedUserView(GitHubAPIView):
    """GET /user: the private profile for tokens with `read:user`, else the public one."""

    accepted_scopes = (READ_USER,)
    documentation_url = "https://docs.github.com/rest/users/users#get-the-authenticated-user"

    def get(self, request):
        if not request.user.is_authenticated:
            raise RequiresAuthentication()
        user = _with_repository_counts(User.objects.filter(pk=request.user.pk)).get()
        if request.auth is not None and READ_USER not in request.auth.scopes:
            return Response(public_user_json(user, request, public_repos=user.public_repos))
        return Response(
            private_user_json(
                user, request, public_repos=user.public_repos, private_repos=user.private_repos
            )
        )


class UserView(GitHubAPIView):
    """GET /users/{username}"""

    documentation_url = "https://docs.github.com/rest/users/users#get-a-user"

    def get(self, request, username):
        user = _with_repository_counts(User.objects.filter(username__iexact=username)).first()
        if user is None or not user.is_active:
            raise NotFound()
        return Response(public_user_json(user, request, public_repos=user.public_repos))
