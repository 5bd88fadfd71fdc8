"""Reading repositories: lookup by name and the caller's permission level."""

from django.db.models.functions import Lower

from gitforge.accounts.tokens import TokenGrant
from gitforge.repositories import permissions
from gitforge.repositories.models import Collaborator, Repository


def find_repository(owner_name: str, repository_name: str) -> Repository | None:
    """The repository named owner/name, case-insensitively, or None."""
    return (
        Repository.objects.select_related("owner")
        .alias(owner_key=Lower("owner__username"), name_key=Lower("name"))
        .filter(owner_key=owner_name.lower(), name_key=repository_name.lower())
        .first()
    )


def repository_permission(user, repository: Repository) -> str | None:
    """The user's permission level on the repository (None means no access)."""
    if user is not None and user.is_authenticated:
        if user.pk == repository.owner_id or user.is_superuser:
            return permissions.ADMIN
        level = (
            Collaborator.objects.filter(repository=repository, user=user)
            .values_list("permission", flat=True)
            .first()
        )
        if level:
            return level
    return None if repository.private else permissions.PULL


def effective_permission(
    user, grant: TokenGrant | None, repository: Repository, *, kind=permissions.CONTENTS
) -> str | None:
    """A caller's permission level on `repository`, capped by its token's scopes (`grant`)."""
    return permissions.cap_by_scopes(
        repository_permission(user, repository),
        grant.scopes if grant is not None else None,
        private=repository.private,
        kind=kind,
    )


def owned_repositories(user):
    """The repositories `user` owns, for their home page."""
    return Repository.objects.select_related("owner").filter(owner=user)
