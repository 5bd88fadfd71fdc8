"""Check states in lists: each pull request, branch and commit shows its head's combined state,
the count of successful contexts and a tooltip of every context, at a fixed query cost."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import commit_files, create_branch
from pulls.services import open_pull_request
from tests.helpers import (
    get_page,
    head_of,
    list_item,
    protect_main,
    report,
    signed_in,
    text_of,
)
from web.views import repositories


def mark_of(fragment):
    """(title, visible text) of the status mark inside a list item, or None when it has none."""
    match = re.search(
        r'<span class="summary" title="([^"]*)">(.*?) successful</span>', fragment, re.S
    )
    return (match.group(1), text_of(match.group(2)) + " successful") if match else None


def branch_item(page, name):
    match = re.search(rf"<li><code>{re.escape(name)}</code>.*?</li>", page, re.S)
    assert match, f"no branch {name}"
    return match.group(0)


def topic(repository, author, name, *, states=()):
    """A branch `name` one commit ahead of main, whose head reports `states` ((context, state))."""
    create_branch(repository=repository, branch=name, from_ref="main")
    sha = commit_files(
        repository=repository,
        branch=name,
        files={f"{name}.txt": name.encode()},
        message=f"Work on {name}",
        author=author,
    )
    for context, state in states:
        report(repository, sha, context, state, creator=author)
    return sha


# The pull request list --------------------------------------------------------------------------


def test_pull_list_marks_each_pull_with_state_count_and_tooltip(alice, public_repo, anonymous):
    topic(public_repo, alice, "green", states=[("ci/build", "success"), ("ci/lint", "success")])
    topic(public_repo, alice, "red", states=[("ci/build", "success"), ("ci/lint", "error")])
    topic(
        public_repo,
        alice,
        "waiting",
        states=[("ci/build", "success"), ("ci/lint", "pending"), ("ci/test", "success")],
    )
    topic(public_repo, alice, "silent")
    for head in ("green", "red", "waiting", "silent"):
        open_pull_request(
            repository=public_repo, author=alice, title=head.title(), head=head, base="main"
        )

    page = get_page(anonymous, "/alice/project/pulls")

    green = mark_of(list_item(page, "/alice/project/pull/1"))
    assert green == ("ci/build: success\nci/lint: success", "✓ Success 2/2 successful")
    red = mark_of(list_item(page, "/alice/project/pull/2"))
    assert red == ("ci/build: success\nci/lint: error", "✕ Failure 1/2 successful")
    waiting = mark_of(list_item(page, "/alice/project/pull/3"))
    assert waiting == (
        "ci/build: success\nci/lint: pending\nci/test: success",
        "● Pending 2/3 successful",
    )
    assert mark_of(list_item(page, "/alice/project/pull/4")) is None
    assert 'class="status status-success" title="ci/build: success\nci/lint: success"' in page


def test_pull_list_tooltip_escapes_context_names(alice, public_repo, anonymous):
    report(public_repo, head_of(public_repo), '<b>ci</b> & "lint"', "failure", creator=alice)
    open_pull_request(
        repository=public_repo, author=alice, title="Change", head="feature", base="main"
    )

    item = list_item(get_page(anonymous, "/alice/project/pulls"), "/alice/project/pull/1")

    assert "<b>" not in item
    assert 'title="&lt;b&gt;ci&lt;/b&gt; &amp; &quot;lint&quot;: failure"' in item


def test_pull_list_follows_the_head_branch(alice, public_repo, anonymous):
    """The mark is the state of the branch's current head, not of the commit first opened."""
    report(public_repo, head_of(public_repo), "ci/build", "failure", creator=alice)
    open_pull_request(
        repository=public_repo, author=alice, title="Change", head="feature", base="main"
    )
    newer = commit_files(
        repository=public_repo,
        branch="feature",
        files={"fix.txt": b"fix\n"},
        message="Fix",
        author=alice,
    )
    report(public_repo, newer, "ci/build", "success", creator=alice)

    item = list_item(get_page(anonymous, "/alice/project/pulls"), "/alice/project/pull/1")

    assert mark_of(item) == ("ci/build: success", "✓ Success 1/1 successful")


# The repository page's branches -----------------------------------------------------------------


def test_branches_show_the_state_of_their_head(alice, public_repo, anonymous):
    report(public_repo, head_of(public_repo, "main"), "ci/build", "success", creator=alice)
    report(public_repo, head_of(public_repo), "ci/build", "success", creator=alice)
    report(public_repo, head_of(public_repo), "ci/lint", "failure", creator=alice)
    topic(public_repo, alice, "topic/waiting", states=[("ci/build", "pending")])
    topic(public_repo, alice, "silent")

    page = get_page(anonymous, "/alice/project")

    assert mark_of(branch_item(page, "main")) == ("ci/build: success", "✓ Success 1/1 successful")
    feature = branch_item(page, "feature")
    assert mark_of(feature) == (
        "ci/build: success\nci/lint: failure",
        "✕ Failure 1/2 successful",
    )
    assert '<a class="branch-state" href="/alice/project/commits/feature">' in feature
    waiting = branch_item(page, "topic/waiting")
    assert mark_of(waiting) == ("ci/build: pending", "● Pending 0/1 successful")
    assert 'href="/alice/project/commits/topic/waiting"' in waiting
    assert branch_item(page, "silent") == "<li><code>silent</code></li>"


def test_protected_branch_keeps_its_label_beside_its_state(alice, public_repo, anonymous):
    protect_main(public_repo, "ci/build")
    report(public_repo, head_of(public_repo, "main"), "ci/build", "pending", creator=alice)

    item = branch_item(get_page(anonymous, "/alice/project"), "main")

    assert text_of(item) == "main Protected ● Pending 0/1 successful"


# The commit list --------------------------------------------------------------------------------


def test_commit_list_shows_each_commit_with_its_state(alice, public_repo, anonymous):
    git = GitRepository(public_repo.id)
    head, parent, root = [commit.sha for commit in git.log(head_of(public_repo), 10)]
    report(public_repo, head, "ci/build", "success", creator=alice)
    report(public_repo, head, "ci/lint", "pending", creator=alice)
    report(public_repo, root, "ci/build", "failure", creator=alice)

    page = get_page(anonymous, "/alice/project/commits/feature")

    assert "Commits on feature" in text_of(page)
    head_item = list_item(page, f"/alice/project/commit/{head}")
    assert "Change app" in head_item
    assert mark_of(head_item) == (
        "ci/build: success\nci/lint: pending",
        "● Pending 1/2 successful",
    )
    assert mark_of(list_item(page, f"/alice/project/commit/{parent}")) is None
    root_item = list_item(page, f"/alice/project/commit/{root}")
    assert mark_of(root_item) == ("ci/build: failure", "✕ Failure 0/1 successful")
    assert page.index(head_item) < page.index(root_item), "newest first"


def test_commit_list_defaults_to_the_default_branch(public_repo, anonymous):
    page = get_page(anonymous, "/alice/project/commits")

    assert "Commits on main" in text_of(page)
    assert "Add app" in page and "Change app" not in page


def test_commit_list_takes_branches_with_slashes_tags_and_shas(alice, public_repo, anonymous):
    sha = topic(public_repo, alice, "topic/deep/branch")

    assert "Work on topic/deep/branch" in get_page(
        anonymous, "/alice/project/commits/topic/deep/branch"
    )
    assert "Work on topic/deep/branch" in get_page(anonymous, f"/alice/project/commits/{sha}")
    assert anonymous.get("/alice/project/commits/nothing").status_code == 404


def test_commit_list_pages_through_history(alice, public_repo, anonymous, monkeypatch):
    monkeypatch.setattr(repositories, "COMMITS_PER_PAGE", 2)
    for index in range(3):
        commit_files(
            repository=public_repo,
            branch="main",
            files={"n.txt": str(index).encode()},
            message=f"Step {index}",
            author=alice,
        )

    first = get_page(anonymous, "/alice/project/commits")
    second = get_page(anonymous, "/alice/project/commits?page=2")
    last = get_page(anonymous, "/alice/project/commits?page=3")

    assert "Step 2" in first and "Step 1" in first and "Step 0" not in first
    assert '<a href="?page=2">Older</a>' in first and "Newer" not in first
    assert "Step 0" in second and "Add app" in second
    assert '<a href="?page=1">Newer</a>' in second and '<a href="?page=3">Older</a>' in second
    assert "Initial commit" in last and "Older" not in last
    assert "Step 2" in get_page(anonymous, "/alice/project/commits?page=x")


def test_private_commit_list_is_404_to_strangers(private_repo, charlie, bob, anonymous):
    assert anonymous.get("/alice/secret/commits").status_code == 404
    assert signed_in(charlie).get("/alice/secret/commits").status_code == 404
    assert signed_in(bob).get("/alice/secret/commits").status_code == 200


# A fixed number of queries, whatever the number of rows -------------------------------------------


def queries_for(client, path):
    client.get(path)  # warm: sessions, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("signed", [False, True])
def test_list_pages_cost_the_same_for_one_row_and_many(alice, public_repo, anonymous, signed):
    client = signed_in(alice) if signed else anonymous
    open_pull_request(
        repository=public_repo, author=alice, title="one", head="feature", base="main"
    )
    report(public_repo, head_of(public_repo), "ci/build", "success", creator=alice)
    paths = ["/alice/project/pulls", "/alice/project", "/alice/project/commits/feature"]
    one = {path: queries_for(client, path)[0] for path in paths}

    for index in range(12):
        topic(
            public_repo, alice, f"t{index}", states=[("ci/build", "success"), ("ci/x", "pending")]
        )
        open_pull_request(
            repository=public_repo, author=alice, title=f"t{index}", head=f"t{index}", base="main"
        )
        sha = commit_files(
            repository=public_repo,
            branch="feature",
            files={"n.txt": str(index).encode()},
            message=f"Step {index}",
            author=alice,
        )
        report(public_repo, sha, "ci/build", "failure", creator=alice)
    many = {path: queries_for(client, path) for path in paths}

    assert {path: count for path, (count, _) in many.items()} == one
    assert many["/alice/project/pulls"][1].count('class="summary"') == 13
    assert many["/alice/project"][1].count('class="branch-state"') == 13
    assert many["/alice/project/commits/feature"][1].count('class="summary"') == 13
