"""Pull request pages. Each gathers its data with a fixed number of queries, whatever the number
of commits or contexts."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from gitforge.errors import InvalidInput
from gitforge.repositories.git import GitRepository
from pulls.auto_merge import enable_auto_merge
from pulls.models import CLOSED, OPEN, PullRequest
from pulls.permissions import pull_abilities
from pulls.selectors import head_sha, mergeability
from pulls.services import (
    MAX_BODY,
    disable_auto_merge,
    merge_pull_request,
    open_pull_request,
    update_pull_request,
)
from statuses.selectors import get_combined_status, get_status_summaries
from web.checks_box import check_rows, is_live, summary_line
from web.decorators import repository_page
from web.errors import error_messages, refusals_as_messages
from web.live import is_presented, live_etag, not_modified_etag, refresh_token, viewer_id
from web.markdown import render_markdown
from web.merge_box import merge_box
from web.views.repositories import file_diffs, with_summaries


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
        "web/pull_list.html",
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
        .select_related("author", "merged_by", "auto_merge__enabled_by")
        .first()
    )
    if pull is None:
        raise Http404("No such pull request")
    pull.repository = repository
    return pull


def _live_context(request, repository, permission, pull, git, etag):
    """The checks box and merge box: shared by the page and its refreshing fragment. `etag` is
    taken before anything is read, so a change in between shows at the next refresh."""
    head = head_sha(pull, git)
    combined = get_combined_status(repository=repository, sha=head)
    summary = mergeability(pull, git=git, combined=combined)
    rows = check_rows(combined, summary.decision)
    abilities = pull_abilities(pull=pull, user=request.user, permission=permission)
    return {
        "repository": repository,
        "pull": pull,
        "head": head,
        "rows": rows,
        "summary_line": summary_line(rows),
        # Auto-merge keeps the page refreshing until the merge (or the reason it waits) shows.
        "live": pull.state == OPEN
        and (is_live(rows) or getattr(pull, "auto_merge", None) is not None),
        "abilities": abilities,
        "merge": merge_box(pull, summary, abilities, permission, request.user),
        "live_etag": etag or "",
        "refresh_token": refresh_token(
            repository_id=repository.id, number=pull.number, user_id=viewer_id(request.user)
        ),
    }


@repository_page()
def pull_detail(request, repository, permission, number):
    etag = live_etag(repository_id=repository.id, number=number, user_id=viewer_id(request.user))
    pull = _pull_or_404(repository, number)
    git = GitRepository(repository.id)
    context = _live_context(request, repository, permission, pull, git, etag)
    base = pull.merge_base_sha or git.branch_sha(pull.base_ref)
    head = context["head"]
    commits = git.commits_between(base, head) if base and head else []
    context.update(
        {
            "body_html": _body_html(pull),
            "commits": with_summaries(repository, commits),
            "files": file_diffs(git.range_changes(base, head) if base and head else []),
            "permission": permission,
        }
    )
    return render(request, "web/pull_detail.html", context)


def _body_html(pull) -> SafeString:
    """The description as sanitized HTML, rendered when first shown after each edit (whoever
    made it) and stored with the digest of the body it shows, so views do not render Markdown."""
    digest = hashlib.sha256(pull.body.encode()).hexdigest()
    if pull.body_html_digest != digest:
        pull.body_html, pull.body_html_digest = render_markdown(pull.body), digest
        PullRequest.objects.filter(pk=pull.pk).update(
            body_html=pull.body_html, body_html_digest=digest
        )
    return mark_safe(pull.body_html)  # sanitized by render_markdown


def pull_live(request, owner, repo, number, token=None):
    """The self-refreshing part of the pull request page. A refresh whose ETag is still current
    gets a 304 before any session or repository lookup (see web/live.py)."""
    etag = not_modified_etag(request, number, token)
    if etag is None:
        return _pull_live(request, owner, repo, number)
    return _not_modified(etag)


@repository_page()
def _pull_live(request, repository, permission, number):
    etag = live_etag(repository_id=repository.id, number=number, user_id=viewer_id(request.user))
    if is_presented(request, etag):
        return _not_modified(etag)
    pull = _pull_or_404(repository, number)
    git = GitRepository(repository.id)
    response = render(
        request, "web/_live.html", _live_context(request, repository, permission, pull, git, etag)
    )
    if etag is not None:
        response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    return response


def _not_modified(etag):
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
@repository_page()
@refusals_as_messages
def pull_merge(request, repository, permission, number):
    pull = _pull_or_404(repository, number)
    result = merge_pull_request(
        pull=pull,
        user=request.user,
        permission=permission,
        method=request.POST.get("merge_method", "merge"),
        sha=request.POST.get("expected_head") or None,
    )
    messages.success(request, f"Pull request merged as {result.sha[:7]}.")
    return redirect("pull-detail", repository.owner.username, repository.name, pull.number)


@require_POST
@login_required
@repository_page()
@refusals_as_messages
def pull_enable_auto_merge(request, repository, permission, number):
    pull = _pull_or_404(repository, number)
    auto_merge = enable_auto_merge(
        pull=pull,
        user=request.user,
        permission=permission,
        method=request.POST.get("merge_method", "merge"),
        commit_title=request.POST.get("commit_title", "").strip() or None,
        commit_message=request.POST.get("commit_message", "").strip() or None,
    )
    messages.success(
        request,
        f"Auto-merge enabled: this pull request merges ({auto_merge.merge_method}) "
        "when the required checks pass.",
    )
    return redirect("pull-detail", repository.owner.username, repository.name, pull.number)


@require_POST
@login_required
@repository_page()
@refusals_as_messages
def pull_disable_auto_merge(request, repository, permission, number):
    pull = _pull_or_404(repository, number)
    if disable_auto_merge(pull=pull, user=request.user, permission=permission):
        messages.success(request, "Auto-merge disabled.")
    return redirect("pull-detail", repository.owner.username, repository.name, pull.number)


@require_POST
@login_required
@repository_page()
@refusals_as_messages
def pull_set_state(request, repository, permission, number, state):
    pull = _pull_or_404(repository, number)
    update_pull_request(pull=pull, user=request.user, permission=permission, state=state)
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
    errors: list[str] = []
    if request.method == "POST":
        try:
            pull = open_pull_request(repository=repository, author=request.user, **values)
        except InvalidInput as error:
            errors = error_messages(error)
        else:
            return redirect("pull-detail", repository.owner.username, repository.name, pull.number)
    return render(
        request,
        "web/pull_new.html",
        {
            "repository": repository,
            "branches": branches,
            "values": values,
            "errors": errors,
            "max_body": MAX_BODY,
        },
    )
