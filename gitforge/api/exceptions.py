"""GitHub's error bodies, produced in exactly one place: DRF's exception handler."""

from django.conf import settings
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from gitforge.errors import Conflict, Forbidden, InvalidInput, NotMergeable


class RequiresAuthentication(exceptions.NotAuthenticated):
    default_detail = "Requires authentication"


class RequestTooLarge(exceptions.APIException):
    """A request body over GITFORGE_API_MAX_BODY_SIZE, refused before it is read."""

    status_code = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"Request body too large: the limit is {limit} bytes")


class LengthRequired(exceptions.APIException):
    """A body sent without Content-Length (chunked): refused rather than read unbounded."""

    status_code = 411
    default_detail = "Length Required"


def error_body(message, status, errors=None, documentation_url=None):
    body: dict[str, object] = {
        "message": message,
        "documentation_url": documentation_url or settings.GITFORGE_DOCS_URL,
        "status": str(status),
    }
    if errors is not None:
        body["errors"] = errors
    return body


def documentation_url(view, request) -> str | None:
    """The docs section of the operation that answered: a view serving several operations
    names them per method in `documentation_urls`, else its `documentation_url` stands."""
    by_method = getattr(view, "documentation_urls", {})
    method = getattr(request, "method", None)
    return by_method.get(method) or getattr(view, "documentation_url", None)


def error_text(error) -> str:
    """An error entry as a sentence, for routes documenting `validation-error-simple`."""
    if isinstance(error, str):
        return error
    if error.get("message"):
        return f"{error['field']}: {error['message']}"
    return f"{error['field']} is {'missing' if error['code'] == 'missing_field' else 'invalid'}"


def github_exception_handler(exc, context):
    """Turn any API exception into a GitHub-style JSON error response."""
    view = context.get("view")
    docs = documentation_url(view, context.get("request"))
    headers: dict[str, str] = {}
    errors = None
    if isinstance(exc, InvalidInput):
        status, message, errors = 422, exc.message, exc.errors or None
        if errors and getattr(view, "simple_validation_errors", False):
            errors = [error_text(error) for error in errors]
    elif isinstance(exc, NotMergeable):
        status, message = 405, exc.message
    elif isinstance(exc, Conflict):
        status, message = 409, exc.message
    elif isinstance(exc, Forbidden):
        status, message = 403, exc.message
    elif isinstance(exc, exceptions.ParseError):
        status, message = 400, "Problems parsing JSON"
    elif isinstance(exc, exceptions.AuthenticationFailed):
        status, message = 401, "Bad credentials"
    elif isinstance(exc, exceptions.NotAuthenticated):
        status, message = 401, "Requires authentication"
    elif isinstance(exc, exceptions.PermissionDenied):
        status, message = 403, str(exc.detail)
    elif isinstance(exc, exceptions.NotFound) and exc.detail != exceptions.NotFound.default_detail:
        status, message = 404, str(exc.detail)
    elif isinstance(exc, Http404 | exceptions.NotFound | exceptions.MethodNotAllowed):
        status, message = 404, "Not Found"
    elif isinstance(exc, exceptions.Throttled):
        status, message = 429, "API rate limit exceeded"
        wait = getattr(exc, "wait", None)
        if wait is not None:
            headers["Retry-After"] = str(int(wait))
    elif isinstance(exc, exceptions.APIException):
        status, message = exc.status_code, str(exc.detail)
    else:
        return None
    return Response(error_body(message, status, errors, docs), status=status, headers=headers)
