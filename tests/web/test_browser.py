"""The pull request page in Debian's Chromium: checks refresh in place, merging works, and the
page fits a phone screen."""

import pytest
import requests

from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import commit_files
from pulls.services import open_pull_request
from tests.helpers import head_of, protect_main, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username, password, snap):
    page.goto(f"{base_url}/login")
    snap(page, "login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    assert page.locator(".who").inner_text() == username


def post_status(session, base_url, sha, context, state):
    response = session.post(
        f"{base_url}/api/repos/alice/project/statuses/{sha}",
        json={"state": state, "context": context, "description": f"{context} is {state}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text


def row(context, state):
    return f'li[data-context="{context}"][data-state="{state}"]'


def text(page, selector):
    """The element's visible text with whitespace collapsed (flex rows break lines)."""
    return " ".join(page.locator(selector).inner_text().split())


def test_checks_refresh_without_reload_then_merge(live_server, page, alice, public_repo, snap):
    protect_main(public_repo, "ci/tests", "ci/lint")
    open_pull_request(
        repository=public_repo, author=alice, title="Change the app", head="feature", base="main"
    )
    sha = head_of(public_repo)
    old_main = GitRepository(public_repo.id).branch_sha("main")
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo:status"])
    api = requests.Session()
    api.trust_env = False  # talk to the live server directly, never through a proxy
    api.headers["Authorization"] = f"token {secret}"

    sign_in(page, live_server.url, "alice", "alice-password-1", snap)
    page.goto(f"{live_server.url}/alice/project/pull/1")
    snap(page, "pull-expected")
    assert text(page, row("ci/tests", "expected")) == (
        "○ Expected ci/tests Required — Waiting for status to be reported"
    )
    assert text(page, row("ci/lint", "expected")) == (
        "○ Expected ci/lint Required — Waiting for status to be reported"
    )
    assert page.locator("#merge-button").count() == 0
    assert page.locator("#live").get_attribute("data-live") == "true"
    page.evaluate("window.__marker = 1")

    post_status(api, live_server.url, sha, "ci/tests", "pending")
    post_status(api, live_server.url, sha, "ci/lint", "pending")
    page.wait_for_selector(row("ci/tests", "pending"), timeout=15000)
    page.wait_for_selector(row("ci/lint", "pending"), timeout=15000)
    snap(page, "pull-pending")
    assert page.locator("#merge-button").count() == 0
    assert "Required status checks have not passed: ci/tests, ci/lint are pending." in text(
        page, "#merge-box"
    )

    post_status(api, live_server.url, sha, "ci/tests", "success")
    post_status(api, live_server.url, sha, "ci/lint", "success")
    page.wait_for_selector(row("ci/tests", "success"), timeout=15000)
    page.wait_for_selector(row("ci/lint", "success"), timeout=15000)
    page.wait_for_selector("#merge-button", timeout=15000)
    snap(page, "pull-success")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert page.locator("#live").get_attribute("data-live") == "false"
    assert text(page, ".checks-summary") == "All checks have passed"
    assert text(page, row("ci/tests", "success")).startswith("✓ Success ci/tests Required")

    page.click("#merge-button")
    page.wait_for_selector(".state-badge.merged", timeout=15000)
    snap(page, "pull-merged")
    assert page.locator(".state-badge.merged").inner_text() == "Merged"
    new_main = GitRepository(public_repo.id).branch_sha("main")
    assert new_main != old_main
    assert GitRepository(public_repo.id).contains(new_main, sha)


def test_refreshes_revalidate_and_304s_keep_the_page(live_server, page, alice, public_repo, snap):
    """While nothing changes, each refresh presents the ETag and gets a 304; the page stays as
    it is, then shows the next change without a reload."""
    protect_main(public_repo, "ci/tests")
    open_pull_request(
        repository=public_repo, author=alice, title="Change the app", head="feature", base="main"
    )
    sha = head_of(public_repo)
    report(public_repo, sha, "ci/tests", "pending", creator=alice)
    refreshes = []
    page.on(
        "response",
        lambda response: (
            refreshes.append((response.status, response.request.headers.get("if-none-match")))
            if "/pull/1/live" in response.url
            else None
        ),
    )

    sign_in(page, live_server.url, "alice", "alice-password-1", snap)
    page.goto(f"{live_server.url}/alice/project/pull/1")
    page.evaluate("window.__marker = 1")
    etag = page.locator("#live").get_attribute("data-etag")
    page.wait_for_timeout(4500)  # two refreshes at 2 s

    assert len(refreshes) >= 2, refreshes
    assert all(status == 304 and sent == etag for status, sent in refreshes), refreshes
    assert page.locator(row("ci/tests", "pending")).count() == 1

    report(public_repo, sha, "ci/tests", "success", creator=alice)
    page.wait_for_selector(row("ci/tests", "success"), timeout=15000)
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert any(status == 200 for status, _ in refreshes)


def phone_widths(browser, base_url, paths, snap):
    """{path: document scroll width} at a 390 x 844 viewport."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    widths = {}
    try:
        for path in paths:
            page.goto(f"{base_url}{path}")
            snap(page, "phone-" + path.strip("/").replace("/", "-"))
            widths[path] = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    return widths


def test_pull_page_fits_a_phone(live_server, browser, alice, public_repo, snap):
    protect_main(public_repo, "ci/tests", "ci/lint", "continuous-integration/very-long-name/*")
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"src/long.py": b"value = " + b"'x' + " * 40 + b"'end'\n"},
        message="A commit with a long first line that goes on and on for a phone screen " * 2,
        author=alice,
    )
    sha = head_of(public_repo)
    report(
        public_repo,
        sha,
        "ci/tests",
        "failure",
        creator=alice,
        description="3 of 1200 tests failed: test_merge_box_names_the_blocking_contexts",
        target_url="https://ci.example.com/builds/1234567890/logs/very/long/path",
    )
    report(public_repo, sha, "ci/lint", "pending", creator=alice, description="Linting")
    open_pull_request(
        repository=public_repo,
        author=alice,
        title="A rather long pull request title that needs to wrap on a small screen",
        body="Fixes the **app** and the [docs](https://example.com/docs).",
        head="feature",
        base="main",
    )
    paths = ["/alice/project/pull/1", "/alice/project", "/alice/project/pulls"]
    paths.append(f"/alice/project/commit/{sha}")

    widths = phone_widths(browser, live_server.url, paths, snap)

    assert all(width <= 390 for width in widths.values()), widths


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("See https://example.com/" + "segment/" * 20 + " for details.", id="long-url"),
        pytest.param("```\n" + "a_long_code_line = 1; " * 10 + "\n```\n", id="code-block"),
    ],
)
def test_long_lines_in_the_description_fit_a_phone(
    live_server, browser, alice, public_repo, snap, body
):
    open_pull_request(
        repository=public_repo,
        author=alice,
        title="Long lines",
        body=body,
        head="feature",
        base="main",
    )

    widths = phone_widths(browser, live_server.url, ["/alice/project/pull/1"], snap)

    assert widths["/alice/project/pull/1"] <= 390, widths


def test_pull_page_at_desktop_width_has_no_overflow(live_server, page, alice, pull, snap):
    page.goto(f"{live_server.url}/alice/project/pull/1")
    snap(page, "desktop-pull")

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.locator("h1.pull-title").inner_text().startswith("Change app")
