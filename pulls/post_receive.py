"""The post-receive hook: after a push over HTTP, record it and move open pull requests' heads."""

import os
import sys

ZERO = "0" * 40


def main():
    import django

    django.setup()
    from gitforge.repositories.models import Repository
    from pulls.services import record_push

    repository = Repository.objects.get(pk=os.environ["GITFORGE_REPOSITORY_ID"])
    updates = {}
    for line in sys.stdin:
        _, new_sha, ref = line.split()
        if ref.startswith("refs/heads/"):
            updates[ref.removeprefix("refs/heads/")] = None if new_sha == ZERO else new_sha
    record_push(repository=repository, branch_heads=updates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
