"""A user's page (`/{username}`, the user representation's `html_url`) lists the repositories
the viewer may see."""

from tests.helpers import get_page, signed_in


def test_lists_public_repositories_to_everyone(public_repo, private_repo, anonymous, charlie):
    for client in (anonymous, signed_in(charlie)):
        page = get_page(client, "/alice")
        assert 'href="/alice/project"' in page
        assert "/alice/secret" not in page


def test_collaborators_and_the_owner_see_private_ones(public_repo, private_repo, alice, bob):
    for user in (alice, bob):
        page = get_page(signed_in(user), "/alice")
        assert 'href="/alice/secret"' in page
        assert "Private" in page


def test_user_without_repositories(bob, anonymous):
    assert "bob has no repositories you can see" in get_page(anonymous, "/bob")


def test_unknown_user_is_not_found(db, anonymous):
    assert anonymous.get("/nobody").status_code == 404
