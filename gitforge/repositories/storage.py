"""Where repositories' git data lives on disk, and how a directory is set aside or removed.

Plain file operations, kept apart from git.py (the only module that uses pygit2).
"""

import shutil
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

ORPHANS = ".orphaned"
DELETING = ".deleting"


def repository_path(repository_id):
    return Path(settings.GITFORGE_REPOS_ROOT) / f"{repository_id}.git"


def orphans_path():
    """Where directories found in a new repository's place are kept for an operator to inspect."""
    return Path(settings.GITFORGE_REPOS_ROOT) / ORPHANS


def delete_bare(repository_id):
    """Remove a repository's git data (a no-op when there is none)."""
    path = repository_path(repository_id)
    if not (path.exists() or path.is_symlink()):
        return
    # Renamed first, so the id's path is free at once and a half-finished removal is never
    # mistaken for a repository.
    doomed = move_aside(path, Path(settings.GITFORGE_REPOS_ROOT) / DELETING)
    if doomed.is_symlink() or not doomed.is_dir():
        doomed.unlink()
    else:
        shutil.rmtree(doomed)


def move_aside(path, folder):
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{path.name.removesuffix('.git')}-{stamp}.git"
    path.rename(target)
    return target
