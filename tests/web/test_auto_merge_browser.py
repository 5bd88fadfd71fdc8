"""Auto-merge in Debian's Chromium: enabled on the page, fired by the last status posted through
the API, and the page shows the merge without a reload."""

import pytest
import requests

from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.git import GitRepository
from pulls.models import PullRequest
from pulls.services import open_pull_request
from tests.helpers import head_of, protect_main
from tests.hooks.worker import run_ready_tasks
from tests.web.test_browser import post_status, row, sign_in, text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enable_on_the_page_then_the_last_status_merges(
    live_server, page, alice, public_repo, snap
):
    protect_main(public_repo, "ci/tests", "ci/lint")
    open_pull_request(
        repository=public_repo, author=alice, title="Change the app", head="feature", base="main"
    )
    sha = head_of(public_repo)
    _, secret = create_personal_access_token(user=alice, name="ci", scopes=["repo:status"])
    api = requests.Session()
    api.trust_env = False
    api.headers["Authorization"] = f"token {secret}"
    post_status(api, live_server.url, sha, "ci/tests", "success")

    sign_in(page, live_server.url, "alice", "alice-password-1", snap)
    page.goto(f"{live_server.url}/alice/project/pull/1")
    page.click(".auto-merge-form summary")
    page.select_option("#auto-merge-method", "squash")
    page.fill("#auto-merge-title", "Greet everyone")
    page.click("#enable-auto-merge")
    page.wait_for_selector("#auto-merge", timeout=15000)
    snap(page, "auto-merge-enabled")
    assert "Auto-merge enabled by alice" in text(page, "#auto-merge")
    page.evaluate("window.__marker = 1")

    post_status(api, live_server.url, sha, "ci/lint", "success")
    page.wait_for_selector(row("ci/lint", "success"), timeout=15000)
    run_ready_tasks("pulls.auto_merge.attempt_auto_merge")  # the worker's part
    page.wait_for_function(
        "() => document.querySelector('#merge-box').innerText.includes('Merged by alice')",
        timeout=15000,
    )
    snap(page, "auto-merge-merged")

    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    pull = PullRequest.objects.get(repository=public_repo, number=1)
    assert pull.merged
    main = GitRepository(public_repo.id).commit(pull.merge_commit_sha)
    assert main.message.startswith("Greet everyone")
