"""Reading accounts: users by name or by commit email, with their repository counts."""

from typing import TYPE_CHECKING, TypedDict

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from gitforge.accounts.models import User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class RepositoryCounts(TypedDict):
        public_repos: int
        private_repos: int

    UserWithCounts = WithAnnotations[User, RepositoryCounts]


def find_active_user(username: str) -> User | None:
    """The active user named `username`, case-insensitively, or None."""
    return User.objects.filter(username__iexact=username, is_active=True).first()


def with_repository_counts(users: QuerySet[User]) -> "QuerySet[UserWithCounts]":
    """Annotate `public_repos` and `private_repos` (for the user representations)."""
    return users.annotate(
        public_repos=Count("repositories", filter=Q(repositories__private=False)),
        private_repos=Count("repositories", filter=Q(repositories__private=True)),
    )


def repository_counts(user: User) -> tuple[int, int]:
    """How many public and how many private repositories `user` owns, in one query written by
    hand (GET /user makes it on every call)."""
    table = user.repositories.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(CASE WHEN NOT private THEN 1 END), COUNT(CASE WHEN private THEN 1 END)"
            f" FROM {table} WHERE owner_id = %s",
            [user.pk],
        )
        public, private = cursor.fetchone()
    return public, private


def users_by_email(emails) -> dict[str, User]:
    """{lower-cased email: active user} for the given addresses, in one query."""
    wanted = {email.lower() for email in emails if email}
    if not wanted:
        return {}
    users = User.objects.alias(email_key=Lower("email")).filter(
        email_key__in=wanted, is_active=True
    )
    return {user.email.lower(): user for user in users}
