"""PUT/GET .../protection: the settings gitforge enforces, the ones it refuses to pretend to,
and the compact `protection` summary of branch representations."""

import pytest

from protection.models import ProtectedBranch
from protection.services import save_protection
from tests.helpers import protection_body, protection_url, send
from tests.openapi import assert_matches_spec

PROTECTION = "/repos/{owner}/{repo}/branches/{branch}/protection"
BRANCH = "/repos/{owner}/{repo}/branches/{branch}"
BRANCHES = "/repos/{owner}/{repo}/branches"
DOCS = "https://docs.github.com/rest/branches/branch-protection"


def test_put_enables_linear_history(owner, public_repo):
    body = {**protection_body(), "required_linear_history": True}

    response = send(owner, "put", protection_url(), body)

    assert_matches_spec(response, "put", PROTECTION, 200)
    assert response.json()["required_linear_history"] == {"enabled": True}
    assert ProtectedBranch.objects.get(repository=public_repo).required_linear_history
    fetched = send(owner, "get", protection_url())
    assert_matches_spec(fetched, "get", PROTECTION, 200)
    assert fetched.json()["required_linear_history"] == {"enabled": True}


def test_put_without_linear_history_turns_it_off(owner, public_repo):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=False,
        required_linear_history=True,
    )

    response = send(owner, "put", protection_url(), protection_body())

    assert response.json()["required_linear_history"] == {"enabled": False}
    assert not ProtectedBranch.objects.get(repository=public_repo).required_linear_history


def test_required_signatures_is_part_of_the_representation(owner, public_repo):
    put = send(owner, "put", protection_url(), protection_body())
    got = send(owner, "get", protection_url())

    signatures = {
        "url": "http://testserver/api/repos/alice/project/branches/main/protection"
        "/required_signatures",
        "enabled": False,
    }
    assert put.json()["required_signatures"] == signatures
    assert got.json()["required_signatures"] == signatures
    assert_matches_spec(got, "get", PROTECTION, 200)


def test_the_body_pygithub_sends_is_accepted(owner, public_repo):
    """Unimplemented settings sent switched off (null or false) are accepted."""
    body = {
        **protection_body(),
        "required_linear_history": False,
        "allow_force_pushes": None,
        "allow_deletions": None,
        "block_creations": False,
        "required_conversation_resolution": False,
        "lock_branch": False,
        "allow_fork_syncing": False,
    }

    response = send(owner, "put", protection_url(), body)

    assert_matches_spec(response, "put", PROTECTION, 200)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("required_pull_request_reviews", {"required_approving_review_count": 1}),
        ("required_pull_request_reviews", {}),
        ("restrictions", {"users": [], "teams": []}),
        ("block_creations", True),
        ("required_conversation_resolution", True),
        ("lock_branch", True),
        ("allow_fork_syncing", True),
    ],
)
def test_unsupported_settings_are_refused_by_name(owner, public_repo, name, value):
    response = send(owner, "put", protection_url(), {**protection_body(), name: value})

    assert_matches_spec(response, "put", PROTECTION, 422)
    assert response.json()["message"] == "Validation Failed"
    assert response.json()["errors"] == [f"{name} is not supported"]
    assert response.json()["documentation_url"] == DOCS + "#update-branch-protection"
    assert not ProtectedBranch.objects.filter(repository=public_repo).exists()


def test_every_unsupported_setting_is_named(owner, public_repo):
    body = {**protection_body(), "lock_branch": True, "restrictions": {"users": [], "teams": []}}

    response = send(owner, "put", protection_url(), body)

    assert response.json()["errors"] == [
        "restrictions is not supported",
        "lock_branch is not supported",
    ]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            {"required_pull_request_reviews": None, "restrictions": None, "enforce_admins": None},
            "required_status_checks is missing",
        ),
        ({**protection_body(), "enforce_admins": "yes"}, "enforce_admins is invalid"),
        (
            {**protection_body(), "required_linear_history": "yes"},
            "required_linear_history is invalid",
        ),
        (
            {**protection_body(), "required_status_checks": {"strict": "no", "contexts": []}},
            "strict is invalid",
        ),
    ],
    ids=["missing", "not-a-boolean", "linear-not-a-boolean", "nested"],
)
def test_put_validation_errors_are_strings(owner, public_repo, body, error):
    response = send(owner, "put", protection_url(), body)

    assert_matches_spec(response, "put", PROTECTION, 422)
    assert response.json()["errors"] == [error]


@pytest.mark.parametrize(
    ("method", "suffix", "section"),
    [
        ("get", "", "get-branch-protection"),
        ("delete", "", "delete-branch-protection"),
        ("get", "/required_status_checks", "get-status-checks-protection"),
        ("patch", "/required_status_checks", "update-status-check-protection"),
        ("delete", "/required_status_checks", "remove-status-check-protection"),
        ("get", "/required_status_checks/contexts", "get-all-status-check-contexts"),
        ("post", "/required_status_checks/contexts", "add-status-check-contexts"),
        ("put", "/required_status_checks/contexts", "set-status-check-contexts"),
        ("delete", "/required_status_checks/contexts", "remove-status-check-contexts"),
    ],
)
def test_errors_link_the_section_of_the_operation(owner, public_repo, method, suffix, section):
    body = None if method == "get" else ["ci/tests"]

    response = send(owner, method, protection_url(suffix=suffix), body)

    assert response.status_code == 404
    assert response.json()["documentation_url"] == f"{DOCS}#{section}"


# the compact `protection` of branch representations


def summary(anonymous, branch):
    response = anonymous.get(f"/api/repos/alice/project/branches/{branch}")
    assert_matches_spec(response, "get", BRANCH, 200)
    return response.json()["protection"]


def test_unprotected_branch_summary(anonymous, public_repo):
    assert summary(anonymous, "main") == {
        "enabled": False,
        "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
    }


def test_protected_branch_without_checks_is_enforced_for_nobody(anonymous, public_repo):
    save_protection(repository=public_repo, pattern="main", require_status_checks=False)

    assert summary(anonymous, "main") == {
        "enabled": True,
        "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
    }


@pytest.mark.parametrize(("enforce_admins", "level"), [(False, "non_admins"), (True, "everyone")])
def test_required_checks_summary_says_whom_they_bind(anonymous, public_repo, enforce_admins, level):
    save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/tests", "ci/*"],
        enforce_admins=enforce_admins,
    )

    assert summary(anonymous, "main") == {
        "enabled": True,
        "required_status_checks": {
            "enforcement_level": level,
            "contexts": ["ci/tests", "ci/*"],
            "checks": [
                {"context": "ci/tests", "app_id": None},
                {"context": "ci/*", "app_id": None},
            ],
        },
    }


def test_branch_list_carries_each_summary(anonymous, public_repo):
    save_protection(
        repository=public_repo, pattern="main", require_status_checks=True, contexts=["ci/tests"]
    )

    response = anonymous.get("/api/repos/alice/project/branches")

    assert_matches_spec(response, "get", BRANCHES, 200)
    by_name = {branch["name"]: branch for branch in response.json()}
    assert by_name["main"]["protected"] is True
    assert by_name["main"]["protection"]["required_status_checks"] == {
        "enforcement_level": "non_admins",
        "contexts": ["ci/tests"],
        "checks": [{"context": "ci/tests", "app_id": None}],
    }
    assert by_name["feature"]["protected"] is False
    assert by_name["feature"]["protection"]["enabled"] is False
