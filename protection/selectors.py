"""Reading protection rules: which rule applies to a branch, and the contexts a repository has
reported (for the admin's suggestions)."""

from django.db.models import Max

from protection.globs import context_matches, glob_match, specificity
from protection.models import ProtectedBranch
from statuses.models import CommitStatus


def repository_rules(repository) -> list[ProtectedBranch]:
    return list(
        ProtectedBranch.objects.filter(repository=repository).prefetch_related("required_contexts")
    )


def rule_for_branch(*, repository, branch, rules=None) -> ProtectedBranch | None:
    """The most specific rule matching `branch` (exact names before patterns), or None."""
    rules = repository_rules(repository) if rules is None else rules
    matching = [rule for rule in rules if glob_match(rule.pattern, branch)]
    return min(matching, key=lambda rule: specificity(rule.pattern)) if matching else None


def protected_names(*, repository, branch_names) -> set[str]:
    """The subset of `branch_names` that some rule protects (one query)."""
    rules = list(ProtectedBranch.objects.filter(repository=repository).only("pattern"))
    return {name for name in branch_names if any(glob_match(rule.pattern, name) for rule in rules)}


def get_rule(*, repository, pattern) -> ProtectedBranch | None:
    """The rule whose pattern is exactly `pattern`, with its required contexts."""
    rule = (
        ProtectedBranch.objects.filter(repository=repository, pattern=pattern)
        .prefetch_related("required_contexts")
        .first()
    )
    if rule is not None:
        rule.repository = repository
    return rule


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
        times = [when for context, when in reported if context_matches(item.context, context)]
        report.append((item.context, max(times) if times else None))
    return report
