"""The branch protection API: rules, branches' protected flags, and who may touch them."""

import pytest

from gitforge.repositories import permissions
from gitforge.repositories.services import create_branch, set_collaborator
from protection.services import save_protection
from tests.helpers import protection_body, protection_rules, protection_url, send, token_client
from tests.openapi import assert_matches_spec

PROTECTION = "/repos/{owner}/{repo}/branches/{branch}/protection"
CHECKS = PROTECTION + "/required_status_checks"
CONTEXTS = CHECKS + "/contexts"


def test_put_protection(owner, public_repo):
    response = send(
        owner, "put", protection_url(), protection_body(strict=True, enforce_admins=True)
    )

    assert_matches_spec(response, "put", PROTECTION, 200)
    body = response.json()
    assert body["url"] == "http://testserver/api/repos/alice/project/branches/main/protection"
    assert body["required_status_checks"]["strict"] is True
    assert body["required_status_checks"]["contexts"] == ["ci/tests", "ci/lint"]
    assert body["enforce_admins"]["enabled"] is True
    assert body["allow_force_pushes"]["enabled"] is False
    assert protection_rules(public_repo) == [("main", True, True, True, ["ci/tests", "ci/lint"])]


def test_put_protection_through_api_v3_with_checks_objects(owner, public_repo):
    body = protection_body()
    body["required_status_checks"] = {
        "strict": False,
        "checks": [{"context": "ci/tests"}, {"context": "build/**", "app_id": -1}],
    }
    body["allow_force_pushes"] = True

    response = send(owner, "put", "/api/v3/repos/alice/project/branches/main/protection", body)

    assert_matches_spec(response, "put", PROTECTION, 200)
    assert response.json()["required_status_checks"]["contexts"] == ["ci/tests", "build/**"]
    assert response.json()["allow_force_pushes"]["enabled"] is True
    assert protection_rules(public_repo) == [("main", True, False, False, ["ci/tests", "build/**"])]


def test_put_replaces_the_rule(owner, public_repo, protected_main):
    response = send(owner, "put", protection_url(), protection_body(["deploy"]))

    assert response.status_code == 200
    assert protection_rules(public_repo) == [("main", True, False, False, ["deploy"])]


def test_put_without_status_checks(owner, public_repo):
    body = protection_body()
    body["required_status_checks"] = None

    response = send(owner, "put", protection_url(), body)

    assert_matches_spec(response, "put", PROTECTION, 200)
    assert "required_status_checks" not in response.json()
    assert protection_rules(public_repo) == [("main", False, False, False, [])]
    assert send(owner, "get", protection_url(suffix="/required_status_checks")).status_code == 404


def test_duplicate_contexts_differing_in_case_are_kept_once(owner, public_repo):
    response = send(owner, "put", protection_url(), protection_body(["ci/tests", "CI/Tests"]))

    assert response.status_code == 200
    assert len(response.json()["required_status_checks"]["contexts"]) == 1


def test_get_protection(owner, protected_main):
    response = send(owner, "get", protection_url())

    assert_matches_spec(response, "get", PROTECTION, 200)
    body = response.json()
    assert body["required_status_checks"]["strict"] is True
    assert body["required_status_checks"]["contexts"] == ["ci/tests", "ci/lint"]
    assert body["enforce_admins"]["enabled"] is False


def test_get_unprotected_branch_is_404(owner, public_repo):
    response = send(owner, "get", protection_url())

    assert response.status_code == 404
    assert response.json()["message"] == "Branch not protected"


def test_put_on_a_missing_branch_is_404(owner, public_repo):
    response = send(owner, "put", protection_url("nope"), protection_body())

    assert response.status_code == 404
    assert protection_rules(public_repo) == []


def test_delete_protection(owner, public_repo, protected_main):
    response = send(owner, "delete", protection_url())

    assert response.status_code == 204
    assert protection_rules(public_repo) == []
    assert send(owner, "delete", protection_url()).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"enforce_admins": False, "required_pull_request_reviews": None, "restrictions": None},
        {
            "required_status_checks": None,
            "required_pull_request_reviews": None,
            "restrictions": None,
        },
        {**protection_body(), "required_status_checks": {"strict": True}},
        {**protection_body(), "required_status_checks": {"strict": True, "contexts": "ci"}},
        {**protection_body(), "required_status_checks": {"strict": True, "contexts": [1]}},
        {**protection_body(), "required_status_checks": {"strict": "yes", "contexts": []}},
        {**protection_body(), "enforce_admins": "true"},
        protection_body(["ci/["]),
        protection_body([""]),
        protection_body(["x" * 256]),
    ],
    ids=[
        "no-status-checks-key",
        "no-enforce-admins-key",
        "no-contexts",
        "contexts-string",
        "contexts-numbers",
        "strict-string",
        "enforce-admins-string",
        "invalid-glob",
        "empty-context",
        "long-context",
    ],
)
def test_put_rejects_invalid_bodies(owner, public_repo, protected_main, body):
    before = protection_rules(public_repo)

    response = send(owner, "put", protection_url(), body)

    assert response.status_code == 422
    assert response.json()["message"] == "Validation Failed"
    assert protection_rules(public_repo) == before


def test_put_422_body_matches_spec(owner, public_repo):
    """The spec documents this route's 422 as `validation-error-simple`: errors are strings."""
    response = send(owner, "put", protection_url(), protection_body(["ci/["]))

    assert_matches_spec(response, "put", PROTECTION, 422)


def test_put_rejects_a_body_that_is_not_an_object(owner, public_repo):
    response = send(owner, "put", protection_url(), ["ci/tests"])

    assert response.status_code == 400
    assert protection_rules(public_repo) == []


# protected flags on branches


@pytest.fixture
def branches(public_repo):
    create_branch(repository=public_repo, branch="release/1.0", from_ref="main")
    create_branch(repository=public_repo, branch="release/a/b", from_ref="main")
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)
    save_protection(repository=public_repo, pattern="release/*", require_status_checks=True)


def test_branch_list_shows_protected(anonymous, branches):
    response = anonymous.get("/api/repos/alice/project/branches")

    assert_matches_spec(response, "get", "/repos/{owner}/{repo}/branches", 200)
    assert {b["name"]: b["protected"] for b in response.json()} == {
        "feature": False,
        "main": True,
        "release/1.0": True,
        "release/a/b": False,
    }


@pytest.mark.parametrize(
    ("flag", "names"),
    [("true", ["main", "release/1.0"]), ("false", ["feature", "release/a/b"])],
)
def test_branch_list_filters_by_protected(anonymous, branches, flag, names):
    response = anonymous.get("/api/repos/alice/project/branches", {"protected": flag})

    assert response.status_code == 200
    assert [b["name"] for b in response.json()] == names


@pytest.mark.parametrize(
    ("branch", "protected"),
    [("main", True), ("release/1.0", True), ("release/a/b", False), ("feature", False)],
)
def test_get_branch_shows_protected(anonymous, branches, branch, protected):
    response = anonymous.get(f"/api/repos/alice/project/branches/{branch}")

    assert_matches_spec(response, "get", "/repos/{owner}/{repo}/branches/{branch}", 200)
    assert response.json()["name"] == branch
    assert response.json()["protected"] is protected
    assert response.json()["protection"]["enabled"] is protected


def test_get_branch_of_pattern_rule_shows_its_checks(anonymous, public_repo, branches):
    save_protection(
        repository=public_repo,
        pattern="release/*",
        require_status_checks=True,
        contexts=["ci/*"],
    )

    response = anonymous.get("/api/repos/alice/project/branches/release/1.0")

    assert response.json()["protection"]["required_status_checks"]["contexts"] == ["ci/*"]


# who may do what


def test_admin_collaborator_with_repo_token_may_protect(bob, public_repo):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.ADMIN)

    response = send(token_client(bob), "put", protection_url(), protection_body())

    assert response.status_code == 200
    assert protection_rules(public_repo)[0][0] == "main"


@pytest.mark.parametrize("level", [permissions.PUSH, permissions.MAINTAIN])
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("put", "", protection_body(["x"])),
        ("delete", "", None),
        ("get", "/required_status_checks", None),
        ("patch", "/required_status_checks", {"strict": False}),
        ("delete", "/required_status_checks", None),
        ("post", "/required_status_checks/contexts", ["x"]),
        ("put", "/required_status_checks/contexts", ["x"]),
        ("delete", "/required_status_checks/contexts", ["ci/tests"]),
    ],
)
def test_non_admin_collaborator_is_forbidden(
    bob, public_repo, protected_main, level, method, suffix, body
):
    set_collaborator(repository=public_repo, user=bob, permission=level)
    before = protection_rules(public_repo)

    response = send(token_client(bob), method, protection_url(suffix=suffix), body)

    assert response.status_code == 403
    assert response.json()["message"] == "Must have admin rights to Repository."
    assert protection_rules(public_repo) == before


def test_stranger_on_public_repository_is_forbidden(charlie, public_repo, protected_main):
    before = protection_rules(public_repo)

    assert send(token_client(charlie), "get", protection_url()).status_code == 403
    assert send(token_client(charlie), "delete", protection_url()).status_code == 403
    assert protection_rules(public_repo) == before


def test_anonymous_needs_authentication(anonymous, public_repo, protected_main):
    assert send(anonymous, "get", protection_url()).status_code == 401
    assert send(anonymous, "put", protection_url(), protection_body()).status_code == 401
    assert protection_rules(public_repo)[0][4] == ["ci/tests", "ci/lint"]


@pytest.mark.parametrize("user", ["bob", "charlie"])
@pytest.mark.parametrize(
    ("method", "body"), [("get", None), ("put", protection_body()), ("delete", None)]
)
def test_private_repository_hides_protection(request, private_repo, user, method, body):
    save_protection(repository=private_repo, pattern="main", require_status_checks=True)
    before = protection_rules(private_repo)
    client = token_client(request.getfixturevalue(user))

    response = send(client, method, protection_url(repo="alice/secret"), body)

    # bob may read the private repository but is not an admin; charlie may not even see it
    assert response.status_code == (403 if user == "bob" else 404)
    assert protection_rules(private_repo) == before


@pytest.mark.parametrize("repo_fixture", ["public_repo", "private_repo"])
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("put", "", protection_body(["x"])),
        ("delete", "", None),
        ("get", "/required_status_checks", None),
        ("patch", "/required_status_checks", {"strict": False, "contexts": []}),
        ("delete", "/required_status_checks", None),
        ("get", "/required_status_checks/contexts", None),
        ("post", "/required_status_checks/contexts", ["x"]),
        ("put", "/required_status_checks/contexts", ["x"]),
        ("delete", "/required_status_checks/contexts", ["ci/tests"]),
    ],
)
def test_repo_status_token_never_touches_protection(
    request, alice, repo_fixture, method, suffix, body
):
    repository = request.getfixturevalue(repo_fixture)
    save_protection(
        repository=repository,
        pattern="main",
        require_status_checks=True,
        strict=True,
        contexts=["ci/tests", "ci/lint"],
    )
    before = protection_rules(repository)
    client = token_client(alice, scopes=["repo:status"])

    response = send(client, method, protection_url(suffix=suffix, repo=repository.full_name), body)

    assert response.status_code in (403, 404)
    assert response.status_code == (404 if repository.private else 403)
    assert protection_rules(repository) == before
