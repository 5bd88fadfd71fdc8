"""Server-rendered repository and pull request pages. Each gathers its data with a fixed number
of queries, whatever the number of commits or contexts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gitforge.errors import Conflict, InvalidInput, NotMergeable
from gitforge.repositories import permissions
from gitforge.repositories.decorators import repository_page
from gitforge.repositories.git import GitRepository
from protection.services import protected_names
from pulls.checks import check_rows, is_live, merge_box, summary_line
from pulls.models import CLOSED, OPEN, PullRequest
from pulls.services import (
    head_sha,
    merge_pull_request,
    mergeability,
    open_pull_request,
    update_pull_request,
)
from statuses.services import get_combined_status, get_status_summaries

RECENT_COMMITS = 20


def _with_summaries(repository, commits):
    """Pair each commit with its StatusSummary (None when nothing was reported), one query."""
    summaries = get_status_summaries(repository=repository, shas=[c.sha for c in commits])
    return [(commit, summaries.get(commit.sha)) for commit in commits]


@repository_page()
def repository_home(request, repository, permission):
    git = GitRepository(repository.id)
    branches = git.branches()
    head = git.branch_sha(repository.default_branch)
    commits = git.log(head, RECENT_COMMITS) if head else []
    return render(
        request,
        "pulls/repository.html",
        {
            "repository": repository,
            "permission": permission,
            "branches": branches,
            "protected": protected_names(
                repository=repository, branch_names=[branch.name for branch in branches]
            ),
            "commits": _with_summaries(repository, commits),
            "open_pulls": PullRequest.objects.filter(repository=repository, state=OPEN).count(),
        },
    )


@repository_page()
def pull_list(request, repository, permission):
    state = CLOSED if request.GET.get("state") == CLOSED else OPEN
    pulls = list(
        PullRequest.objects.filter(repository=repository, state=state)
        .select_related("author")
        .order_by("-number")[:100]
    )
    git = GitRepository(repository.id)
    heads = {pull.pk: head_sha(pull, git) for pull in pulls}
    summaries = get_status_summaries(repository=repository, shas=heads.values())
    counts = dict.fromkeys((OPEN, CLOSED), 0)
    for row in PullRequest.objects.filter(repository=repository).values_list("state", flat=True):
        counts[row] += 1
    return render(
        request,
        "pulls/pull_list.html",
        {
            "repository": repository,
            "state": state,
            "counts": counts,
            "rows": [(pull, summaries.get(heads[pull.pk])) for pull in pulls],
        },
    )


def _pull_or_404(repository, number):
    pull = (
        PullRequest.objects.filter(repository=repository, number=number)
        .select_related("author", "merged_by")
        .first()
    )
    if pull is None:
        raise Http404("No such pull request")
    pull.repository = repository
    return pull


def _live_context(repository, permission, pull, git):
    """The checks box and merge box: shared by the page and its refreshing fragment."""
    head = head_sha(pull, git)
    combined = get_combined_status(repository=repository, sha=head)
    summary = mergeability(pull, git=git, combined=combined)
    rows = check_rows(combined, summary.decision)
    return {
        "repository": repository,
        "pull": pull,
        "head": head,
        "rows": rows,
        "summary_line": summary_line(rows),
        "live": pull.state == OPEN and is_live(rows),
        "merge": merge_box(pull, summary, permission),
    }


@repository_page()
def pull_detail(request, repository, permission, number):
    pull = _pull_or_404(repository, number)
    git = GitRepository(repository.id)
    context = _live_context(repository, permission, pull, git)
    base = pull.merge_base_sha or git.branch_sha(pull.base_ref)
    head = context["head"]
    commits = git.commits_between(base, head) if base and head else []
    context.update(
        {
            "commits": _with_summaries(repository, commits),
            "files": git.range_changes(base, head) if base and head else [],
            "permission": permission,
        }
    )
    return render(request, "pulls/pull_detail.html", context)


@repository_page()
def pull_live(request, repository, permission, number):
    """The self-refreshing part of the pull request page."""
    pull = _pull_or_404(repository, number)
    git = GitRepository(repository.id)
    context = _live_context(repository, permission, pull, git)
    response = render(request, "pulls/_live.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
@repository_page(need=permissions.PUSH)
def pull_merge(request, repository, permission, number):
    pull = _pull_or_404(repository, number)
    try:
        result = merge_pull_request(
            pull=pull,
            user=request.user,
            permission=permission,
            method=request.POST.get("merge_method", "merge"),
            sha=request.POST.get("expected_head") or None,
        )
    except (NotMergeable, Conflict, InvalidInput) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Pull request merged as {result.sha[:7]}.")
    return redirect("pull-detail", repository.owner.username, repository.name, pull.number)


@require_POST
@login_required
@repository_page()
def pull_set_state(request, repository, permission, number, state):
    pull = _pull_or_404(repository, number)
    if pull.author_id != request.user.pk and not permissions.at_least(permission, permissions.PUSH):
        raise PermissionDenied("Only the author or people with push access can do that.")
    try:
        update_pull_request(pull=pull, state=state)
    except InvalidInput as error:
        messages.error(request, "; ".join(e.get("message", e["code"]) for e in error.errors))
    return redirect("pull-detail", repository.owner.username, repository.name, pull.number)


@login_required
@repository_page()
def pull_new(request, repository, permission):
    """Open a pull request: pick base and head branches, give a title and description."""
    branches = [branch.name for branch in GitRepository(repository.id).branches()]
    values = {
        "base": request.POST.get("base") or request.GET.get("base") or repository.default_branch,
        "head": request.POST.get("head") or request.GET.get("head", ""),
        "title": request.POST.get("title", ""),
        "body": request.POST.get("body", ""),
    }
    errors = []
    if request.method == "POST":
        try:
            pull = open_pull_request(repository=repository, author=request.user, **values)
        except InvalidInput as error:
            errors = [e.get("message") or f"{e['field']} is {e['code']}" for e in error.errors]
        else:
            return redirect("pull-detail", repository.owner.username, repository.name, pull.number)
    return render(
        request,
        "pulls/pull_new.html",
        {"repository": repository, "branches": branches, "values": values, "errors": errors},
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
        "pulls/commit.html",
        {
            "repository": repository,
            "commit": git.commit(resolved),
            "rows": rows,
            "summary_line": summary_line(rows),
            "files": git.changes(resolved),
        },
    )
