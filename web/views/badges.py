"""Status badge images: `/{owner}/{repo}/badges/{branch}.svg[?context=pattern]`."""

import hashlib

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from gitforge.repositories.git import GitRepository
from protection.globs import validate_pattern
from statuses.contexts import context_key
from statuses.selectors import get_status_summaries
from web.badges import LABEL, badge_state, draw_badge
from web.decorators import repository_page

MAX_AGE = 60  # seconds: a README shows a state at most this old


@require_safe
@repository_page()
def branch_badge(request, repository, permission, branch):
    """The combined state of the branch head (of the contexts matching `?context=`, if given);
    unknown when nothing was reported or there is no such branch."""
    pattern = request.GET.get("context") or None
    if pattern is not None:
        try:
            validate_pattern(pattern)
            validate_pattern(context_key(pattern))  # what matching compiles
        except ValueError as error:
            return HttpResponseBadRequest(
                f"Invalid context pattern: {error}", content_type="text/plain; charset=utf-8"
            )
    head = GitRepository(repository.id).branch_sha(branch)
    summary = get_status_summaries(repository=repository, shas=[head]).get(head) if head else None
    svg = draw_badge(pattern or LABEL, badge_state(summary.contexts if summary else (), pattern))
    response = HttpResponse(svg, content_type="image/svg+xml")
    visibility = "private" if repository.private else "public"
    response["Cache-Control"] = f"{visibility}, max-age={MAX_AGE}"
    etag = quote_etag(hashlib.sha256(svg.encode()).hexdigest()[:32])
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response)
