"""Git's own objects as the git data API shows them: refs, tags, trees, blobs, files at a path,
and who wrote the history.

With git.py, diffs.py and trees.py, the modules that read pygit2 objects (through
GitRepository.raw).
"""

import itertools
from collections import Counter
from dataclasses import dataclass

import pygit2

from gitforge.repositories.git import FULL_SHA, GitRepository

# GitHub stops listing a tree past 100,000 entries and says it truncated it.
MAX_TREE_ENTRIES = 100_000

MODES = {
    pygit2.enums.FileMode.TREE: ("040000", "tree"),
    pygit2.enums.FileMode.BLOB: ("100644", "blob"),
    pygit2.enums.FileMode.BLOB_EXECUTABLE: ("100755", "blob"),
    pygit2.enums.FileMode.LINK: ("120000", "blob"),
    pygit2.enums.FileMode.COMMIT: ("160000", "commit"),
}
OBJECT_TYPES = {
    pygit2.Commit: "commit",
    pygit2.Tag: "tag",
    pygit2.Tree: "tree",
    pygit2.Blob: "blob",
}


@dataclass(frozen=True)
class Ref:
    name: str  # refs/heads/main
    sha: str  # what the ref points at: a commit, or an annotated tag object
    kind: str  # commit, tag, tree or blob


@dataclass(frozen=True)
class Tag:
    name: str
    commit_sha: str


@dataclass(frozen=True)
class TreeItem:
    path: str
    mode: str
    kind: str  # blob, tree or commit (a submodule)
    sha: str
    size: int | None  # blobs only


@dataclass(frozen=True)
class Tree:
    sha: str
    items: list[TreeItem]
    truncated: bool


@dataclass(frozen=True)
class Entry:
    """A path in a commit's tree, as the contents API names its kinds."""

    path: str
    kind: str  # file, dir, symlink or submodule
    sha: str
    size: int


CONTENT_KINDS = {"tree": "dir", "commit": "submodule"}


@dataclass(frozen=True)
class Contributor:
    name: str
    email: str
    commits: int


def refs(git: GitRepository, prefix: str = "refs/") -> list[Ref]:
    """Every ref whose name starts with `prefix`, sorted by name (as GitHub lists them)."""
    found = []
    for name in git.raw.listall_references():
        if not name.startswith(prefix) or not name.startswith("refs/"):
            continue
        reference = git.raw.references.get(name)
        if reference is None or reference.type != pygit2.enums.ReferenceType.DIRECT:
            continue
        obj = git.raw.get(reference.target)
        if obj is not None:
            found.append(Ref(name, str(obj.id), OBJECT_TYPES.get(type(obj), "commit")))
    return sorted(found, key=lambda ref: ref.name)


def tags(git: GitRepository) -> list[Tag]:
    """Every tag that leads to a commit, newest name first (GitHub's order for plain names)."""
    found = []
    for ref in refs(git, "refs/tags/"):
        sha = git.resolve_ref("tags/" + ref.name[len("refs/tags/") :])
        if sha is not None:
            found.append(Tag(ref.name[len("refs/tags/") :], sha))
    return sorted(found, key=lambda tag: tag.name, reverse=True)


def tree(git: GitRepository, name: str, *, recursive: bool) -> Tree | None:
    """The tree a tree SHA, commit SHA or ref names, with its entries (every level's, when
    `recursive`); None when nothing such exists."""
    obj = _object(git, name)
    try:
        root = obj.peel(pygit2.Tree) if obj is not None else None
    except (pygit2.GitError, ValueError, KeyError):
        return None  # a blob, or a tag of one
    if root is None:
        return None
    items: list[TreeItem] = []
    truncated = _walk(git, root, "", recursive, items)
    return Tree(str(root.id), items, truncated)


def _walk(git, root, prefix, recursive, items) -> bool:
    """Append `root`'s entries to `items`; True when MAX_TREE_ENTRIES cut the listing short."""
    for entry in root:
        if len(items) >= MAX_TREE_ENTRIES:
            return True
        mode, kind = MODES.get(entry.filemode, ("100644", "blob"))
        path = prefix + (entry.name or "")
        size = git.raw.odb.read_header(entry.id)[1] if kind == "blob" else None
        items.append(TreeItem(path, mode, kind, str(entry.id), size))
        if recursive and kind == "tree" and _walk(git, git.raw[entry.id], path + "/", True, items):
            return True
    return False


def blob(git: GitRepository, sha: str) -> bytes | None:
    """The content of the blob `sha` (a full SHA), or None."""
    obj = git.raw.get(sha.lower()) if FULL_SHA.match(sha.lower()) else None
    return obj.data if isinstance(obj, pygit2.Blob) else None


def file_at(git: GitRepository, ref: str, path: str) -> tuple[str, bytes] | None:
    """(blob SHA, content) of the file at `path` in the commit `ref` names, or None."""
    sha = git.resolve_ref(ref)
    if sha is None or not path:
        return None
    try:
        entry = git.raw[pygit2.Oid(hex=sha)].peel(pygit2.Tree)[path]
    except (KeyError, ValueError, TypeError):
        return None
    obj = git.raw[entry.id]
    return (str(obj.id), obj.data) if isinstance(obj, pygit2.Blob) else None


def entry_at(git: GitRepository, sha: str, path: str) -> Entry | None:
    """What sits at `path` ("" for the root folder) in commit `sha`'s tree, or None."""
    root = git.raw[pygit2.Oid(hex=sha)].peel(pygit2.Tree)
    if not path:
        return Entry("", "dir", str(root.id), 0)
    try:
        entry = root[path]
    except (KeyError, ValueError, TypeError):
        return None
    return _entry(git, path, entry)


def folder(git: GitRepository, sha: str, path: str) -> list[Entry]:
    """The entries of the folder at `path` in commit `sha`'s tree (see entry_at)."""
    root = git.raw[pygit2.Oid(hex=sha)].peel(pygit2.Tree)
    tree = root if not path else git.raw[root[path].id].peel(pygit2.Tree)
    prefix = path + "/" if path else ""
    return [_entry(git, prefix + (item.name or ""), item) for item in tree]


def _entry(git, path, item) -> Entry:
    mode, kind = MODES.get(item.filemode, ("100644", "blob"))
    if kind != "blob":
        return Entry(path, CONTENT_KINDS[kind], str(item.id), 0)
    size = git.raw.odb.read_header(item.id)[1]
    return Entry(path, "symlink" if mode == "120000" else "file", str(item.id), size)


def file_sizes(git: GitRepository, sha: str) -> list[tuple[str, int]]:
    """(path, size) of every file in commit `sha`'s tree (symbolic links and submodules left
    out), as far as MAX_TREE_ENTRIES reaches."""
    listed = tree(git, sha, recursive=True)
    if listed is None:
        return []
    return [
        (item.path, item.size or 0)
        for item in listed.items
        if item.kind == "blob" and item.mode != "120000"
    ]


def authors(git: GitRepository, sha: str, limit: int) -> list[Contributor]:
    """Who wrote the first `limit` commits of `sha`'s history, by email (case-insensitive),
    most commits first; each under the name of their newest commit."""
    counts: Counter[str] = Counter()
    names: dict[str, tuple[str, str]] = {}
    walker = git.raw.walk(pygit2.Oid(hex=sha), pygit2.enums.SortMode.TIME)
    for commit in itertools.islice(walker, limit):
        key = commit.author.email.lower()
        counts[key] += 1
        names.setdefault(key, (commit.author.name, commit.author.email))
    return [
        Contributor(names[key][0], names[key][1], number)
        for key, number in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    ]


def _object(git: GitRepository, name: str):
    """The object a full SHA or a ref (branch, tag, abbreviated SHA) names, or None."""
    if FULL_SHA.match(name.lower()):
        return git.raw.get(name.lower())
    sha = git.resolve_ref(name)
    return git.raw.get(sha) if sha is not None else None
