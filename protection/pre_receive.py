"""Branch protection for a push over HTTP, asked by the push's pre-receive hook before git
updates any ref (see gitforge/repositories/push_hooks.py). A refusal changes no ref."""

from gitforge.repositories.git import GitRepository
from protection.gate import check_ref_update

ZERO = "0" * 40


def check_updates(*, repository, permission, updates, quarantine) -> list[str]:
    """The lines refusing each update that may not happen; empty when the push may go on.

    `updates` are git's (old, new, ref) lines; the pushed objects are still in `quarantine`.
    """
    git = GitRepository(repository.id, quarantine=quarantine)
    messages: list[str] = []
    for old_sha, new_sha, ref in updates:
        old = None if old_sha == ZERO else old_sha
        new = None if new_sha == ZERO else new_sha
        decision = check_ref_update(
            repository=repository,
            ref=ref,
            old_sha=old,
            new_sha=new,
            fast_forward=(
                old is None
                or new is None
                or not ref.startswith("refs/heads/")  # only branches can be force-pushed
                or git.is_fast_forward(old, new)
            ),
            permission=permission,
            git=git,
        )
        if not decision.allowed:
            messages.extend(decision.messages)
    return messages
