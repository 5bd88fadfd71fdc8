"""The demo as a newcomer meets it in Debian's Chromium: the lists show the waiting check, the
printed curl command turns the pull request page green without a reload, and it merges."""

import os
import re
import shlex
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from gitforge.repositories.selectors import find_repository
from tests.helpers import bare_git
from web.demo import REPOSITORY, USERNAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def printed(output, pattern):
    match = re.search(pattern, output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_the_printed_command_turns_the_demo_green(settings, live_server, page, snap):
    settings.GITFORGE_EXTERNAL_URL = live_server.url
    out = StringIO()
    call_command("seeddemo", stdout=out)
    output = out.getvalue()
    password = printed(output, r"^Demo user:\s+demo / (\S+) \(shown once\)$")
    base = f"{live_server.url}/{USERNAME}/{REPOSITORY}"

    page.goto(f"{live_server.url}/login")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(base)
    snap(page, "repository")
    branch = page.locator("li", has=page.locator("code", has_text="feature/greeting"))
    assert " ".join(branch.inner_text().split()) == "feature/greeting ● Pending 1/2 successful"
    main = page.locator("li", has=page.locator("code", has_text="main"))
    assert " ".join(main.inner_text().split()) == "main Protected ✓ Success 2/2 successful"
    assert page.locator(".status-badge img").evaluate("img => img.naturalWidth") > 0
    page.goto(f"{base}/pulls")
    snap(page, "pull-list")
    assert page.locator(".pulls .summary").get_attribute("title") == (
        "ci/build: success\nci/lint: pending"
    )

    page.goto(f"{base}/pull/1")
    assert page.locator("#merge-button").count() == 0
    snap(page, "pull-waiting")
    command = printed(output, r"^(curl .*)$")
    result = subprocess.run(
        shlex.split(command),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_PROXY": "*", "no_proxy": "*"},
    )
    assert result.returncode == 0, result.stderr

    page.locator("#merge-button").wait_for()  # the checks box refreshes itself
    assert "All checks have passed" in page.locator("#checks").inner_text()
    snap(page, "pull-green")
    page.click("#merge-button")
    page.wait_for_url(f"{base}/pull/1")
    assert "Pull request merged as" in page.locator(".flash").inner_text()
    repository = find_repository(USERNAME, REPOSITORY)
    assert bare_git(repository, "log", "-1", "--format=%s", "main").startswith(
        "Merge pull request #1"
    )
