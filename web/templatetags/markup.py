"""Template filters for user-written text and diffs: safe Markdown, diff lines."""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

MARKDOWN_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "img",
}


@register.filter
def markdown(text):
    """Render Markdown, then keep only safe tags and http(s)/mailto links."""
    html = markdown_lib.markdown(text or "", extensions=["fenced_code", "tables"])
    clean = nh3.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # sanitized by nh3 above


DIFF_LINE_KINDS = {"+": "add", "-": "del", "@": "hunk"}


@register.filter
def diff_lines(patch):
    """Split a unified diff into (css class, line) pairs."""
    return [(DIFF_LINE_KINDS.get(line[:1], "ctx"), line) for line in (patch or "").splitlines()]
