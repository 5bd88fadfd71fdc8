"""Branch protection: which rule applies to a branch, and whether required checks pass.

`check_status_checks()` is the single decision that merges, pushes, the API and the pull
request page all ask, so they cannot disagree.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from gitforge.errors import InvalidInput, field_error
from gitforge.repositories import permissions
from gitforge.repositories.git import GitRepository
from protection.globs import glob_match, specificity, validate_pattern
from protection.models import ProtectedBranch, RequiredContext
from statuses.models import ERROR, FAILURE, PENDING, SUCCESS, CommitStatus
from statuses.services import get_combined_status

FAILING = "failing"
EXPECTED = "expected"


@dataclass(frozen=True)
class ContextCheck:
    """One required context (or pattern) and the latest statuses that match it."""

    context: str
    state: str  # success, pending, failing or expected
    statuses: tuple = ()

    @property
    def passed(self):
        return self.state == SUCCESS


@dataclass(frozen=True)
class StatusCheckDecision:
    rule: ProtectedBranch | None
    head_sha: str
    base_sha: str | None = None
    checks: tuple = ()
    behind: bool = False

    @property
    def required(self):
        return self.rule is not None and self.rule.require_status_checks

    @property
    def passed(self):
        return not self.behind and all(check.passed for check in self.checks)

    def contexts_in(self, state):
        return [check.context for check in self.checks if check.state == state]

    def may_bypass(self, permission):
        """Admins may merge past failing checks unless the rule enforces them for admins."""
        return (
            self.rule is not None
            and not self.rule.enforce_admins
            and permissions.at_least(permission, permissions.ADMIN)
        )

    def explanation(self):
        """Why the checks block, in words (empty when they pass)."""
        reasons = []
        for state, words in ((EXPECTED, "expected"), (PENDING, "pending"), (FAILING, "failing")):
            contexts = self.contexts_in(state)
            if contexts:
                reasons.append(
                    f"{', '.join(contexts)} {'is' if len(contexts) == 1 else 'are'} {words}"
                )
        if self.behind:
            reasons.append("the head branch is not up to date with the base branch")
        return "; ".join(reasons)


def evaluate_required_contexts(required, statuses):
    """Judge each required context or glob against the latest statuses of a commit.

    A pattern passes only if at least one reported context matches it and every matching
    context's latest status is success; a pattern that matches nothing is expected.
    """
    checks = []
    for pattern in required:
        matched = tuple(
            status for status in statuses if glob_match(pattern, status.context, ignore_case=True)
        )
        states = {status.state for status in matched}
        if not matched:
            state = EXPECTED
        elif states & {ERROR, FAILURE}:
            state = FAILING
        elif PENDING in states:
            state = PENDING
        else:
            state = SUCCESS
        checks.append(ContextCheck(context=pattern, state=state, statuses=matched))
    return tuple(checks)


def repository_rules(repository):
    return list(
        ProtectedBranch.objects.filter(repository=repository).prefetch_related("required_contexts")
    )


def rule_for_branch(*, repository, branch, rules=None):
    """The most specific rule matching `branch` (exact names before patterns), or None."""
    rules = repository_rules(repository) if rules is None else rules
    matching = [rule for rule in rules if glob_match(rule.pattern, branch)]
    return min(matching, key=lambda rule: specificity(rule.pattern)) if matching else None


def protected_names(*, repository, branch_names):
    """The subset of `branch_names` that some rule protects (one query)."""
    rules = list(ProtectedBranch.objects.filter(repository=repository).only("pattern"))
    return {name for name in branch_names if any(glob_match(rule.pattern, name) for rule in rules)}


def check_status_checks(*, repository, base_branch, head_sha, rule=None, combined=None, git=None):
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
        base_sha=base_sha,
        checks=evaluate_required_contexts(required, combined.statuses),
        behind=behind,
    )


def save_protection(
    *,
    repository,
    pattern,
    require_status_checks,
    strict=False,
    contexts=(),
    enforce_admins=False,
    allow_force_pushes=False,
    allow_deletions=False,
):
    """Create or replace the rule for `pattern` with its required contexts; return it."""
    _validate_patterns(pattern, contexts)
    with transaction.atomic():
        rule, _ = ProtectedBranch.objects.update_or_create(
            repository=repository,
            pattern=pattern,
            defaults={
                "require_status_checks": require_status_checks,
                "strict": strict,
                "enforce_admins": enforce_admins,
                "allow_force_pushes": allow_force_pushes,
                "allow_deletions": allow_deletions,
            },
        )
        _replace_contexts(rule, contexts)
    return rule


def update_status_checks(*, rule, strict=None, contexts=None):
    """Change strictness and/or the required contexts of an existing rule."""
    if contexts is not None:
        _validate_patterns(rule.pattern, contexts)
    with transaction.atomic():
        rule.require_status_checks = True
        if strict is not None:
            rule.strict = strict
        rule.save()
        if contexts is not None:
            _replace_contexts(rule, contexts)
    return rule


def add_contexts(*, rule, contexts):
    existing = [item.context for item in rule.required_contexts.all()]
    return update_status_checks(rule=rule, contexts=existing + list(contexts))


def remove_contexts(*, rule, contexts):
    drop = {context.lower() for context in contexts}
    keep = [item.context for item in rule.required_contexts.all() if item.context_key not in drop]
    return update_status_checks(rule=rule, contexts=keep)


def remove_status_checks(*, rule):
    with transaction.atomic():
        rule.require_status_checks = False
        rule.strict = False
        rule.save()
        rule.required_contexts.all().delete()


def _replace_contexts(rule, contexts):
    unique = list({context.lower(): context for context in contexts}.values())
    rule.required_contexts.all().delete()
    RequiredContext.objects.bulk_create(
        [RequiredContext(protected_branch=rule, context=context) for context in unique]
    )
    if hasattr(rule, "_prefetched_objects_cache"):
        rule._prefetched_objects_cache.pop("required_contexts", None)


def _validate_patterns(pattern, contexts):
    errors = []
    try:
        validate_pattern(pattern)
    except ValueError as error:
        errors.append(field_error("ProtectedBranch", "branch", "invalid", str(error)))
    for context in contexts:
        try:
            if not isinstance(context, str):
                raise ValueError("contexts must be strings")
            validate_pattern(context)
        except ValueError as error:
            errors.append(field_error("ProtectedBranch", "contexts", "invalid", str(error)))
    if errors:
        raise InvalidInput("Validation Failed", errors)


def reported_contexts(*, repository):
    """Every context reported on the repository with when it was last reported, newest first."""
    rows = (
        CommitStatus.objects.filter(repository=repository)
        .values("context_key")
        .annotate(context=Max("context"), last_reported=Max("created_at"))
        .order_by("-last_reported")
    )
    return [(row["context"], row["last_reported"]) for row in rows]


def required_context_report(*, rule, reported):
    """For each required context or pattern: when a matching context was last reported (or None).

    `reported` is the output of reported_contexts(); a None is the usual reason a required
    check stays "expected" forever.
    """
    report = []
    for item in rule.required_contexts.all():
        times = [
            when
            for context, when in reported
            if glob_match(item.context, context, ignore_case=True)
        ]
        report.append((item.context, max(times) if times else None))
    return report


@dataclass(frozen=True)
class PushDecision:
    allowed: bool
    message: str = ""


def check_push(*, repository, branch, old_sha, new_sha, fast_forward, permission):
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
        refusal = None if rule.allow_deletions else f"Cannot delete {where}."
    elif old_sha is not None and not fast_forward and not rule.allow_force_pushes:
        refusal = f"Cannot force-push to {where}."
    else:
        refusal = None
        decision = check_status_checks(
            repository=repository, base_branch=branch, head_sha=new_sha, rule=rule
        )
        if any(not check.passed for check in decision.checks):
            refusal = (
                f"Required status checks for {where} have not passed on {new_sha[:7]}: "
                f"{decision.explanation()}."
            )
    if refusal is None:
        return PushDecision(allowed=True)
    return PushDecision(allowed=False, message=refusal)
