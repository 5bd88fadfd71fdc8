"""The one vocabulary of commit status states, and how each one counts.

A status is `error`, `failure`, `pending` or `success`. Combining, branch protection and the
pages all judge a state through `outcome()`: it passed, it is still pending, or it is failing.
"""

from collections.abc import Iterable

from django.db import models


class State(models.TextChoices):
    ERROR = "error", "error"
    FAILURE = "failure", "failure"
    PENDING = "pending", "pending"
    SUCCESS = "success", "success"


class Outcome(models.TextChoices):
    SUCCESS = "success"
    PENDING = "pending"
    FAILING = "failing"


def outcome(state: str) -> Outcome:
    """What a state means for a check: success, pending, or failing (error and failure)."""
    if state in (State.ERROR, State.FAILURE):
        return Outcome.FAILING
    if state == State.PENDING:
        return Outcome.PENDING
    return Outcome.SUCCESS


def combined_outcome(states: Iterable[str]) -> Outcome:
    """Failing if any state fails, else pending if there are none or any is pending."""
    outcomes = {outcome(state) for state in states}
    if Outcome.FAILING in outcomes:
        return Outcome.FAILING
    if not outcomes or Outcome.PENDING in outcomes:
        return Outcome.PENDING
    return Outcome.SUCCESS


def combine_states(states: Iterable[str]) -> State:
    """GitHub's combined state: failure if any error/failure, else pending if none or any
    pending, else success."""
    return {
        Outcome.FAILING: State.FAILURE,
        Outcome.PENDING: State.PENDING,
        Outcome.SUCCESS: State.SUCCESS,
    }[combined_outcome(states)]
