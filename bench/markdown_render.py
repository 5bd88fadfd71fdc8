"""Markdown render cost on hostile input at the body limit: each case must render in under 1 s.

Renders the worst inputs we know of for Markdown parsers and HTML sanitizers, each as long as a
pull request body may be (65,536 characters), through web.markdown.render_markdown, the
renderer the pages use. Prints each case's slowest time over --runs runs, the output size and
how it was shown (formatted, or the plain-text fallback). Exits 1 if any case takes 1 s or more.

Run: .venv/bin/python bench/markdown_render.py [--runs 3]
Needs no database.
"""

import argparse
import os
import sys
import time

import _setup  # noqa: F401  (puts the project on sys.path)
import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gitforge.settings")
django.setup()

from pulls.services import MAX_BODY  # noqa: E402
from web.markdown import render_markdown  # noqa: E402

TARGET_SECONDS = 1.0


def repeat(unit, *, tail=""):
    """`unit` repeated to fill the body limit, then `tail`."""
    return unit * ((MAX_BODY - len(tail)) // len(unit)) + tail


def table(columns, row):
    header = "|" + "a|" * columns + "\n|" + "-|" * columns + "\n"
    return header + repeat(row)[: MAX_BODY - len(header)]


CASES = {
    "brackets [": repeat("["),
    "brackets ]": repeat("]"),
    "links [](": repeat("[]("),
    "unclosed links [a](": repeat("[a]("),
    "nested links": repeat("[", tail="a" + "](b)" * 2000),
    "images ![": repeat("!["),
    "nested images ![[": repeat("![["),
    "reference uses": "[a]: /" + "x" * 1000 + "\n\n" + repeat("[a]")[:64000],
    "reference definitions": repeat("[a]: b\n"),
    "nested lists - ": repeat("- ", tail="a"),
    "nested lists 1. ": repeat("1. ", tail="a"),
    "indented lists": "".join("  " * i + "- a\n" for i in range(250)),
    "nested blockquotes >>>": repeat(">", tail="a"),
    "nested blockquotes > > >": repeat("> ", tail="a"),
    "quoted lists > - ": repeat("> - ", tail="a"),
    "listed quotes - > ": repeat("- > ", tail="a"),
    "emphasis *a": repeat("*a"),
    "emphasis _a": repeat("_a"),
    "strong **a": repeat("**a"),
    "emphasis *_": repeat("*_"),
    "nested emphasis *a ": "*a " * 10922 + "b" + " a*" * 10922,
    "strikethrough ~~a": repeat("~~a"),
    "backticks `a": repeat("`a"),
    "backtick runs": "".join("`" * i + "a" for i in range(1, 355)),
    "fences ```": repeat("```\n"),
    "tables, many rows": "| a | b |\n| - | - |\n" + repeat("| x | y |\n")[:65500],
    "tables, 100 columns, 490 rows": table(100, "a\n")[: 404 + 980] + "\n" + repeat("a ")[:64000],
    "tables, 100 columns padded": table(100, "a\n"),
    "tables, 4000 columns": table(4000, "|||\n"),
    "tables, 16000 columns": table(16000, "a\n"),
    "entities &amp;": repeat("&amp;"),
    "numeric entities": repeat("&#123;"),
    "raw HTML tags": repeat("<a>"),
    "raw HTML formatting": (
        "".join(f"<i class={i}>" for i in range(3000)) + repeat("<div>x</div>")[:20000]
    ),
    "raw HTML comments": repeat("<!--"),
    "autolinks <": repeat("<"),
    "autolinks www.": repeat("www.a.co "),
    "autolinks https://": repeat("https://a.co/"),
    "autolinks email": repeat("a@b.co "),
    "autolinks email x@y.z": repeat("x@y.z "),
    "task lists": repeat("- [ ] a\n"),
    "headings": repeat("# a\n"),
    "setext headings": repeat("a\n=\n"),
    "thematic breaks": repeat("---\n"),
    "backslashes": repeat("\\"),
    "newlines": repeat("\n"),
    "plain words": repeat("word "),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    slowest_case, slowest = "", 0.0
    print(f"{'case':30} {'chars':>6} {'slowest':>9} {'html':>9}  shown as")
    for name, text in CASES.items():
        assert len(text) <= MAX_BODY, (name, len(text))
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            html = render_markdown(text)
            times.append(time.perf_counter() - started)
        if 'class="plain-text"' in html:
            shown = "plain text"
        else:
            shown = "formatted, with tables" if "<table>" in html else "formatted"
        print(f"{name:30} {len(text):6} {max(times):8.3f}s {len(html):9}  {shown}", flush=True)
        if max(times) > slowest:
            slowest_case, slowest = name, max(times)

    met = slowest < TARGET_SECONDS
    print(f"\nslowest: {slowest_case} {slowest:.3f} s; target < {TARGET_SECONDS:.0f} s: ", end="")
    print("met" if met else "NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
