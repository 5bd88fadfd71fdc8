"""What the checks box of a pull request or commit page shows, computed once per render."""

from dataclasses import dataclass
from datetime import datetime

from gitforge.accounts.models import User
from gitforge.api.inputs import http_url
from protection.gate import EXPECTED, StatusCheckDecision
from protection.globs import glob_match
from statuses.selectors import CombinedStatus
from statuses.states import Outcome, State, outcome

ROW_ORDER = {Outcome.FAILING: 0, Outcome.PENDING: 1, EXPECTED: 2, Outcome.SUCCESS: 3}
STATE_WORDS = {
    Outcome.SUCCESS: "Success",
    Outcome.PENDING: "Pending",
    Outcome.FAILING: "Failing",
    EXPECTED: "Expected",
}


@dataclass(frozen=True)
class CheckRow:
    state: str  # success, pending, failing or expected
    context: str
    description: str
    target_url: str | None
    reported_at: datetime | None = None
    reporter: User | None = None
    required: bool = False
    original_state: str = ""

    @property
    def word(self) -> str:
        if self.original_state == State.ERROR:
            return "Error"
        return STATE_WORDS[self.state]


def check_rows(combined: CombinedStatus, decision: StatusCheckDecision | None) -> list[CheckRow]:
    """One row per reported context, plus an "Expected" row per required context not reported."""
    required = [check.context for check in decision.checks] if decision else []
    rows = []
    for status in combined.statuses:
        rows.append(
            CheckRow(
                state=str(outcome(status.state)),
                original_state=status.state,
                context=status.context,
                description=status.description or "",
                target_url=http_url(status.target_url),
                reported_at=status.created_at,
                reporter=status.creator,
                required=any(glob_match(p, status.context, ignore_case=True) for p in required),
            )
        )
    for check in decision.checks if decision else ():
        if check.state == EXPECTED:
            rows.append(
                CheckRow(
                    state=EXPECTED,
                    context=check.context,
                    description="Waiting for status to be reported",
                    target_url=None,
                    required=True,
                )
            )
    return sorted(rows, key=lambda row: (ROW_ORDER[row.state], row.context.lower()))


def summary_line(rows: list[CheckRow]) -> str:
    """ "All checks have passed", or counts: "1 failing, 2 pending and 3 successful checks"."""
    if not rows:
        return "No checks have been reported"
    counts = {state: sum(1 for row in rows if row.state == state) for state in ROW_ORDER}
    if counts[Outcome.SUCCESS] == len(rows):
        return "All checks have passed"
    words = [
        f"{counts[state]} {word}"
        for state, word in (
            (Outcome.FAILING, "failing"),
            (Outcome.PENDING, "pending"),
            (EXPECTED, "expected"),
            (Outcome.SUCCESS, "successful"),
        )
        if counts[state]
    ]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"{joined} check{'s' if len(rows) > 1 else ''}"


def is_live(rows: list[CheckRow]) -> bool:
    """Keep refreshing while any check is still pending or expected."""
    return any(row.state in (Outcome.PENDING, EXPECTED) for row in rows)
