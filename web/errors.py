"""How pages show a domain error: the one translation of service refusals into page messages."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from gitforge.errors import DomainError, Forbidden, InvalidInput


def error_messages(error: DomainError) -> list[str]:
    """What a page says about a refused request: one line per bad field, else the message."""
    if isinstance(error, InvalidInput) and error.errors:
        return [
            entry.get("message") or f"{entry['field']} is {entry['code']}" for entry in error.errors
        ]
    return [error.message]


def refusals_as_messages(view):
    """For a POST action on a pull request: a refusal becomes error messages on the pull
    request page it redirects to; a Forbidden is a 403 page."""

    @wraps(view)
    def wrapper(request, repository, permission, number, *args, **kwargs):
        try:
            return view(request, repository, permission, number, *args, **kwargs)
        except Forbidden as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect("pull-detail", repository.owner.username, repository.name, number)

    return wrapper
