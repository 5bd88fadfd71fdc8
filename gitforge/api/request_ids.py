"""X-GitHub-Request-Id: a unique id for each API request, sent back to the client and put on
every log record written while the request is served, so a reported id finds its log lines."""

import contextvars
import logging
import secrets
import time

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default="-"
)


def new_request_id() -> str:
    """An id shaped like GitHub's (`99A2:59502:2086CF0C:2164DB7E:6777ED34`): 100 random bits
    and the time."""
    return ":".join(
        (
            f"{secrets.randbits(16):04X}",
            f"{secrets.randbits(20):05X}",
            f"{secrets.randbits(32):08X}",
            f"{secrets.randbits(32):08X}",
            f"{int(time.time()):08X}",
        )
    )


class RequestIdFilter(logging.Filter):
    """Gives each log record `request_id`: that of the request the record names (Django logs a
    request's 4xx/5xx after the middleware returned), else of the API request being served,
    else "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "github_request_id", current_request_id.get())
        return True
