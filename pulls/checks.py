"""What the checks box and merge box of a pull request page show, computed once per render."""

from dataclasses import dataclass

from gitforge.repositories import permissions
from gitforge.repositories.links import http_url
from protection.globs import glob_match
from protection.services import EXPECTED, FAILING
from pulls.models import OPEN
from statuses.models import ERROR, FAILURE, PENDING, SUCCESS

ROW_ORDER = {FAILING: 0, PENDING: 1, EXPECTED: 2, SUCCESS: 3}
STATE_WORDS = {SUCCESS: "Success", PENDING: "Pending", FAILING: "Failing", EXPECTED: "Expected"}


@dataclass(frozen=True)
class CheckRow:
    state: str  # success, pending, failing or expected
    context: str
    description: str
    target_url: str | None
    reported_at: object = None
    reporter: object = None
    required: bool = False
    original_state: str = ""

    @property
    def word(self):
        if self.original_state == ERROR:
            return "Error"
        return STATE_WORDS[self.state]


def check_rows(combined, decision):
    """One row per reported context, plus an "Expected" row per required context not reported."""
    required = [check.context for check in decision.checks] if decision else []
    rows = []
    for status in combined.statuses:
        state = FAILING if status.state in (ERROR, FAILURE) else status.state
        rows.append(
            CheckRow(
                state=state,
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


def summary_line(rows):
    """ "All checks have passed", or counts: "1 failing, 2 pending and 3 successful checks"."""
    if not rows:
        return "No checks have been reported"
    counts = {state: sum(1 for row in rows if row.state == state) for state in ROW_ORDER}
    if counts[SUCCESS] == len(rows):
        return "All checks have passed"
    words = [
        f"{counts[state]} {word}"
        for state, word in (
            (FAILING, "failing"),
            (PENDING, "pending"),
            (EXPECTED, "expected"),
            (SUCCESS, "successful"),
        )
        if counts[state]
    ]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"{joined} check{'s' if len(rows) > 1 else ''}"


@dataclass(frozen=True)
class MergeBox:
    can_merge: bool
    bypass: bool
    reasons: tuple
    may_push: bool


def merge_box(pull, summary, permission):
    """Whether the merge buttons are offered, and if not, exactly why."""
    may_push = permissions.at_least(permission, permissions.PUSH)
    if pull.state != OPEN:
        return MergeBox(can_merge=False, bypass=False, reasons=(), may_push=may_push)
    decision = summary.decision
    reasons = []
    if summary.conflicts:
        reasons.append("This branch has conflicts that must be resolved.")
    if decision is not None:
        for state, words in ((EXPECTED, "expected"), (PENDING, "pending"), (FAILING, "failing")):
            contexts = decision.contexts_in(state)
            if contexts:
                noun = "check" if len(contexts) == 1 else "checks"
                reasons.append(f"Required {noun} {words}: {', '.join(contexts)}.")
        if decision.behind:
            reasons.append("This branch is out-of-date with the base branch.")
    checks_ok = decision is None or decision.passed
    bypass = (
        not checks_ok and not summary.conflicts and decision.may_bypass(permission) and may_push
    )
    can_merge = may_push and not summary.conflicts and (checks_ok or bypass)
    if not may_push:
        reasons.append("Only people with push access to this repository can merge.")
    return MergeBox(can_merge=can_merge, bypass=bypass, reasons=tuple(reasons), may_push=may_push)


def is_live(rows):
    """Keep refreshing while any check is still pending or expected."""
    return any(row.state in (PENDING, EXPECTED) for row in rows)
