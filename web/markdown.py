"""User-written Markdown to safe HTML, with bounded work whatever the input.

comrak (GitHub-flavoured CommonMark, in Rust) parses in linear time and leaves raw HTML out, so
the sanitizer only ever sees the tags comrak writes. Two inputs still cost more than their size:
tables, which comrak pads to the header's width (quadratic in the number of columns), and deep
nesting, which makes the sanitizer's HTML parser quadratic. Tables too wide or too large for the
text stay text; a document that nests deeper than MAX_NESTING or renders to more than
MAX_HTML_CHARS is shown as escaped plain text. Images become links, so showing a page never
fetches a third-party URL.
"""

import re

import comrak
import nh3
from django.utils.html import escape

MAX_NESTING = 100  # blockquotes and lists inside one another
MAX_HTML_CHARS = 1_000_000
MAX_TABLE_COLUMNS = 100
MAX_TABLE_CELLS = 50_000

TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "input",
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
}
ALIGNMENTS = {"left", "center", "right"}

LINK_OR_IMAGE = re.compile(r'<a [^>]*>|</a>|<img src="([^"]*)" alt="([^"]*)"(?: title="[^"]*")? />')
NESTING_TAG = re.compile(r"<(/?)(?:blockquote|ol|ul)\b")
DELIMITER_ROW_CHARS = "|-: \t\v\f"


def _extensions(*, tables):
    options = comrak.ExtensionOptions()
    options.table = tables
    options.strikethrough = True
    options.tasklist = True
    options.autolink = True
    return options


WITH_TABLES = _extensions(tables=True)
WITHOUT_TABLES = _extensions(tables=False)
RENDER = comrak.RenderOptions()  # without `unsafe_`: raw HTML is left out, never parsed


def _scheme_relative_as_https(url):
    """A link to `//host/path` leaves the site like any absolute link: make it https://."""
    return "https:" + url if url.startswith("//") else url


SANITIZER = nh3.Cleaner(
    tags=TAGS,
    attributes={
        "a": {"href", "title"},
        "input": {"checked", "disabled"},
    },
    tag_attribute_values={
        "input": {"type": {"checkbox"}},
        "th": {"align": ALIGNMENTS},
        "td": {"align": ALIGNMENTS},
    },
    set_tag_attribute_values={"input": {"disabled": ""}},
    allowed_classes={"a": {"image-link"}},
    url_schemes={"http", "https", "mailto"},
    url_relative=_scheme_relative_as_https,
    link_rel="nofollow noopener noreferrer",
)


def render_markdown(text: str) -> str:
    """Sanitized HTML for `text`, or the text escaped when formatting it would cost too much."""
    tables = _tables_fit(text)
    html = comrak.render_markdown(
        text,
        extension_options=WITH_TABLES if tables else WITHOUT_TABLES,
        render_options=RENDER,
    )
    if len(html) > MAX_HTML_CHARS or _nesting_depth(html) > MAX_NESTING:
        return plain_text_html(text)
    return SANITIZER.clean(_images_as_links(html))


def plain_text_html(text: str) -> str:
    return (
        '<p class="muted plain-text-note">Shown as plain text: too large or too deeply nested'
        " to format.</p>"
        f'<pre class="plain-text">{escape(text)}</pre>'
    )


def _images_as_links(html):
    """Each `![alt](url)` as a link "image: alt" the viewer may follow (inside a link, as its
    text): the page itself loads no image. comrak escapes text, so tags are found reliably."""
    in_link = False

    def replace(match):
        nonlocal in_link
        tag, url, alt = match.group(0), match.group(1), match.group(2)
        if url is None:
            in_link = not tag.startswith("</")
            return tag
        label = f"image: {alt or url}"  # both already escaped by comrak
        return label if in_link else f'<a href="{url}" class="image-link">{label}</a>'

    return LINK_OR_IMAGE.sub(replace, html)


def _nesting_depth(html):
    depth = deepest = 0
    for tag in NESTING_TAG.finditer(html):
        depth += -1 if tag.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


def _tables_fit(text):
    """False when the tables comrak could build here may be wider than MAX_TABLE_COLUMNS or
    hold more than MAX_TABLE_CELLS cells, padding included.

    An over-estimate: any line of only pipes, dashes, colons and blanks (after blockquote
    markers and indentation) counts as a delimiter row, its table running to the next blank
    line.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cells = 0
    below = 0  # non-blank lines under the current one, up to the next blank line
    for line in reversed(lines):
        content = line.strip(" \t\v\f>")
        if not content:
            below = 0
            continue
        if "|" in content and "-" in content and not content.strip(DELIMITER_ROW_CHARS):
            columns = content.strip(" \t\v\f|").count("|") + 1
            if columns > MAX_TABLE_COLUMNS:
                return False
            cells += columns * (below + 1)
        below += 1
    return cells <= MAX_TABLE_CELLS
