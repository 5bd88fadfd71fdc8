"""The `status` webhook event's payload."""

from gitforge.api.representations import timestamp
from gitforge.repositories.git import GitRepository
from gitforge.repositories.representations import branch_json, commit_json
from statuses.models import CommitStatus

MAX_BRANCHES = 10


def status_event(status, repository):
    """A builder for the event of `status`: its fields, its commit, and up to ten branches
    that contain the commit (as GitHub sends)."""

    def build(site):
        git = GitRepository(repository.id)
        branches = [
            branch_json(branch, repository, site)
            for branch in git.branches()
            if git.contains(branch.sha, status.sha)
        ][:MAX_BRANCHES]
        return {
            "id": status.id,
            "sha": status.sha,
            "name": repository.full_name,
            "target_url": status.target_url,
            "context": status.context,
            "description": status.description,
            "state": status.state,
            "commit": commit_json(git.commit(status.sha), repository, site),
            "branches": branches,
            "created_at": timestamp(status.created_at),
            "updated_at": timestamp(status.updated_at),
        }

    return build


def status_event_by_id(status_id):
    """The builder of a status's event, for the worker (hooks.events.record_later)."""
    status = CommitStatus.objects.select_related("repository__owner").get(pk=status_id)
    return status_event(status, status.repository)
