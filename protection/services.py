"""Branch protection rules: saving a rule with its required contexts, and editing them."""

from django.db import transaction

from gitforge.errors import InvalidInput, field_error
from protection.globs import validate_pattern
from protection.models import ProtectedBranch, RequiredContext
from statuses.contexts import clean_context, context_key


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
    required_linear_history=False,
    rule=None,
):
    """Create or replace the rule for `pattern` with its required contexts; return it.

    Pass `rule` to update that rule, its pattern included (the admin edits rules by id).
    Contexts are stored stripped and compare by statuses.contexts.context_key: a repeated
    context is kept once.
    """
    contexts = _validate_patterns(pattern, contexts)
    values = {
        "pattern": pattern,
        "require_status_checks": require_status_checks,
        "strict": strict,
        "enforce_admins": enforce_admins,
        "allow_force_pushes": allow_force_pushes,
        "allow_deletions": allow_deletions,
        "required_linear_history": required_linear_history,
    }
    with transaction.atomic():
        if rule is None:
            rule, _ = ProtectedBranch.objects.update_or_create(
                repository=repository, pattern=pattern, defaults=values
            )
        else:
            for name, value in values.items():
                setattr(rule, name, value)
            rule.save()
        _replace_contexts(rule, contexts)
    return rule


def update_status_checks(*, rule, strict=None, contexts=None):
    """Change strictness and/or the required contexts of an existing rule."""
    if contexts is not None:
        contexts = _validate_patterns(rule.pattern, contexts)
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
    drop = {context_key(context) for context in contexts if isinstance(context, str)}
    keep = [
        item.context
        for item in rule.required_contexts.all()
        if context_key(item.context) not in drop
    ]
    return update_status_checks(rule=rule, contexts=keep)


def remove_status_checks(*, rule):
    with transaction.atomic():
        rule.require_status_checks = False
        rule.strict = False
        rule.save()
        rule.required_contexts.all().delete()


def _replace_contexts(rule, contexts):
    unique = list({context_key(context): context for context in contexts}.values())
    rule.required_contexts.all().delete()
    RequiredContext.objects.bulk_create(
        [RequiredContext(protected_branch=rule, context=context) for context in unique]
    )
    if hasattr(rule, "_prefetched_objects_cache"):
        rule._prefetched_objects_cache.pop("required_contexts", None)


def _validate_patterns(pattern, contexts):
    """Return the contexts as stored (stripped); InvalidInput names each unusable one."""
    errors, cleaned = [], []
    try:
        validate_pattern(pattern)
    except ValueError as error:
        errors.append(field_error("ProtectedBranch", "branch", "invalid", str(error)))
    for context in contexts:
        try:
            if not isinstance(context, str):
                raise ValueError("contexts must be strings")
            context = clean_context(context)
            validate_pattern(context)
            validate_pattern(context_key(context))  # what matching compiles
        except ValueError as error:
            errors.append(field_error("ProtectedBranch", "contexts", "invalid", str(error)))
        else:
            cleaned.append(context)
    if errors:
        raise InvalidInput("Validation Failed", errors)
    return cleaned


def delete_protection(*, rule):
    rule.delete()


def set_enforce_admins(*, rule, enabled):
    """Apply the rule to repository administrators too (or no longer); return the rule."""
    rule.enforce_admins = enabled
    rule.save(update_fields=["enforce_admins", "updated_at"])
    return rule
