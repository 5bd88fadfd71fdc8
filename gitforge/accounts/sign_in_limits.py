"""Failed sign-ins are counted per account and per address (django-ratelimit counters in the
default cache). Past either limit the sign-in forms refuse before checking the password, and
the page answers 429 with Retry-After, until the window ends.

Failures are counted after the password check, so a burst of simultaneous guesses can pass the
limit by at most the number of requests the server handles at once.
"""

from functools import wraps

from django.conf import settings
from django_ratelimit.core import get_usage

TOO_MANY_ATTEMPTS = "too_many_attempts"


def _counters(request, username):
    """(group, key, rate) of each limit that applies to this attempt."""
    return (
        (
            "sign-in:account",
            (username or "").strip().lower(),
            settings.GITFORGE_SIGN_IN_ACCOUNT_RATE_LIMIT,
        ),
        ("sign-in:address", client_address(request), settings.GITFORGE_SIGN_IN_ADDRESS_RATE_LIMIT),
    )


def client_address(request):
    """The address the attempt comes from. Behind the TLS proxy every request comes from the
    proxy, which appends the client's address to X-Forwarded-For: the last entry is that one."""
    if settings.GITFORGE_BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def _usage(request, group, key, rate, *, increment):
    return get_usage(
        request, group=group, key=lambda group, req: key, rate=rate, increment=increment
    )


def sign_in_wait(request, username):
    """Seconds until `username` may try again from this address; 0 when it may now."""
    wait = 0
    for group, key, rate in _counters(request, username):
        usage = _usage(request, group, key, rate, increment=False)
        if usage and usage["count"] >= usage["limit"]:
            wait = max(wait, usage["time_left"], 1)
    return wait


def record_failed_sign_in(request, username):
    for group, key, rate in _counters(request, username):
        _usage(request, group, key, rate, increment=True)


def refusal_message(wait):
    minutes = max(1, -(-wait // 60))
    return (
        "Too many failed sign-in attempts for this account or from this address. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


def answers_429_when_limited(view):
    """For a sign-in view whose form is a SignInForm: a refused attempt is a 429 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        wait = getattr(form, "retry_after", 0)
        if wait:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response

    return wrapper
