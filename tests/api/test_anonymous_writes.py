"""Every API write without a token answers 401 "Requires authentication" (never 403) on a public
repository, and changes nothing; on a private one it answers 404, as if it did not exist."""

import pytest
from django.test import Client

from gitforge.repositories.models import Collaborator, Repository
from hooks.models import Hook
from protection.models import ProtectedBranch, RequiredContext
from pulls.models import PullRequest
from statuses.models import CommitStatus
from tests.helpers import assert_error, protect_main, send

PROTECTION = {
    "required_status_checks": None,
    "enforce_admins": None,
    "required_pull_request_reviews": None,
    "restrictions": None,
}
CHECKS = "branches/main/protection/required_status_checks"
WRITES = [
    ("post", "statuses/{sha}", {"state": "success"}),
    ("put", "branches/main/protection", PROTECTION),
    ("delete", "branches/main/protection", None),
    ("patch", CHECKS, {"strict": True}),
    ("delete", CHECKS, None),
    ("post", f"{CHECKS}/contexts", ["ci/new"]),
    ("put", f"{CHECKS}/contexts", ["ci/new"]),
    ("delete", f"{CHECKS}/contexts", ["ci/tests"]),
    ("put", "collaborators/bob", {}),
    ("post", "hooks", {"config": {"url": "http://example.com/"}}),
    ("patch", "hooks/1", {"active": False}),
    ("delete", "hooks/1", None),
    ("patch", "hooks/1/config", {"url": "http://example.com/"}),
    ("post", "hooks/1/pings", None),
    ("post", "hooks/1/tests", None),
    ("post", "hooks/1/deliveries/1/attempts", None),
    ("post", "pulls", {"title": "t", "head": "feature", "base": "main"}),
    ("patch", "pulls/1", {"state": "closed"}),
    ("put", "pulls/1/merge", {}),
]


@pytest.fixture
def world(public_repo, private_repo, pull):
    for repository in (public_repo, private_repo):
        protect_main(repository, "ci/tests")


def stored():
    return (
        CommitStatus.objects.count(),
        list(ProtectedBranch.objects.values_list("repository_id", "pattern", "strict")),
        list(RequiredContext.objects.values_list("context", flat=True)),
        Collaborator.objects.count(),
        Hook.objects.count(),
        list(PullRequest.objects.values_list("number", "state", "merged")),
        Repository.objects.count(),
    )


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize(("repo", "status"), [("project", 401), ("secret", 404)])
def test_anonymous_writes_need_authentication(world, sha, method, path, body, repo, status):
    before = stored()

    response = send(Client(), method, f"/api/repos/alice/{repo}/{path.format(sha=sha)}", body)

    assert_error(response, status, "Requires authentication" if status == 401 else "Not Found")
    assert stored() == before


@pytest.mark.parametrize(("method", "path"), [("post", "/api/user/repos"), ("patch", "/api/user")])
def test_anonymous_account_writes_need_authentication(db, method, path):
    response = send(Client(), method, path, {"name": "x"})

    assert_error(response, 401, "Requires authentication")
    assert Repository.objects.count() == 0
