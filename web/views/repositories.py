"""The home page, a repository's page and a commit's page."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render

from gitforge.repositories.git import FileChange, GitRepository
from gitforge.repositories.selectors import owned_repositories
from protection.selectors import protected_names
from pulls.models import OPEN, PullRequest
from statuses.selectors import get_combined_status, get_status_summaries
from web.badges import status_badge
from web.checks_box import check_rows, summary_line
from web.decorators import repository_page

RECENT_COMMITS = 20
COMMITS_PER_PAGE = 100
# Each page walks the history before it; older commits are at /commits/{sha} of a later one.
MAX_COMMIT_PAGE = 100
# Diffs shown on one page: past these a file lists its name and counts, not its lines.
MAX_DIFF_LINES_PER_FILE = 2_000
MAX_DIFF_CHARS_PER_FILE = 200_000
MAX_DIFF_LINES_PER_PAGE = 20_000
MAX_DIFF_CHARS_PER_PAGE = 2_000_000


@dataclass(frozen=True)
class FileDiff:
    file: FileChange
    shown: bool
    why_hidden: str = ""


def file_diffs(changes):
    """Each changed file, its diff shown only within the per-file and per-page budgets."""
    diffs = []
    lines_left, chars_left = MAX_DIFF_LINES_PER_PAGE, MAX_DIFF_CHARS_PER_PAGE
    for change in changes:
        lines, chars = change.patch.count("\n"), len(change.patch)
        if lines > MAX_DIFF_LINES_PER_FILE:
            diffs.append(FileDiff(change, False, f"{lines:,} lines"))
        elif chars > MAX_DIFF_CHARS_PER_FILE:
            diffs.append(FileDiff(change, False, f"{chars:,} characters"))
        elif lines > lines_left or chars > chars_left:
            diffs.append(FileDiff(change, False, "this page shows no more diff lines"))
        else:
            lines_left, chars_left = lines_left - lines, chars_left - chars
            diffs.append(FileDiff(change, True))
    return diffs


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
    summaries = get_status_summaries(
        repository=repository,
        shas={commit.sha for commit in commits} | {branch.sha for branch in branches},
    )
    return render(
        request,
        "web/repository.html",
        {
            "repository": repository,
            "permission": permission,
            "branches": [(branch, summaries.get(branch.sha)) for branch in branches],
            "protected": protected_names(
                repository=repository, branch_names=[branch.name for branch in branches]
            ),
            "commits": [(commit, summaries.get(commit.sha)) for commit in commits],
            "open_pulls": PullRequest.objects.filter(repository=repository, state=OPEN).count(),
            "badge": status_badge(request, repository) if head else None,
        },
    )


@repository_page()
def commit_list(request, repository, permission, ref=None):
    """A branch's (or any ref's) history, COMMITS_PER_PAGE at a time, each with its state."""
    git = GitRepository(repository.id)
    ref = ref or repository.default_branch
    head = git.resolve_ref(ref)
    if head is None and not (ref == repository.default_branch and git.is_empty):
        raise Http404("No such ref")
    page = _page_number(request)
    skip = (page - 1) * COMMITS_PER_PAGE
    walked = git.log(head, skip + COMMITS_PER_PAGE + 1) if head else []
    commits = walked[skip : skip + COMMITS_PER_PAGE]
    return render(
        request,
        "web/commit_list.html",
        {
            "repository": repository,
            "permission": permission,
            "ref": ref,
            "commits": with_summaries(repository, commits),
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if len(walked) > skip + COMMITS_PER_PAGE else None,
        },
    )


def _page_number(request):
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(page, 1), MAX_COMMIT_PAGE)


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
            "files": file_diffs(git.changes(resolved)),
        },
    )
