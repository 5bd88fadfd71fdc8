"""Two pushes racing for one branch: one wins, the other is rejected, nothing is corrupted."""

import subprocess
import threading

from gitforge.repositories.git import repository_path
from tests.helpers import bare_sha


def test_concurrent_pushes_to_one_branch(git, public_repo, alice_token, tmp_path):
    base = bare_sha(public_repo, "main")
    clones, commits = [], []
    for name in ("first", "second"):
        target = tmp_path / name
        git.clone("alice/project.git", target, user="alice", secret=alice_token)
        for n in range(3):
            git.commit(target, f"{name}.txt", f"{name} {n}\n", f"{name} commit {n}")
        clones.append(target)
        commits.append(git.sha(target))
    start = threading.Barrier(len(clones))
    results = [None] * len(clones)

    def push(index):
        start.wait()
        results[index] = git("push", "origin", "main", cwd=clones[index], check=False)

    threads = [threading.Thread(target=push, args=(index,)) for index in range(len(clones))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    codes = [result.returncode for result in results]
    assert sorted(codes)[0] == 0 and codes.count(0) == 1, [r.stderr for r in results]
    winner = codes.index(0)
    loser = results[1 - winner]
    assert any(
        reason in loser.stderr
        for reason in (
            "fetch first",
            "non-fast-forward",
            "failed to lock",
            "cannot lock ref",
            "failed to update ref",
        )
    ), loser.stderr
    head = bare_sha(public_repo, "main")
    assert head == commits[winner]
    history = git(
        "--git-dir", str(repository_path(public_repo.id)), "rev-list", "--first-parent", head
    ).stdout.split()
    assert len(history) == 3 + 2  # three new commits on the two of make_repository
    assert history[3] == base
    assert commits[1 - winner] not in history
    fsck = subprocess.run(
        ["git", "--git-dir", str(repository_path(public_repo.id)), "fsck", "--full", "--strict"],
        capture_output=True,
        text=True,
    )
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    assert "error" not in fsck.stdout + fsck.stderr
