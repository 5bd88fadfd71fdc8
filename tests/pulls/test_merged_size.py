"""A merged pull request keeps the size it had when merged: `commits`, `additions`, `deletions`
and `changed_files` no longer come from the branches, which show nothing left to merge."""

import pytest

from gitforge.repositories.services import commit_files
from pulls.models import PullRequest
from tests.helpers import bare_git, merge, send
from tests.openapi import assert_matches_spec

PULL = "/repos/{owner}/{repo}/pulls/{pull_number}"


def size_of(body):
    return {key: body[key] for key in ("commits", "additions", "deletions", "changed_files")}


def more_work(repository, author):
    """A second commit on feature: two commits, three files, 3 additions and 1 deletion."""
    commit_files(
        repository=repository,
        branch="feature",
        files={"docs/a.md": b"a\n", "docs/b.md": b"b\nb\n"},
        message="Add docs",
        author=author,
    )


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
def test_merged_pull_reports_the_size_it_had_when_merged(owner, public_repo, alice, pull, method):
    more_work(public_repo, alice)
    before = size_of(send(owner, "get", "/api/repos/alice/project/pulls/1").json())
    assert before == {"commits": 2, "additions": 4, "deletions": 1, "changed_files": 3}

    assert merge(owner, merge_method=method).status_code == 200

    response = send(owner, "get", "/api/repos/alice/project/pulls/1")
    assert_matches_spec(response, "get", PULL, 200)
    assert response.json()["merged"] is True
    assert size_of(response.json()) == before
    stored = PullRequest.objects.get(pk=pull.pk)
    assert (
        stored.merged_commits,
        stored.merged_additions,
        stored.merged_deletions,
        stored.merged_changed_files,
    ) == (2, 4, 1, 3)


def test_size_stays_after_the_branches_move_on(owner, public_repo, alice, pull):
    assert merge(owner).status_code == 200
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"later.txt": b"1\n2\n3\n"},
        message="Later work",
        author=alice,
    )
    bare_git(public_repo, "branch", "-D", "feature")

    body = send(owner, "get", "/api/repos/alice/project/pulls/1").json()

    assert size_of(body) == {"commits": 1, "additions": 1, "deletions": 1, "changed_files": 1}


def test_pull_merged_before_sizes_were_stored_reads_its_merged_range(owner, pull):
    assert merge(owner).status_code == 200
    PullRequest.objects.filter(pk=pull.pk).update(
        merged_commits=None, merged_additions=None, merged_deletions=None
    )

    body = send(owner, "get", "/api/repos/alice/project/pulls/1").json()

    assert size_of(body) == {"commits": 1, "additions": 1, "deletions": 1, "changed_files": 1}


def test_a_closed_unmerged_pull_still_measures_its_branches(owner, public_repo, alice, pull):
    send(owner, "patch", "/api/repos/alice/project/pulls/1", {"state": "closed"})
    more_work(public_repo, alice)

    body = send(owner, "get", "/api/repos/alice/project/pulls/1").json()

    assert size_of(body) == {"commits": 2, "additions": 4, "deletions": 1, "changed_files": 3}
