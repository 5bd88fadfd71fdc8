"""Page fixtures: an open pull request on alice/project, status and protection shortcuts, and
(for browser tests) Chromium driven by playwright with optional screenshots."""

import html
import os
import re
from pathlib import Path

import pytest
from django.test import Client

from gitforge.repositories.git import GitRepository
from protection.services import save_protection
from pulls.services import open_pull_request
from statuses.services import create_commit_status

CHROMIUM = os.environ.get("GITFORGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def head_of(repository, branch="feature"):
    return GitRepository(repository.id).branch_sha(branch)


def report(repository, sha, context, state="success", *, creator, **fields):
    """Post a status through the service, as the API would."""
    return create_commit_status(
        repository=repository, sha=sha, state=state, context=context, creator=creator, **fields
    )


def protect_main(repository, *contexts, strict=False, enforce_admins=True):
    """Require `contexts` on main; by default even alice (admin) cannot bypass them."""
    return save_protection(
        repository=repository,
        pattern="main",
        require_status_checks=True,
        strict=strict,
        contexts=list(contexts),
        enforce_admins=enforce_admins,
    )


def text_of(fragment):
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def check_rows(page):
    """{context: (state, row html)} for each row of the checks box, in page order."""
    found = re.findall(
        r'<li class="check-row" data-context="([^"]*)" data-state="([^"]*)">(.*?)</li>',
        page,
        re.DOTALL,
    )
    return {html.unescape(context): (state, inner) for context, state, inner in found}


def list_item(page, href):
    """The <li> of a list whose first link points at `href`."""
    match = re.search(r'<li><a href="' + re.escape(href) + r'">.*?</li>', page, re.DOTALL)
    assert match, f"no list item linking to {href}"
    return match.group(0)


def signed_in(user, **client_options):
    client = Client(**client_options)
    client.force_login(user)
    return client


def csrf_token_of(html, action):
    """The CSRF token inside the form that posts to `action`."""
    form = re.search(
        r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', html, re.DOTALL
    )
    assert form, f"no form posting to {action}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))
    assert token, f"form posting to {action} has no CSRF token"
    return token.group(1)


@pytest.fixture
def pull(alice, public_repo):
    """alice's open pull request #1: feature (one commit) into main."""
    return open_pull_request(
        repository=public_repo,
        author=alice,
        title="Change the app",
        body="Makes **app** print 2.",
        head="feature",
        base="main",
    )


@pytest.fixture
def alice_client(alice):
    return signed_in(alice)


# Browser tests -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body (fixtures, assertions) are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def snap(request):
    """snap(page, name): save a full-page screenshot into $GITFORGE_SCREENSHOTS, if set."""
    folder = os.environ.get("GITFORGE_SCREENSHOTS")

    def take(page, name):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(Path(folder) / f"{request.node.name}-{name}.png"), full_page=True
            )

    return take
