"""The API's middleware: GitHub's response headers and conditional requests on every API
response, and hostile requests turned away before routing, so no view, query or git call
sees them."""

import logging
import re

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_vary_headers

from gitforge.api.conditional import revalidated
from gitforge.api.cors import allow_any_origin, preflight_response
from gitforge.api.exceptions import LengthRequired, RequestTooLarge
from gitforge.api.inputs import text_error
from gitforge.api.request_ids import current_request_id, new_request_id
from gitforge.api.views import api_not_found, api_refusal
from gitforge.errors import InvalidInput

# C0 controls, DEL and unpaired surrogates: no owner, repository, ref or route holds them.
UNROUTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")

VARY = ("Accept", "Authorization", "Cookie", "X-GitHub-OTP", "Accept-Encoding", "X-Requested-With")
CACHE_FOR_CALLER = "private, max-age=60, s-maxage=60"
CACHE_FOR_ANYONE = "public, max-age=60, s-maxage=60"

log = logging.getLogger("gitforge.api.requests")


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class APIMiddleware:
    """The API's edge, in one middleware: each one adds stack frames under every view, and a
    JSON body's nesting is parsed within the recursion limit they leave.

    Every API response gets X-GitHub-Request-Id (also on the request's log records), CORS, Vary
    and Cache-Control as GitHub sends them; a successful GET its ETag, or 304 Not Modified when
    the client's copy is current. OPTIONS is a CORS preflight, answered before authentication
    and rate limiting. Hostile requests are turned away before routing: paths with control
    characters do not exist (the API's JSON 404, a page's 404); on the API, a query parameter
    holding one is invalid (422), and a body is refused by its Content-Length when over
    GITFORGE_API_MAX_BODY_SIZE (413), or when it comes without one (411), so the server never
    reads an unbounded body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            if UNROUTABLE.search(request.path_info):
                raise Http404()
            return self.get_response(request)
        request.github_request_id = request_id = new_request_id()
        reset = current_request_id.set(request_id)
        try:
            if request.method == "OPTIONS":
                response = preflight_response()
            else:
                response = self.refusal(request)
                if response is None:
                    response = revalidated(request, self.get_response(request))
            response["X-GitHub-Request-Id"] = request_id
            response["Cache-Control"] = self.cache_control(request, response)
            patch_vary_headers(response, VARY)
            allow_any_origin(response)
            log.info(
                "%s %s %s",
                request.method,
                request.get_full_path(),
                response.status_code,
                extra={"request_id": request_id},
            )
            return response
        finally:
            current_request_id.reset(reset)

    @staticmethod
    def cache_control(request, response) -> str:
        """Successful reads may be kept a minute: by the caller alone when it authenticated;
        anything else (writes, errors, preflights) is revalidated each time."""
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            return CACHE_FOR_CALLER if "HTTP_AUTHORIZATION" in request.META else CACHE_FOR_ANYONE
        return "no-cache"

    def refusal(self, request):
        """The error response for a hostile API request; None for any other."""
        if UNROUTABLE.search(request.path_info):
            return api_not_found(request).render()
        refusal = self.body_refusal(request.META) or self.query_refusal(request.GET)
        if refusal is not None:
            return api_refusal(request, refusal=refusal).render()
        return None

    @staticmethod
    def query_refusal(query):
        for name, values in query.lists():
            if any(UNROUTABLE.search(text) for text in (name, *values)):
                return InvalidInput("Validation Failed", [text_error("Query", name)])
        return None

    @staticmethod
    def body_refusal(meta):
        limit = settings.GITFORGE_API_MAX_BODY_SIZE
        length = meta.get("CONTENT_LENGTH") or ""
        if not length:
            return LengthRequired() if meta.get("HTTP_TRANSFER_ENCODING") else None
        if not (length.isascii() and length.isdigit()):
            return None  # Django reads nothing of a body whose length it cannot parse
        return RequestTooLarge(limit) if int(length) > limit else None
