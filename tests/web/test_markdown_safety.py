"""Pull request descriptions: hostile Markdown renders quickly, once per edit, and its links and
images cannot reach out on their own."""

import hashlib
import re
import time

import pytest

from pulls.models import PullRequest
from pulls.services import open_pull_request
from tests.helpers import get_page, send, text_of

PAGE = "/alice/project/pull/1"
LIMIT = 65536
# Seconds for a whole page around a hostile description; python-markdown took over 30 s for
# "[" * 20000, and failed with RecursionError (500) on deeply nested lists.
PAGE_BUDGET = 3.0


def open_with_body(repository, author, body):
    return open_pull_request(
        repository=repository,
        author=author,
        title="Hostile",
        head="feature",
        base="main",
        body=body,
    )


def description(page):
    start = page.index('<div class="card markdown-body">')
    return page[start : page.index('<section id="live"', start)]


def timed_page(client, path):
    started = time.perf_counter()
    page = get_page(client, path)
    return page, time.perf_counter() - started


# Bounded work --------------------------------------------------------------------------------


def test_a_flood_of_brackets_renders_quickly(alice, public_repo, alice_client):
    open_with_body(public_repo, alice, "[" * 20000)

    page, seconds = timed_page(alice_client, PAGE)

    assert seconds < PAGE_BUDGET
    assert "[" * 20000 in description(page)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("- " * (LIMIT // 2 - 1) + "a", id="nested-lists"),
        pytest.param("1. " * (LIMIT // 3 - 1) + "a", id="nested-ordered-lists"),
        pytest.param("".join("  " * i + "- a\n" for i in range(250)), id="indented-lists"),
        pytest.param(">" * (LIMIT - 1) + "a", id="nested-blockquotes"),
        pytest.param("> - " * (LIMIT // 4 - 1) + "a", id="quoted-lists"),
        pytest.param("[" * LIMIT, id="brackets"),
        pytest.param("![" * (LIMIT // 2), id="images"),
        pytest.param("*a" * (LIMIT // 2), id="emphasis"),
        pytest.param("`a" * (LIMIT // 2), id="backticks"),
        pytest.param("&amp;" * (LIMIT // 5), id="entities"),
        pytest.param("a@b.co " * (LIMIT // 7), id="email-autolinks"),
        pytest.param(
            "|" + "a|" * 4000 + "\n|" + "-|" * 4000 + "\n" + "|||\n" * 6000, id="wide-table"
        ),
        pytest.param("| a | b |\n| - | - |\n" + "| x | y |\n" * 6500, id="long-table"),
    ],
)
def test_hostile_descriptions_at_the_limit_render_quickly(alice, public_repo, alice_client, body):
    assert len(body) <= LIMIT
    open_with_body(public_repo, alice, body)

    page, seconds = timed_page(alice_client, PAGE)

    assert seconds < PAGE_BUDGET
    assert "Hostile" in page


def test_too_deep_nesting_is_shown_as_plain_escaped_text(alice, public_repo, alice_client):
    open_with_body(public_repo, alice, "> " * 300 + "<b>deep</b> & done")

    text = description(get_page(alice_client, PAGE))

    assert "Shown as plain text" in text
    assert "&gt; &gt; &gt;" in text
    assert "&lt;b&gt;deep&lt;/b&gt; &amp; done" in text
    assert "<blockquote>" not in text


def test_a_table_too_wide_to_pad_is_shown_as_text(alice, public_repo, alice_client):
    open_with_body(public_repo, alice, "|" + "a|" * 200 + "\n|" + "-|" * 200 + "\n|b\n")

    text = description(get_page(alice_client, PAGE))

    assert "<table>" not in text
    assert "|a|a|a|" in text


def test_ordinary_tables_lists_and_code_are_formatted(alice, public_repo, alice_client):
    open_with_body(
        public_repo,
        alice,
        "| a | b |\n| :-: | - |\n| 1 | 2 |\n\n- [x] done\n- one\n\n> quoted\n\n"
        "```\ncode <here>\n```\n\n~~gone~~",
    )

    text = description(get_page(alice_client, PAGE))

    assert '<th align="center">a</th>' in text
    assert '<input type="checkbox" checked="" disabled=""> done' in text
    assert "<blockquote>" in text
    assert "<pre><code>code &lt;here&gt;" in text
    assert "<del>gone</del>" in text


# Rendered once per edit ----------------------------------------------------------------------


@pytest.fixture
def render_calls(monkeypatch):
    """Every text the pull request page renders as Markdown."""
    import web.views.pulls

    calls = []
    real = web.views.pulls.render_markdown

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(web.views.pulls, "render_markdown", counting)
    return calls


def test_the_description_is_rendered_once_then_read_from_the_database(
    pull, alice_client, render_calls
):
    first = get_page(alice_client, PAGE)
    again = get_page(alice_client, PAGE)
    get_page(alice_client, f"{PAGE}/live")
    get_page(alice_client, PAGE)

    assert render_calls == ["Makes **app** print 2."]
    assert "Makes <strong>app</strong> print 2." in first
    assert description(again) == description(first)
    stored = PullRequest.objects.get(pk=pull.pk).body_html
    assert stored == "<p>Makes <strong>app</strong> print 2.</p>\n"


def test_the_page_shows_the_stored_html(pull, alice_client, render_calls):
    PullRequest.objects.filter(pk=pull.pk).update(
        body_html="<p>Stored <em>once</em></p>",
        body_html_digest=hashlib.sha256(pull.body.encode()).hexdigest(),
    )

    page = get_page(alice_client, PAGE)

    assert "<p>Stored <em>once</em></p>" in page
    assert render_calls == []


def test_an_edit_renders_the_new_body_once(pull, owner, alice_client, render_calls):
    get_page(alice_client, PAGE)

    response = send(owner, "patch", "/api/repos/alice/project/pulls/1", {"body": "Now _this_."})
    assert response.status_code == 200
    page = get_page(alice_client, PAGE)
    get_page(alice_client, PAGE)

    assert render_calls == ["Makes **app** print 2.", "Now _this_."]
    assert "Now <em>this</em>." in page
    assert "print 2" not in description(page)


def test_editing_only_the_title_keeps_the_stored_html(pull, owner, alice_client, render_calls):
    get_page(alice_client, PAGE)

    send(owner, "patch", "/api/repos/alice/project/pulls/1", {"title": "Renamed"})
    page = get_page(alice_client, PAGE)

    assert "Renamed" in page
    assert render_calls == ["Makes **app** print 2."]


def test_rows_from_before_stored_html_are_rendered_when_first_shown(pull, alice_client):
    PullRequest.objects.filter(pk=pull.pk).update(body_html="", body_html_digest="")  # migrated

    page = get_page(alice_client, PAGE)

    assert "Makes <strong>app</strong> print 2." in page
    assert PullRequest.objects.get(pk=pull.pk).body_html.startswith("<p>Makes <strong>")


def test_an_edit_in_the_admin_is_shown_too(pull, operator, alice_client, render_calls):
    get_page(alice_client, PAGE)

    response = operator.post(
        f"/admin/pulls/pullrequest/{pull.pk}/change/",
        {"title": "Change app", "body": "Edited by an **operator**.", "state": "open"},
    )
    assert response.status_code == 302, response.content[:2000]
    page = get_page(alice_client, PAGE)
    get_page(alice_client, PAGE)

    assert "Edited by an <strong>operator</strong>." in page
    assert render_calls == ["Makes **app** print 2.", "Edited by an **operator**."]


# Links and images ----------------------------------------------------------------------------


def links(html):
    return re.findall(r"<a [^>]*>.*?</a>", html)


def test_protocol_relative_links_are_absolute_https_links_with_rel(
    alice, public_repo, alice_client
):
    open_with_body(
        public_repo,
        alice,
        "[relative](//evil.example/x) [absolute](https://example.com/y) [here](/alice/project)",
    )

    found = links(description(get_page(alice_client, PAGE)))

    rel = 'rel="nofollow noopener noreferrer"'
    assert found == [
        f'<a href="https://evil.example/x" {rel}>relative</a>',
        f'<a href="https://example.com/y" {rel}>absolute</a>',
        f'<a href="/alice/project" {rel}>here</a>',
    ]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_links_are_only_http_https_or_mailto(alice, public_repo, alice_client, url):
    open_with_body(public_repo, alice, f"[click]({url}) <{url}>")

    text = description(get_page(alice_client, PAGE))

    assert re.search(r"href=\"(?!https?:|mailto:|/)[a-z]+:", text, re.IGNORECASE) is None, text
    assert "click" in text


def test_images_are_links_the_viewer_may_follow_never_loaded(alice, public_repo, alice_client):
    open_with_body(
        public_repo,
        alice,
        '![architecture diagram](https://images.example/d.png "title")\n\n'
        "![](//tracker.example/pixel.gif)\n\n"
        "[![build status](https://ci.example/badge.svg)](https://ci.example/builds)\n\n"
        '<img src="https://tracker.example/raw.gif">',
    )

    page = get_page(alice_client, PAGE)
    text = description(page)

    assert "<img" not in page
    assert "tracker.example/raw.gif" not in page
    rel = 'rel="nofollow noopener noreferrer"'
    assert links(text) == [
        f'<a href="https://images.example/d.png" class="image-link" {rel}>'
        "image: architecture diagram</a>",
        f'<a href="https://tracker.example/pixel.gif" class="image-link" {rel}>'
        "image: //tracker.example/pixel.gif</a>",
        f'<a href="https://ci.example/builds" {rel}>image: build status</a>',
    ]
    assert "image: architecture diagram" in text_of(text)
