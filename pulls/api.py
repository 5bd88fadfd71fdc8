"""REST routes for pull requests and merging them."""

from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.api.inputs import Field, read_body
from gitforge.api.pagination import GitHubPagination
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.git import GitRepository
from pulls.models import CLOSED, OPEN
from pulls.representations import pull_detail_json, pull_json, repository_ends
from pulls.selectors import pull_summary, pulls_of
from pulls.services import (
    MERGE_METHODS,
    merge_pull_request,
    open_pull_request,
    update_pull_request,
)

DOCS = "https://docs.github.com/rest/pulls/pulls"


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
    """GET (was it merged?) and PUT (merge) /repos/{owner}/{repo}/pulls/{number}/merge; no
    other method (PATCH here once edited the pull request)."""

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
                "commit_message": Field((str,), multiline=True),
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
