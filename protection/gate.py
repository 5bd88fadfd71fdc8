"""The merge and push gate: whether a commit satisfies a branch's required status checks.

`check_status_checks()` is the single decision that merges, pushes, the API and the pull request
page all ask, so they cannot disagree. What blocks is a tuple of Blocker values, and
`checks_refusal()` is the one wording of them that the API, the merge box and the push hook use.
"""

from dataclasses import dataclass

from gitforge.repositories import permissions
from gitforge.repositories.git import GitRepository
from protection.globs import context_matches
from protection.models import ProtectedBranch
from protection.selectors import rule_for_branch
from statuses.selectors import CombinedStatus, LatestStatus, get_combined_status
from statuses.states import Outcome, combined_outcome

EXPECTED = "expected"  # a required context that no status has reported yet
BEHIND = "behind"  # strict mode: the head does not contain the base branch's tip


@dataclass(frozen=True)
class ContextCheck:
    """One required context (or pattern) and the latest statuses that match it."""

    context: str
    state: str  # success, pending, failing or expected
    statuses: tuple[LatestStatus, ...] = ()

    @property
    def passed(self) -> bool:
        return self.state == Outcome.SUCCESS


@dataclass(frozen=True)
class Blocker:
    """One reason the required checks block: contexts in one state, or a head that is behind."""

    kind: str  # expected, pending, failing or behind
    contexts: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        if self.kind == BEHIND:
            return "the head branch is not up to date with the base branch"
        verb = "is" if len(self.contexts) == 1 else "are"
        return f"{', '.join(self.contexts)} {verb} {self.kind}"


def checks_refusal(blockers, *, where: str = "", sha: str = "") -> str:
    """The sentence that explains blocking checks, e.g. "Required status checks have not
    passed: ci/tests is pending."; `where` and `sha` say which branch and commit."""
    scope = f" for {where}" if where else ""
    on = f" on {sha[:7]}" if sha else ""
    reasons = "; ".join(blocker.text for blocker in blockers)
    return f"Required status checks{scope} have not passed{on}: {reasons}."


@dataclass(frozen=True)
class StatusCheckDecision:
    rule: ProtectedBranch | None
    head_sha: str
    checks: tuple[ContextCheck, ...] = ()
    behind: bool = False

    @property
    def passed(self) -> bool:
        return not self.behind and all(check.passed for check in self.checks)

    @property
    def blockers(self) -> tuple[Blocker, ...]:
        """What keeps the checks from passing, expected first, then pending, failing, behind."""
        found = []
        for kind in (EXPECTED, Outcome.PENDING, Outcome.FAILING):
            contexts = tuple(check.context for check in self.checks if check.state == kind)
            if contexts:
                found.append(Blocker(kind=str(kind), contexts=contexts))
        if self.behind:
            found.append(Blocker(kind=BEHIND))
        return tuple(found)

    def may_bypass(self, permission: str | None) -> bool:
        """Admins may merge past failing checks unless the rule enforces them for admins."""
        return (
            self.rule is not None
            and not self.rule.enforce_admins
            and permissions.at_least(permission, permissions.ADMIN)
        )


def evaluate_required_contexts(required, statuses) -> tuple[ContextCheck, ...]:
    """Judge each required context or glob against the latest statuses of a commit.

    A pattern passes only if at least one reported context matches it and every matching
    context's latest status is success; a pattern that matches nothing is expected.
    """
    checks = []
    for pattern in required:
        matched = tuple(status for status in statuses if context_matches(pattern, status.context))
        state = str(combined_outcome(s.state for s in matched)) if matched else EXPECTED
        checks.append(ContextCheck(context=pattern, state=state, statuses=matched))
    return tuple(checks)


def check_status_checks(
    *,
    repository,
    base_branch: str,
    head_sha: str,
    rule: ProtectedBranch | None = None,
    combined: CombinedStatus | None = None,
    git: GitRepository | None = None,
) -> StatusCheckDecision:
    """Decide whether `head_sha` satisfies the required status checks of `base_branch`.

    Lists every required context as success, pending, failing or expected and, in strict
    mode, whether the head is behind the base branch's tip. Pass `rule`, `combined` or `git`
    when the caller already has them, to save queries and repository opens.
    """
    rule = rule or rule_for_branch(repository=repository, branch=base_branch)
    if rule is None or not rule.require_status_checks:
        return StatusCheckDecision(rule=rule, head_sha=head_sha)
    combined = combined or get_combined_status(repository=repository, sha=head_sha)
    required = [item.context for item in rule.required_contexts.all()]
    git = git or GitRepository(repository.id)
    base_sha = git.branch_sha(base_branch)
    behind = bool(rule.strict and base_sha and not git.contains(head_sha, base_sha))
    return StatusCheckDecision(
        rule=rule,
        head_sha=head_sha,
        checks=evaluate_required_contexts(required, combined.statuses),
        behind=behind,
    )


@dataclass(frozen=True)
class PushDecision:
    allowed: bool
    message: str = ""


PULL_REFS = "refs/pull/"  # the server's own namespace, as on GitHub


def check_ref_update(
    *, repository, ref, old_sha, new_sha, fast_forward, permission
) -> PushDecision:
    """May a push move the full ref `ref` (any namespace)? Deletions have new_sha None.

    Nobody may write `refs/pull/*` or a branch named HEAD, nor create or move a tag that
    takes the name of a protected branch (it would make that name ambiguous to git and to
    ref resolution). Branches then go through check_push; other refs are allowed.
    """
    if ref.startswith(PULL_REFS):
        return PushDecision(
            allowed=False,
            message=f"Cannot update {ref}: {PULL_REFS} is reserved for pull requests.",
        )
    if ref == "refs/heads/HEAD":
        return PushDecision(allowed=False, message="Cannot create a branch named HEAD.")
    if ref.startswith("refs/tags/") and new_sha is not None:
        tag = ref.removeprefix("refs/tags/")
        rule = rule_for_branch(repository=repository, branch=tag)
        if rule is not None:
            return PushDecision(
                allowed=False,
                message=(
                    f"Cannot push tag {tag}: it takes the name of protected branch {tag} "
                    f"(rule {rule.pattern!r})."
                ),
            )
    if ref.startswith("refs/heads/"):
        return check_push(
            repository=repository,
            branch=ref.removeprefix("refs/heads/"),
            old_sha=old_sha,
            new_sha=new_sha,
            fast_forward=fast_forward,
            permission=permission,
        )
    return PushDecision(allowed=True)


def check_push(*, repository, branch, old_sha, new_sha, fast_forward, permission) -> PushDecision:
    """May a push move `branch` from old_sha to new_sha? Deletions have new_sha None.

    Asks the same rule and status-check decision as merges: force pushes and deletions are
    refused unless the rule allows them, and with required checks the pushed commit must
    already have every required context success. Admins bypass unless enforce_admins is on.
    """
    rule = rule_for_branch(repository=repository, branch=branch)
    if rule is None:
        return PushDecision(allowed=True)
    if not rule.enforce_admins and permissions.at_least(permission, permissions.ADMIN):
        return PushDecision(allowed=True)
    where = f"protected branch {branch} (rule {rule.pattern!r})"
    if new_sha is None:
        if rule.allow_deletions:
            return PushDecision(allowed=True)
        return PushDecision(allowed=False, message=f"Cannot delete {where}.")
    if old_sha is not None and not fast_forward and not rule.allow_force_pushes:
        return PushDecision(allowed=False, message=f"Cannot force-push to {where}.")
    decision = check_status_checks(
        repository=repository, base_branch=branch, head_sha=new_sha, rule=rule
    )
    # The pushed commit becomes the branch tip, so it cannot be behind it: only contexts count.
    blockers = [blocker for blocker in decision.blockers if blocker.kind != BEHIND]
    if not blockers:
        return PushDecision(allowed=True)
    return PushDecision(allowed=False, message=checks_refusal(blockers, where=where, sha=new_sha))
