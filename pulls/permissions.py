"""Who may do what to a pull request: the one rule that the API, the pages and the templates use."""

from dataclasses import dataclass

from gitforge.repositories import permissions
from pulls.models import PullRequest

PUSH_ACCESS_REQUIRED = "Must have push access to repository"


@dataclass(frozen=True)
class PullAbilities:
    edit: bool  # edit the title, body or base, close, reopen
    merge: bool


def pull_abilities(*, pull: PullRequest, user, permission: str | None) -> PullAbilities:
    """The author and anyone with push access may edit, close and reopen; push access merges."""
    may_push = permissions.at_least(permission, permissions.PUSH)
    is_author = user is not None and user.is_authenticated and pull.author_id == user.pk
    return PullAbilities(edit=may_push or is_author, merge=may_push)
