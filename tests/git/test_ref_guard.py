"""The pre-receive hook guards every ref a push names, not only branches.

`refs/pull/*` is the server's own namespace, a branch may not be called HEAD, and a tag may not
take the name of a protected branch. alice owns the repository: these rules hold for admins too.
"""

import pytest

from protection.services import save_protection
from tests.helpers import bare_sha


def push(git, workdir, *refspecs):
    return git("push", "--porcelain", "origin", *refspecs, cwd=workdir, check=False)


def assert_refused(result, phrase):
    assert result.returncode != 0, result.stdout + result.stderr
    remote = [line for line in result.stderr.splitlines() if line.startswith("remote:")]
    assert any(phrase in line for line in remote), result.stderr
    assert "pre-receive hook declined" in result.stdout + result.stderr


@pytest.mark.parametrize("ref", ["refs/pull/1/head", "refs/pull/1/merge", "refs/pull/x"])
def test_the_pull_request_namespace_is_refused(git, public_repo, workdir, ref):
    result = push(git, workdir, f"main:{ref}")

    assert_refused(result, f"Cannot update {ref}: refs/pull/ is reserved for pull requests.")
    assert bare_sha(public_repo, ref) is None


def test_a_branch_named_head_is_refused(git, public_repo, workdir):
    result = push(git, workdir, "main:refs/heads/HEAD")

    assert_refused(result, "Cannot create a branch named HEAD.")
    assert bare_sha(public_repo, "refs/heads/HEAD") is None


def test_a_tag_named_like_a_protected_branch_is_refused(git, public_repo, workdir):
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)

    result = push(git, workdir, "origin/feature:refs/tags/main")

    assert_refused(result, "Cannot push tag main: it takes the name of protected branch main")
    assert bare_sha(public_repo, "refs/tags/main") is None


def test_a_tag_matching_a_protected_pattern_is_refused(git, public_repo, workdir):
    save_protection(repository=public_repo, pattern="release/*", require_status_checks=False)

    result = push(git, workdir, "main:refs/tags/release/1.0")

    assert_refused(result, "(rule 'release/*')")
    assert bare_sha(public_repo, "refs/tags/release/1.0") is None


def test_one_refused_ref_refuses_the_whole_push(git, public_repo, workdir):
    before = bare_sha(public_repo, "main")
    sha = git.commit(workdir, "more.txt", "more\n", "More")

    result = push(git, workdir, "main", "main:refs/pull/7/head")

    assert result.returncode != 0
    assert bare_sha(public_repo, "main") == before != sha


def test_other_tags_and_refs_are_accepted(git, public_repo, workdir):
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)
    sha = bare_sha(public_repo, "main")

    result = push(
        git, workdir, "main:refs/tags/v1.0", "main:refs/notes/ci", "main:refs/heads/HEADS"
    )

    assert result.returncode == 0, result.stderr
    assert bare_sha(public_repo, "refs/tags/v1.0") == sha
    assert bare_sha(public_repo, "refs/notes/ci") == sha
    assert bare_sha(public_repo, "refs/heads/HEADS") == sha
