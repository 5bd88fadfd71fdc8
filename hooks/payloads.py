"""Payloads of the events hooks themselves know: ping, and the git events push, create, delete.

Each builder takes the ExternalSite the URLs are built from and returns the event's own fields;
`events.record` adds `repository` and `sender`.
"""

from gitforge.repositories.git import GitRepository
from gitforge.repositories.representations import repository_json
from hooks.representations import hook_json

ZERO_SHA = "0" * 40
MAX_PUSH_COMMITS = 2048


def ping(hook, site, *, zen):
    return {"zen": zen, "hook_id": hook.id, "hook": hook_json(hook, site)}


def short_ref(ref: str) -> tuple[str, str]:
    """("branch" | "tag", short name) of a full ref name."""
    if ref.startswith("refs/tags/"):
        return "tag", ref.removeprefix("refs/tags/")
    return "branch", ref.removeprefix("refs/heads/")


def push(repository, *, ref, before, after, pusher, git: GitRepository):
    """The `push` event of moving `ref` from `before` to `after` (either may be the zero SHA).

    A new ref lists only the commits no other branch has.
    """

    def build(site):
        created, deleted = before == ZERO_SHA, after == ZERO_SHA
        head = None if deleted else git.resolve_ref(after)
        commits = []
        if head is not None:
            hide = [before] if not created else _other_heads(git, ref)
            commits = [
                _push_commit(commit, repository, git, site)
                for commit in git.new_commits(head, hide, limit=MAX_PUSH_COMMITS)
            ]
        forced = not created and not deleted and head is not None and not git.contains(head, before)
        html = site.build_absolute_uri(f"/{repository.full_name}")
        head_commit = (
            _push_commit(git.commit(head), repository, git, site) if head is not None else None
        )
        return {
            "ref": ref,
            "before": before,
            "after": after,
            "repository": push_repository_json(repository, site),
            "pusher": {"name": pusher.username, "email": pusher.email or None},
            "created": created,
            "deleted": deleted,
            "forced": forced,
            "base_ref": None,
            "compare": f"{html}/compare/{before[:12]}...{after[:12]}",
            "commits": commits,
            "head_commit": head_commit,
        }

    return build


def _other_heads(git, ref):
    return [branch.sha for branch in git.branches() if f"refs/heads/{branch.name}" != ref]


def push_repository_json(repository, site):
    """A push event's repository: as elsewhere, but with Unix timestamps as GitHub sends."""
    data = repository_json(repository, site)
    data["created_at"] = int(repository.created_at.timestamp())
    data["pushed_at"] = int(repository.pushed_at.timestamp()) if repository.pushed_at else None
    data["stargazers"] = 0
    data["master_branch"] = repository.default_branch
    return data


def _push_commit(commit, repository, git, site):
    added, removed, modified = git.touched_paths(commit.sha)
    return {
        "id": commit.sha,
        "tree_id": commit.tree_sha,
        "distinct": True,
        "message": commit.message.rstrip("\n"),
        "timestamp": commit.committer.date.isoformat(),
        "url": site.build_absolute_uri(f"/{repository.full_name}/commit/{commit.sha}"),
        "author": {"name": commit.author.name, "email": commit.author.email},
        "committer": {"name": commit.committer.name, "email": commit.committer.email},
        "added": added,
        "removed": removed,
        "modified": modified,
    }


def created_ref(repository, *, ref):
    ref_type, name = short_ref(ref)
    return lambda site: {
        "ref": name,
        "ref_type": ref_type,
        "master_branch": repository.default_branch,
        "description": repository.description or None,
        "pusher_type": "user",
    }


def deleted_ref(repository, *, ref):
    ref_type, name = short_ref(ref)
    return lambda site: {"ref": name, "ref_type": ref_type, "pusher_type": "user"}


def test_push_builder(repository, *, pusher):
    """A push of the default branch's head commit, or None while the branch has none."""
    git = GitRepository(repository.id)
    head = git.branch_sha(repository.default_branch)
    if head is None:
        return None
    parents = git.commit(head).parents
    return push(
        repository,
        ref=f"refs/heads/{repository.default_branch}",
        before=parents[0] if parents else ZERO_SHA,
        after=head,
        pusher=pusher,
        git=git,
    )
