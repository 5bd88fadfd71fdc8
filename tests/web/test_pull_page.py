"""The pull request page: header, description, checks box, merge box, commits and files."""

import pytest

from gitforge.repositories.services import commit_files, set_collaborator
from tests.helpers import (
    check_rows,
    get_page,
    head_of,
    list_item,
    protect_main,
    report,
    text_of,
)

PAGE = "/alice/project/pull/1"


def test_header_shows_title_state_author_and_branches(pull, alice_client):
    page = get_page(alice_client, PAGE)

    text = text_of(page)
    assert "Change app #1" in text
    assert '<span class="state-badge open">Open</span>' in page
    assert "alice wants to merge 1 commit into main from feature" in text


def test_description_is_rendered_markdown(pull, alice_client):
    page = get_page(alice_client, PAGE)

    assert "Makes <strong>app</strong> print 2." in page


def test_commits_are_listed_with_their_combined_status(alice, public_repo, pull, alice_client):
    first = head_of(public_repo)
    second = commit_files(
        repository=public_repo,
        branch="feature",
        files={"NOTES.md": b"notes\n"},
        message="Add notes",
        author=alice,
    )
    report(public_repo, first, "ci/tests", "failure", creator=alice)
    report(public_repo, second, "ci/tests", "success", creator=alice)
    report(public_repo, second, "ci/lint", "pending", creator=alice)

    page = get_page(alice_client, PAGE)

    assert "wants to merge 2 commits" in text_of(page)
    older = list_item(page, f"/alice/project/commit/{first}")
    assert "Change app" in older
    assert "status-failure" in older and "Failure" in text_of(older)
    newer = list_item(page, f"/alice/project/commit/{second}")
    assert "Add notes" in newer
    assert "status-pending" in newer
    assert "● Pending 1/2 successful" in text_of(newer)
    assert page.index(older) < page.index(newer), "commits are listed oldest first"


def test_files_changed_shows_the_diff(pull, alice_client):
    page = get_page(alice_client, PAGE)

    assert "Files changed (1)" in text_of(page)
    assert "<code>src/app.py</code>" in page
    assert '<span class="del">-print(1)</span>' in page
    assert '<span class="add">+print(2)</span>' in page


def test_each_reported_context_is_one_row_with_icon_word_and_details(
    alice, bob, public_repo, pull, alice_client
):
    sha = head_of(public_repo)
    set_collaborator(repository=public_repo, user=bob, permission="push")
    report(
        public_repo,
        sha,
        "ci/tests",
        "success",
        creator=bob,
        description="42 tests passed",
        target_url="https://ci.example.com/builds/7",
    )
    report(public_repo, sha, "ci/lint", "pending", creator=alice, description="Linting")
    report(public_repo, sha, "ci/docs", "failure", creator=alice)
    report(public_repo, sha, "ci/deploy", "error", creator=alice, description="Crashed")

    page = get_page(alice_client, PAGE)
    rows = check_rows(page)

    assert list(rows) == ["ci/deploy", "ci/docs", "ci/lint", "ci/tests"]  # failing first
    state, tests_row = rows["ci/tests"]
    assert state == "success"
    assert "status-success" in tests_row
    assert text_of(tests_row).startswith("✓ Success ci/tests — 42 tests passed")
    assert "by bob" in text_of(tests_row)
    assert "ago" in text_of(tests_row)
    assert 'href="https://ci.example.com/builds/7"' in tests_row
    assert ">Details</a>" in tests_row
    assert "Required" not in tests_row

    state, lint_row = rows["ci/lint"]
    assert state == "pending"
    assert text_of(lint_row).startswith("● Pending ci/lint — Linting")
    assert "Details" not in lint_row, "no target URL, no Details link"
    assert "by alice" in text_of(lint_row)

    assert rows["ci/docs"][0] == "failing"
    assert text_of(rows["ci/docs"][1]).startswith("✕ Failing ci/docs — No description")
    assert rows["ci/deploy"][0] == "failing"
    assert text_of(rows["ci/deploy"][1]).startswith("✕ Error ci/deploy — Crashed")
    assert "1 failing" not in text_of(page)
    assert "2 failing, 1 pending and 1 successful checks" in text_of(page)


def test_required_contexts_get_a_badge_and_missing_ones_an_expected_row(
    alice, public_repo, pull, alice_client
):
    protect_main(public_repo, "ci/tests", "ci/lint", "deploy/*")
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)
    report(public_repo, head_of(public_repo), "ci/extra", "success", creator=alice)

    rows = check_rows(get_page(alice_client, PAGE))

    assert rows["ci/tests"][0] == "success"
    assert "Required" in rows["ci/tests"][1]
    assert "Required" not in rows["ci/extra"][1]
    for context in ("ci/lint", "deploy/*"):
        state, row = rows[context]
        assert state == "expected"
        assert "Required" in row
        assert text_of(row).startswith(f"○ Expected {context} Required")
        assert "Waiting for status to be reported" in row
        assert "Details" not in row


@pytest.mark.parametrize(
    ("states", "line"),
    [
        ({"a": "success", "b": "success"}, "All checks have passed"),
        ({"a": "success"}, "All checks have passed"),
        (
            {"a": "failure", "b": "pending", "c": "pending", "d": "success", "e": "success"}
            | {"f": "success"},
            "1 failing, 2 pending and 3 successful checks",
        ),
        ({"a": "pending"}, "1 pending check"),
        ({}, "No checks have been reported"),
    ],
)
def test_summary_line_counts_the_rows(alice, public_repo, pull, alice_client, states, line):
    for context, state in states.items():
        report(public_repo, head_of(public_repo), context, state, creator=alice)

    page = get_page(alice_client, PAGE)

    assert f'<div class="checks-summary"><strong>{line}</strong></div>' in page


def test_summary_line_counts_expected_rows(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", "ci/lint")
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)

    assert "1 expected and 1 successful checks" in text_of(get_page(alice_client, PAGE))


def test_unknown_pull_request_is_404(public_repo, alice_client):
    assert alice_client.get("/alice/project/pull/99").status_code == 404
    assert alice_client.get("/alice/project/pull/99/live").status_code == 404


def test_anonymous_visitors_see_the_checks_but_no_forms(alice, public_repo, pull, anonymous):
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)

    page = get_page(anonymous, PAGE)

    assert check_rows(page)["ci/tests"][0] == "success"
    assert "merge_method" not in page
    assert "Close pull request" not in page
