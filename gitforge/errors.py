"""Domain errors raised by services; the API and the pages each render them in one place."""


class InvalidInput(Exception):
    """The request was understood but breaks a rule (GitHub answers 422 Validation Failed).

    `errors` holds GitHub-style entries: {"resource", "field", "code"} and optionally "message".
    """

    def __init__(self, message="Validation Failed", errors=()):
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


class Conflict(Exception):
    """The state changed under the caller, e.g. a branch moved during a compare-and-swap."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotMergeable(Exception):
    """A merge that the rules refuse: protection, conflicts, a closed pull (GitHub: 405)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class MergeConflict(NotMergeable):
    """The head cannot be merged into the base without conflicts."""

    def __init__(self, message="Merge conflict"):
        super().__init__(message)


def field_error(resource, field, code, message=None):
    entry = {"resource": resource, "field": field, "code": code}
    if message:
        entry["message"] = message
    return entry
