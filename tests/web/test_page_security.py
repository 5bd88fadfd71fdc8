"""Who may see and act on pages, CSRF on every form, and escaping of user-written text."""

import re

import pytest
from django.test import Client

from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import commit_files
from pulls.models import PullRequest
from pulls.services import open_pull_request
from statuses.models import CommitStatus, LatestCommitStatus
from tests.helpers import (
    check_rows,
    csrf_token_of,
    head_of,
    protect_main,
    report,
    signed_in,
)

JAVASCRIPT_HREF = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def private_pages():
    return [
        "/alice/secret",
        "/alice/secret/pulls",
        "/alice/secret/pulls?state=closed",
        "/alice/secret/pull/1",
        "/alice/secret/pull/1/live",
        "/alice/secret/compare",
    ]


@pytest.fixture
def private_pull(alice, private_repo):
    return open_pull_request(
        repository=private_repo, author=alice, title="Secret", head="feature", base="main"
    )


# Who sees what -------------------------------------------------------------------------------


def test_private_pages_are_404_to_anonymous_visitors(private_pull, anonymous):
    for path in private_pages():
        response = anonymous.get(path)
        assert response.status_code in (302, 404), path
        if response.status_code == 302:  # compare asks to sign in before saying anything
            assert response["Location"].startswith("/login"), path
        else:
            assert b"Secret" not in response.content


def test_private_pages_are_404_to_strangers(private_pull, charlie):
    client = signed_in(charlie)

    for path in private_pages():
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"Secret" not in response.content


def test_private_pages_are_shown_to_collaborators_and_owner(private_pull, alice, bob):
    for user in (alice, bob):
        client = signed_in(user)
        for path in private_pages():
            assert client.get(path).status_code == 200, (user.username, path)


def test_pull_collaborator_gets_no_merge_button_and_cannot_merge(private_pull, private_repo, bob):
    client = signed_in(bob)
    main = GitRepository(private_repo.id).branch_sha("main")

    page = client.get("/alice/secret/pull/1").content.decode()
    response = client.post("/alice/secret/pull/1/merge", {"merge_method": "merge"})

    assert "merge_method" not in page
    assert "/alice/secret/pull/1/merge" not in page
    assert "Close pull request" not in page
    assert response.status_code in (403, 404)
    private_pull.refresh_from_db()
    assert not private_pull.merged and private_pull.state == "open"
    assert GitRepository(private_repo.id).branch_sha("main") == main


def test_pull_collaborator_cannot_close_someone_elses_pull(private_pull, bob):
    response = signed_in(bob).post("/alice/secret/pull/1/close")

    assert response.status_code == 403
    assert PullRequest.objects.get(pk=private_pull.pk).state == "open"


@pytest.mark.parametrize("action", ["merge", "close", "reopen"])
def test_strangers_cannot_act_on_private_pulls(private_pull, charlie, action):
    response = signed_in(charlie).post(f"/alice/secret/pull/1/{action}")

    assert response.status_code == 404
    private_pull.refresh_from_db()
    assert private_pull.state == "open" and not private_pull.merged


@pytest.mark.parametrize("action", ["merge", "close", "reopen"])
def test_anonymous_posts_are_sent_to_sign_in(alice, public_repo, action, anonymous):
    open_pull_request(repository=public_repo, author=alice, title="t", head="feature", base="main")

    response = anonymous.post(f"/alice/project/pull/1/{action}")

    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")
    assert PullRequest.objects.get().state == "open"


def test_strangers_cannot_close_public_pulls(alice, public_repo, charlie):
    open_pull_request(repository=public_repo, author=alice, title="t", head="feature", base="main")

    response = signed_in(charlie).post("/alice/project/pull/1/close")

    assert response.status_code == 403
    assert PullRequest.objects.get().state == "open"


# CSRF ----------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


@pytest.mark.parametrize("action", ["merge", "close"])
def test_forms_without_csrf_token_are_refused(pull, csrf_client, action):
    response = csrf_client.post(f"/alice/project/pull/1/{action}")

    assert response.status_code == 403
    pull.refresh_from_db()
    assert pull.state == "open" and not pull.merged


def test_merge_with_the_pages_csrf_token_merges(pull, public_repo, csrf_client):
    page = csrf_client.get("/alice/project/pull/1").content.decode()
    token = csrf_token_of(page, "/alice/project/pull/1/merge")

    response = csrf_client.post(
        "/alice/project/pull/1/merge",
        {
            "csrfmiddlewaretoken": token,
            "merge_method": "squash",
            "expected_head": head_of(public_repo),
        },
    )

    assert response.status_code == 302
    pull.refresh_from_db()
    assert pull.merged
    assert GitRepository(public_repo.id).branch_sha("main") == pull.merge_commit_sha


def test_close_and_reopen_need_the_pages_csrf_token(pull, csrf_client):
    page = csrf_client.get("/alice/project/pull/1").content.decode()
    csrf_client.post(
        "/alice/project/pull/1/close",
        {"csrfmiddlewaretoken": csrf_token_of(page, "/alice/project/pull/1/close")},
    )
    pull.refresh_from_db()
    assert pull.state == "closed"

    assert csrf_client.post("/alice/project/pull/1/reopen").status_code == 403
    pull.refresh_from_db()
    assert pull.state == "closed"

    page = csrf_client.get("/alice/project/pull/1").content.decode()
    response = csrf_client.post(
        "/alice/project/pull/1/reopen",
        {"csrfmiddlewaretoken": csrf_token_of(page, "/alice/project/pull/1/reopen")},
    )
    assert response.status_code == 302
    pull.refresh_from_db()
    assert pull.state == "open"


@pytest.mark.parametrize("action", ["merge", "close", "reopen"])
def test_get_on_an_action_is_405(pull, public_repo, alice, action):
    response = signed_in(alice).get(f"/alice/project/pull/1/{action}")

    assert response.status_code == 405
    pull.refresh_from_db()
    assert pull.state == "open" and not pull.merged


# Escaping ------------------------------------------------------------------------------------


def assert_no_script_injection(page):
    assert "<script>" not in page
    assert "alert(1)</script>" not in page
    assert "<b>x</b>" not in page
    assert not JAVASCRIPT_HREF.search(page), JAVASCRIPT_HREF.search(page)
    assert "javascript:" not in page.lower()


def javascript_status(repository, sha, creator):
    """A status the service would refuse (javascript: target_url), written to the tables."""
    status = CommitStatus.objects.create(
        repository=repository,
        sha=sha,
        state="failure",
        context="evil/link",
        context_key="evil/link",
        description="click me",
        target_url="javascript:alert(1)",
        creator=creator,
    )
    LatestCommitStatus.objects.create(
        repository=repository,
        sha=sha,
        context_key="evil/link",
        status=status,
        total=1,
        state=status.state,
        context=status.context,
        description=status.description,
        target_url=status.target_url,
        created_at=status.created_at,
        creator=creator,
    )


@pytest.fixture
def hostile(alice, public_repo):
    sha = head_of(public_repo)
    report(
        public_repo,
        sha,
        "ci/tests",
        "pending",
        creator=alice,
        description="<script>alert(1)</script>",
        target_url="https://ci.example.com/1",
    )
    report(public_repo, sha, "<b>x</b>", "success", creator=alice, description="<b>x</b>")
    javascript_status(public_repo, sha, alice)
    return open_pull_request(
        repository=public_repo,
        author=alice,
        title="<script>alert(1)</script> title",
        body=(
            "Hello <script>alert(1)</script>\n\n"
            "[x](javascript:alert(1)) <b>x</b>\n\n"
            '<a href="javascript:alert(1)">y</a> <img src="javascript:alert(1)">'
        ),
        head="feature",
        base="main",
    )


def test_pull_page_escapes_user_text(hostile, alice):
    page = signed_in(alice).get("/alice/project/pull/1").content.decode()

    assert_no_script_injection(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; title" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in check_rows(page)["ci/tests"][1]
    assert "&lt;b&gt;x&lt;/b&gt;" in check_rows(page)["<b>x</b>"][1]
    evil_row = check_rows(page)["evil/link"][1]
    assert "click me" in evil_row
    assert "Details" not in evil_row


def test_live_fragment_escapes_user_text(hostile, alice):
    fragment = signed_in(alice).get("/alice/project/pull/1/live").content.decode()

    assert_no_script_injection(fragment)
    assert 'data-context="&lt;b&gt;x&lt;/b&gt;"' in fragment


def test_pull_list_escapes_titles(hostile, anonymous):
    page = anonymous.get("/alice/project/pulls").content.decode()

    assert_no_script_injection(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; title" in page


def test_commit_page_escapes_statuses_and_messages(hostile, alice, public_repo, anonymous):
    sha = commit_files(
        repository=public_repo,
        branch="feature",
        files={"x": b"<script>alert(1)</script>\n"},
        message="<script>alert(1)</script> <b>x</b>",
        author=alice,
    )
    report(
        public_repo, sha, "ci", "success", creator=alice, description="<script>alert(1)</script>"
    )
    javascript_status(public_repo, sha, alice)

    for path in (f"/alice/project/commit/{sha}", "/alice/project", "/alice/project/pull/1"):
        page = anonymous.get(path).content.decode()
        assert_no_script_injection(page)
    page = anonymous.get(f"/alice/project/commit/{sha}").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;" in page
    assert "Details" not in check_rows(page)["evil/link"][1]


def test_a_protected_context_with_html_is_escaped(alice, public_repo, pull):
    protect_main(public_repo, "<i>ctx</i>")

    page = signed_in(alice).get("/alice/project/pull/1").content.decode()

    assert "<i>ctx</i>" not in page
    assert "Required status checks have not passed: &lt;i&gt;ctx&lt;/i&gt; is expected." in page
