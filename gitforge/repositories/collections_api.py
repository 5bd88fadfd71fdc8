"""REST routes listing what a repository holds: tags, collaborators, assignees, contributors
and languages."""

from rest_framework.response import Response

from gitforge.accounts.representations import user_json
from gitforge.accounts.selectors import users_by_email
from gitforge.api.pagination import GitHubPagination
from gitforge.repositories import git_data, permissions
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.git import GitRepository
from gitforge.repositories.git_representations import (
    collaborator_json,
    contributor_json,
    tag_json,
)
from gitforge.repositories.languages import language_bytes
from gitforge.repositories.models import Collaborator

DOCS = "https://docs.github.com/rest/"
# Contributors are counted over this much of the default branch's history.
MAX_COUNTED_COMMITS = 50_000


def paginated(request, items, represent):
    paginator = GitHubPagination()
    page = paginator.paginate_queryset(items, request)
    return paginator.get_paginated_response([represent(item) for item in page])


def members(repository, levels=permissions.LEVELS):
    """(user, level) of the owner and of each collaborator at one of `levels`, owner first,
    then by username; one query."""
    collaborators = (
        Collaborator.objects.filter(repository=repository, permission__in=levels)
        .select_related("user")
        .order_by("user__username")
    )
    return [(repository.owner, permissions.ADMIN)] + [
        (collaborator.user, collaborator.permission) for collaborator in collaborators
    ]


class TagListView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/tags"""

    documentation_url = DOCS + "repos/repos#list-repository-tags"

    def get(self, request, owner, repo):
        tags = git_data.tags(GitRepository(self.repository.id))
        return paginated(request, tags, lambda tag: tag_json(tag, self.repository, request))


class CollaboratorListView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/collaborators: only those who may push may list them."""

    documentation_url = DOCS + "collaborators/collaborators#list-repository-collaborators"
    required_permission = {"GET": permissions.PUSH}

    def get(self, request, owner, repo):
        return paginated(
            request,
            members(self.repository),
            lambda member: collaborator_json(member[0], member[1], request),
        )


class AssigneeListView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/assignees: the users who may push, whom GitHub lets assign."""

    documentation_url = DOCS + "issues/assignees#list-assignees"

    def get(self, request, owner, repo):
        pushers = members(
            self.repository, (permissions.PUSH, permissions.MAINTAIN, permissions.ADMIN)
        )
        return paginated(request, pushers, lambda member: user_json(member[0], request))


class ContributorListView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/contributors: the default branch's authors, most commits
    first, linked to accounts by email; authors without one only with `anon` (204 when the
    repository has no history)."""

    documentation_url = DOCS + "repos/repos#list-repository-contributors"

    def get(self, request, owner, repo):
        git = GitRepository(self.repository.id)
        head = git.branch_sha(self.repository.default_branch)
        if head is None:
            return Response(status=204)
        authors = git_data.authors(git, head, MAX_COUNTED_COMMITS)
        users = users_by_email(author.email for author in authors)
        anonymous = request.query_params.get("anon", "").lower() in ("1", "true")
        listed = [
            (author, users.get(author.email.lower()))
            for author in authors
            if anonymous or author.email.lower() in users
        ]
        return paginated(request, listed, lambda pair: contributor_json(pair[0], pair[1], request))


class LanguagesView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/languages: bytes of code per language on the default branch."""

    documentation_url = DOCS + "repos/repos#list-repository-languages"

    def get(self, request, owner, repo):
        git = GitRepository(self.repository.id)
        head = git.branch_sha(self.repository.default_branch)
        files = git_data.file_sizes(git, head) if head else []
        return Response(language_bytes(files))
