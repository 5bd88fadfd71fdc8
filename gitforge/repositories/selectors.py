"""Reading repositories: lookup by name and the caller's permission level."""

from django.db.models import OuterRef, Subquery
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


def find_repository_with_permission(
    owner_name: str, repository_name: str, user
) -> tuple[Repository | None, str | None]:
    """The repository named owner/name (as find_repository) and the user's permission level on
    it (as repository_permission), read in one query."""
    repositories = (
        Repository.objects.select_related("owner")
        .alias(owner_key=Lower("owner__username"), name_key=Lower("name"))
        .filter(owner_key=owner_name.lower(), name_key=repository_name.lower())
    )
    if user is None or not user.is_authenticated:
        repository = repositories.first()
        collaborator_level = None
    else:
        levels = Collaborator.objects.filter(repository=OuterRef("pk"), user=user.pk)
        repository = repositories.annotate(
            collaborator_level=Subquery(levels.values("permission")[:1])
        ).first()
        collaborator_level = getattr(repository, "collaborator_level", None)
    if repository is None:
        return None, None
    return repository, permission_level(user, repository, collaborator_level)


def repository_permission(user, repository: Repository) -> str | None:
    """The user's permission level on the repository (None means no access)."""
    level = None
    if (
        user is not None
        and user.is_authenticated
        and not (user.pk == repository.owner_id or user.is_superuser)
    ):
        level = (
            Collaborator.objects.filter(repository=repository, user=user)
            .values_list("permission", flat=True)
            .first()
        )
    return permission_level(user, repository, level)


def permission_level(user, repository: Repository, collaborator_level: str | None) -> str | None:
    """The level of a user who collaborates on the repository at `collaborator_level` (None:
    not a collaborator): the owner and superusers administer it, anyone may pull a public one."""
    if user is not None and user.is_authenticated:
        if user.pk == repository.owner_id or user.is_superuser:
            return permissions.ADMIN
        if collaborator_level:
            return collaborator_level
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
