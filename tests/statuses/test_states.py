"""The state vocabulary: what each state means for a check, and how states combine."""

import pytest

from statuses.states import Outcome, State, combined_outcome, outcome


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (State.SUCCESS, Outcome.SUCCESS),
        (State.PENDING, Outcome.PENDING),
        (State.FAILURE, Outcome.FAILING),
        (State.ERROR, Outcome.FAILING),
        ("success", "success"),
        ("error", "failing"),
    ],
)
def test_outcome_of_each_state(state, expected):
    assert outcome(state) == expected


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], Outcome.PENDING),
        (["success", "success"], Outcome.SUCCESS),
        (["success", "pending"], Outcome.PENDING),
        (["pending", "error"], Outcome.FAILING),
        (["failure", "success"], Outcome.FAILING),
    ],
)
def test_combined_outcome(states, expected):
    assert combined_outcome(states) == expected


def test_the_four_states_are_githubs():
    assert State.values == ["error", "failure", "pending", "success"]
