"""What a commit's tree holds at its top, for the branch page.

With git.py and diffs.py, the modules that read pygit2 objects (through GitRepository.raw).
"""

from dataclasses import dataclass

import pygit2

from gitforge.repositories.git import GitRepository


@dataclass(frozen=True)
class TreeEntry:
    name: str
    kind: str  # folder, file, link or submodule


KINDS = {
    pygit2.enums.FileMode.TREE: "folder",
    pygit2.enums.FileMode.LINK: "link",
    pygit2.enums.FileMode.COMMIT: "submodule",
}


def top_entries(git: GitRepository, sha: str) -> list[TreeEntry]:
    """The entries at the root of commit `sha`'s tree: folders first, then by name."""
    tree = git.raw[pygit2.Oid(hex=sha)].peel(pygit2.Tree)
    entries = [TreeEntry(entry.name or "", KINDS.get(entry.filemode, "file")) for entry in tree]
    return sorted(entries, key=lambda entry: (entry.kind != "folder", entry.name))
