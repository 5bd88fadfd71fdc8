"""Turns hostile requests away before routing, so no view, query or git call sees them."""

import re

from django.conf import settings
from django.http import Http404

from gitforge.api.exceptions import LengthRequired, RequestTooLarge
from gitforge.api.inputs import text_error
from gitforge.api.views import api_not_found, api_refusal
from gitforge.errors import InvalidInput

# C0 controls, DEL and unpaired surrogates: no owner, repository, ref or route holds them.
UNROUTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


class RequestLimits:
    """Paths with control characters do not exist (the API's JSON 404, a page's 404). On the
    API, a query parameter holding one is invalid (422), and a body is refused by its
    Content-Length when over GITFORGE_API_MAX_BODY_SIZE (413), or when it comes without one
    (411), so the server never reads an unbounded body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        if UNROUTABLE.search(request.path_info):
            if api:
                return api_not_found(request).render()
            raise Http404()
        if api:
            refusal = self.body_refusal(request.META) or self.query_refusal(request.GET)
            if refusal is not None:
                return api_refusal(request, refusal=refusal).render()
        return self.get_response(request)

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
