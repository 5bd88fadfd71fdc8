from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.accounts.models import User
from gitforge.accounts.representations import private_user_json, public_user_json
from gitforge.accounts.scopes import READ_USER
from gitforge.accounts.selectors import repository_counts, with_repository_counts
from gitforge.api.permissions import SignedIn, token_allows
from gitforge.api.views import GitHubAPIView


class AuthenticatedUserView(GitHubAPIView):
    """GET /user: the private profile for tokens with `read:user`, else the public one. Any
    token may call it, so GitHub's X-Accepted-OAuth-Scopes here is empty."""

    permission_classes = [SignedIn]
    private_profile_scopes = (READ_USER,)
    documentation_url = "https://docs.github.com/rest/users/users#get-the-authenticated-user"

    def get(self, request):
        user = request.user
        public_repos, private_repos = repository_counts(user)
        if not token_allows(request.auth, self.private_profile_scopes):
            return Response(public_user_json(user, request, public_repos=public_repos))
        return Response(
            private_user_json(user, request, public_repos=public_repos, private_repos=private_repos)
        )


class UserView(GitHubAPIView):
    """GET /users/{username}"""

    documentation_url = "https://docs.github.com/rest/users/users#get-a-user"

    def get(self, request, username):
        users = User.objects.filter(username__iexact=username, is_active=True)
        user = with_repository_counts(users).first()
        if user is None:
            raise NotFound()
        return Response(public_user_json(user, request, public_repos=user.public_repos))
