"""GitHub's repository permission levels, ordered from least to most."""

PULL = "pull"
TRIAGE = "triage"
PUSH = "push"
MAINTAIN = "maintain"
ADMIN = "admin"

LEVELS = (PULL, TRIAGE, PUSH, MAINTAIN, ADMIN)
CHOICES = [(level, level) for level in LEVELS]


def rank(level):
    """Position of a level (None means no access and ranks below everything)."""
    return LEVELS.index(level) + 1 if level else 0


def at_least(level, required):
    return rank(level) >= rank(required)


def as_flags(level):
    """The `permissions` object of GitHub's repository representation."""
    return {name: at_least(level, name) for name in (ADMIN, MAINTAIN, PUSH, TRIAGE, PULL)}
