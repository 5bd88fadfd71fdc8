"""Page fixtures: a signed-in alice and, for browser tests, Chromium driven by playwright with
optional screenshots."""

import os
from pathlib import Path

import pytest

from tests.helpers import signed_in

CHROMIUM = os.environ.get("GITFORGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
