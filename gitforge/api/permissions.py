"""The one place where token scopes meet repository permission levels.

`repo` grants whatever the user's repository permission allows. `repo:status` grants only reading
and creating commit statuses. Any token (or none) may read public repositories. A repository the
caller may not read answers 404, as if it did not exist.
"""

from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS

from gitforge.accounts.scopes import REPO, REPO_STATUS
from gitforge.api.exceptions import RequiresAuthentication
from gitforge.repositories import permissions
from gitforge.repositories.services import repository_permission

CONTENTS = "contents"
STATUSES = "statuses"


def scopes_allow(grant, kind):
    """Whether a token's scopes cover this kind of access (None: not a token, no limit)."""
    if grant is None:
        return True
    return REPO in grant.scopes or (kind == STATUSES and REPO_STATUS in grant.scopes)


def effective_permission(user, grant, repository, *, kind=CONTENTS):
    """A caller's permission level on `repository`, capped by its token's scopes (`grant`)."""
    level = repository_permission(user, repository)
    if level is None or scopes_allow(grant, kind):
        return level
    return None if repository.private else permissions.PULL


def authorize_repository(request, repository, *, need, kind=CONTENTS):
    """Raise unless the caller holds `need` on the repository; return the effective level."""
    level = effective_permission(request.user, request.auth, repository, kind=kind)
    if level is None:
        raise NotFound()
    writing = request.method not in SAFE_METHODS
    if permissions.at_least(level, need) and (not writing or scopes_allow(request.auth, kind)):
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
