"""A repository's git data belongs to it alone: a new repository never inherits a directory left
at its id, and deleting a repository (or its owner) removes its directory once the deletion
commits."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from gitforge.repositories.git import repository_path
from gitforge.repositories.models import Repository
from gitforge.repositories.services import create_repository
from tests.helpers import bare_sha, make_repository, token_client


def leftover_of(repository, *, at_id):
    """What an old data/repos holds at `at_id` when the database starts over (ids restart)."""
    shutil.copytree(repository_path(repository.id), repository_path(at_id))
    return repository_path(at_id)


def orphans(repos_root):
    folder = repos_root / ".orphaned"
    return sorted(folder.iterdir()) if folder.exists() else []


def git_dirs(repos_root):
    return sorted(path.name for path in repos_root.glob("*.git"))


def test_a_new_repository_does_not_inherit_a_directory_left_at_its_id(alice, bob, repos_root):
    diary = make_repository(bob, "diary", private=True)
    secret_sha = bare_sha(diary, "feature")
    leftover_of(diary, at_id=diary.id + 1)

    fresh = create_repository(owner=alice, name="fresh")

    assert fresh.id == diary.id + 1  # the id the leftover directory was waiting at
    alice_api = token_client(alice)
    branches = alice_api.get("/api/repos/alice/fresh/branches")
    assert (branches.status_code, branches.json()) == (200, [])
    status = alice_api.post(
        f"/api/repos/alice/fresh/statuses/{secret_sha}",
        {"state": "success"},
        content_type="application/json",
    )
    assert status.status_code == 422
    assert "No commit found" in status.json()["message"]


def test_the_leftover_directory_is_kept_aside_for_the_operator(alice, bob, repos_root, caplog):
    diary = make_repository(bob, "diary", private=True)
    leftover_of(diary, at_id=diary.id + 1)

    fresh = create_repository(owner=alice, name="fresh")

    [kept] = orphans(repos_root)
    assert kept.name.startswith(f"{fresh.id}-") and kept.name.endswith(".git")
    assert git_dirs(repos_root) == sorted([f"{diary.id}.git", f"{fresh.id}.git"])
    assert f"{fresh.id}.git" in caplog.text and ".orphaned" in caplog.text


def test_seeding_the_demo_over_old_repositories_starts_from_a_fresh_directory(alice, repos_root):
    old = make_repository(alice, "old", private=True)
    leftover_of(old, at_id=old.id + 1)

    call_command("seeddemo", stdout=StringIO())

    demo = Repository.objects.get(name="hello")
    assert demo.id == old.id + 1
    assert bare_sha(demo, "feature") is None  # the old repository's branch did not come along
    assert len(orphans(repos_root)) == 1


def test_deleting_a_repository_removes_its_directory_once_the_deletion_commits(
    public_repo, django_capture_on_commit_callbacks
):
    path = repository_path(public_repo.id)
    with django_capture_on_commit_callbacks(execute=True):
        public_repo.delete()
        assert path.exists()  # not before the transaction commits

    assert not path.exists()


def test_a_rolled_back_deletion_keeps_the_repository_whole(
    public_repo, django_capture_on_commit_callbacks
):
    sha = bare_sha(public_repo)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Repository.objects.get(pk=public_repo.pk).delete()
        raise RuntimeError("the deleting request failed")

    assert Repository.objects.filter(pk=public_repo.pk).exists()
    assert bare_sha(public_repo) == sha


def test_deleting_a_user_removes_the_directories_of_their_repositories(
    alice, bob, repos_root, django_capture_on_commit_callbacks
):
    first = make_repository(alice, "first")
    second = make_repository(alice, "second", private=True)
    kept = make_repository(bob, "kept")

    with django_capture_on_commit_callbacks(execute=True):
        alice.delete()

    assert not Repository.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert git_dirs(repos_root) == [f"{kept.id}.git"]
    assert bare_sha(kept) is not None


def test_deleting_a_repository_in_the_admin_removes_its_directory(
    operator, public_repo, django_capture_on_commit_callbacks
):
    url = f"/admin/repositories/repository/{public_repo.pk}/delete/"
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not repository_path(public_repo.id).exists()


def test_bulk_deleting_repositories_in_the_admin_removes_their_directories(
    operator, alice, repos_root, django_capture_on_commit_callbacks
):
    repositories = [make_repository(alice, name) for name in ("one", "two")]
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            "/admin/repositories/repository/",
            {
                "action": "delete_selected",
                "_selected_action": [repository.pk for repository in repositories],
                "post": "yes",
            },
        )

    assert response.status_code == 302
    assert git_dirs(repos_root) == []
