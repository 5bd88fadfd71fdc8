from django.conf import settings
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.accounts.representations import user_json
from gitforge.api.inputs import Field, read_body
from gitforge.api.pagination import GitHubPagination
from gitforge.api.ratelimit import RateLimit
from gitforge.api.representations import api_base, node_id, timestamp
from gitforge.repositories import permissions
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.git import GitRepository
from gitforge.repositories.representations import minimal_repository_json
from statuses.selectors import get_combined_status, get_commit_statuses
from statuses.services import create_commit_status

DOCS = "https://docs.github.com/rest/commits/statuses"


def statuses_json(statuses, repository, request, *, simple=False):
    """`status` representations (`simple-commit-status` inside a combined status).

    The repository URL and each creator's representation are built once per response, so a
    long list costs little more per status than copying its fields.
    """
    repo_url = f"{api_base(request)}/repos/{repository.full_name}"
    creators: dict[int, dict] = {}
    items = []
    for status in statuses:
        creator = None
        if status.creator is not None:
            if status.creator.pk not in creators:
                creators[status.creator.pk] = user_json(status.creator, request)
            creator = creators[status.creator.pk]
        data = {
            "url": f"{repo_url}/statuses/{status.sha}",
            "avatar_url": creator["avatar_url"] if creator else None,
            "id": status.id,
            "node_id": node_id("StatusContext", status.id),
            "state": status.state,
            "description": status.description,
            "target_url": status.target_url,
            "context": status.context,
            "created_at": timestamp(status.created_at),
            "updated_at": timestamp(status.updated_at),
        }
        if not simple:
            data["creator"] = creator
        items.append(data)
    return items


class StatusRepositoryView(RepositoryAPIView):
    """Status routes accept `repo` or `repo:status` tokens."""

    access_kind = permissions.STATUSES

    def resolve(self, ref):
        sha = GitRepository(self.repository.id).resolve_ref(ref)
        if sha is None:
            raise NotFound()
        return sha


class CreateStatusView(StatusRepositoryView):
    """POST /repos/{owner}/{repo}/statuses/{sha}; GET lists them (the legacy route)."""

    documentation_url = DOCS + "#create-a-commit-status"
    documentation_urls = {"GET": DOCS + "#list-commit-statuses-for-a-reference"}
    required_permission = {"POST": permissions.PUSH}

    def rate_limits(self, request):
        if request.method != "POST":
            return ()
        key = f"{self.repository.id}:{self.kwargs['sha'].lower()}"
        return (RateLimit("statuses.create", key, settings.GITFORGE_STATUS_RATE_LIMIT),)

    def post(self, request, owner, repo, sha):
        body = read_body(
            request,
            "Status",
            {
                "state": Field((str,), required=True),
                "target_url": Field((str,), nullable=True),
                "description": Field((str,), nullable=True),
                "context": Field((str,), nullable=True),
            },
        )
        status = create_commit_status(
            repository=self.repository, sha=sha, creator=request.user, **body
        )
        [data] = statuses_json([status], self.repository, request)
        return Response(data, status=201, headers={"Location": data["url"]})

    def get(self, request, owner, repo, sha):
        return list_statuses(self, request, sha)


class CommitStatusListView(StatusRepositoryView):
    """GET /repos/{owner}/{repo}/commits/{ref}/statuses"""

    documentation_url = DOCS + "#list-commit-statuses-for-a-reference"

    def get(self, request, owner, repo, ref):
        return list_statuses(self, request, ref)


def list_statuses(view, request, ref):
    paginator = GitHubPagination()
    statuses = get_commit_statuses(repository=view.repository, sha=view.resolve(ref))
    page = paginator.paginate_queryset(statuses, request)
    return paginator.get_paginated_response(statuses_json(page, view.repository, request))


class CombinedStatusView(StatusRepositoryView):
    """GET /repos/{owner}/{repo}/commits/{ref}/status"""

    documentation_url = DOCS + "#get-the-combined-status-for-a-specific-reference"

    def get(self, request, owner, repo, ref):
        sha = self.resolve(ref)
        combined = get_combined_status(repository=self.repository, sha=sha)
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(combined.statuses, request)
        repo_url = f"{api_base(request)}/repos/{self.repository.full_name}"
        response = paginator.get_paginated_response(
            {
                "state": combined.state,
                "statuses": statuses_json(page, self.repository, request, simple=True),
                "sha": sha,
                "total_count": combined.total_count,
                "repository": minimal_repository_json(self.repository, request),
                "commit_url": f"{repo_url}/commits/{sha}",
                "url": f"{repo_url}/commits/{sha}/status",
            }
        )
        return response


CHECKS_DOCS = "https://docs.github.com/rest/checks"


class CheckRunListView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/commits/{ref}/check-runs: gitforge has no check runs yet, so
    the list is empty, as GitHub answers for a commit without any (`hub ci-status` asks)."""

    documentation_url = CHECKS_DOCS + "/runs#list-check-runs-for-a-git-reference"
    collection = "check_runs"

    def get(self, request, owner, repo, ref):
        if GitRepository(self.repository.id).resolve_ref(ref) is None:
            raise NotFound()
        return Response({"total_count": 0, self.collection: []})


class CheckSuiteListView(CheckRunListView):
    """GET /repos/{owner}/{repo}/commits/{ref}/check-suites: empty, as for check runs."""

    documentation_url = CHECKS_DOCS + "/suites#list-check-suites-for-a-git-reference"
    collection = "check_suites"
