"""Repository rules: creation with its git storage, collaborators, commits made by gitforge."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from gitforge.errors import InvalidInput, field_error
from gitforge.repositories import permissions
from gitforge.repositories.git import GitRepository, create_bare
from gitforge.repositories.models import Collaborator, Repository
from gitforge.repositories.selectors import find_repository
from gitforge.repositories.storage import delete_bare

NAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
README_TEMPLATE = "# {name}\n\n{description}\n"


def create_repository(*, owner, name, description="", private=False, auto_init=False):
    """Create the row and its bare git repository together; neither exists without the other."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name) or name in (".", ".."):
        raise _name_error("name is invalid")
    if name.lower().endswith(".git"):
        raise _name_error("name may not end with .git")
    if find_repository(owner.username, name) is not None:
        raise _name_error("name already exists on this account")
    with transaction.atomic():
        try:
            with transaction.atomic():
                repository = Repository.objects.create(
                    owner=owner,
                    name=name,
                    description=description or "",
                    private=private,
                    pushed_at=timezone.now(),
                )
        except IntegrityError as error:
            raise _name_error("name already exists on this account") from error
        try:
            create_bare(repository.id, repository.default_branch)
            if auto_init:
                readme = README_TEMPLATE.format(name=name, description=description or "")
                commit_files(
                    repository=repository,
                    branch=repository.default_branch,
                    files={"README.md": readme.encode()},
                    message="Initial commit",
                    author=owner,
                )
        except BaseException:
            delete_bare(repository.id)
            raise
    return repository


def delete_git_data(*, repository_id):
    """Remove a deleted repository's git data, unless a repository holds its id again."""
    with transaction.atomic():
        if not Repository.objects.filter(pk=repository_id).exists():
            delete_bare(repository_id)


def _name_error(message):
    return InvalidInput(
        "Repository creation failed.", [field_error("Repository", "name", "custom", message)]
    )


def validate_collaborator(*, repository, user, permission):
    """Raise InvalidInput unless `user` may be given `permission` on `repository`."""
    if permission not in permissions.LEVELS:
        raise InvalidInput(
            "Validation Failed",
            [field_error("Collaborator", "permission", "invalid", f"{permission!r} is invalid")],
        )
    if user.pk == repository.owner_id:
        raise InvalidInput(
            "Validation Failed",
            [
                field_error(
                    "Collaborator",
                    "username",
                    "custom",
                    "Repository owner cannot be a collaborator",
                )
            ],
        )


def set_collaborator(*, repository, user, permission=permissions.PUSH):
    """Grant `user` a permission level; returns (collaborator, created)."""
    validate_collaborator(repository=repository, user=user, permission=permission)
    with transaction.atomic():
        return Collaborator.objects.update_or_create(
            repository=repository, user=user, defaults={"permission": permission}
        )


def remove_collaborator(*, repository, user_id):
    Collaborator.objects.filter(repository=repository, user_id=user_id).delete()


def git_identity(user):
    """The (name, email) that commits made on a user's behalf carry."""
    return (user.get_full_name() or user.username, user.email or f"{user.username}@users.noreply")


def commit_files(*, repository, branch, files, message, author):
    """Write a commit with `files` ({path: bytes or None}) on `branch`; return its SHA."""
    name, email = git_identity(author)
    sha = GitRepository(repository.id).write_commit(
        branch=branch, files=files, message=message, author_name=name, author_email=email
    )
    mark_pushed(repository=repository)
    return sha


def create_branch(*, repository, branch, from_ref):
    """Create `branch` at the commit `from_ref` resolves to; Conflict if it already exists."""
    git = GitRepository(repository.id)
    sha = git.resolve_ref(from_ref)
    if sha is None:
        raise InvalidInput(
            "Validation Failed", [field_error("Branch", "from_ref", "invalid", "unknown ref")]
        )
    git.move_branch(branch, sha, expected_sha=None)
    mark_pushed(repository=repository)
    return sha


def mark_pushed(*, repository):
    now = timezone.now()
    Repository.objects.filter(pk=repository.pk).update(pushed_at=now, updated_at=now)
    repository.pushed_at = repository.updated_at = now
