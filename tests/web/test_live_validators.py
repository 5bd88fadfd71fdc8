"""The live part of a pull request page answers a refresh that presents its ETag with a 304
(no body, one query beyond finding the repository) until something it shows changes."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.repositories.services import commit_files, remove_collaborator, set_collaborator
from protection.selectors import rule_for_branch
from protection.services import add_contexts
from pulls.services import open_pull_request, update_pull_request
from tests.helpers import get_page, head_of, protect_main, report, signed_in

PAGE = "/alice/project/pull/1"
LIVE = f"{PAGE}/live"


def refresh(client, etag=None):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(LIVE, **headers)


def etag_of(client):
    response = refresh(client)
    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    return response["ETag"]


def test_unchanged_part_answers_304_without_a_body(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    etag = etag_of(alice_client)

    response = refresh(alice_client, etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "no-store"


def test_page_carries_the_etag_the_first_refresh_presents(alice, public_repo, pull, alice_client):
    page = get_page(alice_client, PAGE)
    etag = refresh(alice_client)["ETag"]

    assert f'data-etag="W/&quot;{etag[3:-1]}&quot;"' in page
    assert refresh(alice_client, etag).status_code == 304


def refresh_url(client):
    """The refresh URL the page hands its script, with the signed token."""
    match = re.search(r'data-refresh-url="([^"]+)"', get_page(client, PAGE))
    return html.unescape(match.group(1))


def test_refresh_with_the_pages_token_costs_one_query(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", "ci/lint")
    report(public_repo, head_of(public_repo), "ci/tests", "pending", creator=alice)
    url = refresh_url(alice_client)
    assert url.startswith(LIVE + "/")
    etag = alice_client.get(url)["ETag"]

    with CaptureQueriesContext(connection) as captured:
        response = alice_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert len(captured.captured_queries) == 1, [q["sql"] for q in captured.captured_queries]


def test_a_tampered_token_takes_the_full_path(alice, public_repo, pull, alice_client, charlie):
    url = refresh_url(alice_client)
    etag = alice_client.get(url)["ETag"]

    response = signed_in(charlie).get(url[:-2] + "xx", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_losing_access_ends_the_304s(alice, bob, private_repo, charlie):
    open_pull_request(
        repository=private_repo, author=alice, title="Private", head="feature", base="main"
    )
    bob_client = signed_in(bob)
    page = get_page(bob_client, "/alice/secret/pull/1")
    url = html.unescape(re.search(r'data-refresh-url="([^"]+)"', page).group(1))
    etag = bob_client.get(url)["ETag"]
    assert bob_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    remove_collaborator(repository=private_repo, user_id=bob.pk)

    assert bob_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_304_costs_one_query_beyond_finding_the_repository(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests", "ci/lint")
    report(public_repo, head_of(public_repo), "ci/tests", "pending", creator=alice)
    etag = etag_of(alice_client)
    refresh(alice_client, etag)  # warm up the session

    with CaptureQueriesContext(connection) as full:
        assert refresh(alice_client).status_code == 200
    with CaptureQueriesContext(connection) as conditional:
        assert refresh(alice_client, etag).status_code == 304

    page_queries = [q["sql"] for q in conditional.captured_queries]
    assert len(page_queries) < len(full.captured_queries)
    version_queries = [sql for sql in page_queries if "pulls_pullrequest" in sql]
    assert len(version_queries) == 1, page_queries


def test_a_new_status_changes_the_etag(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    etag = etag_of(alice_client)

    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)
    response = refresh(alice_client, etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "All checks have passed" in response.content.decode()
    assert refresh(alice_client, response["ETag"]).status_code == 304


def test_a_repeated_state_still_changes_the_etag(alice, public_repo, pull, alice_client):
    report(public_repo, head_of(public_repo), "ci/tests", "pending", creator=alice)
    etag = etag_of(alice_client)

    report(public_repo, head_of(public_repo), "ci/tests", "pending", creator=alice, description="2")

    assert refresh(alice_client, etag).status_code == 200


def test_protection_changes_change_the_etag(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    etag = etag_of(alice_client)

    add_contexts(rule=rule_for_branch(repository=public_repo, branch="main"), contexts=["ci/new"])
    response = refresh(alice_client, etag)

    assert response.status_code == 200
    assert "ci/new" in response.content.decode()


def test_a_push_to_the_head_changes_the_etag(alice, public_repo, pull, alice_client):
    etag = etag_of(alice_client)

    commit_files(
        repository=public_repo,
        branch="feature",
        files={"more.txt": b"more\n"},
        message="More",
        author=alice,
    )

    assert refresh(alice_client, etag).status_code == 200


def test_closing_changes_the_etag(alice, public_repo, pull, alice_client):
    etag = etag_of(alice_client)

    update_pull_request(pull=pull, user=alice, permission="admin", state="closed")

    assert refresh(alice_client, etag).status_code == 200


def test_the_etag_differs_per_viewer_and_permission(alice, bob, public_repo, pull, alice_client):
    bob_client = signed_in(bob)
    alice_etag = etag_of(alice_client)
    bob_etag = etag_of(bob_client)

    assert alice_etag != bob_etag
    assert refresh(bob_client, alice_etag).status_code == 200

    set_collaborator(repository=public_repo, user=bob, permission="push")
    assert refresh(bob_client, bob_etag).status_code == 200


def test_private_repository_stays_404_with_any_etag(alice, charlie, private_repo):
    response = signed_in(charlie).get("/alice/secret/pull/1/live", HTTP_IF_NONE_MATCH='W/"x"')

    assert response.status_code == 404
