"""The merge and push gate: whether a commit satisfies a branch's required status checks.

`check_status_checks()` is the single decision that merges, pushes, the API and the pull request
page all ask, so they cannot disagree. The API and the push hook refuse in GitHub's words
(`StatusCheckDecision.message`, which tools match on); the pull request page says more, naming
every blocking context (`checks_refusal()`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from gitforge.repositories import permissions
from gitforge.repositories.git import GitRepository
from protection.globs import context_matches
from protection.models import ProtectedBranch
from protection.selectors import rule_for_branch
from statuses.selectors import CombinedStatus, LatestStatus, get_combined_status
from statuses.states import Outcome, State, combined_outcome

EXPECTED = "expected"  # a required context that no status has reported yet
BEHIND = "behind"  # strict mode: the head does not contain the base branch's tip
IN_PROGRESS = "in progress"  # GitHub's word for pending, in refusals
VERDICT_ORDER = (EXPECTED, IN_PROGRESS, "errored", "failing")

# GitHub's refusals, word for word.
HEAD_OUT_OF_DATE = "Head branch is out of date. Review and try the merge again."
MERGE_COMMITS_NOT_ALLOWED = "Merge commits are not allowed on this repository."
NO_MERGE_COMMITS = "This branch must not contain merge commits."
NO_FORCE_PUSH = "Cannot force-push to this branch"
NO_DELETION = "Cannot delete this branch"


@dataclass(frozen=True)
class ContextCheck:
    """One required context (or pattern) and the latest statuses that match it."""

    context: str
    state: str  # success, pending, failing or expected
    statuses: tuple[LatestStatus, ...] = ()

    @property
    def passed(self) -> bool:
        return self.state == Outcome.SUCCESS

    @property
    def verdict(self) -> str:
        """GitHub's word for a check that has not succeeded: expected, in progress, errored
        (every matching failing status is an error) or failing."""
        if self.state == Outcome.FAILING:
            failed = any(status.state == State.FAILURE for status in self.statuses)
            return "failing" if failed else "errored"
        return IN_PROGRESS if self.state == Outcome.PENDING else self.state


def required_checks_message(checks: Sequence[ContextCheck]) -> str:
    """GitHub's sentence for required checks that have not succeeded, "" when all have.

    One: `Required status check "ci/build" is expected.`; several in one state: `2 of 3
    required status checks are failing.`; mixed: `3 of 3 required status checks have not
    succeeded: 1 expected and 1 failing.` (GitHub leaves checks still in progress out of
    that count).
    """
    waiting = [check for check in checks if not check.passed]
    if not waiting:
        return ""
    if len(waiting) == 1:
        [check] = waiting
        return f'Required status check "{check.context}" is {check.verdict}.'
    counts = {verdict: 0 for verdict in VERDICT_ORDER}
    for check in waiting:
        counts[check.verdict] += 1
    found = [verdict for verdict in VERDICT_ORDER if counts[verdict]]
    head = f"{len(waiting)} of {len(checks)} required status checks"
    if len(found) == 1:
        return f"{head} are {found[0]}."
    parts = [f"{counts[verdict]} {verdict}" for verdict in found if verdict != IN_PROGRESS]
    return f"{head} have not succeeded: {_sentence(parts)}."


def _sentence(parts: list[str]) -> str:
    """["a"] -> "a", ["a", "b"] -> "a and b", ["a", "b", "c"] -> "a, b, and c"."""
    if len(parts) < 3:
        return " and ".join(parts)
    return f"{', '.join(parts[:-1])}, and {parts[-1]}"


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


def checks_refusal(blockers) -> str:
    """The pull request page's sentence, naming each blocking context with its state (the API
    and pushes answer GitHub's shorter `StatusCheckDecision.message`)."""
    reasons = "; ".join(blocker.text for blocker in blockers)
    return f"Required status checks have not passed: {reasons}."


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
    def message(self) -> str:
        """Why the checks refuse a merge, in GitHub's words; "" when they pass."""
        return required_checks_message(self.checks) or (HEAD_OUT_OF_DATE if self.behind else "")

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


def merge_refusal(decision: StatusCheckDecision, *, method: str, permission: str | None) -> str:
    """Why the base branch's rule refuses merging by `method`, in GitHub's words; "" when the
    merge may go on. Linear history refuses merge commits (squash and rebase stay allowed);
    admins bypass both it and the checks unless the rule enforces them for admins."""
    if decision.rule is None or decision.may_bypass(permission):
        return ""
    if method == "merge" and decision.rule.required_linear_history:
        return MERGE_COMMITS_NOT_ALLOWED
    return decision.message


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
    reasons: tuple[str, ...] = ()
    ref: str = ""  # set when branch protection refuses: GitHub heads that refusal with GH006

    @property
    def messages(self) -> tuple[str, ...]:
        """The lines the pusher reads: GitHub's GH006 heading for a protected branch, then why."""
        heading = (f"GH006: Protected branch update failed for {self.ref}.",) if self.ref else ()
        return heading + self.reasons


PULL_REFS = "refs/pull/"  # the server's own namespace, as on GitHub


def check_ref_update(
    *, repository, ref, old_sha, new_sha, fast_forward, permission, git=None
) -> PushDecision:
    """May a push move the full ref `ref` (any namespace)? Deletions have new_sha None.

    Nobody may write `refs/pull/*` or a branch named HEAD, nor create or move a tag that
    takes the name of a protected branch (it would make that name ambiguous to git and to
    ref resolution). Branches then go through check_push; other refs are allowed. During a
    push, `git` is the repository opened with the push's quarantined objects.
    """
    if ref.startswith(PULL_REFS):
        return PushDecision(
            allowed=False,
            reasons=(f"Cannot update {ref}: {PULL_REFS} is reserved for pull requests.",),
        )
    if ref == "refs/heads/HEAD":
        return PushDecision(allowed=False, reasons=("Cannot create a branch named HEAD.",))
    if ref.startswith("refs/tags/") and new_sha is not None:
        tag = ref.removeprefix("refs/tags/")
        rule = rule_for_branch(repository=repository, branch=tag)
        if rule is not None:
            return PushDecision(
                allowed=False,
                reasons=(
                    f"Cannot push tag {tag}: it takes the name of protected branch {tag} "
                    f"(rule {rule.pattern!r}).",
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
            git=git,
        )
    return PushDecision(allowed=True)


def check_push(
    *, repository, branch, old_sha, new_sha, fast_forward, permission, git=None
) -> PushDecision:
    """May a push move `branch` from old_sha to new_sha? Deletions have new_sha None.

    Asks the same rule and status-check decision as merges: force pushes and deletions are
    refused unless the rule allows them, a rule requiring linear history refuses new merge
    commits, and with required checks the pushed commit must already have every required
    context success. Admins bypass unless enforce_admins is on. Refusals are GitHub's words.
    """
    rule = rule_for_branch(repository=repository, branch=branch)
    if rule is None:
        return PushDecision(allowed=True)
    if not rule.enforce_admins and permissions.at_least(permission, permissions.ADMIN):
        return PushDecision(allowed=True)
    ref = f"refs/heads/{branch}"
    if new_sha is None:
        if rule.allow_deletions:
            return PushDecision(allowed=True)
        return PushDecision(allowed=False, reasons=(NO_DELETION,), ref=ref)
    if old_sha is not None and not fast_forward and not rule.allow_force_pushes:
        return PushDecision(allowed=False, reasons=(NO_FORCE_PUSH,), ref=ref)
    git = git or GitRepository(repository.id)
    reasons = []
    if rule.required_linear_history and adds_merge_commits(git, old_sha=old_sha, new_sha=new_sha):
        reasons.append(NO_MERGE_COMMITS)
    decision = check_status_checks(
        repository=repository, base_branch=branch, head_sha=new_sha, rule=rule, git=git
    )
    # The pushed commit becomes the branch tip, so it cannot be behind it: only contexts count.
    if checks := required_checks_message(decision.checks):
        reasons.append(checks)
    if not reasons:
        return PushDecision(allowed=True)
    return PushDecision(allowed=False, reasons=tuple(reasons), ref=ref)


MAX_NEW_COMMITS = 100_000  # a bound on the walk, far above any real push


def adds_merge_commits(git: GitRepository, *, old_sha: str | None, new_sha: str) -> bool:
    """Whether moving a branch from old_sha (None: creating it) to new_sha brings in a commit
    with several parents that the branch (or, for a new branch, any branch) did not have."""
    hidden = [old_sha] if old_sha else [branch.sha for branch in git.branches()]
    commits = git.new_commits(new_sha, hidden, limit=MAX_NEW_COMMITS)
    return any(len(commit.parents) > 1 for commit in commits)
