"""Fixtures for merging alice's pull request #1 (feature into main) on alice/project."""

import pytest

from statuses.services import create_commit_status
from tests.helpers import bare_git, protection_body, protection_url, send


@pytest.fixture
def head(public_repo, pull):
    return bare_git(public_repo, "rev-parse", "feature")


@pytest.fixture
def post(public_repo, alice, head):
    def create(context, state, sha=None):
        create_commit_status(
            repository=public_repo, sha=sha or head, state=state, context=context, creator=alice
        )

    return create


@pytest.fixture
def protect(owner, public_repo):
    """Protect main through the API, as a repository admin would."""

    def put(contexts=("ci/tests", "ci/lint"), *, strict=False, enforce_admins=False):
        body = protection_body(contexts, strict=strict, enforce_admins=enforce_admins)
        response = send(owner, "put", protection_url(), body)
        assert response.status_code == 200, response.content

    return put
