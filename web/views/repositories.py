"""The home page, a repository's page and a commit's page."""

from django.http import Http404
from django.shortcuts import render

from gitforge.repositories.git import GitRepository
from gitforge.repositories.selectors import owned_repositories
from protection.selectors import protected_names
from pulls.models import OPEN, PullRequest
from statuses.selectors import get_combined_status, get_status_summaries
from web.checks_box import check_rows, summary_line
from web.decorators import repository_page

RECENT_COMMITS = 20


def with_summaries(repository, commits):
    """Pair each commit with its StatusSummary (None when nothing was reported), one query."""
    summaries = get_status_summaries(repository=repository, shas=[c.sha for c in commits])
    return [(commit, summaries.get(commit.sha)) for commit in commits]


def home(request):
    repositories = owned_repositories(request.user) if request.user.is_authenticated else []
    return render(request, "web/home.html", {"repositories": repositories})


@repository_page()
def repository_home(request, repository, permission):
    git = GitRepository(repository.id)
    branches = git.branches()
    head = git.branch_sha(repository.default_branch)
    commits = git.log(head, RECENT_COMMITS) if head else []
    return render(
        request,
        "web/repository.html",
        {
            "repository": repository,
            "permission": permission,
            "branches": branches,
            "protected": protected_names(
                repository=repository, branch_names=[branch.name for branch in branches]
            ),
            "commits": with_summaries(repository, commits),
            "open_pulls": PullRequest.objects.filter(repository=repository, state=OPEN).count(),
        },
    )


@repository_page()
def commit_detail(request, repository, permission, sha):
    git = GitRepository(repository.id)
    resolved = git.resolve_ref(sha)
    if resolved is None:
        raise Http404("No such commit")
    combined = get_combined_status(repository=repository, sha=resolved)
    rows = check_rows(combined, None)
    return render(
        request,
        "web/commit.html",
        {
            "repository": repository,
            "commit": git.commit(resolved),
            "rows": rows,
            "summary_line": summary_line(rows),
            "files": git.changes(resolved),
        },
    )
