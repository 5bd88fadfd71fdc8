"""The `pull_request` webhook event's payload."""

from pulls.representations import pull_detail_json


def pull_request_event(pull, **fields):
    """A builder for a `pull_request` event; `fields` are the action's own (`changes`,
    `before`/`after`), placed before the pull request as GitHub orders them."""
    return lambda site: {
        "number": pull.number,
        **fields,
        "pull_request": pull_detail_json(pull, site),
    }
