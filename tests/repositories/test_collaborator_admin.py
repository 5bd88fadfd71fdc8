"""Collaborators in the admin follow the API's rules: the services save them."""

import html

from gitforge.repositories.models import Collaborator
from gitforge.repositories.services import set_collaborator

OWNER_REFUSAL = "Repository owner cannot be a collaborator"


def add_collaborator(client, repository, user, permission="push"):
    return client.post(
        "/admin/repositories/collaborator/add/",
        {"repository": repository.pk, "user": user.pk, "permission": permission},
    )


def repository_form(repository, rows):
    """The repository change form with collaborator rows (pk or None, user, permission, delete)."""
    data = {
        "description": repository.description,
        "default_branch": repository.default_branch,
        "collaborators-TOTAL_FORMS": str(len(rows)),
        "collaborators-INITIAL_FORMS": str(sum(1 for pk, *_ in rows if pk is not None)),
        "collaborators-MIN_NUM_FORMS": "0",
        "collaborators-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, (pk, user, permission, delete) in enumerate(rows):
        prefix = f"collaborators-{index}-"
        data[prefix + "user"] = str(user.pk)
        data[prefix + "permission"] = permission
        data[prefix + "repository"] = str(repository.pk)
        if pk is not None:
            data[prefix + "id"] = str(pk)
        if delete:
            data[prefix + "DELETE"] = "on"
    return data


def change_repository(client, repository, rows):
    return client.post(
        f"/admin/repositories/repository/{repository.pk}/change/", repository_form(repository, rows)
    )


def test_the_owner_cannot_be_added_as_a_collaborator(operator, public_repo, alice):
    response = add_collaborator(operator, public_repo, alice)

    assert response.status_code == 200
    assert OWNER_REFUSAL in html.unescape(response.content.decode())
    assert not Collaborator.objects.exists()


def test_adding_a_collaborator(operator, public_repo, bob):
    response = add_collaborator(operator, public_repo, bob, "maintain")

    assert response.status_code == 302
    assert Collaborator.objects.get().permission == "maintain"


def test_changing_and_deleting_a_collaborator(operator, public_repo, bob):
    collaborator, _ = set_collaborator(repository=public_repo, user=bob, permission="pull")
    url = f"/admin/repositories/collaborator/{collaborator.pk}/"

    changed = operator.post(url + "change/", {"permission": "admin"})
    assert changed.status_code == 302
    assert Collaborator.objects.get().permission == "admin"

    deleted = operator.post(url + "delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not Collaborator.objects.exists()


def test_repository_inline_refuses_the_owner(operator, public_repo, alice):
    response = change_repository(operator, public_repo, [(None, alice, "push", False)])

    assert response.status_code == 200
    assert OWNER_REFUSAL in html.unescape(response.content.decode())
    assert not Collaborator.objects.exists()


def test_repository_inline_adds_changes_and_removes_collaborators(
    operator, public_repo, bob, charlie
):
    bobs, _ = set_collaborator(repository=public_repo, user=bob, permission="pull")

    response = change_repository(
        operator,
        public_repo,
        [(bobs.pk, bob, "push", False), (None, charlie, "triage", False)],
    )
    assert response.status_code == 302
    assert dict(Collaborator.objects.values_list("user__username", "permission")) == {
        "bob": "push",
        "charlie": "triage",
    }

    charlies = Collaborator.objects.get(user=charlie)
    response = change_repository(
        operator,
        public_repo,
        [(bobs.pk, bob, "push", False), (charlies.pk, charlie, "triage", True)],
    )
    assert response.status_code == 302
    assert list(Collaborator.objects.values_list("user__username", flat=True)) == ["bob"]
