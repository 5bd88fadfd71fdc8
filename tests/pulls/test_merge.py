"""Merging a pull request: required checks, merge methods, conflicts, and who may merge.

Every refused merge must leave git (the base branch) and the database (the pull) untouched.
"""

import subprocess

import pytest

from gitforge.repositories import permissions
from gitforge.repositories.git import repository_path
from gitforge.repositories.services import commit_files, set_collaborator
from pulls.models import PullRequest
from pulls.services import open_pull_request
from statuses.services import create_commit_status
from tests.helpers import bare_git as git
from tests.helpers import files_at, send, token_client
from tests.openapi import assert_matches_spec

MERGE = "/repos/{owner}/{repo}/pulls/{pull_number}/merge"


def merge(client, number=1, repo="alice/project", **body):
    return send(client, "put", f"/api/repos/{repo}/pulls/{number}/merge", body)


def pull_state(pull):
    pull = PullRequest.objects.get(pk=pull.pk)
    return (pull.state, pull.merged, pull.merged_by_id, pull.merged_at, pull.merge_commit_sha)


def snapshot(repository, pull):
    """What a refused merge must not change: every ref, and the pull's merge fields."""
    return git(repository, "for-each-ref", "--format=%(refname) %(objectname)"), pull_state(pull)


@pytest.fixture
def pull(public_repo, alice):
    return open_pull_request(
        repository=public_repo, author=alice, title="Change app", head="feature", base="main"
    )


@pytest.fixture
def head(public_repo, pull):
    return git(public_repo, "rev-parse", "feature")


@pytest.fixture
def post(public_repo, alice, head):
    def create(context, state, sha=None):
        create_commit_status(
            repository=public_repo, sha=sha or head, state=state, context=context, creator=alice
        )

    return create


@pytest.fixture
def protect(owner, public_repo):
    """Protect main through the API, as a repository admin would."""

    def put(contexts=("ci/tests", "ci/lint"), *, strict=False, enforce_admins=False):
        body = {
            "required_status_checks": {"strict": strict, "contexts": list(contexts)},
            "enforce_admins": enforce_admins,
            "required_pull_request_reviews": None,
            "restrictions": None,
        }
        response = send(owner, "put", "/api/repos/alice/project/branches/main/protection", body)
        assert response.status_code == 200, response.content

    return put


def assert_refused(response, status, *phrases):
    assert response.status_code == status, response.content
    message = response.json()["message"]
    for phrase in phrases:
        assert phrase in message, message


def test_required_checks_gate_the_merge(bob, public_repo, pull, head, post, protect):
    """The issue's scenario: main requires ci/tests and ci/lint; bob (push) merges."""
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    client = token_client(bob)
    protect()
    old_main = git(public_repo, "rev-parse", "main")
    before = snapshot(public_repo, pull)

    response = merge(client)
    assert_refused(response, 405, "ci/tests", "ci/lint", "expected")
    assert_matches_spec(response, "put", MERGE, 405)
    assert snapshot(public_repo, pull) == before

    post("ci/tests", "success")
    assert_refused(merge(client), 405, "ci/lint is expected")
    assert snapshot(public_repo, pull) == before

    post("ci/lint", "pending")
    assert_refused(merge(client), 405, "ci/lint is pending")
    assert snapshot(public_repo, pull) == before

    post("ci/lint", "failure")
    assert_refused(merge(client), 405, "ci/lint is failing")
    assert snapshot(public_repo, pull) == before

    post("ci/lint", "error")
    assert_refused(merge(client), 405, "ci/lint is failing")
    assert snapshot(public_repo, pull) == before

    post("ci/tests", "pending")
    post("ci/lint", "success")
    assert_refused(merge(client), 405, "ci/tests is pending")
    assert snapshot(public_repo, pull) == before

    post("CI/Tests", "success")
    response = merge(client)

    assert_matches_spec(response, "put", MERGE, 200)
    body = response.json()
    assert body["merged"] is True
    assert body["message"] == "Pull Request successfully merged"
    assert git(public_repo, "rev-parse", "main") == body["sha"]
    assert git(public_repo, "log", "--format=%P", "-1", "main").split() == [old_main, head]
    assert git(public_repo, "show", "main:src/app.py") == "print(2)"
    subprocess.run(["git", "-C", str(repository_path(public_repo.id)), "fsck"], check=True)


def test_merged_pull_reports_its_merge(bob, anonymous, public_repo, pull, head):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)

    sha = merge(token_client(bob)).json()["sha"]

    body = anonymous.get("/api/repos/alice/project/pulls/1").json()
    assert body["state"] == "closed"
    assert body["merged"] is True
    assert body["merged_by"]["login"] == "bob"
    assert body["merge_commit_sha"] == sha
    assert body["merged_at"] is not None
    assert body["closed_at"] is not None
    assert body["head"]["sha"] == head
    assert anonymous.get("/api/repos/alice/project/pulls/1/merge").status_code == 204
    pull.refresh_from_db()
    assert (pull.state, pull.merged, pull.merge_commit_sha) == ("closed", True, sha)


def test_merge_commit_message(owner, public_repo, pull):
    merge(owner)

    assert git(public_repo, "log", "--format=%B", "-1", "main") == (
        "Merge pull request #1 from alice/feature\n\nChange app"
    )


def test_merge_with_custom_title_and_message(owner, public_repo, pull):
    merge(owner, commit_title="Ship it", commit_message="Details")

    assert git(public_repo, "log", "--format=%B", "-1", "main") == "Ship it\n\nDetails"


def test_merging_twice_is_refused(owner, public_repo, pull):
    first = merge(owner).json()["sha"]

    assert_refused(merge(owner), 405, "not mergeable")
    assert git(public_repo, "rev-parse", "main") == first


def test_closed_pull_cannot_be_merged(owner, public_repo, pull):
    send(owner, "patch", "/api/repos/alice/project/pulls/1", {"state": "closed"})
    before = snapshot(public_repo, pull)

    assert_refused(merge(owner), 405, "not mergeable")
    assert snapshot(public_repo, pull) == before


@pytest.fixture
def diverged(public_repo, alice):
    """main gains docs/guide.md after feature branched off; returns the new main."""
    return commit_files(
        repository=public_repo,
        branch="main",
        files={"docs/guide.md": b"guide\n"},
        message="Add guide",
        author=alice,
    )


def test_squash_merge(owner, public_repo, pull, head, diverged):
    response = merge(owner, merge_method="squash")

    assert_matches_spec(response, "put", MERGE, 200)
    sha = response.json()["sha"]
    assert git(public_repo, "rev-parse", "main") == sha
    assert git(public_repo, "log", "--format=%P", "-1", "main").split() == [diverged]
    assert files_at(public_repo, "main") == {"README.md", "src/app.py", "docs/guide.md"}
    assert git(public_repo, "show", "main:src/app.py") == "print(2)"
    assert git(public_repo, "show", "main:docs/guide.md") == "guide"
    assert git(public_repo, "log", "--format=%s", "-1", "main") == "Change app (#1)"
    ancestry = subprocess.run(
        [
            "git",
            "-C",
            str(repository_path(public_repo.id)),
            "merge-base",
            "--is-ancestor",
            head,
            sha,
        ]
    )
    assert ancestry.returncode == 1  # the head commit itself is not in main's history


def test_rebase_merge(owner, public_repo, alice, pull, diverged):
    second = commit_files(
        repository=public_repo,
        branch="feature",
        files={"src/more.py": b"more\n"},
        message="Add more",
        author=alice,
    )
    originals = git(public_repo, "rev-list", "main..feature").split()
    assert second in originals and len(originals) == 2

    response = merge(owner, merge_method="rebase")

    assert_matches_spec(response, "put", MERGE, 200)
    sha = response.json()["sha"]
    assert git(public_repo, "rev-parse", "main") == sha
    assert git(public_repo, "log", "--format=%s", "-3", "main").splitlines() == [
        "Add more",
        "Change app",
        "Add guide",
    ]
    assert git(public_repo, "rev-parse", "main~2") == diverged
    history = git(public_repo, "rev-list", "main").split()
    assert not set(originals) & set(history)
    for commit in history[:2]:
        assert len(git(public_repo, "log", "--format=%P", "-1", commit).split()) == 1
    assert files_at(public_repo, "main") == {
        "README.md",
        "src/app.py",
        "src/more.py",
        "docs/guide.md",
    }
    assert git(public_repo, "show", "main:src/app.py") == "print(2)"


def test_unknown_merge_method_is_422(owner, public_repo, pull):
    before = snapshot(public_repo, pull)

    response = merge(owner, merge_method="octopus")

    assert_matches_spec(response, "put", MERGE, 422)
    assert snapshot(public_repo, pull) == before


def test_sha_of_the_head_is_accepted(owner, public_repo, pull, head):
    assert merge(owner, sha=head).status_code == 200


def test_sha_other_than_the_head_is_409(owner, public_repo, pull):
    stale = git(public_repo, "rev-parse", "main")
    before = snapshot(public_repo, pull)

    response = merge(owner, sha=stale)

    assert_matches_spec(response, "put", MERGE, 409)
    assert "Head branch was modified" in response.json()["message"]
    assert snapshot(public_repo, pull) == before


def test_head_moved_after_review_is_409(owner, public_repo, alice, pull, head):
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"late.txt": b"late"},
        message="Late change",
        author=alice,
    )
    before = snapshot(public_repo, pull)

    assert_refused(merge(owner, sha=head), 409, "Head branch was modified")
    assert snapshot(public_repo, pull) == before


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
def test_conflict_is_405_and_changes_nothing(owner, public_repo, alice, pull, method):
    commit_files(
        repository=public_repo,
        branch="main",
        files={"src/app.py": b"print(3)\n"},
        message="Conflicting change",
        author=alice,
    )
    before = snapshot(public_repo, pull)

    response = merge(owner, merge_method=method)

    assert_matches_spec(response, "put", MERGE, 405)
    assert response.json()["message"] == "Merge conflict"
    assert snapshot(public_repo, pull) == before
    assert git(public_repo, "show", "main:src/app.py") == "print(3)"


def test_strict_mode_refuses_a_head_behind_the_base(
    bob, public_repo, pull, post, protect, diverged
):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    protect(["ci/tests"], strict=True)
    post("ci/tests", "success")
    before = snapshot(public_repo, pull)

    response = merge(token_client(bob))

    assert_refused(response, 405, "not up to date")
    assert snapshot(public_repo, pull) == before


def test_strict_mode_allows_an_up_to_date_head(bob, public_repo, pull, post, protect):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    protect(["ci/tests"], strict=True)
    post("ci/tests", "success")

    assert merge(token_client(bob)).status_code == 200


def test_pattern_contexts_gate_the_merge(bob, public_repo, pull, post, protect):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    protect(["ci/*", "build/**"])
    client = token_client(bob)

    post("ci/unit", "success")
    assert_refused(merge(client), 405, "build/** is expected")

    post("build/linux/x64", "success")
    post("ci/e2e", "pending")
    assert_refused(merge(client), 405, "ci/* is pending")

    post("ci/e2e", "success")
    assert merge(client).status_code == 200


def test_admin_bypasses_failing_checks_when_admins_are_not_enforced(
    owner, public_repo, pull, post, protect
):
    protect(enforce_admins=False)
    post("ci/tests", "failure")

    response = merge(owner)

    assert response.status_code == 200
    assert git(public_repo, "rev-parse", "main") == response.json()["sha"]


def test_admin_collaborator_bypasses_too(bob, public_repo, pull, post, protect):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.ADMIN)
    protect(enforce_admins=False)

    assert merge(token_client(bob)).status_code == 200


def test_enforce_admins_stops_the_owner(owner, public_repo, pull, post, protect):
    protect(enforce_admins=True)
    post("ci/tests", "failure")
    post("ci/lint", "success")
    before = snapshot(public_repo, pull)

    response = merge(owner)

    assert_refused(response, 405, "ci/tests is failing")
    assert snapshot(public_repo, pull) == before


def test_maintainer_cannot_bypass(bob, public_repo, pull, protect):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.MAINTAIN)
    protect()
    before = snapshot(public_repo, pull)

    assert_refused(merge(token_client(bob)), 405, "Required status checks")
    assert snapshot(public_repo, pull) == before


def test_unprotected_base_merges_freely(owner, public_repo, pull, post):
    post("ci/tests", "failure")

    assert merge(owner).status_code == 200


# who may merge


def test_pull_collaborator_is_forbidden(bob, private_repo, alice):
    pull = open_pull_request(
        repository=private_repo, author=bob, title="Mine", head="feature", base="main"
    )
    before = snapshot(private_repo, pull)

    response = merge(token_client(bob), repo="alice/secret")

    assert_matches_spec(response, "put", MERGE, 403)
    assert snapshot(private_repo, pull) == before


def test_stranger_is_forbidden_on_public_repository(charlie, public_repo, pull):
    before = snapshot(public_repo, pull)

    assert merge(token_client(charlie)).status_code == 403
    assert snapshot(public_repo, pull) == before


def test_stranger_does_not_see_private_repository(charlie, alice, private_repo):
    pull = open_pull_request(
        repository=private_repo, author=alice, title="T", head="feature", base="main"
    )
    before = snapshot(private_repo, pull)

    assert merge(token_client(charlie), repo="alice/secret").status_code == 404
    assert snapshot(private_repo, pull) == before


def test_anonymous_needs_authentication(anonymous, public_repo, pull):
    before = snapshot(public_repo, pull)

    assert merge(anonymous).status_code == 401
    assert snapshot(public_repo, pull) == before


@pytest.mark.parametrize("repo_fixture", ["public_repo", "private_repo"])
def test_repo_status_token_never_merges(request, alice, repo_fixture):
    repository = request.getfixturevalue(repo_fixture)
    pull = open_pull_request(
        repository=repository, author=alice, title="T", head="feature", base="main"
    )
    before = snapshot(repository, pull)

    response = merge(token_client(alice, scopes=["repo:status"]), repo=repository.full_name)

    assert response.status_code in (403, 404)
    assert snapshot(repository, pull) == before


def test_merge_on_missing_pull_is_404(owner, public_repo):
    assert merge(owner, number=9).status_code == 404
