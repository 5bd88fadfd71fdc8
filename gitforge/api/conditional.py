"""Conditional requests as GitHub answers them: a weak ETag on every successful GET, and
304 Not Modified, without a body and without charging the rate limit, when the client's copy
(If-None-Match, else If-Modified-Since against Last-Modified) is still current."""

import hashlib

from django.http import HttpResponseNotModified
from django.utils.http import parse_etags, parse_http_date_safe

from gitforge.api.ratelimit import rate_limit_headers, refund_api_rate_limit

# What a 304 leaves out of the 200 it stands for: it has no body.
BODY_HEADERS = {"content-type", "content-length"}


def revalidated(request, response):
    """`response` with its ETag, or the 304 that replaces it when the client is up to date."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.streaming:
        return response
    response["ETag"] = etag(request, response)
    if not is_current(request, response):
        return response
    refund_api_rate_limit(request)
    return not_modified(request, response)


def etag(request, response) -> str:
    """W/"sha256" of what the client would receive: the body and Link header, for this URL
    (path and query, so each page differs) and this caller's Authorization and Accept, as
    GitHub's ETags vary with them."""
    digest = hashlib.sha256()
    for part in (
        request.META.get("HTTP_AUTHORIZATION", ""),
        request.META.get("HTTP_ACCEPT", ""),
        request.get_full_path(),
        response.get("Link", ""),
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\n")
    digest.update(response.content)
    return f'W/"{digest.hexdigest()}"'


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")


def is_current(request, response) -> bool:
    """RFC 9110's rules for GET: If-None-Match (weak comparison) decides when sent; else
    If-Modified-Since, against a Last-Modified the route sent."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = parse_etags(if_none_match)
        return "*" in tags or _opaque(response["ETag"]) in {_opaque(tag) for tag in tags}
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE"))
    modified = parse_http_date_safe(response.get("Last-Modified"))
    return since is not None and modified is not None and modified <= since


def not_modified(request, response):
    """The 304 for `response`: its headers without the body's, the rate limit as refunded."""
    unchanged = HttpResponseNotModified()
    for header, value in response.items():
        if header.lower() not in BODY_HEADERS:
            unchanged[header] = value
    for header, value in rate_limit_headers(request).items():
        unchanged[header] = value
    return unchanged
