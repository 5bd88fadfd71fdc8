"""Writing commits and moving branches: real objects on disk, compare-and-swap, no lost commits."""

import subprocess
import sys
import threading

import pytest
from django.db import connection

from gitforge.accounts.models import User
from gitforge.errors import Conflict
from gitforge.repositories.git import GitRepository, repository_path
from gitforge.repositories.models import Repository
from gitforge.repositories.services import commit_files, create_branch, create_repository
from tests.helpers import bare_git as git
from tests.helpers import files_at


def loose_object_count(repository):
    counts = dict(line.split(": ") for line in git(repository, "count-objects", "-v").splitlines())
    return int(counts["count"]) + int(counts["in-pack"])


def test_commit_is_a_real_git_commit(public_repo, alice):
    parent = git(public_repo, "rev-parse", "main")
    sha = commit_files(
        repository=public_repo,
        branch="main",
        files={"docs/guide/intro.md": b"# Intro\n", "LICENSE": b"MIT\n"},
        message="Add docs\n\nWith a body.",
        author=alice,
    )
    assert git(public_repo, "rev-parse", "main") == sha
    assert git(public_repo, "cat-file", "-t", sha) == "commit"
    assert git(public_repo, "log", "-1", "--format=%s", "main") == "Add docs"
    assert git(public_repo, "log", "-1", "--format=%b", "main") == "With a body."
    assert git(public_repo, "rev-parse", f"{sha}^") == parent
    assert git(public_repo, "show", f"{sha}:docs/guide/intro.md") == "# Intro"
    assert git(public_repo, "show", f"{sha}:LICENSE") == "MIT"
    assert git(public_repo, "show", f"{sha}:README.md") == "# hi"  # untouched files carried over
    assert git(public_repo, "cat-file", "-t", f"{sha}:docs") == "tree"
    assert git(public_repo, "cat-file", "-t", f"{sha}:docs/guide") == "tree"
    assert files_at(public_repo, sha) == {
        "README.md",
        "LICENSE",
        "src/app.py",
        "docs/guide/intro.md",
    }
    fsck = subprocess.run(
        ["git", "-C", str(repository_path(public_repo.id)), "fsck", "--strict"],
        capture_output=True,
        text=True,
    )
    assert fsck.returncode == 0, fsck.stderr


def test_files_are_stored_as_regular_blobs_with_exact_bytes(public_repo, alice):
    content = bytes(range(256))
    sha = commit_files(
        repository=public_repo,
        branch="main",
        files={"data.bin": content},
        message="Binary",
        author=alice,
    )
    assert "100644 blob" in git(public_repo, "ls-tree", sha, "data.bin")
    shown = subprocess.run(
        ["git", "-C", str(repository_path(public_repo.id)), "cat-file", "blob", f"{sha}:data.bin"],
        capture_output=True,
        check=True,
    )
    assert shown.stdout == content


def test_first_commit_on_an_empty_repository_has_no_parent(alice):
    repository = create_repository(owner=alice, name="empty")
    sha = commit_files(
        repository=repository,
        branch="main",
        files={"a.txt": b"a\n"},
        message="First",
        author=alice,
    )
    assert git(repository, "rev-list", "--count", "main") == "1"
    assert git(repository, "log", "-1", "--format=%P", sha) == ""


def test_commits_chain_parent_to_parent(public_repo, alice):
    first = commit_files(
        repository=public_repo, branch="main", files={"n": b"1"}, message="one", author=alice
    )
    second = commit_files(
        repository=public_repo, branch="main", files={"n": b"2"}, message="two", author=alice
    )
    assert git(public_repo, "log", "-1", "--format=%P", second) == first
    assert git(public_repo, "rev-list", "--count", "main") == "4"
    assert git(public_repo, "log", "--format=%s", "main").splitlines() == [
        "two",
        "one",
        "Add app",
        "Initial commit",
    ]
    assert git(public_repo, "show", "main:n") == "2"


def test_commit_on_one_branch_leaves_the_other_alone(public_repo, alice):
    main_before = git(public_repo, "rev-parse", "main")
    sha = commit_files(
        repository=public_repo, branch="feature", files={"f": b"f"}, message="f", author=alice
    )
    assert git(public_repo, "rev-parse", "feature") == sha
    assert git(public_repo, "rev-parse", "main") == main_before


def test_none_deletes_a_file(public_repo, alice):
    sha = commit_files(
        repository=public_repo,
        branch="main",
        files={"README.md": None},
        message="Remove readme",
        author=alice,
    )
    assert files_at(public_repo, sha) == {"src/app.py"}
    assert git(public_repo, "diff", "--name-status", f"{sha}^", sha) == "D\tREADME.md"


def test_deleting_the_last_file_of_a_directory_removes_the_directory(public_repo, alice):
    sha = commit_files(
        repository=public_repo,
        branch="main",
        files={"src/app.py": None},
        message="Remove app",
        author=alice,
    )
    assert git(public_repo, "ls-tree", "--name-only", sha).splitlines() == ["README.md"]


def test_deleting_a_missing_file_changes_nothing(public_repo, alice):
    sha = commit_files(
        repository=public_repo,
        branch="main",
        files={"nope.txt": None, "missing/dir/file.txt": None},
        message="Delete nothing",
        author=alice,
    )
    assert git(public_repo, "rev-parse", f"{sha}^{{tree}}") == git(
        public_repo, "rev-parse", f"{sha}^^{{tree}}"
    )
    assert git(public_repo, "ls-tree", "--name-only", sha).splitlines() == ["README.md", "src"]


def test_author_is_the_user_name_and_email(public_repo, alice):
    sha = commit_files(
        repository=public_repo, branch="main", files={"a": b"a"}, message="m", author=alice
    )
    assert git(public_repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>", sha) == (
        "alice <alice@example.com>|alice <alice@example.com>"
    )


def test_author_uses_full_name_and_a_noreply_email_when_missing(public_repo, db):
    builder = User.objects.create_user(
        "bobby", "", "pw-bobby-1", first_name="Bob", last_name="Builder"
    )
    sha = commit_files(
        repository=public_repo, branch="main", files={"a": b"a"}, message="m", author=builder
    )
    name, email = git(public_repo, "log", "-1", "--format=%an|%ae", sha).split("|")
    assert name == "Bob Builder"
    assert email.startswith("bobby@users.noreply")


def test_commit_marks_the_repository_pushed(public_repo, alice):
    before = Repository.objects.get(pk=public_repo.pk).pushed_at
    assert before is not None
    commit_files(
        repository=public_repo, branch="main", files={"a": b"a"}, message="m", author=alice
    )
    after = Repository.objects.get(pk=public_repo.pk).pushed_at
    assert after > before
    assert public_repo.pushed_at == after


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/",
        "../x",
        "a/../../x",
        "./x",
        "..",
        ".git/config",
        "sub/.git/hooks/pre-commit",
        ".GIT/config",
        ".Git",
    ],
)
def test_invalid_paths_raise_and_write_nothing(public_repo, alice, path):
    head = git(public_repo, "rev-parse", "main")
    objects = loose_object_count(public_repo)
    pushed_at = Repository.objects.get(pk=public_repo.pk).pushed_at
    with pytest.raises(ValueError):
        commit_files(
            repository=public_repo,
            branch="main",
            files={"fine.txt": b"ok", path: b"evil"},
            message="Sneaky",
            author=alice,
        )
    assert git(public_repo, "rev-parse", "main") == head
    assert loose_object_count(public_repo) == objects
    assert Repository.objects.get(pk=public_repo.pk).pushed_at == pushed_at


def test_path_with_nul_byte_is_rejected(public_repo, alice):
    head = git(public_repo, "rev-parse", "main")
    with pytest.raises(ValueError):
        commit_files(
            repository=public_repo,
            branch="main",
            files={"a\x00b": b"x"},
            message="NUL",
            author=alice,
        )
    assert git(public_repo, "rev-parse", "main") == head


def test_a_path_both_file_and_directory_is_rejected(public_repo, alice):
    head = git(public_repo, "rev-parse", "main")
    with pytest.raises(ValueError):
        commit_files(
            repository=public_repo,
            branch="main",
            files={"a": b"file", "a/b": b"nested"},
            message="Both",
            author=alice,
        )
    assert git(public_repo, "rev-parse", "main") == head


def test_move_branch_with_stale_expected_sha_conflicts(public_repo, alice):
    reader = GitRepository(public_repo.id)
    stale = reader.branch_sha("main")
    replacement = git(public_repo, "rev-parse", "feature")

    concurrent = commit_files(
        repository=public_repo, branch="main", files={"c": b"c"}, message="Meanwhile", author=alice
    )
    with pytest.raises(Conflict):
        reader.move_branch("main", replacement, expected_sha=stale)
    assert git(public_repo, "rev-parse", "main") == concurrent


def test_move_branch_with_current_expected_sha_moves(public_repo):
    repo = GitRepository(public_repo.id)
    current = git(public_repo, "rev-parse", "main")
    target = git(public_repo, "rev-parse", "feature")
    repo.move_branch("main", target, expected_sha=current)
    assert git(public_repo, "rev-parse", "main") == target


def test_move_branch_of_a_deleted_branch_conflicts(public_repo):
    repo = GitRepository(public_repo.id)
    expected = git(public_repo, "rev-parse", "feature")
    git(public_repo, "update-ref", "-d", "refs/heads/feature")
    with pytest.raises(Conflict):
        repo.move_branch("feature", expected, expected_sha=expected)
    assert git(public_repo, "for-each-ref", "--format=%(refname)", "refs/heads/feature") == ""


def test_creating_an_existing_branch_conflicts(public_repo):
    repo = GitRepository(public_repo.id)
    feature = git(public_repo, "rev-parse", "feature")
    main = git(public_repo, "rev-parse", "main")
    with pytest.raises(Conflict):
        repo.move_branch("feature", main, expected_sha=None)
    assert git(public_repo, "rev-parse", "feature") == feature
    with pytest.raises(Conflict):
        create_branch(repository=public_repo, branch="feature", from_ref="main")
    assert git(public_repo, "rev-parse", "feature") == feature


def test_creating_a_branch_under_an_existing_branch_name_conflicts(public_repo):
    """refs/heads/feature/x cannot coexist with refs/heads/feature (git's D/F rule)."""
    repo = GitRepository(public_repo.id)
    feature = git(public_repo, "rev-parse", "feature")
    with pytest.raises(Conflict):
        repo.move_branch("feature/x", feature, expected_sha=None)
    assert git(public_repo, "rev-parse", "feature") == feature


@pytest.mark.parametrize("name", ["bad..name", "with space", "ends.lock", "a~1", "x:y", ""])
def test_invalid_branch_names_raise_value_error(public_repo, name):
    repo = GitRepository(public_repo.id)
    sha = git(public_repo, "rev-parse", "main")
    with pytest.raises(ValueError):
        repo.move_branch(name, sha, expected_sha=None)
    assert git(public_repo, "for-each-ref", "--format=%(refname:short)", "refs/heads").split() == [
        "feature",
        "main",
    ]


THREADS = 8
COMMITS_PER_THREAD = 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("start_empty", [False, True], ids=["existing-branch", "empty-repository"])
def test_concurrent_commits_never_lose_a_commit(alice, start_empty):
    if start_empty:
        repository = create_repository(owner=alice, name="race")
    else:
        repository = create_repository(owner=alice, name="race", auto_init=True)
    initial = git(repository, "rev-list", "main").splitlines() if not start_empty else []
    initial_files = files_at(repository, "main") if not start_empty else set()

    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    succeeded = {}  # sha -> filename
    conflicts = []
    unexpected = []

    def writer(number):
        try:
            barrier.wait()
            for attempt in range(COMMITS_PER_THREAD):
                filename = f"t{number}-{attempt}.txt"
                try:
                    sha = commit_files(
                        repository=Repository.objects.get(pk=repository.pk),
                        branch="main",
                        files={filename: filename.encode()},
                        message=f"Write {filename}",
                        author=alice,
                    )
                except Conflict:
                    with lock:
                        conflicts.append(filename)
                else:
                    with lock:
                        succeeded[sha] = filename
        except BaseException as error:  # noqa: BLE001 - reported to the main thread below
            with lock:
                unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # interleave threads inside the read-build-swap window
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        sys.setswitchinterval(switch_interval)

    assert not unexpected, unexpected
    assert len(succeeded) + len(conflicts) == THREADS * COMMITS_PER_THREAD
    assert succeeded, "at least one writer must win"

    history = git(repository, "rev-list", "--first-parent", "main").splitlines()
    assert set(history) == set(succeeded) | set(initial)
    assert len(history) == len(succeeded) + len(initial)
    assert git(repository, "rev-list", "main").splitlines() == history  # a straight line
    assert files_at(repository, "main") == initial_files | set(succeeded.values())
    fsck = subprocess.run(
        ["git", "-C", str(repository_path(repository.id)), "fsck", "--strict"],
        capture_output=True,
        text=True,
    )
    assert fsck.returncode == 0, fsck.stderr
