"""The time of one `git push` through gitforge against the same push to `git daemon`.

Two kinds of push, each measured on both sides in the same run, interleaved:
  protected: one new commit onto `main`, protected with required context `ci/build` (enforced
    for admins too), the commit's status already success, so the pre-receive check does its full
    work. The commit is first pushed to a side branch (untimed) so its status can be posted.
  plain: one new commit with its objects onto an unprotected branch.
The other side is `git daemon --enable=receive-pack` serving a bare repository with the same
history. Target (issue 15): protected push median at most 2.5x git daemon's.

Run: .venv/bin/python bench/push_latency.py [--runs 30] [--workers 4]
Creates and drops its own PostgreSQL database (see bench/_setup.py).
"""

import argparse
import os
import subprocess
import sys
import time

import _setup
from git_transport import git_env, run_git
from status_throughput import start_gunicorn, stop_gunicorn, wait_until_ready

TARGET_RATIO = 2.5


def start_daemon(base_path, port, log_path):
    log = open(log_path, "wb")  # noqa: SIM115 (kept open for the daemon's lifetime)
    process = subprocess.Popen(
        [
            "git",
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--enable=receive-pack",
            f"--base-path={base_path}",
            "--listen=127.0.0.1",
            f"--port={port}",
            str(base_path),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        probe = subprocess.run(
            ["git", "ls-remote", f"git://127.0.0.1:{port}/daemon.git"], capture_output=True
        )
        if probe.returncode == 0:
            return process, log
        time.sleep(0.1)
    process.kill()
    raise SystemExit("git daemon did not start")


def new_commit(env, work, n):
    (work / "file.txt").write_text(f"change {n}\n")
    run_git(env, "-C", str(work), "add", "file.txt")
    run_git(env, "-C", str(work), "commit", "-q", "-m", f"change {n}")
    return run_git(env, "-C", str(work), "rev-parse", "HEAD").strip()


def timed_push(env, work, remote, refspec):
    start = time.perf_counter()
    run_git(env, "-C", str(work), "push", "-q", remote, refspec)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()

    redis_url = _setup.pick_redis_url()
    with _setup.bench_database(redis_url=redis_url) as bench:
        from django.db import connections

        from gitforge.repositories.storage import repository_path
        from protection.services import save_protection
        from statuses.services import create_commit_status

        user, repository, _, secret = _setup.make_fixture(repository_name="pushes")
        save_protection(
            repository=repository,
            pattern="main",
            require_status_checks=True,
            contexts=["ci/build"],
            enforce_admins=True,
        )
        connections.close_all()

        tmp = bench["tmp"]
        (tmp / "home").mkdir()
        env = git_env(tmp / "home")
        env |= {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com"}
        env |= {"GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
        daemon_root = tmp / "daemon"
        daemon_root.mkdir()
        run_git(env, "clone", "-q", "--bare", str(repository_path(repository.id)),
                str(daemon_root / "daemon.git"))  # fmt: skip
        work = tmp / "work"
        run_git(env, "clone", "-q", str(repository_path(repository.id)), str(work))

        port, daemon_port = _setup.free_port(), _setup.free_port()
        process, log, command = start_gunicorn(
            env=bench["env"], port=port, workers=args.workers, log_path=tmp / "gunicorn.log"
        )
        daemon, daemon_log = start_daemon(daemon_root, daemon_port, tmp / "daemon.log")
        forge = f"http://{user.username}:{secret}@127.0.0.1:{port}/benchuser/pushes.git"
        plain_daemon = f"git://127.0.0.1:{daemon_port}/daemon.git"
        times = {key: [] for key in ("forge", "daemon", "forge plain", "daemon plain")}
        try:
            wait_until_ready(process, port, secret)
            for n in range(args.runs):
                sha = new_commit(env, work, n)
                for remote in (forge, plain_daemon):  # stage the commit, untimed
                    run_git(
                        env, "-C", str(work), "push", "-q", remote, f"HEAD:refs/heads/stage-{n}"
                    )
                create_commit_status(
                    repository=repository, sha=sha, state="success", creator=user,
                    context="ci/build",
                )  # fmt: skip
                connections.close_all()
                plain_sha = new_commit(env, work, f"plain {n}")
                branch = f"{plain_sha}:refs/heads/p-{n}"
                sides = [
                    ("forge", forge, f"{sha}:refs/heads/main"),
                    ("daemon", plain_daemon, f"{sha}:refs/heads/main"),
                    ("forge plain", forge, branch),
                    ("daemon plain", plain_daemon, branch),
                ]
                if n % 2:  # alternate which side goes first, so drift hits both alike
                    sides = sides[1::-1] + sides[:1:-1]
                for key, remote, refspec in sides:
                    times[key].append(timed_push(env, work, remote, refspec))
                run_git(env, "-C", str(work), "reset", "-q", "--hard", sha)
            forge_sha = run_git(env, "ls-remote", forge, "refs/heads/main").split()[0]
            assert forge_sha == sha, "the last protected push did not land"
        finally:
            stop_gunicorn(process)
            log.close()
            daemon.terminate()
            daemon.wait()
            daemon_log.close()

    print(f"server: {' '.join(command[1:])}")
    print(f"{args.runs} pushes of each kind, interleaved; {os.cpu_count()} CPUs; "
          f"{run_git(env, '--version').strip()}")  # fmt: skip
    print()
    header = f"{'push':<44} {'median ms':>10} {'p90 ms':>8} {'min ms':>8}"
    print(header)
    print("-" * len(header))
    labels = {
        "forge": "protected main via gitforge (HTTP)",
        "daemon": "same push via git daemon",
        "forge plain": "new branch with objects via gitforge",
        "daemon plain": "same push via git daemon",
    }
    for key, label in labels.items():
        values = times[key]
        print(
            f"{label:<44} {_setup.median(values) * 1000:>10.1f} "
            f"{_setup.percentile(values, 0.9) * 1000:>8.1f} {min(values) * 1000:>8.1f}"
        )
    ratio = _setup.median(times["forge"]) / _setup.median(times["daemon"])
    plain_ratio = _setup.median(times["forge plain"]) / _setup.median(times["daemon plain"])
    print()
    print(f"protected push ratio gitforge / git daemon: {ratio:.2f} (target <= {TARGET_RATIO})")
    print(f"plain push ratio gitforge / git daemon: {plain_ratio:.2f}")
    passed = ratio <= TARGET_RATIO
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
