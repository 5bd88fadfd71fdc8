"""Reading repositories: lookup by name and the caller's permission level."""

from functools import cache

from django.db.models.functions import Lower

from gitforge.accounts.models import User
from gitforge.accounts.tokens import TokenGrant
from gitforge.repositories import permissions
from gitforge.repositories.models import Collaborator, Repository
from gitforge.rows import Selected, fetch_row


def find_repository(owner_name: str, repository_name: str) -> Repository | None:
    """The repository named owner/name, case-insensitively, or None."""
    return (
        Repository.objects.select_related("owner")
        .alias(owner_key=Lower("owner__username"), name_key=Lower("name"))
        .filter(owner_key=owner_name.lower(), name_key=repository_name.lower())
        .first()
    )


REPOSITORY_COLUMNS = Selected(Repository, "r")
OWNER_COLUMNS = Selected(User, "o")


@cache
def repository_with_level_sql() -> str:
    return f"""
        SELECT {REPOSITORY_COLUMNS.columns}, {OWNER_COLUMNS.columns},
            (SELECT c.permission FROM {Collaborator._meta.db_table} c
             WHERE c.repository_id = r.id AND c.user_id = %s)
        FROM {Repository._meta.db_table} r
        JOIN {User._meta.db_table} o ON o.id = r.owner_id
        WHERE LOWER(o.username) = %s AND LOWER(r.name) = %s
    """


def find_repository_with_permission(
    owner_name: str, repository_name: str, user
) -> tuple[Repository | None, str | None]:
    """The repository named owner/name (as find_repository) and the user's permission level on
    it (as repository_permission), in one query written by hand: every API request under
    /repos makes it, and the ORM would spend longer building it than the database running it."""
    caller_id = user.pk if user is not None and user.is_authenticated else None
    row, using = fetch_row(
        Repository,
        repository_with_level_sql(),
        [caller_id, owner_name.lower(), repository_name.lower()],
    )
    if row is None:
        return None, None
    repository = REPOSITORY_COLUMNS.instance(row, 0, using)
    repository.owner = OWNER_COLUMNS.instance(row, REPOSITORY_COLUMNS.width, using)
    return repository, permission_level(user, repository, row[-1])


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
