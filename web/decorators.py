from functools import wraps

from django.http import Http404

from gitforge.repositories import permissions
from gitforge.repositories.selectors import find_repository, repository_permission


def repository_page(need=permissions.PULL):
    """Resolve `owner`/`repo` for a page view and check the signed-in user's permission.

    A repository the user may not read is a 404, as if it did not exist. The view receives
    `repository` and `permission` instead of `owner` and `repo`.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, owner, repo, *args, **kwargs):
            repository = find_repository(owner, repo)
            if repository is None:
                raise Http404("No such repository")
            permission = repository_permission(request.user, repository)
            if not permissions.at_least(permission, permissions.PULL):
                raise Http404("No such repository")
            if not permissions.at_least(permission, need):
                raise Http404("No such repository")
            return view(request, repository, permission, *args, **kwargs)

        return wrapper

    return decorator
