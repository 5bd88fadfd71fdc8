"""The required status checks of a protected branch over the API: strictness and contexts."""

import pytest

from tests.helpers import protection_rules, protection_url, send
from tests.openapi import assert_matches_spec

PROTECTION = "/repos/{owner}/{repo}/branches/{branch}/protection"
CHECKS = PROTECTION + "/required_status_checks"
CONTEXTS = CHECKS + "/contexts"


def test_get_status_checks(owner, protected_main):
    response = send(owner, "get", protection_url(suffix="/required_status_checks"))

    assert_matches_spec(response, "get", CHECKS, 200)
    assert response.json()["strict"] is True
    assert response.json()["contexts"] == ["ci/tests", "ci/lint"]


def test_patch_status_checks(owner, public_repo, protected_main):
    response = send(
        owner,
        "patch",
        protection_url(suffix="/required_status_checks"),
        {"strict": False, "contexts": ["a"]},
    )

    assert_matches_spec(response, "patch", CHECKS, 200)
    assert response.json()["strict"] is False
    assert response.json()["contexts"] == ["a"]
    assert protection_rules(public_repo) == [("main", True, False, False, ["a"])]


def test_patch_only_strict_keeps_contexts(owner, public_repo, protected_main):
    response = send(
        owner, "patch", protection_url(suffix="/required_status_checks"), {"strict": False}
    )

    assert response.status_code == 200
    assert protection_rules(public_repo) == [("main", True, False, False, ["ci/tests", "ci/lint"])]


@pytest.mark.parametrize(
    "body",
    [{"contexts": "ci/tests"}, {"contexts": [1]}, {"contexts": ["ci/[x"]}, {"strict": "no"}],
)
def test_patch_status_checks_rejects_invalid_bodies(owner, public_repo, protected_main, body):
    before = protection_rules(public_repo)

    response = send(owner, "patch", protection_url(suffix="/required_status_checks"), body)

    assert_matches_spec(response, "patch", CHECKS, 422)
    assert protection_rules(public_repo) == before


def test_patch_status_checks_of_unprotected_branch_is_404(owner, public_repo):
    response = send(
        owner, "patch", protection_url(suffix="/required_status_checks"), {"strict": True}
    )

    assert response.status_code == 404
    assert protection_rules(public_repo) == []


def test_delete_status_checks(owner, public_repo, protected_main):
    response = send(owner, "delete", protection_url(suffix="/required_status_checks"))

    assert response.status_code == 204
    assert protection_rules(public_repo) == [("main", False, False, False, [])]
    assert send(owner, "get", protection_url(suffix="/required_status_checks")).status_code == 404
    assert send(owner, "get", protection_url()).status_code == 200


def test_get_contexts(owner, protected_main):
    response = send(owner, "get", protection_url(suffix="/required_status_checks/contexts"))

    assert response.status_code == 200
    assert response.json() == ["ci/tests", "ci/lint"]


def test_post_contexts_adds(owner, public_repo, protected_main):
    response = send(
        owner,
        "post",
        protection_url(suffix="/required_status_checks/contexts"),
        ["build/**", "CI/TESTS"],
    )

    assert response.status_code == 200
    assert [context.lower() for context in response.json()] == ["ci/tests", "ci/lint", "build/**"]
    assert response.json() == protection_rules(public_repo)[0][4]


def test_post_contexts_accepts_an_object(owner, public_repo, protected_main):
    response = send(
        owner,
        "post",
        protection_url(suffix="/required_status_checks/contexts"),
        {"contexts": ["deploy"]},
    )

    assert response.status_code == 200
    assert response.json() == ["ci/tests", "ci/lint", "deploy"]


def test_put_contexts_replaces(owner, public_repo, protected_main):
    response = send(
        owner, "put", protection_url(suffix="/required_status_checks/contexts"), ["ci/*"]
    )

    assert response.status_code == 200
    assert response.json() == ["ci/*"]
    assert protection_rules(public_repo)[0][4] == ["ci/*"]


def test_delete_contexts_removes_case_insensitively(owner, public_repo, protected_main):
    response = send(
        owner, "delete", protection_url(suffix="/required_status_checks/contexts"), ["CI/Lint"]
    )

    assert response.status_code == 200
    assert response.json() == ["ci/tests"]
    assert protection_rules(public_repo)[0][4] == ["ci/tests"]


@pytest.mark.parametrize(
    ("method", "body"),
    [
        *((method, [1]) for method in ("post", "put", "delete")),
        *((method, {"contexts": "ci"}) for method in ("post", "put", "delete")),
        ("post", ["ci/[oops"]),
        ("put", ["ci/[oops"]),
    ],
    ids=str,
)
def test_contexts_reject_invalid_bodies(owner, public_repo, protected_main, method, body):
    before = protection_rules(public_repo)

    response = send(owner, method, protection_url(suffix="/required_status_checks/contexts"), body)

    assert_matches_spec(response, method, CONTEXTS, 422)
    assert protection_rules(public_repo) == before


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_contexts_of_unprotected_branch_are_404(owner, public_repo, method):
    body = None if method == "get" else ["ci"]

    response = send(owner, method, protection_url(suffix="/required_status_checks/contexts"), body)

    assert response.status_code == 404
    assert protection_rules(public_repo) == []
