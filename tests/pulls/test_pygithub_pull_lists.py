"""PyGithub, unmodified, follows what a pull request links to: its commits, files, issue,
comments, reviews and review requests, against a live server."""

import pytest
from github import Auth, Github

from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories.services import commit_files
from pulls.services import open_pull_request
from tests.helpers import bare_git

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def remote_pull(live_server, alice, public_repo):
    for n in range(3):
        commit_files(
            repository=public_repo,
            branch="feature",
            files={f"notes/{n}.txt": b"note\n"},
            message=f"Note {n}",
            author=alice,
        )
    open_pull_request(
        repository=public_repo, author=alice, title="Change app", head="feature", base="main"
    )
    _, secret = create_personal_access_token(user=alice, name="pygithub", scopes=["repo"])
    client = Github(
        auth=Auth.Token(secret), base_url=live_server.url + "/api/v3", retry=None, per_page=2
    )
    return client.get_repo("alice/project").get_pull(1)


def test_commits_and_files_page_through_every_item(remote_pull, public_repo):
    commits = [commit.sha for commit in remote_pull.get_commits()]
    files = {file.filename: file for file in remote_pull.get_files()}

    assert commits == bare_git(public_repo, "rev-list", "--reverse", "main..feature").split()
    assert remote_pull.get_commits().totalCount == 4
    assert set(files) == {"notes/0.txt", "notes/1.txt", "notes/2.txt", "src/app.py"}
    assert files["src/app.py"].status == "modified"
    assert (files["src/app.py"].additions, files["src/app.py"].deletions) == (1, 1)
    assert files["notes/0.txt"].status == "added"


def test_issue_comments_reviews_and_requests(remote_pull):
    issue = remote_pull.as_issue()

    assert issue.number == 1
    assert issue.pull_request.diff_url.endswith("/alice/project/pull/1.diff")
    assert list(remote_pull.get_issue_comments()) == []
    assert list(remote_pull.get_review_comments()) == []
    assert list(remote_pull.get_reviews()) == []
    users, teams = remote_pull.get_review_requests()
    assert (list(users), list(teams)) == ([], [])
