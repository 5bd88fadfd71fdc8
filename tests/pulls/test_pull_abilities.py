"""Who may edit, close, reopen and merge a pull request: one rule, and the API and the page
agree with it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from gitforge.repositories.services import set_collaborator
from pulls.models import PullRequest
from pulls.permissions import PullAbilities, pull_abilities
from pulls.services import open_pull_request
from tests.helpers import get_page, merge_box, send, signed_in, token_client


@pytest.mark.parametrize(
    ("who", "permission", "expected"),
    [
        ("author", "pull", PullAbilities(edit=True, merge=False)),
        ("author", "push", PullAbilities(edit=True, merge=True)),
        ("other", "pull", PullAbilities(edit=False, merge=False)),
        ("other", "triage", PullAbilities(edit=False, merge=False)),
        ("other", "push", PullAbilities(edit=True, merge=True)),
        ("other", "admin", PullAbilities(edit=True, merge=True)),
        ("anonymous", "pull", PullAbilities(edit=False, merge=False)),
    ],
)
def test_abilities(alice, bob, pull, who, permission, expected):
    user = {"author": alice, "other": bob, "anonymous": AnonymousUser()}[who]

    assert pull_abilities(pull=pull, user=user, permission=permission) == expected


@pytest.fixture
def bobs_pull(alice, bob, public_repo):
    """bob, with read access, opened #1; charlie is a stranger to the repository."""
    set_collaborator(repository=public_repo, user=bob, permission="pull")
    return open_pull_request(
        repository=public_repo, author=bob, title="Bob's", head="feature", base="main"
    )


@pytest.mark.parametrize(
    ("username", "may_edit", "may_merge"),
    [("alice", True, True), ("bob", True, False), ("charlie", False, False)],
)
def test_the_page_offers_exactly_what_the_api_allows(
    request, bobs_pull, username, may_edit, may_merge
):
    user = request.getfixturevalue(username)
    box = merge_box(get_page(signed_in(user), "/alice/project/pull/1"))

    assert ("Close pull request" in box) == may_edit
    assert ('name="merge_method"' in box) == may_merge

    closed = send(
        token_client(user), "patch", "/api/repos/alice/project/pulls/1", {"state": "closed"}
    )
    assert closed.status_code == (200 if may_edit else 403)
    assert PullRequest.objects.get().state == ("closed" if may_edit else "open")
