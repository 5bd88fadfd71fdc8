"""A pull request's mergeable and mergeable_state, as GitHub reports them."""

from gitforge.repositories.git import GitRepository
from protection.services import save_protection
from statuses.services import create_commit_status
from tests.helpers import advance_main, send

PULLS = "/repos/{owner}/{repo}/pulls"
PULL = "/repos/{owner}/{repo}/pulls/{pull_number}"
THREADS = 10


def mergeable_state(client):
    body = client.get("/api/repos/alice/project/pulls/1").json()
    return body["mergeable"], body["mergeable_state"]


def post_status(repository, user, context, state, ref="feature"):
    sha = GitRepository(repository.id).branch_sha(ref)
    create_commit_status(repository=repository, sha=sha, state=state, context=context, creator=user)


def test_mergeable_state_clean(anonymous, pull):
    assert mergeable_state(anonymous) == (True, "clean")


def test_mergeable_state_clean_when_required_checks_pass(anonymous, public_repo, alice, pull):
    save_protection(
        repository=public_repo, pattern="main", require_status_checks=True, contexts=["ci/tests"]
    )
    post_status(public_repo, alice, "CI/Tests", "success")

    assert mergeable_state(anonymous) == (True, "clean")


def test_mergeable_state_blocked(anonymous, public_repo, alice, pull):
    save_protection(
        repository=public_repo, pattern="main", require_status_checks=True, contexts=["ci/tests"]
    )
    assert mergeable_state(anonymous) == (True, "blocked")

    post_status(public_repo, alice, "ci/tests", "pending")
    assert mergeable_state(anonymous) == (True, "blocked")

    post_status(public_repo, alice, "ci/tests", "failure")
    assert mergeable_state(anonymous) == (True, "blocked")


def test_mergeable_state_behind(anonymous, public_repo, alice, pull):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        strict=True,
        contexts=["ci/tests"],
    )
    post_status(public_repo, alice, "ci/tests", "success")
    advance_main(public_repo, alice)

    assert mergeable_state(anonymous) == (True, "behind")


def test_mergeable_state_dirty(anonymous, public_repo, alice, pull):
    advance_main(public_repo, alice, {"src/app.py": b"print(3)\n"})

    assert mergeable_state(anonymous) == (False, "dirty")


def test_mergeable_state_unstable_with_protection(anonymous, public_repo, alice, pull):
    save_protection(
        repository=public_repo, pattern="main", require_status_checks=True, contexts=["ci/tests"]
    )
    post_status(public_repo, alice, "ci/tests", "success")
    post_status(public_repo, alice, "coverage", "failure")

    assert mergeable_state(anonymous) == (True, "unstable")


def test_mergeable_state_unstable_without_protection(anonymous, public_repo, alice, pull):
    """GitHub: unstable is a non-required status that is not green; merging is still allowed."""
    post_status(public_repo, alice, "coverage", "failure")

    assert mergeable_state(anonymous) == (True, "unstable")


def test_closed_pull_has_unknown_mergeability(owner, anonymous, pull):
    send(owner, "patch", "/api/repos/alice/project/pulls/1", {"state": "closed"})

    assert mergeable_state(anonymous) == (None, "unknown")
