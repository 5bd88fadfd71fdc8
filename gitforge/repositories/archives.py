"""Archives of a commit's tree (`git archive`), streamed: the zipball and tarball GitHub serves."""

import subprocess

from gitforge.repositories.storage import repository_path

CHUNK = 64 * 1024
FORMATS = {"zipball": ("zip", ".zip"), "tarball": ("tar.gz", ".tar.gz")}


def archive_name(repository, sha, kind) -> str:
    """GitHub's name: owner-repo-shortsha, with the format's extension."""
    return f"{repository.owner.username}-{repository.name}-{sha[:7]}{FORMATS[kind][1]}"


def stream_archive(repository, sha, kind):
    """The archive's bytes, chunk by chunk; its files sit under one folder named as the archive."""
    fmt, extension = FORMATS[kind]
    prefix = archive_name(repository, sha, kind).removesuffix(extension) + "/"
    process = subprocess.Popen(
        ["git", "archive", f"--format={fmt}", f"--prefix={prefix}", sha],
        cwd=repository_path(repository.id),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    output = process.stdout
    assert output is not None  # stdout=PIPE
    try:
        while chunk := output.read(CHUNK):
            yield chunk
    finally:
        output.close()
        process.wait()
