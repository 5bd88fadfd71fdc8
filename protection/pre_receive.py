"""The pre-receive hook: git runs it (through git_hooks/pre-receive) before a push over HTTP
updates any ref, with the pusher's identity in the environment. A refusal changes no ref."""

import os
import subprocess
import sys

ZERO = "0" * 40


def is_fast_forward(old_sha, new_sha):
    """Ask git (which sees the pushed objects still in quarantine) whether old is in new."""
    result = subprocess.run(
        ["git", "merge-base", "--is-ancestor", old_sha, new_sha], capture_output=True
    )
    return result.returncode == 0


def main():
    import django

    django.setup()
    from gitforge.repositories.models import Repository
    from protection.gate import check_ref_update

    repository = Repository.objects.select_related("owner").get(
        pk=os.environ["GITFORGE_REPOSITORY_ID"]
    )
    permission = os.environ.get("GITFORGE_PERMISSION") or None
    refused = False
    for line in sys.stdin:
        old_sha, new_sha, ref = line.split()
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
                or is_fast_forward(old, new)
            ),
            permission=permission,
        )
        if not decision.allowed:
            print(f"error: {decision.message}", flush=True)
            refused = True
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
