"""GET /repos/{owner}/{repo}/issues: gitforge's issues are its pull requests, listed in the
`issue` representation that GET /issues/{number} answers with."""

from gitforge.api.pagination import GitHubPagination
from gitforge.repositories.authorization import RepositoryAPIView
from pulls.models import CLOSED, OPEN
from pulls.representations import pull_issue_json
from pulls.selectors import pulls_of

SORTS = {"created": "created_at", "updated": "updated_at", "comments": "created_at"}


class IssueListView(RepositoryAPIView):
    """`state` open (default), closed or all; `sort` created (default), updated or comments
    (all have none); `direction` desc (default) or asc; paginated."""

    documentation_url = "https://docs.github.com/rest/issues/issues#list-repository-issues"

    def get(self, request, owner, repo):
        pulls = pulls_of(self.repository)
        state = request.query_params.get("state", OPEN)
        if state in (OPEN, CLOSED):
            pulls = pulls.filter(state=state)
        field = SORTS.get(request.query_params.get("sort", ""), "created_at")
        ascending = request.query_params.get("direction") == "asc"
        pulls = pulls.order_by(field if ascending else f"-{field}", "-number")
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(pulls, request)
        return paginator.get_paginated_response([pull_issue_json(pull, request) for pull in page])
