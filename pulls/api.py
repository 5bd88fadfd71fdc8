"""REST routes for pull requests and merging them."""

from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.accounts.representations import user_json
from gitforge.api.inputs import Field, read_body
from gitforge.api.pagination import GitHubPagination
from gitforge.api.representations import api_base, node_id, timestamp
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.git import GitRepository
from gitforge.repositories.representations import repository_json
from pulls.models import CLOSED, OPEN
from pulls.selectors import PullSummary, pull_summary, pulls_of
from pulls.services import (
    MERGE_METHODS,
    merge_pull_request,
    open_pull_request,
    update_pull_request,
)

DOCS = "https://docs.github.com/rest/pulls/pulls"


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
        "author_association": "OWNER" if pull.author_id == repository.owner_id else "CONTRIBUTOR",
        "auto_merge": None,
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
                "commits": summary.commits,
                "additions": summary.additions,
                "deletions": summary.deletions,
                "changed_files": summary.changed_files,
            }
        )
    return data


def pull_detail_json(pull, request):
    git = GitRepository(pull.repository_id)
    return pull_json(pull, request, summary=pull_summary(pull, git=git, detail=True))


class PullListView(RepositoryAPIView):
    """GET and POST /repos/{owner}/{repo}/pulls"""

    documentation_url = DOCS + "#list-pull-requests"

    def get(self, request, owner, repo):
        pulls = pulls_of(self.repository)
        state = request.query_params.get("state", OPEN)
        if state in (OPEN, CLOSED):
            pulls = pulls.filter(state=state)
        if head := request.query_params.get("head"):
            pulls = pulls.filter(head_ref=head.split(":", 1)[-1])
        if base := request.query_params.get("base"):
            pulls = pulls.filter(base_ref=base)
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(pulls, request)
        git = GitRepository(self.repository.id)
        ends = repository_ends(self.repository, request)
        return paginator.get_paginated_response(
            [
                pull_json(pull, request, summary=pull_summary(pull, git=git), ends=ends)
                for pull in page
            ]
        )

    def post(self, request, owner, repo):
        body = read_body(
            request,
            "PullRequest",
            {
                "title": Field((str,), required=True),
                "head": Field((str,), required=True),
                "base": Field((str,), required=True),
                "body": Field((str,), default="", nullable=True),
            },
        )
        head = body["head"]
        if ":" in head:
            head_owner, _, head = head.partition(":")
            if head_owner.lower() != self.repository.owner.username.lower():
                head = body["head"]  # forks are not supported: this branch will not exist
        pull = open_pull_request(
            repository=self.repository,
            author=request.user,
            title=body["title"],
            head=head,
            base=body["base"],
            body=body["body"],
        )
        data = pull_detail_json(pulls_of(self.repository).get(pk=pull.pk), request)
        return Response(data, status=201, headers={"Location": data["url"]})


class PullView(RepositoryAPIView):
    """GET and PATCH /repos/{owner}/{repo}/pulls/{number}"""

    documentation_url = DOCS + "#get-a-pull-request"

    def get_pull(self, number):
        pull = pulls_of(self.repository).filter(number=number).first()
        if pull is None:
            raise NotFound()
        return pull

    def get(self, request, owner, repo, number):
        return Response(pull_detail_json(self.get_pull(number), request))

    def patch(self, request, owner, repo, number):
        pull = self.get_pull(number)
        body = read_body(
            request,
            "PullRequest",
            {
                "title": Field((str,)),
                "body": Field((str,), nullable=True),
                "state": Field((str,), choices=(OPEN, CLOSED)),
                "base": Field((str,)),
            },
        )
        update_pull_request(pull=pull, user=request.user, permission=self.permission, **body)
        return Response(pull_detail_json(pull, request))


class MergeView(PullView):
    """GET (was it merged?) and PUT (merge) /repos/{owner}/{repo}/pulls/{number}/merge"""

    documentation_url = DOCS + "#merge-a-pull-request"

    def get(self, request, owner, repo, number):
        if not self.get_pull(number).merged:
            raise NotFound()
        return Response(status=204)

    def put(self, request, owner, repo, number):
        pull = self.get_pull(number)
        body = read_body(
            request,
            "PullRequest",
            {
                "commit_title": Field((str,)),
                "commit_message": Field((str,)),
                "sha": Field((str,)),
                "merge_method": Field((str,), default="merge", choices=MERGE_METHODS),
            },
        )
        result = merge_pull_request(
            pull=pull,
            user=request.user,
            permission=self.permission,
            method=body["merge_method"],
            sha=body["sha"],
            commit_title=body["commit_title"],
            commit_message=body["commit_message"],
        )
        return Response({"sha": result.sha, "merged": result.merged, "message": result.message})
