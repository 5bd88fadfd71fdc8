"""GitHub's representations of git data: `git-commit`, `git-tree`, `blob`, `git-ref`, `tag`,
and the repository lists' `contributor` and `collaborator`."""

import base64

from gitforge.accounts.representations import user_json
from gitforge.api.representations import api_base, node_id
from gitforge.repositories import permissions
from gitforge.repositories.representations import git_person_json

UNSIGNED = {
    "verified": False,
    "reason": "unsigned",
    "signature": None,
    "payload": None,
    "verified_at": None,
}


def repository_api_url(repository, request):
    return f"{api_base(request)}/repos/{repository.full_name}"


def git_commit_json(commit, repository, request):
    """The `git-commit` representation of GET /repos/{owner}/{repo}/git/commits/{sha}."""
    repo_url = repository_api_url(repository, request)
    html_base = request.build_absolute_uri(f"/{repository.full_name}/commit/")
    return {
        "sha": commit.sha,
        "node_id": node_id("Commit", f"{repository.id}:{commit.sha}"),
        "url": f"{repo_url}/git/commits/{commit.sha}",
        "html_url": html_base + commit.sha,
        "author": git_person_json(commit.author),
        "committer": git_person_json(commit.committer),
        "tree": {"sha": commit.tree_sha, "url": f"{repo_url}/git/trees/{commit.tree_sha}"},
        "message": commit.message,
        "parents": [
            {"sha": sha, "url": f"{repo_url}/git/commits/{sha}", "html_url": html_base + sha}
            for sha in commit.parents
        ],
        "verification": UNSIGNED,
    }


def git_tree_json(tree, repository, request):
    """The `git-tree` representation; blobs and subtrees link their own git data routes."""
    repo_url = repository_api_url(repository, request)
    items = []
    for item in tree.items:
        entry = {"path": item.path, "mode": item.mode, "type": item.kind, "sha": item.sha}
        if item.size is not None:
            entry["size"] = item.size
        if item.kind in ("blob", "tree"):
            entry["url"] = f"{repo_url}/git/{item.kind}s/{item.sha}"
        items.append(entry)
    return {
        "sha": tree.sha,
        "url": f"{repo_url}/git/trees/{tree.sha}",
        "tree": items,
        "truncated": tree.truncated,
    }


def blob_json(sha, content, repository, request):
    """The `blob` representation: the content in base64, in lines of 60 as GitHub sends it."""
    encoded = base64.b64encode(content).decode()
    return {
        "sha": sha,
        "node_id": node_id("Blob", f"{repository.id}:{sha}"),
        "size": len(content),
        "url": f"{repository_api_url(repository, request)}/git/blobs/{sha}",
        "content": "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60)),
        "encoding": "base64",
    }


def git_ref_json(ref, repository, request):
    """The `git-ref` representation; the object is a commit or an annotated tag."""
    repo_url = repository_api_url(repository, request)
    return {
        "ref": ref.name,
        "node_id": node_id("Ref", f"{repository.id}:{ref.name}"),
        "url": f"{repo_url}/git/{ref.name}",
        "object": {
            "type": ref.kind,
            "sha": ref.sha,
            "url": f"{repo_url}/git/{ref.kind}s/{ref.sha}",
        },
    }


def tag_json(tag, repository, request):
    """The `tag` representation of GET /repos/{owner}/{repo}/tags."""
    repo_url = repository_api_url(repository, request)
    return {
        "name": tag.name,
        "commit": {"sha": tag.commit_sha, "url": f"{repo_url}/commits/{tag.commit_sha}"},
        "zipball_url": f"{repo_url}/zipball/refs/tags/{tag.name}",
        "tarball_url": f"{repo_url}/tarball/refs/tags/{tag.name}",
        "node_id": node_id("Ref", f"{repository.id}:refs/tags/{tag.name}"),
    }


def contributor_json(contributor, user, request):
    """A `contributor`: the account the commits' email belongs to, else an anonymous one."""
    if user is not None:
        return {**user_json(user, request), "contributions": contributor.commits}
    return {
        "email": contributor.email,
        "name": contributor.name,
        "type": "Anonymous",
        "contributions": contributor.commits,
    }


def collaborator_json(user, level, request):
    """A `collaborator`: the user with their permission level on the repository."""
    return {
        **user_json(user, request),
        "permissions": permissions.as_flags(level),
        "role_name": ROLE_NAMES[level],
    }


ROLE_NAMES = {
    permissions.PULL: "read",
    permissions.TRIAGE: "triage",
    permissions.PUSH: "write",
    permissions.MAINTAIN: "maintain",
    permissions.ADMIN: "admin",
}
