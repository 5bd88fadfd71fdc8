"""The protection settings GitHub exposes one by one: `enforce_admins` (on, off, and enforced on
merges), and `required_signatures` (reads as off; cannot be turned on)."""

from gitforge.repositories.services import set_collaborator
from protection.models import ProtectedBranch
from tests.helpers import assert_error, protection_url, send, token_client
from tests.openapi import assert_matches_schema, assert_matches_spec

ADMINS = "/repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
SIGNATURES = "/repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"


def test_every_url_the_protection_hands_out_answers(owner, protected_main):
    protection = send(owner, "get", protection_url()).json()

    for key in ("enforce_admins", "required_signatures"):
        response = owner.get(protection[key]["url"].split("testserver", 1)[1])
        assert response.status_code == 200, (key, response.content)
        assert response.json()["enabled"] == protection[key]["enabled"]


def test_enforce_admins_on_and_off(owner, public_repo, protected_main):
    url = protection_url(suffix="/enforce_admins")

    fetched = send(owner, "get", url)
    assert_matches_spec(fetched, "get", ADMINS, 200)
    assert fetched.json() == {"url": "http://testserver/api" + url[4:], "enabled": False}

    turned_on = send(owner, "post", url)
    assert_matches_spec(turned_on, "post", ADMINS, 200)
    assert turned_on.json()["enabled"] is True
    assert ProtectedBranch.objects.get(repository=public_repo).enforce_admins

    turned_off = send(owner, "delete", url)
    assert turned_off.status_code == 204
    assert not ProtectedBranch.objects.get(repository=public_repo).enforce_admins


def test_enforce_admins_of_an_unprotected_branch_is_404(owner, public_repo):
    response = send(owner, "get", protection_url(suffix="/enforce_admins"))

    assert_error(response, 404, "Branch not protected")


def test_enforce_admins_needs_admin(bob, public_repo, protected_main):
    set_collaborator(repository=public_repo, user=bob, permission="push")

    response = send(token_client(bob), "post", protection_url(suffix="/enforce_admins"))

    assert response.status_code == 403
    assert not ProtectedBranch.objects.get(repository=public_repo).enforce_admins


def test_required_signatures_reads_off_and_cannot_be_turned_on(owner, protected_main):
    url = protection_url(suffix="/required_signatures")

    fetched = send(owner, "get", url)
    assert_matches_spec(fetched, "get", SIGNATURES, 200)
    assert fetched.json()["enabled"] is False

    refused = send(owner, "post", url)
    body = assert_error(refused, 422, "Validation Failed")
    assert body["errors"] == ["required_signatures is not supported"]
    assert_matches_schema(refused, "validation-error-simple")

    assert send(owner, "delete", url).status_code == 204
