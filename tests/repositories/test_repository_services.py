"""Repository services: creation with its bare git repository, access levels, collaborators."""

import pytest
from django.contrib.auth.models import AnonymousUser

from gitforge.accounts.models import User
from gitforge.errors import InvalidInput
from gitforge.repositories import permissions
from gitforge.repositories.git import repository_path
from gitforge.repositories.models import Collaborator, Repository
from gitforge.repositories.selectors import find_repository, repository_permission
from gitforge.repositories.services import create_repository, set_collaborator
from tests.helpers import bare_git, make_repository


def on_disk(repos_root):
    return sorted(p.name for p in repos_root.iterdir()) if repos_root.exists() else []


def test_create_repository_makes_a_row_and_an_empty_bare_repository(alice, repos_root):
    repository = create_repository(
        owner=alice, name="Widget", description="Makes widgets", private=True
    )
    row = Repository.objects.get(pk=repository.pk)
    assert (row.owner, row.name, row.description, row.private) == (
        alice,
        "Widget",
        "Makes widgets",
        True,
    )
    assert row.default_branch == "main"
    assert row.full_name == "alice/Widget"

    assert repository_path(repository.id) == repos_root / f"{repository.id}.git"
    assert bare_git(repository, "rev-parse", "--is-bare-repository") == "true"
    assert bare_git(repository, "symbolic-ref", "HEAD") == "refs/heads/main"
    assert bare_git(repository, "for-each-ref") == ""  # no commits, no branches yet


def test_auto_init_makes_one_initial_commit_with_a_readme(alice):
    repository = create_repository(
        owner=alice, name="hello", description="Says hello", auto_init=True
    )
    assert bare_git(repository, "rev-list", "--count", "main") == "1"
    assert bare_git(repository, "log", "-1", "--format=%s", "main") == "Initial commit"
    assert bare_git(repository, "ls-tree", "--name-only", "main") == "README.md"
    assert bare_git(repository, "show", "main:README.md") == "# hello\n\nSays hello"
    assert bare_git(repository, "for-each-ref", "--format=%(refname)") == "refs/heads/main"
    assert Repository.objects.get(pk=repository.pk).pushed_at is not None


@pytest.mark.parametrize("second_name", ["project", "PROJECT", "Project"])
def test_duplicate_name_is_case_insensitive_and_leaves_nothing_behind(
    alice, repos_root, second_name
):
    first = create_repository(owner=alice, name="Project")
    directories = on_disk(repos_root)
    with pytest.raises(InvalidInput) as raised:
        create_repository(owner=alice, name=second_name)
    assert [error["field"] for error in raised.value.errors] == ["name"]
    assert raised.value.errors[0]["resource"] == "Repository"
    assert list(Repository.objects.values_list("pk", flat=True)) == [first.pk]
    assert on_disk(repos_root) == directories == [f"{first.id}.git"]


def test_same_name_under_another_owner_is_fine(alice, bob):
    create_repository(owner=alice, name="project")
    other = create_repository(owner=bob, name="project")
    assert other.full_name == "bob/project"
    assert Repository.objects.count() == 2


@pytest.mark.parametrize(
    "name",
    [
        "",
        " ",
        "a b",
        ".",
        "..",
        "x.git",
        "X.GIT",
        "a/b",
        "a\\b",
        "émoji",
        "x" * 101,
        "name\n",
        "na\nme",
        None,
    ],
)
def test_invalid_names_are_rejected(alice, repos_root, name):
    with pytest.raises(InvalidInput) as raised:
        create_repository(owner=alice, name=name)
    assert [error["field"] for error in raised.value.errors] == ["name"]
    assert not Repository.objects.exists()
    assert on_disk(repos_root) == []


@pytest.mark.parametrize("name", ["x" * 100, "a", "my-repo.v2_x", "...", ".github", "git"])
def test_valid_names_are_accepted(alice, name):
    repository = create_repository(owner=alice, name=name)
    assert Repository.objects.get(pk=repository.pk).name == name


def test_git_failure_leaves_no_row(alice, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("in the way")
    settings.GITFORGE_REPOS_ROOT = blocker / "repos"
    with pytest.raises(OSError):
        create_repository(owner=alice, name="doomed", auto_init=True)
    assert not Repository.objects.exists()
    assert blocker.read_text() == "in the way"


def test_git_failure_when_root_is_a_file_leaves_no_row(alice, settings, tmp_path):
    root = tmp_path / "root-file"
    root.write_text("")
    settings.GITFORGE_REPOS_ROOT = root
    with pytest.raises(OSError):
        create_repository(owner=alice, name="doomed")
    assert not Repository.objects.exists()


def test_find_repository_is_case_insensitive(public_repo):
    assert find_repository("alice", "project") == public_repo
    assert find_repository("ALICE", "PROJECT") == public_repo
    assert find_repository("Alice", "Project") == public_repo
    assert find_repository("alice", "projects") is None
    assert find_repository("bob", "project") is None


def test_find_repository_keeps_the_stored_spelling(alice):
    create_repository(owner=alice, name="MixedCase")
    found = find_repository("ALICE", "mixedcase")
    assert found.name == "MixedCase"
    assert found.full_name == "alice/MixedCase"


def test_owner_is_admin(public_repo, private_repo, alice):
    assert repository_permission(alice, public_repo) == permissions.ADMIN
    assert repository_permission(alice, private_repo) == permissions.ADMIN


@pytest.mark.parametrize("level", permissions.LEVELS)
def test_collaborator_has_the_granted_level(private_repo, charlie, level):
    set_collaborator(repository=private_repo, user=charlie, permission=level)
    assert repository_permission(charlie, private_repo) == level


def test_collaborator_on_a_public_repository(public_repo, bob):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.MAINTAIN)
    assert repository_permission(bob, public_repo) == permissions.MAINTAIN


def test_public_repository_is_readable_by_strangers_and_anonymous(public_repo, charlie):
    assert repository_permission(charlie, public_repo) == permissions.PULL
    assert repository_permission(AnonymousUser(), public_repo) == permissions.PULL
    assert repository_permission(None, public_repo) == permissions.PULL


def test_private_repository_is_closed_to_strangers(private_repo, bob, charlie):
    assert repository_permission(bob, private_repo) == permissions.PULL  # collaborator
    assert repository_permission(charlie, private_repo) is None
    assert repository_permission(AnonymousUser(), private_repo) is None
    assert repository_permission(None, private_repo) is None


def test_superuser_is_admin_everywhere(private_repo, db):
    root = User.objects.create_superuser("root", "root@example.com", "root-password-1")
    assert repository_permission(root, private_repo) == permissions.ADMIN


def test_collaborator_on_another_repository_gets_nothing_here(alice, bob, private_repo):
    other = make_repository(alice, "other", private=True)
    assert repository_permission(bob, other) is None


def test_set_collaborator_creates_then_updates(public_repo, charlie):
    collaborator, created = set_collaborator(
        repository=public_repo, user=charlie, permission=permissions.TRIAGE
    )
    assert created is True
    assert collaborator.permission == permissions.TRIAGE

    collaborator, created = set_collaborator(
        repository=public_repo, user=charlie, permission=permissions.ADMIN
    )
    assert created is False
    assert list(
        Collaborator.objects.filter(repository=public_repo).values_list(
            "user__username", "permission"
        )
    ) == [("charlie", "admin")]


def test_set_collaborator_defaults_to_push(public_repo, charlie):
    collaborator, _ = set_collaborator(repository=public_repo, user=charlie)
    assert collaborator.permission == permissions.PUSH


@pytest.mark.parametrize("level", ["write", "read", "ADMIN", "", None])
def test_set_collaborator_rejects_unknown_levels(public_repo, charlie, level):
    with pytest.raises(InvalidInput) as raised:
        set_collaborator(repository=public_repo, user=charlie, permission=level)
    assert [error["field"] for error in raised.value.errors] == ["permission"]
    assert not Collaborator.objects.filter(user=charlie).exists()


def test_owner_cannot_be_a_collaborator(public_repo, alice):
    with pytest.raises(InvalidInput) as raised:
        set_collaborator(repository=public_repo, user=alice, permission=permissions.PULL)
    assert [error["field"] for error in raised.value.errors] == ["username"]
    assert not Collaborator.objects.filter(user=alice).exists()


def test_levels_are_ordered_from_pull_to_admin():
    assert permissions.LEVELS == ("pull", "triage", "push", "maintain", "admin")
    for lower, higher in zip(permissions.LEVELS, permissions.LEVELS[1:], strict=False):
        assert permissions.at_least(higher, lower)
        assert not permissions.at_least(lower, higher)
    for level in permissions.LEVELS:
        assert permissions.at_least(level, level)
        assert permissions.at_least(level, None)
        assert not permissions.at_least(None, level)


@pytest.mark.parametrize(
    ("level", "flags"),
    [
        (None, {"admin": False, "maintain": False, "push": False, "triage": False, "pull": False}),
        ("pull", {"admin": False, "maintain": False, "push": False, "triage": False, "pull": True}),
        (
            "triage",
            {"admin": False, "maintain": False, "push": False, "triage": True, "pull": True},
        ),
        ("push", {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True}),
        (
            "maintain",
            {"admin": False, "maintain": True, "push": True, "triage": True, "pull": True},
        ),
        ("admin", {"admin": True, "maintain": True, "push": True, "triage": True, "pull": True}),
    ],
)
def test_as_flags(level, flags):
    assert permissions.as_flags(level) == flags
