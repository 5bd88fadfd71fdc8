"""The pull request page: header, description, checks box, merge box, commits and files."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import commit_files, set_collaborator
from pulls.models import PullRequest
from pulls.services import open_pull_request
from tests.helpers import (
    check_rows,
    csrf_token_of,
    head_of,
    list_item,
    make_repository,
    protect_main,
    report,
    signed_in,
    text_of,
)

PAGE = "/alice/project/pull/1"


def get_page(client, path=PAGE):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def merge_box(page):
    start = page.index('id="merge-box"')
    return page[start : page.index("</section>", start)]


def test_header_shows_title_state_author_and_branches(pull, alice_client):
    page = get_page(alice_client)

    text = text_of(page)
    assert "Change the app #1" in text
    assert '<span class="state-badge open">Open</span>' in page
    assert "alice wants to merge 1 commit into main from feature" in text


def test_description_is_rendered_markdown(pull, alice_client):
    page = get_page(alice_client)

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

    page = get_page(alice_client)

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
    page = get_page(alice_client)

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

    page = get_page(alice_client)
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

    rows = check_rows(get_page(alice_client))

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

    page = get_page(alice_client)

    assert f'<div class="checks-summary"><strong>{line}</strong></div>' in page


def test_summary_line_counts_expected_rows(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", "ci/lint")
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)

    assert "1 expected and 1 successful checks" in text_of(get_page(alice_client))


def test_merge_box_offers_three_methods_when_checks_pass(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)

    page = get_page(alice_client)
    box = merge_box(page)

    assert "This branch has no conflicts with the base branch" in box
    assert 'action="/alice/project/pull/1/merge"' in box
    assert 'method="post"' in box
    for value, label in (
        ("merge", "Create a merge commit"),
        ("squash", "Squash and merge"),
        ("rebase", "Rebase and merge"),
    ):
        assert f'<option value="{value}">{label}</option>' in box
    assert f'name="expected_head" value="{head_of(public_repo)}"' in box
    assert ">Merge pull request</button>" in box
    assert 'data-live="false"' in page


def test_merge_box_names_the_blocking_contexts(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", "ci/lint", "ci/docs", "ci/e2e")
    sha = head_of(public_repo)
    report(public_repo, sha, "ci/tests", "pending", creator=alice)
    report(public_repo, sha, "ci/lint", "failure", creator=alice)
    report(public_repo, sha, "ci/docs", "error", creator=alice)

    box = merge_box(get_page(alice_client))

    assert "Merging is blocked" in box
    assert (
        "<li>Required status checks have not passed: ci/e2e is expected; ci/tests is pending; "
        "ci/lint, ci/docs are failing.</li>"
    ) in box
    assert "/merge" not in box
    assert "merge_method" not in box


def test_merge_box_says_when_the_branch_is_behind(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", strict=True)
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)
    commit_files(
        repository=public_repo,
        branch="main",
        files={"OTHER.md": b"other\n"},
        message="Unrelated change",
        author=alice,
    )

    box = merge_box(get_page(alice_client))

    assert (
        "Required status checks have not passed: "
        "the head branch is not up to date with the base branch."
    ) in box
    assert "merge_method" not in box


def test_merge_box_says_when_the_branch_conflicts(alice, public_repo, pull, alice_client):
    commit_files(
        repository=public_repo,
        branch="main",
        files={"src/app.py": b"print(3)\n"},
        message="Conflicting change",
        author=alice,
    )

    box = merge_box(get_page(alice_client))

    assert "This branch has conflicts that must be resolved." in box
    assert "merge_method" not in box


def test_admin_may_bypass_unless_enforced(alice, bob, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", enforce_admins=False)
    set_collaborator(repository=public_repo, user=bob, permission="push")

    alice_box = merge_box(get_page(alice_client))
    bob_box = merge_box(get_page(signed_in(bob)))

    assert "Merge without waiting for requirements (administrator)" in alice_box
    assert "Required status checks have not passed: ci/tests is expected." in alice_box
    assert "merge_method" not in bob_box
    assert "Required status checks have not passed: ci/tests is expected." in bob_box


def test_readers_are_told_they_cannot_merge(bob, public_repo, pull):
    box = merge_box(get_page(signed_in(bob)))

    assert "Only people with push access to this repository can merge." in box
    assert "merge_method" not in box
    assert "Close pull request" not in box


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
def test_merging_from_the_page_moves_main(alice, public_repo, pull, alice_client, method):
    protect_main(public_repo, "ci/tests")
    head = head_of(public_repo)
    report(public_repo, head, "ci/tests", "success", creator=alice)
    git = GitRepository(public_repo.id)
    old_main = git.branch_sha("main")

    response = alice_client.post(
        f"{PAGE}/merge", {"merge_method": method, "expected_head": head}, follow=True
    )

    assert response.redirect_chain == [(PAGE, 302)]
    page = response.content.decode()
    pull.refresh_from_db()
    assert pull.merged and pull.state == "closed"
    assert pull.merged_by == alice
    new_main = git.branch_sha("main")
    assert new_main == pull.merge_commit_sha != old_main
    assert git.contains(new_main, old_main)
    parents = git.commit(new_main).parents
    assert len(parents) == (2 if method == "merge" else 1)
    assert f"Pull request merged as {new_main[:7]}." in page
    assert '<span class="state-badge merged">Merged</span>' in page
    assert "Merged by alice 0 minutes ago as" in text_of(merge_box(page))
    assert f"<code>{new_main[:7]}</code>" in merge_box(page)
    assert "merge_method" not in page
    assert "Reopen pull request" not in page


def test_a_blocked_merge_posted_anyway_changes_nothing(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    old_main = GitRepository(public_repo.id).branch_sha("main")

    response = alice_client.post(f"{PAGE}/merge", {"merge_method": "merge"}, follow=True)

    page = response.content.decode()
    assert "Required status checks have not passed: ci/tests is expected." in page
    pull.refresh_from_db()
    assert not pull.merged and pull.state == "open"
    assert GitRepository(public_repo.id).branch_sha("main") == old_main


def test_a_stale_head_is_refused(alice, public_repo, pull, alice_client):
    stale = head_of(public_repo)
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"late.txt": b"late\n"},
        message="Late push",
        author=alice,
    )

    response = alice_client.post(f"{PAGE}/merge", {"expected_head": stale}, follow=True)

    assert "Head branch was modified. Review and try the merge again." in (
        response.content.decode()
    )
    pull.refresh_from_db()
    assert not pull.merged


def test_close_and_reopen(pull, alice_client):
    page = get_page(alice_client)
    assert 'action="/alice/project/pull/1/close"' in merge_box(page)

    closed = alice_client.post(f"{PAGE}/close", follow=True)

    page = closed.content.decode()
    assert closed.redirect_chain == [(PAGE, 302)]
    assert '<span class="state-badge closed">Closed</span>' in page
    assert "This pull request is closed." in page
    assert 'action="/alice/project/pull/1/reopen"' in page
    assert PullRequest.objects.get(pk=pull.pk).state == "closed"

    reopened = alice_client.post(f"{PAGE}/reopen", follow=True)

    page = reopened.content.decode()
    assert '<span class="state-badge open">Open</span>' in page
    assert PullRequest.objects.get(pk=pull.pk).state == "open"


def test_the_author_may_close_their_own_pull_request(bob, public_repo):
    open_pull_request(
        repository=public_repo, author=bob, title="Bob's", head="feature", base="main"
    )
    bob_client = signed_in(bob)

    box = merge_box(get_page(bob_client))
    response = bob_client.post(f"{PAGE}/close")

    assert "Close pull request" in box
    assert response.status_code == 302
    assert PullRequest.objects.get(number=1).state == "closed"


def test_unknown_pull_request_is_404(public_repo, alice_client):
    assert alice_client.get("/alice/project/pull/99").status_code == 404
    assert alice_client.get("/alice/project/pull/99/live").status_code == 404


# The live fragment ---------------------------------------------------------------------------


def live(client):
    response = client.get(f"{PAGE}/live")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="live"'), body[:200]
    assert "<html" not in body
    return body


def test_live_fragment_keeps_refreshing_while_a_check_is_pending(
    alice, public_repo, pull, alice_client
):
    protect_main(public_repo, "ci/tests", "ci/lint")
    sha = head_of(public_repo)
    assert 'data-live="true"' in get_page(alice_client)
    fragment = live(alice_client)
    assert 'data-live="true"' in fragment
    assert 'data-refresh-url="/alice/project/pull/1/live"' in fragment
    assert check_rows(fragment)["ci/tests"][0] == "expected"

    report(public_repo, sha, "ci/tests", "pending", creator=alice)
    report(public_repo, sha, "ci/lint", "success", creator=alice)
    fragment = live(alice_client)
    assert 'data-live="true"' in fragment
    assert check_rows(fragment)["ci/tests"][0] == "pending"
    assert "merge_method" not in fragment

    report(public_repo, sha, "ci/tests", "success", creator=alice)
    fragment = live(alice_client)
    assert 'data-live="false"' in fragment
    assert "All checks have passed" in fragment
    assert "merge_method" in fragment
    assert 'data-live="false"' in get_page(alice_client)


def test_live_fragment_stops_on_a_final_failure(alice, public_repo, pull, alice_client):
    report(public_repo, head_of(public_repo), "ci/tests", "failure", creator=alice)

    assert 'data-live="false"' in live(alice_client)


def test_live_fragment_stops_once_closed_even_if_pending(alice, public_repo, pull, alice_client):
    report(public_repo, head_of(public_repo), "ci/tests", "pending", creator=alice)
    alice_client.post(f"{PAGE}/close")

    assert 'data-live="false"' in live(alice_client)


def test_live_fragment_has_the_csrf_token_for_its_forms(alice, public_repo, pull, alice_client):
    fragment = live(alice_client)

    assert csrf_token_of(fragment, "/alice/project/pull/1/close")


# Query counts --------------------------------------------------------------------------------


def pull_with(owner, name, *, commits, contexts):
    """A pull request with `commits` commits whose head reports `contexts` contexts; every
    commit has a status, and main requires two contexts (one never reported)."""
    repository = make_repository(owner, name)
    for index in range(commits - 1):
        commit_files(
            repository=repository,
            branch="feature",
            files={f"file{index}.txt": f"{index}\n".encode()},
            message=f"Commit {index}",
            author=owner,
        )
    git = GitRepository(repository.id)
    protect_main(repository, "ci/0", "ci/missing")
    for commit in git.commits_between(git.branch_sha("main"), git.branch_sha("feature")):
        report(repository, commit.sha, "ci/0", "success", creator=owner)
    head = git.branch_sha("feature")
    for index in range(1, contexts):
        state = ("success", "pending", "failure")[index % 3]
        report(
            repository,
            head,
            f"ci/{index}",
            state,
            creator=owner,
            description=f"check {index}",
            target_url=f"https://ci.example.com/{index}",
        )
    open_pull_request(
        repository=repository, author=owner, title=name, body="*body*", head="feature", base="main"
    )
    return f"/{owner.username}/{name}/pull/1"


def count_queries(client, path):
    client.get(path)  # warm up: session, user, last-used bookkeeping
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_query_count_does_not_grow_with_contexts_or_commits(alice, alice_client):
    pages = {
        (contexts, commits): pull_with(
            alice, f"q{contexts}x{commits}", commits=commits, contexts=contexts
        )
        for contexts in (5, 50)
        for commits in (2, 20)
    }

    counts = {}
    for (contexts, commits), path in pages.items():
        counts[(contexts, commits)], page = count_queries(alice_client, path)
        assert len(check_rows(page)) == contexts + 1  # plus the expected ci/missing row
        assert f"wants to merge {commits} commits" in text_of(page)

    assert len(set(counts.values())) == 1, counts
    assert counts[(5, 2)] > 0


def test_live_fragment_query_count_does_not_grow_with_contexts(alice, alice_client):
    small = pull_with(alice, "small", commits=2, contexts=5)
    big = pull_with(alice, "big", commits=2, contexts=50)

    assert (
        count_queries(alice_client, small + "/live")[0]
        == count_queries(alice_client, big + "/live")[0]
    )


def test_anonymous_visitors_see_the_checks_but_no_forms(alice, public_repo, pull, anonymous):
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)

    page = get_page(anonymous)

    assert check_rows(page)["ci/tests"][0] == "success"
    assert "merge_method" not in page
    assert "Close pull request" not in page
