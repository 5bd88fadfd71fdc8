"""Authorization of REST routes under /repos/{owner}/{repo}, declared once per view.

A view states the level each method needs (`required_permission`, default pull) and what it
touches (`access_kind`: contents, or statuses that `repo:status` tokens also reach);
RepositoryPermission finds the repository and applies the permission/scope table. A repository
the caller may not read answers 404, as if it did not exist.
"""

from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS

from gitforge.api.exceptions import RequiresAuthentication
from gitforge.api.permissions import ScopedPermission, scope_refusal
from gitforge.api.views import GitHubAPIView
from gitforge.repositories import permissions
from gitforge.repositories.models import Repository
from gitforge.repositories.selectors import find_repository_with_permission


def authorize_repository(request, repository, *, level, need, kind):
    """Raise unless the caller, whose own level on the repository is `level`, holds `need`
    through its token; return the effective level."""
    grant = request.auth
    scopes = grant.scopes if grant is not None else None
    effective = permissions.cap_by_scopes(level, scopes, private=repository.private, kind=kind)
    if effective is None:
        raise NotFound()
    writing = request.method not in SAFE_METHODS
    if writing and not request.user.is_authenticated:
        raise RequiresAuthentication()
    if permissions.at_least(effective, need) and (
        not writing or permissions.scopes_allow(scopes, kind)
    ):
        return effective
    if not request.user.is_authenticated:
        raise RequiresAuthentication()
    if permissions.at_least(level, need):
        raise scope_refusal(permissions.ACCEPTED_SCOPES[kind])
    if need == permissions.ADMIN:
        raise PermissionDenied("Must have admin rights to Repository.")
    raise PermissionDenied(f"Must have {need} access to repository")


class RepositoryPermission(ScopedPermission):
    """The caller's level on the route's repository must reach what the view requires."""

    def accepted_scopes(self, view) -> tuple[str, ...]:
        return permissions.ACCEPTED_SCOPES[view.access_kind]

    def has_permission(self, request, view) -> bool:
        repository, level = find_repository_with_permission(
            view.kwargs["owner"], view.kwargs["repo"], request.user
        )
        if repository is None:
            raise NotFound()
        need = view.required_permission.get(request.method, permissions.PULL)
        view.permission = authorize_repository(
            request, repository, need=need, kind=view.access_kind, level=level
        )
        view.repository = repository
        return True


class RepositoryAPIView(GitHubAPIView):
    """A route under /repos/{owner}/{repo}; views read `self.repository` and `self.permission`
    (the caller's level, capped by its token's scopes)."""

    permission_classes = [RepositoryPermission]
    required_permission: dict[str, str] = {}
    access_kind = permissions.CONTENTS
    repository: Repository
    permission: str
