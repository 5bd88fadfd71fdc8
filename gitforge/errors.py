"""Domain errors raised by services; the API and the pages each render them in one place."""


class DomainError(Exception):
    """A rule refused the request; `message` says why in words a user can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The request was understood but breaks a rule (GitHub answers 422 Validation Failed).

    `errors` holds GitHub-style entries: {"resource", "field", "code"} and optionally "message".
    """

    def __init__(self, message: str = "Validation Failed", errors=()) -> None:
        super().__init__(message)
        self.errors = list(errors)


class Forbidden(DomainError):
    """The caller may see the resource but not do this to it (GitHub: 403)."""


class Conflict(DomainError):
    """The state changed under the caller, e.g. a branch moved during a compare-and-swap."""


class NotMergeable(DomainError):
    """A merge that the rules refuse: protection, conflicts, a closed pull (GitHub: 405)."""


class MergeConflict(NotMergeable):
    """The head cannot be merged into the base without conflicts."""

    def __init__(self, message: str = "Merge conflict") -> None:
        super().__init__(message)


def field_error(resource: str, field: str, code: str, message: str | None = None) -> dict:
    entry = {"resource": resource, "field": field, "code": code}
    if message:
        entry["message"] = message
    return entry


def resource_error(resource: str, code: str, message: str) -> dict:
    """An entry about the resource as a whole rather than one field, such as a limit reached."""
    return {"resource": resource, "code": code, "message": message}
