"""REST routes for pull requests and merging them."""

from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.accounts.selectors import users_by_email
from gitforge.api.inputs import Field, read_body
from gitforge.api.pagination import GitHubPagination
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.diffs import MAX_COMMITS, MAX_FILES
from gitforge.repositories.git import GitRepository
from gitforge.repositories.representations import commit_json, file_change_json
from pulls.auto_merge import enable_auto_merge
from pulls.models import CLOSED, MERGE_METHODS, OPEN
from pulls.representations import (
    pull_detail_json,
    pull_issue_json,
    pull_json,
    repository_ends,
)
from pulls.selectors import pull_range, pull_summary, pulls_of
from pulls.services import (
    disable_auto_merge,
    merge_pull_request,
    open_pull_request,
    update_pull_request,
)

DOCS = "https://docs.github.com/rest/pulls/pulls"


class PullListView(RepositoryAPIView):
    """GET and POST /repos/{owner}/{repo}/pulls"""

    documentation_url = DOCS + "#list-pull-requests"
    documentation_urls = {"POST": DOCS + "#create-a-pull-request"}

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
                "body": Field((str,), default="", nullable=True, multiline=True),
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


class PullRouteView(RepositoryAPIView):
    """A route under /repos/{owner}/{repo}/pulls/{number}."""

    def get_pull(self, number):
        pull = pulls_of(self.repository).filter(number=number).first()
        if pull is None:
            raise NotFound()
        return pull


class PullView(PullRouteView):
    """GET and PATCH /repos/{owner}/{repo}/pulls/{number}"""

    documentation_url = DOCS + "#get-a-pull-request"
    documentation_urls = {"PATCH": DOCS + "#update-a-pull-request"}

    def get(self, request, owner, repo, number):
        return Response(pull_detail_json(self.get_pull(number), request))

    def patch(self, request, owner, repo, number):
        pull = self.get_pull(number)
        body = read_body(
            request,
            "PullRequest",
            {
                "title": Field((str,)),
                "body": Field((str,), nullable=True, multiline=True),
                "state": Field((str,), choices=(OPEN, CLOSED)),
                "base": Field((str,)),
            },
        )
        update_pull_request(pull=pull, user=request.user, permission=self.permission, **body)
        return Response(pull_detail_json(pull, request))


class MergeView(PullRouteView):
    """GET (was it merged?), PUT (merge, or with Gitea's `merge_when_checks_succeed`, merge once
    the required checks pass: 202) and DELETE (cancel that: 204)
    /repos/{owner}/{repo}/pulls/{number}/merge; no other method (PATCH here once edited the
    pull request)."""

    documentation_url = DOCS + "#merge-a-pull-request"
    documentation_urls = {"GET": DOCS + "#check-if-a-pull-request-has-been-merged"}

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
                "commit_message": Field((str,), multiline=True),
                "sha": Field((str,)),
                "merge_method": Field((str,), default="merge", choices=MERGE_METHODS),
                "merge_when_checks_succeed": Field((bool,), default=False),
            },
        )
        if body["merge_when_checks_succeed"]:
            enable_auto_merge(
                pull=pull,
                user=request.user,
                permission=self.permission,
                method=body["merge_method"],
                commit_title=body["commit_title"],
                commit_message=body["commit_message"],
            )
            message = "Pull Request will be merged when the required status checks succeed"
            return Response({"sha": None, "merged": False, "message": message}, status=202)
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

    def delete(self, request, owner, repo, number):
        if not disable_auto_merge(
            pull=self.get_pull(number), user=request.user, permission=self.permission
        ):
            raise NotFound()
        return Response(status=204)


class PullCommitsView(PullRouteView):
    """GET /repos/{owner}/{repo}/pulls/{number}/commits: oldest first, at most 250 (as GitHub)."""

    documentation_url = DOCS + "#list-commits-on-a-pull-request"

    def get(self, request, owner, repo, number):
        git = GitRepository(self.repository.id)
        base, head = pull_range(self.get_pull(number), git)
        commits = git.commits_between(base, head, limit=MAX_COMMITS) if base and head else []
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(commits, request)
        users = users_by_email(
            email for commit in page for email in (commit.author.email, commit.committer.email)
        )
        return paginator.get_paginated_response(
            [commit_json(commit, self.repository, request, users=users) for commit in page]
        )


class PullFilesView(PullRouteView):
    """GET /repos/{owner}/{repo}/pulls/{number}/files: at most 3000 files (as GitHub)."""

    documentation_url = DOCS + "#list-pull-requests-files"

    def get(self, request, owner, repo, number):
        git = GitRepository(self.repository.id)
        base, head = pull_range(self.get_pull(number), git)
        changes = git.range_changes(base, head, limit=MAX_FILES) if base and head else []
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(changes, request)
        head_commit = git.commit(head) if page else None
        return paginator.get_paginated_response(
            [file_change_json(change, head_commit, self.repository, request) for change in page]
        )


class EmptyPullCollectionView(PullRouteView):
    """A collection gitforge keeps nothing in (reviews, review comments, review requests): it
    answers what GitHub answers for a pull request that has none."""

    empty: list | dict = []

    def get(self, request, owner, repo, number):
        self.get_pull(number)
        return Response(self.empty)


class PullReviewCommentsView(EmptyPullCollectionView):
    """GET /repos/{owner}/{repo}/pulls/{number}/comments"""

    documentation_url = (
        "https://docs.github.com/rest/pulls/comments#list-review-comments-on-a-pull-request"
    )


class PullReviewsView(EmptyPullCollectionView):
    """GET /repos/{owner}/{repo}/pulls/{number}/reviews"""

    documentation_url = "https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request"


class RequestedReviewersView(EmptyPullCollectionView):
    """GET /repos/{owner}/{repo}/pulls/{number}/requested_reviewers"""

    documentation_url = (
        "https://docs.github.com/rest/pulls/review-requests"
        "#get-all-requested-reviewers-for-a-pull-request"
    )
    empty = {"users": [], "teams": []}


class IssueView(PullRouteView):
    """GET /repos/{owner}/{repo}/issues/{number}: gitforge's issues are its pull requests."""

    documentation_url = "https://docs.github.com/rest/issues/issues#get-an-issue"

    def get(self, request, owner, repo, number):
        return Response(pull_issue_json(self.get_pull(number), request))


class IssueCommentsView(EmptyPullCollectionView):
    """GET /repos/{owner}/{repo}/issues/{number}/comments"""

    documentation_url = "https://docs.github.com/rest/issues/comments#list-issue-comments"
