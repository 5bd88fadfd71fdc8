"""Template filters for diffs. (User-written Markdown is rendered once per edit: web.markdown.)"""

from django import template

register = template.Library()

DIFF_LINE_KINDS = {"+": "add", "-": "del", "@": "hunk"}


@register.filter
def diff_lines(patch):
    """Split a unified diff into (css class, line) pairs."""
    return [(DIFF_LINE_KINDS.get(line[:1], "ctx"), line) for line in (patch or "").splitlines()]
