"""The branch page `/{owner}/{repo}/tree/{branch}`: where the branch API's `_links.html` points;
it shows the branch's head commit and the files at the top of its tree."""

import html

from gitforge.repositories.services import create_branch
from tests.helpers import head_of, report, signed_in, token_client


def test_the_branch_apis_html_link_answers_with_the_branch_page(owner, public_repo, alice):
    report(public_repo, head_of(public_repo), "ci/tests", creator=alice)
    link = owner.get("/api/repos/alice/project/branches/feature").json()["_links"]["html"]
    assert link == "http://testserver/alice/project/tree/feature"

    response = signed_in(alice).get(link.removeprefix("http://testserver"))

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "feature" in page
    assert head_of(public_repo)[:7] in page
    assert "Change app" in page
    assert "1/1 successful" in page
    assert page.index("<code>src/</code>") < page.index("<code>README.md</code>")


def test_a_branch_with_slashes(anonymous, public_repo):
    create_branch(repository=public_repo, branch="release/1.0", from_ref="main")

    response = anonymous.get("/alice/project/tree/release/1.0")

    assert response.status_code == 200
    assert head_of(public_repo, "main")[:7] in response.content.decode()


def test_unknown_branch_is_not_found(anonymous, public_repo):
    assert anonymous.get("/alice/project/tree/nope").status_code == 404


def test_private_branch_page_is_for_those_who_may_read(private_repo, bob, charlie, anonymous):
    assert anonymous.get("/alice/secret/tree/main").status_code == 404
    assert signed_in(charlie).get("/alice/secret/tree/main").status_code == 404
    assert token_client(charlie).get("/alice/secret/tree/main").status_code == 404
    assert signed_in(bob).get("/alice/secret/tree/main").status_code == 200


def test_a_folders_html_url_from_the_contents_api_answers(owner, anonymous, public_repo):
    listing = owner.get("/api/repos/alice/project/contents/", {"ref": "feature"}).json()
    src = next(entry for entry in listing if entry["name"] == "src")

    response = anonymous.get(src["html_url"].removeprefix("http://testserver"))

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "<code>app.py</code>" in page
    assert "<code>README.md</code>" not in page
    assert anonymous.get("/alice/project/tree/feature/no-such-folder").status_code == 404
    assert anonymous.get("/alice/project/tree/feature/README.md").status_code == 404
