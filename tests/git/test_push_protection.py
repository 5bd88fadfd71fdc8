"""Branch protection on push: the pre-receive hook asks `check_push`, and a refusal moves no ref.

bob pushes with `push` permission (no bypass); alice owns the repository, so she is an admin.
"""

import pytest
import requests

from gitforge.repositories.services import set_collaborator
from protection.services import save_protection
from statuses.services import create_commit_status
from tests.helpers import bare_sha, token_for


@pytest.fixture
def bob_push(git, bob, public_repo, workdir):
    """Push from alice's clone as bob, a `push` collaborator; returns the CompletedProcess."""
    set_collaborator(repository=public_repo, user=bob, permission="push")
    url = git.url("alice/project.git", user="bob", secret=token_for(bob))

    def push(*refspecs, force=False):
        flags = ["--force"] if force else []
        return git("push", "--porcelain", *flags, url, *refspecs, cwd=workdir, check=False)

    return push


def alice_push(git, workdir, *refspecs, force=False):
    flags = ["--force"] if force else []
    return git("push", "--porcelain", *flags, "origin", *refspecs, cwd=workdir, check=False)


def rewrite_main(git, workdir):
    """Replace main's last commit locally (a non-fast-forward); return the new SHA."""
    git("reset", "-q", "--hard", "HEAD~1", cwd=workdir)
    return git.commit(workdir, "rewritten.txt", "rewritten\n", "Rewrite history")


def remote_errors(result):
    """What the server said, as GitHub says it: `remote: error: ...` lines."""
    return [
        line.removeprefix("remote: error: ").rstrip()
        for line in result.stderr.splitlines()
        if line.startswith("remote: error: ")
    ]


def assert_refused(result, *lines):
    """The push failed and the server said exactly `lines` (GitHub's GH006 refusal)."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert remote_errors(result) == list(lines), result.stderr
    assert "pre-receive hook declined" in result.stdout + result.stderr


MAIN_REFUSED = "GH006: Protected branch update failed for refs/heads/main."


def test_force_push_to_protected_branch_is_refused(git, public_repo, workdir, bob_push):
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)
    before = bare_sha(public_repo, "main")
    rewrite_main(git, workdir)

    result = bob_push("main", force=True)

    assert_refused(result, MAIN_REFUSED, "Cannot force-push to this branch")
    assert bare_sha(public_repo, "main") == before


def test_force_push_refused_by_pattern_rule_names_the_branch(git, public_repo, workdir, bob_push):
    save_protection(repository=public_repo, pattern="feat*", require_status_checks=False)
    before = bare_sha(public_repo, "feature")
    git("switch", "-q", "-c", "feature", "origin/feature", cwd=workdir)
    rewrite_main(git, workdir)

    result = bob_push("feature", force=True)

    assert_refused(
        result,
        "GH006: Protected branch update failed for refs/heads/feature.",
        "Cannot force-push to this branch",
    )
    assert bare_sha(public_repo, "feature") == before


def test_fast_forward_to_protected_branch_is_accepted(git, public_repo, workdir, bob_push):
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)
    sha = git.commit(workdir, "more.txt", "more\n", "More")

    result = bob_push("main")

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "main") == sha


def test_force_push_to_unprotected_branch_is_accepted(git, public_repo, workdir, bob_push):
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)
    git("switch", "-q", "-c", "feature", "origin/feature", cwd=workdir)
    sha = rewrite_main(git, workdir)

    result = bob_push("feature", force=True)

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "feature") == sha


def test_force_push_allowed_by_rule(git, public_repo, workdir, bob_push):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=False,
        allow_force_pushes=True,
    )
    sha = rewrite_main(git, workdir)

    result = bob_push("main", force=True)

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "main") == sha


def test_deleting_protected_branch_is_refused(public_repo, bob_push):
    save_protection(repository=public_repo, pattern="feature", require_status_checks=False)
    before = bare_sha(public_repo, "feature")

    result = bob_push(":feature")

    assert_refused(
        result,
        "GH006: Protected branch update failed for refs/heads/feature.",
        "Cannot delete this branch",
    )
    assert bare_sha(public_repo, "feature") == before


def test_deletion_allowed_by_rule(public_repo, bob_push):
    save_protection(
        repository=public_repo,
        pattern="feature",
        require_status_checks=False,
        allow_deletions=True,
    )

    result = bob_push(":feature")

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "feature") is None


def test_deleting_unprotected_branch_is_accepted(public_repo, bob_push):
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)

    result = bob_push(":feature")

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "feature") is None


def test_push_without_required_contexts_is_refused(git, public_repo, workdir, bob_push):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/build", "ci/lint"],
    )
    before = bare_sha(public_repo, "main")
    git.commit(workdir, "change.txt", "change\n", "Unchecked change")

    result = bob_push("main")

    assert_refused(result, MAIN_REFUSED, "2 of 2 required status checks are expected.")
    assert bare_sha(public_repo, "main") == before


def test_push_with_failing_context_names_it(git, alice, public_repo, workdir, bob_push):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/build", "ci/lint"],
    )
    before = bare_sha(public_repo, "main")
    sha = git.commit(workdir, "change.txt", "change\n", "Half-checked change")
    assert bob_push(f"{sha}:refs/heads/ready").returncode == 0
    create_commit_status(
        repository=public_repo, sha=sha, state="success", context="ci/build", creator=alice
    )
    create_commit_status(
        repository=public_repo, sha=sha, state="failure", context="ci/lint", creator=alice
    )

    result = bob_push("main")

    assert_refused(result, MAIN_REFUSED, 'Required status check "ci/lint" is failing.')
    assert bare_sha(public_repo, "main") == before


def test_push_of_checked_commit_is_accepted(
    git, live_server, alice, public_repo, alice_token, workdir, bob_push
):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/build", "ci/lint"],
    )
    sha = git.commit(workdir, "change.txt", "change\n", "Checked change")
    assert bob_push(f"{sha}:refs/heads/ready").returncode == 0
    create_commit_status(
        repository=public_repo, sha=sha, state="success", context="ci/build", creator=alice
    )
    posted = requests.post(
        f"{live_server.url}/api/repos/alice/project/statuses/{sha}",
        json={"state": "success", "context": "ci/lint"},
        headers={"Authorization": f"token {alice_token}"},
        timeout=10,
    )
    assert posted.status_code == 201, posted.text

    result = bob_push("main")

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "main") == sha


def test_strict_rule_refuses_unchecked_new_commit_with_a_message(
    git, public_repo, workdir, bob_push
):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        strict=True,
        contexts=["ci/build"],
    )
    before = bare_sha(public_repo, "main")
    git.commit(workdir, "change.txt", "change\n", "Unchecked change")

    result = bob_push("main")

    assert_refused(result, MAIN_REFUSED, 'Required status check "ci/build" is expected.')
    assert "Traceback" not in result.stderr
    assert bare_sha(public_repo, "main") == before


def test_admin_bypasses_protection_when_not_enforced(git, public_repo, workdir):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/build"],
    )
    sha = rewrite_main(git, workdir)

    result = alice_push(git, workdir, "main", force=True)

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "main") == sha


def test_admin_bypasses_strict_checks_when_not_enforced(git, public_repo, workdir):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        strict=True,
        contexts=["ci/build"],
    )
    sha = git.commit(workdir, "change.txt", "change\n", "Admin change")

    result = alice_push(git, workdir, "main")

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "main") == sha


def test_admin_is_held_to_enforced_rule(git, public_repo, workdir):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/build"],
        enforce_admins=True,
    )
    before = bare_sha(public_repo, "main")
    rewrite_main(git, workdir)

    forced = alice_push(git, workdir, "main", force=True)
    git("reset", "-q", "--hard", "origin/main", cwd=workdir)
    git.commit(workdir, "change.txt", "change\n", "Unchecked admin change")
    unchecked = alice_push(git, workdir, "main")

    assert_refused(forced, MAIN_REFUSED, "Cannot force-push to this branch")
    assert_refused(unchecked, MAIN_REFUSED, 'Required status check "ci/build" is expected.')
    assert bare_sha(public_repo, "main") == before


def test_refused_push_changes_no_ref(git, public_repo, workdir, bob_push):
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)
    before = {ref: bare_sha(public_repo, ref) for ref in ("main", "feature")}
    git("switch", "-q", "-c", "topic", cwd=workdir)
    git.commit(workdir, "topic.txt", "topic\n", "Topic")
    git("switch", "-q", "-c", "feature", "origin/feature", cwd=workdir)
    git.commit(workdir, "feature.txt", "more\n", "Feature moves on")
    git("switch", "-q", "main", cwd=workdir)
    rewrite_main(git, workdir)

    result = bob_push("topic", "feature", "main", force=True)

    assert_refused(result, MAIN_REFUSED, "Cannot force-push to this branch")
    assert bare_sha(public_repo, "topic") is None
    assert {ref: bare_sha(public_repo, ref) for ref in ("main", "feature")} == before


def merge_topic_into_main(git, workdir):
    """Commit on a topic branch and on main, then merge topic into main with a merge commit."""
    git("switch", "-q", "-c", "topic", cwd=workdir)
    git.commit(workdir, "topic.txt", "topic\n", "Topic")
    git("switch", "-q", "main", cwd=workdir)
    git.commit(workdir, "main.txt", "main\n", "Main")
    git("merge", "-q", "--no-ff", "-m", "Merge topic", "topic", cwd=workdir)
    return git.sha(workdir)


def linear_main(repository):
    """Protect main with linear history only (no required checks)."""
    return save_protection(
        repository=repository,
        pattern="main",
        require_status_checks=False,
        required_linear_history=True,
    )


def test_linear_history_refuses_a_pushed_merge_commit(git, public_repo, workdir, bob_push):
    linear_main(public_repo)
    before = bare_sha(public_repo, "main")
    merge_topic_into_main(git, workdir)

    result = bob_push("main")

    assert_refused(result, MAIN_REFUSED, "This branch must not contain merge commits.")
    assert bare_sha(public_repo, "main") == before


def test_linear_history_refuses_a_merge_commit_below_the_tip(git, public_repo, workdir, bob_push):
    linear_main(public_repo)
    before = bare_sha(public_repo, "main")
    merge_topic_into_main(git, workdir)
    git.commit(workdir, "after.txt", "after\n", "After the merge")

    result = bob_push("main")

    assert_refused(result, MAIN_REFUSED, "This branch must not contain merge commits.")
    assert bare_sha(public_repo, "main") == before


def test_linear_history_accepts_linear_commits(git, public_repo, workdir, bob_push):
    linear_main(public_repo)
    sha = git.commit(workdir, "more.txt", "more\n", "More")

    result = bob_push("main")

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "main") == sha


def test_linear_history_and_checks_refuse_together(git, public_repo, workdir, bob_push):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/build"],
        required_linear_history=True,
    )
    before = bare_sha(public_repo, "main")
    merge_topic_into_main(git, workdir)

    result = bob_push("main")

    assert_refused(
        result,
        MAIN_REFUSED,
        "This branch must not contain merge commits.",
        'Required status check "ci/build" is expected.',
    )
    assert bare_sha(public_repo, "main") == before


def test_merge_commits_elsewhere_are_not_linear_historys_business(
    git, public_repo, workdir, bob_push
):
    linear_main(public_repo)
    sha = merge_topic_into_main(git, workdir)

    result = bob_push(f"{sha}:refs/heads/integration")

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "integration") == sha


def test_admin_may_push_a_merge_commit_unless_enforced(git, public_repo, workdir):
    rule = linear_main(public_repo)
    sha = merge_topic_into_main(git, workdir)

    assert alice_push(git, workdir, "main").returncode == 0
    assert bare_sha(public_repo, "main") == sha

    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=False,
        required_linear_history=True,
        enforce_admins=True,
        rule=rule,
    )
    git("switch", "-q", "topic", cwd=workdir)
    git.commit(workdir, "again.txt", "again\n", "Topic again")
    git("switch", "-q", "main", cwd=workdir)
    git("merge", "-q", "--no-ff", "-m", "Merge topic again", "topic", cwd=workdir)
    assert_refused(
        alice_push(git, workdir, "main"),
        MAIN_REFUSED,
        "This branch must not contain merge commits.",
    )
    assert bare_sha(public_repo, "main") == sha
