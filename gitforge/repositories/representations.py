"""GitHub's representations of repositories, commits, files, branches and invitations."""

from gitforge.accounts.representations import user_json
from gitforge.api.representations import api_base, node_id, timestamp
from gitforge.repositories import permissions

INVITATION_PERMISSIONS = {
    permissions.PULL: "read",
    permissions.TRIAGE: "triage",
    permissions.PUSH: "write",
    permissions.MAINTAIN: "maintain",
    permissions.ADMIN: "admin",
}


def repository_urls(repository, request):
    api = api_base(request)
    url = f"{api}/repos/{repository.full_name}"
    templated = {
        "archive_url": "/{archive_format}{/ref}",
        "assignees_url": "/assignees{/user}",
        "blobs_url": "/git/blobs{/sha}",
        "branches_url": "/branches{/branch}",
        "collaborators_url": "/collaborators{/collaborator}",
        "comments_url": "/comments{/number}",
        "commits_url": "/commits{/sha}",
        "compare_url": "/compare/{base}...{head}",
        "contents_url": "/contents/{+path}",
        "contributors_url": "/contributors",
        "deployments_url": "/deployments",
        "downloads_url": "/downloads",
        "events_url": "/events",
        "forks_url": "/forks",
        "git_commits_url": "/git/commits{/sha}",
        "git_refs_url": "/git/refs{/sha}",
        "git_tags_url": "/git/tags{/sha}",
        "hooks_url": "/hooks",
        "issue_comment_url": "/issues/comments{/number}",
        "issue_events_url": "/issues/events{/number}",
        "issues_url": "/issues{/number}",
        "keys_url": "/keys{/key_id}",
        "labels_url": "/labels{/name}",
        "languages_url": "/languages",
        "merges_url": "/merges",
        "milestones_url": "/milestones{/number}",
        "notifications_url": "/notifications{?since,all,participating}",
        "pulls_url": "/pulls{/number}",
        "releases_url": "/releases{/id}",
        "stargazers_url": "/stargazers",
        "statuses_url": "/statuses/{sha}",
        "subscribers_url": "/subscribers",
        "subscription_url": "/subscription",
        "tags_url": "/tags",
        "teams_url": "/teams",
        "trees_url": "/git/trees{/sha}",
    }
    urls = {key: url + suffix for key, suffix in templated.items()}
    urls["url"] = url
    return urls


def minimal_repository_json(repository, request):
    """The `minimal-repository` representation (used inside statuses and invitations)."""
    html_url = request.build_absolute_uri(f"/{repository.full_name}")
    return {
        "id": repository.id,
        "node_id": node_id("Repository", repository.id),
        "name": repository.name,
        "full_name": repository.full_name,
        "owner": user_json(repository.owner, request),
        "private": repository.private,
        "html_url": html_url,
        "description": repository.description or None,
        "fork": False,
        **repository_urls(repository, request),
    }


def repository_json(repository, request, *, permission=None):
    """The `full-repository` representation; `permission` is the caller's level, if any."""
    clone_url = request.build_absolute_uri(f"/{repository.full_name}.git")
    host = request.get_host().split(":")[0]
    data = {
        **minimal_repository_json(repository, request),
        "clone_url": clone_url,
        "git_url": clone_url.replace("http://", "git://").replace("https://", "git://"),
        "ssh_url": f"git@{host}:{repository.full_name}.git",
        "svn_url": request.build_absolute_uri(f"/{repository.full_name}"),
        "mirror_url": None,
        "homepage": None,
        "language": None,
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers": 0,
        "watchers_count": 0,
        "subscribers_count": 0,
        "network_count": 0,
        "size": 0,
        "default_branch": repository.default_branch,
        "open_issues": 0,
        "open_issues_count": 0,
        "is_template": False,
        "topics": [],
        "has_issues": False,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": False,
        "has_discussions": False,
        "archived": False,
        "disabled": False,
        "visibility": "private" if repository.private else "public",
        "license": None,
        "allow_forking": False,
        "web_commit_signoff_required": False,
        "has_pull_requests": True,
        "pull_request_creation_policy": "all",
        "allow_merge_commit": True,
        "allow_squash_merge": True,
        "allow_rebase_merge": True,
        "allow_auto_merge": False,
        "allow_update_branch": False,
        "delete_branch_on_merge": False,
        "use_squash_pr_title_as_default": False,
        # How gitforge titles the commits it writes (pulls.services._merge_message).
        "squash_merge_commit_title": "PR_TITLE",
        "squash_merge_commit_message": "BLANK",
        "merge_commit_title": "MERGE_MESSAGE",
        "merge_commit_message": "PR_TITLE",
        "pushed_at": timestamp(repository.pushed_at),
        "created_at": timestamp(repository.created_at),
        "updated_at": timestamp(repository.updated_at),
    }
    if permission is not None:
        data["permissions"] = permissions.as_flags(permission)
    return data


def git_person_json(person):
    return {"name": person.name, "email": person.email, "date": timestamp(person.date)}


def commit_json(commit, repository, request, *, files=None, users=None):
    """The `commit` representation of GET /repos/{owner}/{repo}/commits/{ref}.

    `users` maps lower-cased emails to accounts, to link the author and committer as GitHub does.
    """
    users = users or {}
    author = users.get(commit.author.email.lower())
    committer = users.get(commit.committer.email.lower())
    repo_url = f"{api_base(request)}/repos/{repository.full_name}"
    html_base = request.build_absolute_uri(f"/{repository.full_name}/commit/")
    data = {
        "sha": commit.sha,
        "node_id": node_id("Commit", f"{repository.id}:{commit.sha}"),
        "url": f"{repo_url}/commits/{commit.sha}",
        "html_url": html_base + commit.sha,
        "comments_url": f"{repo_url}/commits/{commit.sha}/comments",
        "commit": {
            "url": f"{repo_url}/git/commits/{commit.sha}",
            "author": git_person_json(commit.author),
            "committer": git_person_json(commit.committer),
            "message": commit.message.rstrip("\n"),
            "comment_count": 0,
            "tree": {"sha": commit.tree_sha, "url": f"{repo_url}/git/trees/{commit.tree_sha}"},
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        },
        "author": user_json(author, request) if author else None,
        "committer": user_json(committer, request) if committer else None,
        "parents": [
            {"sha": sha, "url": f"{repo_url}/commits/{sha}", "html_url": html_base + sha}
            for sha in commit.parents
        ],
    }
    if files is not None:
        additions = sum(change.additions for change in files)
        deletions = sum(change.deletions for change in files)
        data["stats"] = {
            "additions": additions,
            "deletions": deletions,
            "total": additions + deletions,
        }
        data["files"] = [file_change_json(change, commit, repository, request) for change in files]
    return data


def file_change_json(change, commit, repository, request):
    repo_url = f"{api_base(request)}/repos/{repository.full_name}"
    html = request.build_absolute_uri(f"/{repository.full_name}")
    data = {
        "sha": change.blob_sha,
        "filename": change.filename,
        "status": change.status,
        "additions": change.additions,
        "deletions": change.deletions,
        "changes": change.additions + change.deletions,
        "blob_url": f"{html}/blob/{commit.sha}/{change.filename}",
        "raw_url": f"{html}/raw/{commit.sha}/{change.filename}",
        "contents_url": f"{repo_url}/contents/{change.filename}?ref={commit.sha}",
        "patch": change.patch,
    }
    if change.previous_filename:
        data["previous_filename"] = change.previous_filename
    return data


def branch_json(branch, repository, request, *, protection=None):
    """The `short-branch` representation used in branch lists; `protection`, when given, is the
    compact summary of the rule protecting the branch (its `enabled` says whether one does)."""
    repo_url = f"{api_base(request)}/repos/{repository.full_name}"
    data = {
        "name": branch.name,
        "commit": {"sha": branch.sha, "url": f"{repo_url}/commits/{branch.sha}"},
        "protected": bool(protection and protection["enabled"]),
    }
    if protection is not None:
        data["protection"] = protection
    data["protection_url"] = f"{repo_url}/branches/{branch.name}/protection"
    return data


def invitation_json(collaborator, request):
    """A `repository-invitation`, already accepted: gitforge adds collaborators directly."""
    repository = collaborator.repository
    return {
        "id": collaborator.id,
        "node_id": node_id("RepositoryInvitation", collaborator.id),
        "repository": minimal_repository_json(repository, request),
        "invitee": user_json(collaborator.user, request),
        "inviter": user_json(repository.owner, request),
        "permissions": INVITATION_PERMISSIONS[collaborator.permission],
        "created_at": timestamp(collaborator.created_at),
        "expired": False,
        "url": f"{api_base(request)}/user/repository_invitations/{collaborator.id}",
        "html_url": request.build_absolute_uri(f"/{repository.full_name}/invitations"),
    }
