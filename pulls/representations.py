"""GitHub's pull request representations, shared by the API and the webhook payloads."""

from gitforge.accounts.representations import user_json
from gitforge.api.representations import api_base, node_id, timestamp
from gitforge.repositories.git import GitRepository
from gitforge.repositories.representations import repository_json
from pulls.selectors import PullSummary, pull_summary


def repository_ends(repository, request):
    """What every pull's `head` and `base` share: the repository and its owner, built once."""
    return repository_json(repository, request), user_json(repository.owner, request)


def pull_json(pull, request, *, summary: PullSummary, ends=None):
    """The `pull-request` representation; `pull-request-simple` (in lists) when `summary` was
    read without detail.

    Lists pass `ends` from repository_ends() so the repository is represented once per page.
    """
    repository = pull.repository
    api = api_base(request)
    repo_url = f"{api}/repos/{repository.full_name}"
    url = f"{repo_url}/pulls/{pull.number}"
    html_url = request.build_absolute_uri(f"/{repository.full_name}/pull/{pull.number}")
    issue_url = f"{repo_url}/issues/{pull.number}"
    head, base = summary.head_sha, summary.base_sha
    repo, owner = ends or repository_ends(repository, request)

    def branch_end(ref, sha):
        return {
            "label": f"{repository.owner.username}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": owner,
            "repo": repo,
        }

    data = {
        "url": url,
        "id": pull.id,
        "node_id": node_id("PullRequest", pull.id),
        "html_url": html_url,
        "diff_url": f"{html_url}.diff",
        "patch_url": f"{html_url}.patch",
        "issue_url": issue_url,
        "commits_url": f"{url}/commits",
        "review_comments_url": f"{url}/comments",
        "review_comment_url": f"{repo_url}/pulls/comments{{/number}}",
        "comments_url": f"{issue_url}/comments",
        "statuses_url": f"{repo_url}/statuses/{head}",
        "number": pull.number,
        "state": pull.state,
        "locked": False,
        "title": pull.title,
        "user": user_json(pull.author, request),
        "body": pull.body or None,
        "labels": [],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": timestamp(pull.created_at),
        "updated_at": timestamp(pull.updated_at),
        "closed_at": timestamp(pull.closed_at),
        "merged_at": timestamp(pull.merged_at),
        "merge_commit_sha": pull.merge_commit_sha or None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": branch_end(pull.head_ref, head),
        "base": branch_end(pull.base_ref, base),
        "_links": {
            name: {"href": href}
            for name, href in (
                ("self", url),
                ("html", html_url),
                ("issue", issue_url),
                ("comments", f"{issue_url}/comments"),
                ("review_comments", f"{url}/comments"),
                ("review_comment", f"{repo_url}/pulls/comments{{/number}}"),
                ("commits", f"{url}/commits"),
                ("statuses", f"{repo_url}/statuses/{head}"),
            )
        },
        "author_association": _author_association(pull),
        "auto_merge": auto_merge_json(pull, request),
        "draft": False,
    }
    if summary.mergeability is not None:
        data.update(
            {
                "merged": pull.merged,
                "mergeable": summary.mergeability.mergeable,
                "rebaseable": summary.mergeability.mergeable,
                "mergeable_state": summary.mergeability.state,
                "merged_by": user_json(pull.merged_by, request) if pull.merged_by else None,
                "comments": 0,
                "review_comments": 0,
                "maintainer_can_modify": False,
                "commits": summary.size.commits,
                "additions": summary.size.additions,
                "deletions": summary.size.deletions,
                "changed_files": summary.size.changed_files,
            }
        )
    return data


def auto_merge_json(pull, request):
    """GitHub's `auto_merge` object: who asked for it, with which method and message; or None."""
    auto_merge = getattr(pull, "auto_merge", None)
    if auto_merge is None:
        return None
    return {
        "enabled_by": user_json(auto_merge.enabled_by, request),
        "merge_method": auto_merge.merge_method,
        "commit_title": auto_merge.commit_title,
        "commit_message": auto_merge.commit_message,
    }


def pull_detail_json(pull, request):
    git = GitRepository(pull.repository_id)
    return pull_json(pull, request, summary=pull_summary(pull, git=git, detail=True))


def pull_issue_json(pull, request):
    """The `issue` representation of a pull request: on GitHub every pull request is also an
    issue, and its issue carries a `pull_request` key."""
    repository = pull.repository
    repo_url = f"{api_base(request)}/repos/{repository.full_name}"
    url = f"{repo_url}/issues/{pull.number}"
    html_url = request.build_absolute_uri(f"/{repository.full_name}/pull/{pull.number}")
    return {
        "url": url,
        "repository_url": repo_url,
        "labels_url": f"{url}/labels{{/name}}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "html_url": html_url,
        "timeline_url": f"{url}/timeline",
        "id": pull.id,
        "node_id": node_id("PullRequest", pull.id),
        "number": pull.number,
        "title": pull.title,
        "user": user_json(pull.author, request),
        "labels": [],
        "state": pull.state,
        "locked": False,
        "active_lock_reason": None,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": 0,
        "created_at": timestamp(pull.created_at),
        "updated_at": timestamp(pull.updated_at),
        "closed_at": timestamp(pull.closed_at),
        "closed_by": user_json(pull.merged_by, request) if pull.merged_by else None,
        "author_association": _author_association(pull),
        "draft": False,
        "pull_request": {
            "url": f"{repo_url}/pulls/{pull.number}",
            "html_url": html_url,
            "diff_url": f"{html_url}.diff",
            "patch_url": f"{html_url}.patch",
            "merged_at": timestamp(pull.merged_at),
        },
        "body": pull.body or None,
        "reactions": {
            "url": f"{url}/reactions",
            "total_count": 0,
            **dict.fromkeys(
                ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"), 0
            ),
        },
        "performed_via_github_app": None,
    }


def _author_association(pull):
    return "OWNER" if pull.author_id == pull.repository.owner_id else "CONTRIBUTOR"
