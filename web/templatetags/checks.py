"""Template filters for the status marks of lists."""

from django import template

register = template.Library()


@register.filter
def contexts_tooltip(summary):
    """Each context of a StatusSummary with its latest state, one a line (a title attribute)."""
    return "\n".join(f"{context}: {state}" for context, state in summary.contexts)
