"""GitHub's repository permission levels, and the one table of what token scopes allow on them.

`repo` grants whatever the user's repository permission allows. `repo:status` grants only reading
and creating commit statuses; the `*:repo_hook` scopes reach webhooks (deleting one needs
`admin:repo_hook` or `repo`). Any token (or none) may read public repositories. The REST API's
permission classes and the git transport both apply this table.
"""

from gitforge.accounts.scopes import (
    ADMIN_REPO_HOOK,
    READ_REPO_HOOK,
    REPO,
    REPO_STATUS,
    WRITE_REPO_HOOK,
)

PULL = "pull"
TRIAGE = "triage"
PUSH = "push"
MAINTAIN = "maintain"
ADMIN = "admin"

LEVELS = (PULL, TRIAGE, PUSH, MAINTAIN, ADMIN)
CHOICES = [(level, level) for level in LEVELS]

# What a route touches, and the token scopes that reach it.
CONTENTS = "contents"
STATUSES = "statuses"
HOOKS_READ = "hooks:read"
HOOKS_WRITE = "hooks:write"
HOOKS_ADMIN = "hooks:admin"
ACCEPTED_SCOPES = {
    CONTENTS: (REPO,),
    STATUSES: (REPO, REPO_STATUS),
    HOOKS_READ: (ADMIN_REPO_HOOK, READ_REPO_HOOK, REPO, WRITE_REPO_HOOK),
    HOOKS_WRITE: (ADMIN_REPO_HOOK, REPO, WRITE_REPO_HOOK),
    HOOKS_ADMIN: (ADMIN_REPO_HOOK, REPO),
}


def rank(level: str | None) -> int:
    """Position of a level (None means no access and ranks below everything)."""
    return LEVELS.index(level) + 1 if level else 0


def at_least(level: str | None, required: str) -> bool:
    return rank(level) >= rank(required)


def as_flags(level: str | None) -> dict[str, bool]:
    """The `permissions` object of GitHub's repository representation."""
    return {name: at_least(level, name) for name in (ADMIN, MAINTAIN, PUSH, TRIAGE, PULL)}


def scopes_allow(scopes: tuple[str, ...] | None, kind: str) -> bool:
    """Whether a token's scopes reach this kind of access (None: no token, no limit)."""
    return scopes is None or any(scope in scopes for scope in ACCEPTED_SCOPES[kind])


def cap_by_scopes(
    level: str | None, scopes: tuple[str, ...] | None, *, private: bool, kind: str
) -> str | None:
    """A user's level as seen through a token: without the scope, only what anyone may do."""
    if level is None or scopes_allow(scopes, kind):
        return level
    return None if private else PULL
