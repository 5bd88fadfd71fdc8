"""The repository page: description, default branch, branches, recent commits with status."""

from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import create_repository
from pulls.services import open_pull_request
from tests.helpers import list_item, protect_main, report, signed_in, text_of


def test_shows_description_default_branch_and_branches(public_repo, anonymous):
    response = anonymous.get("/alice/project")

    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(page)
    assert "alice/project Public" in text
    assert '<p class="description">project repo</p>' in page
    assert "Default branch main · 2 branches · 0 open pull requests" in text
    assert "<li><code>feature</code></li>" in page
    assert "<li><code>main</code></li>" in page


def test_protected_branches_are_labelled(public_repo, anonymous):
    protect_main(public_repo, "ci/tests")

    page = anonymous.get("/alice/project").content.decode()

    assert '<li><code>main</code> <span class="label">Protected</span></li>' in page
    assert "<li><code>feature</code></li>" in page


def test_recent_commits_show_their_combined_status_icon_and_word(alice, public_repo, anonymous):
    git = GitRepository(public_repo.id)
    newest, oldest = [commit.sha for commit in git.log(git.branch_sha("main"), 20)]
    report(public_repo, newest, "ci/tests", "success", creator=alice)
    report(public_repo, newest, "ci/lint", "success", creator=alice)
    report(public_repo, oldest, "ci/tests", "failure", creator=alice)

    page = anonymous.get("/alice/project").content.decode()

    newest_item = list_item(page, f"/alice/project/commit/{newest}")
    assert "Add app" in newest_item
    assert "status-success" in newest_item
    assert "✓ Success 2/2 successful" in text_of(newest_item)
    oldest_item = list_item(page, f"/alice/project/commit/{oldest}")
    assert "Initial commit" in oldest_item
    assert "status-failure" in oldest_item
    assert "✕ Failure 0/1 successful" in text_of(oldest_item)
    assert page.index(newest_item) < page.index(oldest_item), "newest first"


def test_a_commit_without_statuses_has_no_badge(public_repo, anonymous):
    page = anonymous.get("/alice/project").content.decode()

    assert 'class="status ' not in page


def test_counts_open_pull_requests(alice, public_repo, anonymous):
    open_pull_request(repository=public_repo, author=alice, title="x", head="feature", base="main")

    text = text_of(anonymous.get("/alice/project").content.decode())

    assert "1 open pull request" in text


def test_new_pull_request_link_only_for_signed_in_users(alice, public_repo, anonymous):
    assert "/alice/project/compare" not in anonymous.get("/alice/project").content.decode()
    assert "/alice/project/compare" in signed_in(alice).get("/alice/project").content.decode()


def test_an_empty_repository_says_so(alice, anonymous):
    create_repository(owner=alice, name="empty")

    page = anonymous.get("/alice/empty").content.decode()

    assert "This repository is empty." in page
    assert "0 branches" in text_of(page)


def test_owner_and_name_are_case_insensitive(public_repo, anonymous):
    assert anonymous.get("/Alice/PROJECT").status_code == 200


def test_unknown_repository_is_404(alice, anonymous):
    assert anonymous.get("/alice/nothing").status_code == 404
