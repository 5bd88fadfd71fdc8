"""The one place where token scopes meet repository permission levels.

`repo` grants whatever the user's repository permission allows. `repo:status` grants only reading
and creating commit statuses. Any token (or none) may read public repositories. A repository the
caller may not read answers 404, as if it did not exist.
"""

from rest_framework.exceptions import NotFound, PermissionDenied

from gitforge.accounts.scopes import REPO, REPO_STATUS
from gitforge.api.exceptions import RequiresAuthentication
from gitforge.repositories import permissions
from gitforge.repositories.services import repository_permission

CONTENTS = "contents"
STATUSES = "statuses"


def effective_permission(request, repository, *, kind=CONTENTS):
    """The caller's permission level on `repository`, capped by the token's scopes."""
    level = repository_permission(request.user, repository)
    grant = request.auth
    if grant is None or level is None:
        return level
    if REPO in grant.scopes or (kind == STATUSES and REPO_STATUS in grant.scopes):
        return level
    return None if repository.private else permissions.PULL


def authorize_repository(request, repository, *, need, kind=CONTENTS):
    """Raise unless the caller holds `need` on the repository; return the effective level."""
    level = effective_permission(request, repository, kind=kind)
    if level is None:
        raise NotFound()
    if permissions.at_least(level, need):
        return level
    if not request.user.is_authenticated:
        raise RequiresAuthentication()
    if permissions.at_least(repository_permission(request.user, repository), need):
        accepted = f"'{REPO}' or '{REPO_STATUS}'" if kind == STATUSES else f"'{REPO}'"
        raise PermissionDenied(
            f"Resource not accessible by this token: it needs the {accepted} scope"
        )
    if need == permissions.ADMIN:
        raise PermissionDenied("Must have admin rights to Repository.")
    raise PermissionDenied(f"Must have {need} access to repository")
