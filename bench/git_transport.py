"""Git smart HTTP through gitforge (gunicorn + git http-backend + hooks) against plain file://.

Builds a 2,000-commit history locally with `git fast-import`, pushes it once into a gitforge
repository, then measures in the same run, interleaved:
  clone: `git clone --bare` of that repository through gitforge vs `file://` of the same bare repo;
  push:  the whole history to a new empty gitforge repository vs a new empty local bare repo.
Target (from the issue): clone through gitforge at most 2x the file:// clone.

Run: .venv/bin/python bench/git_transport.py [--commits 2000] [--runs 5] [--workers 4]
Creates and drops its own PostgreSQL database (see bench/_setup.py); the server listens on
127.0.0.1 only.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time

import _setup
from status_throughput import start_gunicorn, stop_gunicorn, wait_until_ready

TARGET_CLONE_RATIO = 2.0


def git_env(home):
    """An isolated git client: no user/system config, never a credentials prompt."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_PROXY": "*",
    }


def run_git(env, *args, stdin=None):
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        env=env,
        input=stdin,
        capture_output=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"git {' '.join(args)} exited {result.returncode}: {result.stderr.decode()[-2000:]}"
        )
    return result.stdout.decode()


def fast_import_stream(commits):
    """A fast-import stream of `commits` commits on main, each changing one of 50 files."""
    lines = []
    start = 1_700_000_000
    for n in range(1, commits + 1):
        message = f"Commit {n}\n".encode()
        # Hashes compress poorly: the pack passes git's 1 MiB http.postBuffer, so the push
        # body is sent chunked and streams through gunicorn.
        content = b"".join(
            hashlib.sha256(f"{n}/{line}".encode()).hexdigest().encode() + b"\n"
            for line in range(16)
        )
        lines += [
            b"commit refs/heads/main\n",
            f"mark :{n}\n".encode(),
            f"committer Bench <bench@example.com> {start + n * 60} +0000\n".encode(),
            f"data {len(message)}\n".encode() + message,
        ]
        if n > 1:
            lines.append(f"from :{n - 1}\n".encode())
        lines += [
            f"M 100644 inline src/file{n % 50:02}.txt\n".encode(),
            f"data {len(content)}\n".encode() + content,
            b"\n",
        ]
    return b"".join(lines)


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()
    args.runs = min(max(args.runs, 1), 20)

    redis_url = _setup.pick_redis_url()
    with _setup.bench_database(redis_url=redis_url) as bench:
        from django.db import connections

        from gitforge.repositories.git import repository_path
        from gitforge.repositories.services import create_repository

        user, _, _, secret = _setup.make_fixture(repository_name="warmup")
        served = create_repository(owner=user, name="history")
        targets = [create_repository(owner=user, name=f"push-{n}") for n in range(args.runs)]
        served_path = repository_path(served.id)
        connections.close_all()

        tmp = bench["tmp"]
        home = tmp / "home"
        home.mkdir()
        env = git_env(home)
        source = tmp / "source.git"
        run_git(env, "init", "-q", "--bare", str(source))
        start = time.perf_counter()
        run_git(
            env, "-C", str(source), "fast-import", "--quiet", stdin=fast_import_stream(args.commits)
        )
        build_seconds = time.perf_counter() - start
        count = int(run_git(env, "-C", str(source), "rev-list", "--count", "main").strip())
        pack_bytes = sum(path.stat().st_size for path in (source / "objects").rglob("*.pack"))

        port = _setup.free_port()
        log_path = tmp / "gunicorn.log"
        process, log, command = start_gunicorn(
            env=bench["env"], port=port, workers=args.workers, log_path=log_path
        )
        command_line = " ".join(command[1:])
        base = f"http://127.0.0.1:{port}"
        pushing = f"http://{user.username}:{secret}@127.0.0.1:{port}"
        clone_http, clone_file, push_http, push_file = [], [], [], []
        try:
            wait_until_ready(process, port, secret)
            run_git(
                env, "-C", str(source), "push", "-q", f"{pushing}/benchuser/history.git", "main"
            )
            served_sha = run_git(env, "-C", str(served_path), "rev-parse", "main").strip()
            assert served_sha == run_git(env, "-C", str(source), "rev-parse", "main").strip()

            for n in range(args.runs):
                http_clone, file_clone = tmp / f"clone-http-{n}", tmp / f"clone-file-{n}"
                local_target = tmp / f"local-{n}.git"
                run_git(env, "init", "-q", "--bare", str(local_target))
                steps = [
                    (
                        clone_http,
                        lambda d=http_clone: run_git(
                            env, "clone", "-q", "--bare", f"{base}/benchuser/history.git", str(d)
                        ),
                    ),
                    (
                        clone_file,
                        lambda d=file_clone: run_git(
                            env, "clone", "-q", "--bare", f"file://{served_path}", str(d)
                        ),
                    ),
                    (
                        push_http,
                        lambda n=n: run_git(
                            env,
                            "-C",
                            str(source),
                            "push",
                            "-q",
                            f"{pushing}/benchuser/push-{n}.git",
                            "main",
                        ),
                    ),
                    (
                        push_file,
                        lambda d=local_target: run_git(
                            env, "-C", str(source), "push", "-q", f"file://{d}", "main"
                        ),
                    ),
                ]
                if n % 2:  # alternate which side goes first, so drift hits both alike
                    steps = [steps[1], steps[0], steps[3], steps[2]]
                for results, call in steps:
                    results.append(timed(call))
                for directory in (http_clone, file_clone):
                    cloned = run_git(env, "-C", str(directory), "rev-parse", "main").strip()
                    assert cloned == served_sha, (directory, cloned)
                    shutil.rmtree(directory)
            for target in targets:
                pushed = run_git(
                    env, "-C", str(repository_path(target.id)), "rev-parse", "main"
                ).strip()
                assert pushed == served_sha, (target.name, pushed)
            from gitforge.repositories.models import Repository

            pushed_at = Repository.objects.filter(
                pk__in=[target.pk for target in targets], pushed_at__isnull=False
            ).count()
            connections.close_all()
        finally:
            stop_gunicorn(process)
            log.close()
        server_log = log_path.read_text(errors="replace").strip()

    print(f"server: {command_line}")
    print(
        f"history: {count} commits, pack {pack_bytes / 1024:.0f} KiB, built with git "
        f"fast-import in {build_seconds:.2f} s; {args.runs} runs each, interleaved; "
        f"{os.cpu_count()} CPUs; {run_git(env, '--version').strip()}"
    )
    print(f"pushes that set pushed_at through the post-receive hook: {pushed_at}/{args.runs}")
    print()
    header = f"{'operation':<44} {'median s':>9} {'min s':>7} {'max s':>7}"
    print(header)
    print("-" * len(header))
    rows = (
        ("clone --bare via gitforge (anonymous, public)", clone_http),
        ("clone --bare via file:// (same bare repo)", clone_file),
        ("push history to empty gitforge repo", push_http),
        ("push history to empty bare repo via file://", push_file),
    )
    for label, values in rows:
        print(f"{label:<44} {_setup.median(values):>9.3f} {min(values):>7.3f} {max(values):>7.3f}")
    clone_ratio = _setup.median(clone_http) / _setup.median(clone_file)
    push_ratio = _setup.median(push_http) / _setup.median(push_file)
    print()
    print(f"clone ratio gitforge/file: {clone_ratio:.2f}")
    print(f"push ratio gitforge/file:  {push_ratio:.2f}")
    passed = clone_ratio <= TARGET_CLONE_RATIO and pushed_at == args.runs
    print(f"clone target <= {TARGET_CLONE_RATIO}: {'PASS' if passed else 'FAIL'}")
    if server_log:
        print("\nserver log (tail):")
        print("\n".join(server_log.splitlines()[-15:]))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
