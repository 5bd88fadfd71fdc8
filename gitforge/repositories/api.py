"""REST routes for repositories, commits and collaborators."""

from django.http import StreamingHttpResponse
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.accounts.scopes import REPO
from gitforge.accounts.selectors import find_active_user, users_by_email
from gitforge.api.inputs import Field, read_body
from gitforge.api.pagination import GitHubPagination
from gitforge.api.permissions import TokenHasScope
from gitforge.api.views import GitHubAPIView
from gitforge.errors import Conflict, InvalidInput
from gitforge.repositories import permissions
from gitforge.repositories.archives import archive_name, stream_archive
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.git import GitRepository
from gitforge.repositories.representations import commit_json, invitation_json, repository_json
from gitforge.repositories.services import create_repository, set_collaborator

DOCS = "https://docs.github.com/rest/"
MAX_LISTED_COMMITS = 50_000  # pages reach this far back; older commits by SHA


class CreateRepositoryView(GitHubAPIView):
    """POST /user/repos"""

    permission_classes = [TokenHasScope]
    required_scopes = (REPO,)
    documentation_url = DOCS + "repos/repos#create-a-repository-for-the-authenticated-user"

    def post(self, request):
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

    def last_modified(self):
        return self.repository.updated_at  # also moved by pushes, with pushed_at


class CommitListView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/commits: the history of `sha` (a branch, tag or SHA; the
    default branch when absent), newest first, paginated."""

    documentation_url = DOCS + "commits/commits#list-commits"

    def get(self, request, owner, repo):
        git = GitRepository(self.repository.id)
        if git.is_empty:
            raise Conflict("Git Repository is empty.")
        head = git.resolve_ref(request.query_params.get("sha") or self.repository.default_branch)
        if head is None:
            raise NotFound()
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(git.history(head, MAX_LISTED_COMMITS), request)
        commits = [git.commit(sha) for sha in page]
        users = users_by_email(
            email for commit in commits for email in (commit.author.email, commit.committer.email)
        )
        return paginator.get_paginated_response(
            [commit_json(commit, self.repository, request, users=users) for commit in commits]
        )


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


class ArchiveView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/zipball/{ref} and .../tarball/{ref} (the default branch when
    `ref` is absent): the tree as an archive. GitHub redirects to its download host; gitforge
    serves the file itself."""

    documentation_url = DOCS + "repos/contents#download-a-repository-archive-zip"
    kind = "zipball"

    def get(self, request, owner, repo, ref=None):
        git = GitRepository(self.repository.id)
        ref = (ref or self.repository.default_branch).removeprefix("refs/")  # refs/tags/v1 too
        sha = None if git.is_empty else git.resolve_ref(ref)
        if sha is None:
            raise NotFound()
        response = StreamingHttpResponse(
            stream_archive(self.repository, sha, self.kind),
            content_type="application/zip" if self.kind == "zipball" else "application/x-gzip",
        )
        name = archive_name(self.repository, sha, self.kind)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class TarballView(ArchiveView):
    documentation_url = DOCS + "repos/contents#download-a-repository-archive-tar"
    kind = "tarball"


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
        user = find_active_user(username)
        if user is None:
            raise NotFound()
        collaborator, created = set_collaborator(
            repository=self.repository, user=user, permission=body["permission"]
        )
        if not created:
            return Response(status=204)
        return Response(invitation_json(collaborator, request), status=201)
