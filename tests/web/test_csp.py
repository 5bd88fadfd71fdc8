"""Pages send a Content-Security-Policy that forbids inline script and third-party content, and
no page or static file needs what it forbids."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from gitforge.repositories.git import GitRepository
from pulls.services import open_pull_request
from tests.helpers import head_of, protect_main, report, signed_in

ROOT = Path(settings.BASE_DIR)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def policy(response):
    """{directive: [sources]} of the response's Content-Security-Policy header."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def pages(repository, pull_number=1):
    sha = GitRepository(repository.id).branch_sha("main")
    base = f"/{repository.owner.username}/{repository.name}"
    return [
        "/",
        "/settings/tokens",
        base,
        f"{base}/pulls",
        f"{base}/compare",
        f"{base}/pull/{pull_number}",
        f"{base}/pull/{pull_number}/live",
        f"{base}/commit/{sha}",
        f"{base}/settings/hooks",
        f"{base}/settings/hooks/new",
        "/admin/",
        "/admin/protection/protectedbranch/add/",
        "/admin/pulls/pullrequest/",
    ]


def test_pages_send_a_policy_without_inline_script(pull, public_repo, operator):
    for path in pages(public_repo):
        response = operator.get(path)
        assert response.status_code == 200, path

        directives = policy(response)
        assert directives["script-src"] == ["'self'"], path
        assert directives["style-src"] == ["'self'"], path
        assert directives["img-src"] == ["'self'", "data:"], path
        assert directives["object-src"] == ["'none'"], path
        assert directives["base-uri"] == ["'none'"], path
        assert directives["frame-ancestors"] == ["'none'"], path
        assert directives["default-src"] == ["'self'"], path
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_signed_out_pages_and_errors_send_it_too(public_repo, anonymous):
    for path in ("/login", "/alice/project", "/alice/nothing-here"):
        assert "script-src 'self'" in anonymous.get(path)["Content-Security-Policy"], path


def test_rendered_pages_need_no_inline_script_or_style(pull, public_repo, operator):
    for path in pages(public_repo):
        page = operator.get(path).content.decode()

        assert not INLINE_SCRIPT.search(page), (path, INLINE_SCRIPT.search(page))
        assert not EVENT_HANDLER.search(page), (path, EVENT_HANDLER.search(page))
        assert not STYLE_ATTRIBUTE.search(page), (path, STYLE_ATTRIBUTE.search(page))
        assert not JAVASCRIPT_URL.search(page), path
        assert "<style" not in page, path


def template_and_static_files():
    files = sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "static").rglob("*"))
    return [path for path in files if path.is_file()]


@pytest.mark.parametrize(
    "path", template_and_static_files(), ids=lambda path: str(path.relative_to(ROOT))
)
def test_templates_and_static_files_have_no_inline_code(path):
    text = path.read_text()

    assert not INLINE_SCRIPT.search(text), INLINE_SCRIPT.search(text)
    assert not EVENT_HANDLER.search(text), EVENT_HANDLER.search(text)
    assert not STYLE_ATTRIBUTE.search(text), STYLE_ATTRIBUTE.search(text)
    assert not JAVASCRIPT_URL.search(text)
    if path.suffix == ".js":
        for forbidden in ("eval(", "new Function", 'setAttribute("on', ".onclick"):
            assert forbidden not in text, forbidden


# In Chromium ---------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_enforces_the_policy_and_the_checks_still_refresh(
    live_server, page, alice, public_repo
):
    protect_main(public_repo, "ci/tests")
    open_pull_request(
        repository=public_repo,
        author=alice,
        title="Change the app",
        body="![tracker](https://tracker.example/pixel.gif)",
        head="feature",
        base="main",
    )
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.context.add_cookies(session_cookie(alice, live_server.url))

    page.goto(f"{live_server.url}/alice/project/pull/1")
    assert page.locator("#live").get_attribute("data-live") == "true"
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)
    page.wait_for_selector('li[data-context="ci/tests"][data-state="success"]', timeout=15000)
    assert violations == [], "the page's own script and styles are allowed"

    with page.expect_console_message(lambda message: "script-src" in message.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.__injected = true";
                document.body.appendChild(script);
            }"""
        )

    assert page.evaluate("window.__injected") is None, "an inline script ran"
    assert outside == [], "the page fetched a third-party URL"
    assert page.locator("a.image-link").inner_text() == "image: tracker"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_shows_the_admin_without_violations(live_server, page, alice, public_repo):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.context.add_cookies(session_cookie(alice, live_server.url))

    for path in ("/admin/", "/admin/protection/protectedbranch/add/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")

    assert violations == []


def session_cookie(user, base_url):
    """The session cookie of `user` signed in, for a browser talking to `base_url`."""
    client = signed_in(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return [{"name": cookie.key, "value": cookie.value, "url": base_url}]
