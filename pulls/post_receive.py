"""The post-receive hook: after a push over HTTP, record it, move open pull requests' heads and
queue the push's webhook events."""

import os
import sys


def main():
    import django

    django.setup()
    from gitforge.accounts.models import User
    from gitforge.repositories.models import Repository
    from pulls.services import record_push

    repository = Repository.objects.select_related("owner").get(
        pk=os.environ["GITFORGE_REPOSITORY_ID"]
    )
    pusher = User.objects.get(pk=os.environ["GITFORGE_USER_ID"])
    updates = []
    for line in sys.stdin:
        before, after, ref = line.split()
        if ref.startswith(("refs/heads/", "refs/tags/")):
            updates.append((before, after, ref))
    record_push(repository=repository, pusher=pusher, updates=updates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
