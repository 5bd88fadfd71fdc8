"""After a push over HTTP: record it, move open pull requests' heads and queue the push's
webhook events (called by the server once git has finished; see
gitforge/repositories/push_hooks.py)."""

from pulls.services import record_push


def record_updates(*, repository, pusher, updates) -> None:
    """Record the branch and tag updates among git's (old, new, ref) lines."""
    record_push(
        repository=repository,
        pusher=pusher,
        updates=[
            update for update in updates if update[2].startswith(("refs/heads/", "refs/tags/"))
        ],
    )
