from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from gitforge.accounts.models import User
from gitforge.accounts.scopes import REPO
from gitforge.accounts.services import users_by_email
from gitforge.api.exceptions import RequiresAuthentication
from gitforge.api.inputs import Field, read_body
from gitforge.api.representations import (
    api_base,
    commit_json,
    minimal_repository_json,
    node_id,
    repository_json,
    timestamp,
    user_json,
)
from gitforge.api.views import GitHubAPIView, RepositoryAPIView
from gitforge.errors import Conflict, InvalidInput
from gitforge.repositories import permissions
from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import create_repository, set_collaborator

DOCS = "https://docs.github.com/rest/"
INVITATION_PERMISSIONS = {
    permissions.PULL: "read",
    permissions.TRIAGE: "triage",
    permissions.PUSH: "write",
    permissions.MAINTAIN: "maintain",
    permissions.ADMIN: "admin",
}


class CreateRepositoryView(GitHubAPIView):
    """POST /user/repos"""

    accepted_scopes = (REPO,)
    documentation_url = DOCS + "repos/repos#create-a-repository-for-the-authenticated-user"

    def post(self, request):
        if not request.user.is_authenticated:
            raise RequiresAuthentication()
        if request.auth is not None and REPO not in request.auth.scopes:
            raise PermissionDenied(
                "Resource not accessible by this token: it needs the 'repo' scope"
            )
        body = read_body(
            request,
            "Repository",
            {
                "name": Field((str,), required=True),
                "description": Field((str,), default="", nullable=True),
                "private": Field((bool,), default=False),
                "auto_init": Field((bool,), default=False),
            },
        )
        repository = create_repository(owner=request.user, **body)
        return Response(
            repository_json(repository, request, permission=permissions.ADMIN), status=201
        )


class RepositoryView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}"""

    documentation_url = DOCS + "repos/repos#get-a-repository"

    def get(self, request, owner, repo):
        permission = self.permission if request.user.is_authenticated else None
        return Response(repository_json(self.repository, request, permission=permission))


class CommitView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/commits/{ref}"""

    documentation_url = DOCS + "commits/commits#get-a-commit"

    def get(self, request, owner, repo, ref):
        git = GitRepository(self.repository.id)
        if git.is_empty:
            raise Conflict("Git Repository is empty.")
        sha = git.resolve_ref(ref)
        if sha is None:
            raise InvalidInput(f"No commit found for SHA: {ref}")
        commit = git.commit(sha)
        users = users_by_email([commit.author.email, commit.committer.email])
        return Response(
            commit_json(commit, self.repository, request, files=git.changes(sha), users=users)
        )


class CollaboratorView(RepositoryAPIView):
    """PUT /repos/{owner}/{repo}/collaborators/{username}"""

    documentation_url = DOCS + "collaborators/collaborators#add-a-repository-collaborator"
    required_permission = {"PUT": permissions.ADMIN}

    def put(self, request, owner, repo, username):
        body = read_body(
            request,
            "Collaborator",
            {"permission": Field((str,), default=permissions.PUSH, choices=permissions.LEVELS)},
        )
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise NotFound()
        collaborator, created = set_collaborator(
            repository=self.repository, user=user, permission=body["permission"]
        )
        if not created:
            return Response(status=204)
        return Response(invitation_json(collaborator, request), status=201)


def invitation_json(collaborator, request):
    """A `repository-invitation`, already accepted: gitforge adds collaborators directly."""
    repository = collaborator.repository
    return {
        "id": collaborator.id,
        "node_id": node_id("RepositoryInvitation", collaborator.id),
        "repository": minimal_repository_json(repository, request),
        "invitee": user_json(collaborator.user, request),
        "inviter": user_json(repository.owner, request),
        "permissions": INVITATION_PERMISSIONS[collaborator.permission],
        "created_at": timestamp(collaborator.created_at),
        "expired": False,
        "url": f"{api_base(request)}/user/repository_invitations/{collaborator.id}",
        "html_url": request.build_absolute_uri(f"/{repository.full_name}/invitations"),
    }
