"""What the merge box of a pull request page offers, and if it offers nothing, exactly why."""

from dataclasses import dataclass

from protection.gate import checks_refusal
from pulls.models import OPEN, PullRequest
from pulls.permissions import PullAbilities
from pulls.selectors import Mergeability

CONFLICTS = "This branch has conflicts that must be resolved."
NO_PUSH_ACCESS = "Only people with push access to this repository can merge."


@dataclass(frozen=True)
class MergeBox:
    can_merge: bool
    bypass: bool
    reasons: tuple[str, ...]
    # Auto-merge: offered while required checks are not yet green; when on, who may turn it off.
    can_enable_auto_merge: bool = False
    can_disable_auto_merge: bool = False


def merge_box(
    pull: PullRequest,
    summary: Mergeability,
    abilities: PullAbilities,
    permission: str | None,
    user=None,
) -> MergeBox:
    """The buttons and reasons; required checks are explained in the API's own words."""
    if pull.state != OPEN:
        return MergeBox(can_merge=False, bypass=False, reasons=())
    auto_merge = getattr(pull, "auto_merge", None)
    decision = summary.decision
    reasons = []
    if summary.conflicts:
        reasons.append(CONFLICTS)
    if decision is not None and decision.blockers:
        reasons.append(checks_refusal(decision.blockers))
    checks_ok = decision is None or decision.passed
    bypass = (
        not checks_ok
        and not summary.conflicts
        and decision is not None
        and decision.may_bypass(permission)
        and abilities.merge
    )
    can_merge = abilities.merge and not summary.conflicts and (checks_ok or bypass)
    if not abilities.merge:
        reasons.append(NO_PUSH_ACCESS)
    requires_checks = decision is not None and decision.rule is not None and bool(decision.checks)
    return MergeBox(
        can_merge=can_merge,
        bypass=bypass,
        reasons=tuple(reasons),
        can_enable_auto_merge=(
            auto_merge is None and abilities.merge and requires_checks and not checks_ok
        ),
        can_disable_auto_merge=auto_merge is not None
        and (abilities.merge or auto_merge.enabled_by_id == getattr(user, "pk", None)),
    )
