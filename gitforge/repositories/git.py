"""Reading and writing git data through pygit2. This module, with diffs.py, trees.py and
git_data.py (which read through `GitRepository.raw`), is all that imports pygit2.

Repositories are bare repositories under GITFORGE_REPOS_ROOT, addressed by database id.
Branches move only by compare-and-swap, so a concurrent push or merge fails cleanly instead of
losing a commit.
"""

import itertools
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pygit2

from gitforge.errors import Conflict, MergeConflict
from gitforge.repositories.paths import nest_paths
from gitforge.repositories.storage import move_aside, orphans_path, repository_path

FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
SHORT_SHA = re.compile(r"^[0-9a-f]{7,39}$")
MAX_DIFF_FILES = 300
# Folders under GITFORGE_REPOS_ROOT that no repository id can name (ids are numbers).

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    date: datetime


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    tree_sha: str
    message: str
    author: Person
    committer: Person
    parents: tuple[str, ...]


@dataclass(frozen=True)
class FileChange:
    filename: str
    previous_filename: str | None
    status: str  # added, removed, modified, renamed
    blob_sha: str
    additions: int
    deletions: int
    patch: str


@dataclass(frozen=True)
class Branch:
    name: str
    sha: str


def create_bare(repository_id, default_branch):
    """Initialise an empty bare repository for a new row; never reuses a directory.

    Ids come back (a fresh database over old data, an id handed out again after its creation
    rolled back), so whatever already sits at the path belonged to another repository: it is
    moved into the orphans folder first, or the new repository would inherit its objects and refs.
    """
    path = repository_path(repository_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        orphan = move_aside(path, orphans_path())
        log.warning("Repository %s: moved the existing %s to %s", repository_id, path, orphan)
    pygit2.init_repository(str(path), bare=True, initial_head=default_branch)
    return path


class GitRepository:
    """A bare repository on disk, read and written through pygit2."""

    def __init__(self, repository_id, *, quarantine=None):
        self._repo = pygit2.Repository(str(repository_path(repository_id)))
        if quarantine:  # during a push's pre-receive: the pushed objects wait there
            self._repo.odb.add_disk_alternate(quarantine)

    @property
    def raw(self) -> pygit2.Repository:
        """The pygit2 repository, for diffs.py and trees.py; all else goes through methods."""
        return self._repo

    def resolve_ref(self, ref):
        """The commit SHA that `ref` names, or None when unknown or ambiguous.

        Accepts a full SHA, a unique abbreviated SHA (7+ hex), a branch, `heads/NAME`, a tag
        (lightweight or annotated, peeled to its commit) or `tags/NAME`.
        """
        if not ref or ref.startswith("refs/") or "\x00" in ref:
            return None
        if FULL_SHA.match(ref.lower()):
            return self._commit_sha(self._lookup(ref.lower()))
        for prefix, namespace in (("heads/", "refs/heads/"), ("tags/", "refs/tags/")):
            if ref.startswith(prefix):
                return self._peel_ref(namespace + ref[len(prefix) :])
        sha = self._peel_ref("refs/heads/" + ref) or self._peel_ref("refs/tags/" + ref)
        if sha is None and SHORT_SHA.match(ref.lower()):
            sha = self._commit_sha(self._lookup(ref.lower()))
        return sha

    @property
    def is_empty(self):
        """True while the repository has no commit on any branch."""
        # libgit2's own is_empty only recognises an unborn default branch named master.
        return not any(name.startswith("refs/heads/") for name in self._repo.listall_references())

    def branch_sha(self, name):
        if "\x00" in name:
            return None
        return self._peel_ref("refs/heads/" + name)

    def branches(self):
        """Every branch with its head commit, sorted by name."""
        found = []
        for refname in self._repo.listall_references():
            if refname.startswith("refs/heads/"):
                sha = self._peel_ref(refname)
                if sha:
                    found.append(Branch(name=refname[len("refs/heads/") :], sha=sha))
        return sorted(found, key=lambda branch: branch.name)

    def commit(self, sha):
        obj = self._lookup(sha)
        if not isinstance(obj, pygit2.Commit):
            return None
        return CommitInfo(
            sha=str(obj.id),
            tree_sha=str(obj.tree_id),
            message=obj.message,
            author=_person(obj.author),
            committer=_person(obj.committer),
            parents=tuple(str(parent) for parent in obj.parent_ids),
        )

    def history(self, sha, limit):
        """Up to `limit` SHAs of commits reachable from `sha`, newest first, never a parent
        before its child (commits made within one second share a timestamp)."""
        walker = self._repo.walk(
            pygit2.Oid(hex=sha), pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.TIME
        )
        return [str(obj.id) for obj in itertools.islice(walker, limit)]

    def log(self, sha, limit):
        """Up to `limit` commits of `history`."""
        return [self.commit(commit_sha) for commit_sha in self.history(sha, limit)]

    def changes(self, sha):
        """Files changed by a commit against its first parent (capped at 300 files, as GitHub)."""
        obj = self._get_commit(sha)
        if obj.parents:
            return _file_changes(self._repo.diff(obj.parents[0], obj))
        return _file_changes(obj.tree.diff_to_tree(swap=True))

    def range_changes(self, base_sha, head_sha, limit=MAX_DIFF_FILES):
        """Files changed on head since it forked from base (a pull request's "Files changed"),
        the first `limit` of them."""
        merge_base = self._repo.merge_base(pygit2.Oid(hex=base_sha), pygit2.Oid(hex=head_sha))
        if merge_base is None:
            return []
        return _file_changes(
            self._repo.diff(self._get_commit(merge_base), self._get_commit(head_sha)), limit
        )

    def contains(self, sha, ancestor_sha):
        """True when `ancestor_sha` is `sha` or one of its ancestors."""
        if sha == ancestor_sha:
            return True
        return self._repo.descendant_of(pygit2.Oid(hex=sha), pygit2.Oid(hex=ancestor_sha))

    def is_fast_forward(self, old_sha, new_sha):
        """True when moving a ref from old_sha to new_sha loses no commit."""
        try:
            return self.contains(new_sha, old_sha)
        except (KeyError, ValueError, pygit2.GitError):
            return False  # not a commit, or an object git does not have

    def commits_between(self, base_sha, head_sha, limit=250):
        """Commits reachable from head but not from base, oldest first (as a PR lists them)."""
        walker = self._repo.walk(
            pygit2.Oid(hex=head_sha),
            pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE,
        )
        walker.hide(pygit2.Oid(hex=base_sha))
        return [self.commit(str(obj.id)) for obj, _ in zip(walker, range(limit), strict=False)]

    def new_commits(self, head_sha, hidden_shas, limit=2048):
        """Commits reachable from head but from none of `hidden_shas`, oldest first."""
        walker = self._repo.walk(
            pygit2.Oid(hex=head_sha),
            pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE,
        )
        for sha in hidden_shas:
            walker.hide(pygit2.Oid(hex=sha))
        return [self.commit(str(obj.id)) for obj, _ in zip(walker, range(limit), strict=False)]

    def touched_paths(self, sha):
        """(added, removed, modified) paths of a commit against its first parent."""
        obj = self._get_commit(sha)
        if obj.parents:
            diff = self._repo.diff(obj.parents[0], obj)
        else:
            diff = obj.tree.diff_to_tree(swap=True)
        added, removed, modified = [], [], []
        for delta in diff.deltas:
            kind = delta.status_char()
            if kind == "A":
                added.append(delta.new_file.path)
            elif kind == "D":
                removed.append(delta.old_file.path)
            else:
                modified.append(delta.new_file.path)
        return added, removed, modified

    def has_conflicts(self, base_sha, head_sha):
        index = self._repo.merge_commits(pygit2.Oid(hex=base_sha), pygit2.Oid(hex=head_sha))
        return index.conflicts is not None

    def merge(self, *, base_sha, head_sha, method, message, author, committer):
        """Build the commit(s) that merge head into base; return the new tip SHA.

        `method` is merge (two parents), squash (one parent, the merged tree) or rebase (head's
        commits replayed onto base). `author`/`committer` are (name, email). Nothing is
        referenced yet: the caller moves the branch. Raises MergeConflict.
        """
        repo = self._repo
        base, head = self._get_commit(base_sha), self._get_commit(head_sha)
        committer_sig = pygit2.Signature(*committer)
        if method == "rebase":
            current = base
            for commit in self.commits_between(base_sha, head_sha, limit=10_000):
                original = self._get_commit(commit.sha)
                # A root commit replays against the empty tree.
                ancestor = (
                    original.parents[0].tree if original.parents else repo.TreeBuilder().write()
                )
                index = repo.merge_trees(ancestor, current.tree, original.tree)
                if index.conflicts is not None:
                    raise MergeConflict()
                tree = index.write_tree(repo)
                current = self._get_commit(
                    repo.create_commit(
                        None, original.author, committer_sig, original.message, tree, [current.id]
                    )
                )
            return str(current.id)
        index = repo.merge_commits(base.id, head.id)
        if index.conflicts is not None:
            raise MergeConflict()
        tree = index.write_tree(repo)
        parents = [base.id, head.id] if method == "merge" else [base.id]
        author_sig = pygit2.Signature(*author)
        return str(repo.create_commit(None, author_sig, committer_sig, message, tree, parents))

    def write_commit(self, *, branch, files, message, author_name, author_email):
        """Commit `files` ({path: bytes, or None to delete}) on top of `branch` and move it.

        The branch moves by compare-and-swap from the head this commit was built on; if it
        moved meanwhile, Conflict is raised and nothing changes. Returns the new commit SHA.
        """
        parent_sha = self.branch_sha(branch)
        base_tree = self._get_commit(parent_sha).tree if parent_sha else None
        tree_id = self._build_tree(base_tree, nest_paths(files))
        signature = pygit2.Signature(author_name, author_email)
        parents = [pygit2.Oid(hex=parent_sha)] if parent_sha else []
        commit_id = self._repo.create_commit(None, signature, signature, message, tree_id, parents)
        self.move_branch(branch, str(commit_id), expected_sha=parent_sha)
        return str(commit_id)

    def move_branch(self, branch, new_sha, *, expected_sha):
        """Point `branch` at `new_sha` only if it still points at `expected_sha` (None: absent)."""
        refname = "refs/heads/" + branch
        if not pygit2.reference_is_valid_name(refname):
            raise ValueError(f"invalid branch name: {branch!r}")
        target = pygit2.Oid(hex=new_sha)
        try:
            if expected_sha is None:
                self._repo.references.create(refname, target, force=False)
                return
            reference = self._repo.references.get(refname)
            if reference is None or str(reference.target) != expected_sha:
                raise Conflict(f"Branch {branch} was modified. Review and try the merge again.")
            reference.set_target(target)
        except (pygit2.AlreadyExistsError, pygit2.GitError, OSError) as error:
            raise Conflict(
                f"Branch {branch} was modified. Review and try the merge again."
            ) from error

    def _build_tree(self, base_tree, changes):
        builder = self._repo.TreeBuilder(base_tree) if base_tree else self._repo.TreeBuilder()
        for name, content in changes.items():
            existing = base_tree[name] if base_tree is not None and name in base_tree else None
            if content is None:
                if existing is not None:
                    builder.remove(name)
            elif isinstance(content, dict):
                subtree = existing if isinstance(existing, pygit2.Tree) else None
                tree_id = self._build_tree(subtree, content)
                if len(self._repo[tree_id].peel(pygit2.Tree)) > 0:
                    builder.insert(name, tree_id, pygit2.enums.FileMode.TREE)
                elif existing is not None:
                    builder.remove(name)  # git keeps no empty directories
            else:
                blob_id = self._repo.create_blob(content)
                builder.insert(name, blob_id, pygit2.enums.FileMode.BLOB)
        return builder.write()

    def _get_commit(self, sha) -> pygit2.Commit:
        """The commit `sha` names; ValueError when it is something else or missing."""
        obj = self._repo.get(sha)
        if not isinstance(obj, pygit2.Commit):
            raise ValueError(f"not a commit: {sha}")
        return obj

    def _lookup(self, sha):
        try:
            return self._repo.get(sha)
        except (ValueError, KeyError):
            return None  # ambiguous prefix or malformed id

    def _peel_ref(self, refname):
        if not pygit2.reference_is_valid_name(refname):
            return None
        try:
            reference = self._repo.references.get(refname)
            return str(reference.peel(pygit2.Commit).id) if reference is not None else None
        except (pygit2.GitError, ValueError, KeyError):
            return None  # not a commit underneath, or a name libgit2 cannot hold

    @staticmethod
    def _commit_sha(obj):
        if isinstance(obj, pygit2.Tag):
            try:
                obj = obj.peel(pygit2.Commit)
            except (pygit2.GitError, ValueError, KeyError):
                return None  # a tag of a tree or blob
        return str(obj.id) if isinstance(obj, pygit2.Commit) else None


def _file_changes(diff, limit=MAX_DIFF_FILES):
    diff.find_similar()
    changes = []
    for patch in list(diff)[:limit]:
        delta = patch.delta
        _, additions, deletions = patch.line_stats
        status = {"A": "added", "D": "removed", "R": "renamed"}.get(delta.status_char(), "modified")
        removed = status == "removed"
        changes.append(
            FileChange(
                filename=delta.old_file.path if removed else delta.new_file.path,
                previous_filename=delta.old_file.path if status == "renamed" else None,
                status=status,
                blob_sha=str(delta.old_file.id if removed else delta.new_file.id),
                additions=additions,
                deletions=deletions,
                patch=_hunks_text(patch),
            )
        )
    return changes


def _person(signature):
    offset = timezone(timedelta(minutes=signature.offset))
    return Person(
        name=signature.name,
        email=signature.email,
        date=datetime.fromtimestamp(signature.time, offset).astimezone(UTC),
    )


def _hunks_text(patch):
    text = patch.text or ""
    start = text.find("\n@@")
    return text[start + 1 :] if start >= 0 else ""
