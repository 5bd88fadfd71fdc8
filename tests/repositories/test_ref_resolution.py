"""GitRepository.resolve_ref: which names and SHAs resolve to a commit, and which do not."""

import hashlib
import subprocess

import pygit2
import pytest

from gitforge.repositories.git import GitRepository, repository_path
from gitforge.repositories.services import commit_files, create_branch
from tests.helpers import bare_git as git


@pytest.fixture
def on_disk(public_repo):
    """The same bare repository opened with pygit2, to build situations the services cannot."""
    return pygit2.Repository(str(repository_path(public_repo.id)))


@pytest.fixture
def resolver(public_repo):
    return GitRepository(public_repo.id)


@pytest.fixture
def main_sha(public_repo):
    return git(public_repo, "rev-parse", "refs/heads/main")


@pytest.fixture
def feature_sha(public_repo):
    return git(public_repo, "rev-parse", "refs/heads/feature")


SIGNATURE = pygit2.Signature("Tagger", "tagger@example.com", 1700000000, 0)


def test_full_sha_resolves_to_itself(resolver, main_sha):
    assert resolver.resolve_ref(main_sha) == main_sha


@pytest.mark.parametrize("length", [7, 8, 12, 39])
def test_unique_abbreviated_sha_resolves(resolver, feature_sha, length):
    assert resolver.resolve_ref(feature_sha[:length]) == feature_sha


def test_six_character_prefix_is_too_short(resolver, main_sha):
    assert resolver.resolve_ref(main_sha[:6]) is None


def test_unknown_full_and_short_shas_resolve_to_none(resolver):
    assert resolver.resolve_ref("0" * 40) is None
    assert resolver.resolve_ref("0000000") is None


def test_branch_names_resolve_to_their_head(public_repo, resolver, main_sha, feature_sha):
    assert resolver.resolve_ref("main") == main_sha
    assert resolver.resolve_ref("feature") == feature_sha
    assert resolver.resolve_ref("heads/main") == main_sha
    assert resolver.resolve_ref("heads/feature") == feature_sha


def test_branch_with_slash(public_repo, resolver, alice, main_sha):
    create_branch(repository=public_repo, branch="topic/x", from_ref="main")
    sha = commit_files(
        repository=public_repo,
        branch="topic/x",
        files={"x.txt": b"x\n"},
        message="On topic/x",
        author=alice,
    )
    assert git(public_repo, "rev-parse", "refs/heads/topic/x") == sha
    assert resolver.resolve_ref("topic/x") == sha
    assert resolver.resolve_ref("heads/topic/x") == sha
    assert resolver.resolve_ref("topic") is None
    assert resolver.resolve_ref("main") == main_sha


def test_lightweight_tag(public_repo, on_disk, resolver, feature_sha):
    on_disk.references.create("refs/tags/v1.0", pygit2.Oid(hex=feature_sha))
    assert git(public_repo, "cat-file", "-t", "v1.0") == "commit"
    assert resolver.resolve_ref("v1.0") == feature_sha
    assert resolver.resolve_ref("tags/v1.0") == feature_sha


def test_annotated_tag_is_peeled_to_its_commit(public_repo, on_disk, resolver, main_sha):
    tag_id = on_disk.create_tag(
        "v2.0", pygit2.Oid(hex=main_sha), pygit2.enums.ObjectType.COMMIT, SIGNATURE, "Release"
    )
    assert git(public_repo, "cat-file", "-t", "refs/tags/v2.0") == "tag"
    assert git(public_repo, "rev-parse", "v2.0^{commit}") == main_sha
    assert resolver.resolve_ref("v2.0") == main_sha
    assert resolver.resolve_ref("tags/v2.0") == main_sha
    # The tag object's own SHA names the commit too, as `git rev-parse SHA^{commit}` does.
    assert resolver.resolve_ref(str(tag_id)) == main_sha


def test_tags_pointing_at_a_tree_or_blob_resolve_to_none(public_repo, on_disk, resolver, main_sha):
    tree_id = on_disk.get(main_sha).tree_id
    blob_id = on_disk.create_blob(b"not a commit\n")
    on_disk.references.create("refs/tags/tree-tag", tree_id)
    on_disk.create_tag("blob-tag", blob_id, pygit2.enums.ObjectType.BLOB, SIGNATURE, "A blob")
    assert git(public_repo, "cat-file", "-t", "tree-tag") == "tree"
    assert git(public_repo, "cat-file", "-t", "blob-tag^{}") == "blob"

    assert resolver.resolve_ref("tree-tag") is None
    assert resolver.resolve_ref("tags/tree-tag") is None
    assert resolver.resolve_ref("blob-tag") is None
    assert resolver.resolve_ref("tags/blob-tag") is None


def test_sha_of_an_annotated_tag_of_a_blob_resolves_to_none(public_repo, on_disk, resolver):
    blob_id = on_disk.create_blob(b"tagged blob\n")
    tag_id = str(
        on_disk.create_tag("blob-tag", blob_id, pygit2.enums.ObjectType.BLOB, SIGNATURE, "A blob")
    )
    assert git(public_repo, "cat-file", "-t", tag_id) == "tag"
    assert resolver.resolve_ref(tag_id) is None
    assert resolver.resolve_ref(tag_id[:10]) is None


def test_full_sha_of_a_blob_or_tree_is_not_a_commit(public_repo, on_disk, resolver, main_sha):
    blob_id = str(on_disk.create_blob(b"just a blob\n"))
    tree_id = git(public_repo, "rev-parse", "main^{tree}")
    assert git(public_repo, "cat-file", "-t", blob_id) == "blob"
    assert resolver.resolve_ref(blob_id) is None
    assert resolver.resolve_ref(blob_id[:10]) is None
    assert resolver.resolve_ref(tree_id) is None
    assert resolver.resolve_ref(tree_id[:10]) is None


def test_unknown_names_resolve_to_none(resolver):
    assert resolver.resolve_ref("no-such-branch") is None
    assert resolver.resolve_ref("heads/no-such-branch") is None
    assert resolver.resolve_ref("tags/no-such-tag") is None
    assert resolver.resolve_ref("heads/feature/nope") is None


@pytest.mark.parametrize("ref", ["refs/heads/main", "refs/heads/feature", "refs/tags/v1.0"])
def test_full_ref_names_are_not_accepted(public_repo, on_disk, resolver, main_sha, ref):
    on_disk.references.create("refs/tags/v1.0", pygit2.Oid(hex=main_sha))
    assert git(public_repo, "rev-parse", "--verify", ref)  # git itself knows the ref
    assert resolver.resolve_ref(ref) is None


@pytest.mark.parametrize(
    "ref",
    [
        "",
        None,
        "main^",
        "main~1",
        "HEAD",
        "HEAD~1",
        "HEAD^{tree}",
        "main@{1}",
        "@{-1}",
        "@",
        "..",
        "main..feature",
        "main...feature",
        ":README.md",
        "main:README.md",
        "heads/",
        "tags/",
        "heads/../main",
        "/main",
        "main/",
        "main.lock",
        "main\n",
        " main",
        "ma in",
        "main*",
        "MAIN",
        "ürgh",
    ],
)
def test_revision_syntax_and_malformed_input_resolve_to_none(resolver, ref):
    assert resolver.resolve_ref(ref) is None


def test_name_with_embedded_nul_is_not_the_branch(resolver):
    assert resolver.resolve_ref("main\x00") is None
    assert resolver.resolve_ref("main\x00garbage") is None


def test_very_long_name_resolves_to_none(resolver):
    """Longer than libgit2's 1024-byte reference name limit."""
    assert resolver.resolve_ref("a" * 1100) is None
    assert resolver.resolve_ref("heads/" + "a" * 1100) is None


def test_branch_wins_over_tag_of_the_same_name(
    public_repo, on_disk, resolver, main_sha, feature_sha
):
    on_disk.references.create("refs/tags/feature", pygit2.Oid(hex=main_sha))
    assert resolver.resolve_ref("feature") == feature_sha
    assert resolver.resolve_ref("heads/feature") == feature_sha
    assert resolver.resolve_ref("tags/feature") == main_sha


def test_hex_looking_branch_name_wins_over_abbreviated_sha(
    public_repo, resolver, main_sha, feature_sha
):
    create_branch(repository=public_repo, branch=feature_sha[:7], from_ref="main")
    assert resolver.resolve_ref(feature_sha[:7]) == main_sha
    assert resolver.resolve_ref(feature_sha[:8]) == feature_sha


def _commit_bytes(tree_sha, n):
    return (
        f"tree {tree_sha}\n"
        "author Collider <collider@example.com> 1700000000 +0000\n"
        "committer Collider <collider@example.com> 1700000000 +0000\n"
        f"\nattempt {n}\n"
    ).encode()


def _object_sha(kind, data):
    return hashlib.sha1(f"{kind} {len(data)}\0".encode() + data).hexdigest()


def test_ambiguous_abbreviated_sha_resolves_to_none(public_repo, on_disk, resolver):
    """Two commits whose SHAs share their first 7 hex digits, found by hashing, then written."""
    tree_sha = git(public_repo, "rev-parse", "main^{tree}")
    seen = {}
    for n in range(200_000):
        data = _commit_bytes(tree_sha, n)
        sha = _object_sha("commit", data)
        if sha[:7] in seen:
            first_data = seen[sha[:7]]
            break
        seen[sha[:7]] = data
    else:
        pytest.fail("no 7-digit collision within 200k commits")
    first = str(on_disk.odb.write(pygit2.enums.ObjectType.COMMIT, first_data))
    second = str(on_disk.odb.write(pygit2.enums.ObjectType.COMMIT, data))
    assert second == sha and first != second and first[:7] == second[:7]
    assert git(public_repo, "cat-file", "-t", first) == "commit"
    assert git(public_repo, "cat-file", "-t", second) == "commit"
    ambiguous = subprocess.run(
        ["git", "-C", str(repository_path(public_repo.id)), "rev-parse", "--verify", "-q", sha[:7]],
        capture_output=True,
    )
    assert ambiguous.returncode != 0  # git agrees the prefix is ambiguous

    assert resolver.resolve_ref(sha[:7]) is None
    common = next(i for i in range(40) if first[i] != second[i])
    assert resolver.resolve_ref(first[: max(common + 1, 7)]) == first
    assert resolver.resolve_ref(second[: max(common + 1, 7)]) == second
    assert resolver.resolve_ref(first) == first
    assert resolver.resolve_ref(second) == second
