"""GET /pulls/{n}/commits and /pulls/{n}/files: the routes behind `commits_url` and the
"Files changed" tab, in GitHub's shapes, paginated with Link headers."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitforge.repositories.services import commit_files
from pulls.services import open_pull_request
from tests.helpers import assert_error, bare_git, head_of, merge, send, token_client
from tests.openapi import assert_matches_spec

COMMITS = "/repos/{owner}/{repo}/pulls/{pull_number}/commits"
FILES = "/repos/{owner}/{repo}/pulls/{pull_number}/files"
API = "/api/repos/alice/project/pulls/1"


def links(response):
    """{rel: page number} of the Link header."""
    return {
        rel: int(page)
        for page, rel in re.findall(r'[?&]page=(\d+)[^>]*>; rel="(\w+)"', response["Link"])
    }


def work(repository, author, count):
    """`count` more commits on feature; returns their SHAs, oldest first."""
    return [
        commit_files(
            repository=repository,
            branch="feature",
            files={f"notes/{n}.txt": f"{n}\n".encode()},
            message=f"Note {n}\n\nWhy note {n}.",
            author=author,
        )
        for n in range(count)
    ]


def test_commits_are_listed_oldest_first_in_githubs_commit_shape(owner, public_repo, alice, pull):
    later = work(public_repo, alice, 2)

    response = send(owner, "get", f"{API}/commits")

    assert_matches_spec(response, "get", COMMITS, 200)
    commits = response.json()
    first = bare_git(public_repo, "rev-list", "--reverse", "main..feature").split()
    assert [commit["sha"] for commit in commits] == first == [first[0], *later]
    assert commits[0]["commit"]["message"] == "Change app"
    assert commits[1]["commit"]["message"] == "Note 0\n\nWhy note 0."
    assert commits[1]["author"]["login"] == "alice"
    assert commits[1]["parents"][0]["sha"] == first[0]
    assert commits[1]["url"] == f"http://testserver/api/repos/alice/project/commits/{later[0]}"
    assert "Link" not in response


def test_commits_are_paginated_with_link_headers(owner, public_repo, alice, pull):
    work(public_repo, alice, 4)
    shas = bare_git(public_repo, "rev-list", "--reverse", "main..feature").split()

    response = send(owner, "get", f"{API}/commits?per_page=2&page=2")

    assert_matches_spec(response, "get", COMMITS, 200)
    assert [commit["sha"] for commit in response.json()] == shas[2:4]
    assert links(response) == {"next": 3, "last": 3, "first": 1, "prev": 1}


def test_files_report_status_counts_patch_and_urls(owner, public_repo, alice, pull):
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"README.md": None, "docs/guide.md": b"read\nme\n"},
        message="Move docs",
        author=alice,
    )
    head = head_of(public_repo)

    response = send(owner, "get", f"{API}/files")

    assert_matches_spec(response, "get", FILES, 200)
    files = {entry["filename"]: entry for entry in response.json()}
    assert set(files) == {"README.md", "docs/guide.md", "src/app.py"}
    app = files["src/app.py"]
    assert (app["status"], app["additions"], app["deletions"], app["changes"]) == (
        "modified",
        1,
        1,
        2,
    )
    assert app["patch"].startswith("@@ -1 +1 @@\n-print(1)\n+print(2)")
    assert app["sha"] == bare_git(public_repo, "rev-parse", "feature:src/app.py")
    assert app["blob_url"] == f"http://testserver/alice/project/blob/{head}/src/app.py"
    assert app["raw_url"] == f"http://testserver/alice/project/raw/{head}/src/app.py"
    assert app["contents_url"] == (
        f"http://testserver/api/repos/alice/project/contents/src/app.py?ref={head}"
    )
    assert files["README.md"]["status"] == "removed"
    assert files["docs/guide.md"]["status"] == "added"
    assert files["docs/guide.md"]["additions"] == 2


def test_a_renamed_file_names_its_previous_name(owner, public_repo, alice, pull):
    commit_files(
        repository=public_repo,
        branch="feature",
        files={"README.md": None, "docs/README.md": b"# hi\n"},
        message="Move the readme",
        author=alice,
    )

    response = send(owner, "get", f"{API}/files")

    assert_matches_spec(response, "get", FILES, 200)
    renamed, modified = response.json()
    assert renamed["status"] == "renamed"
    assert renamed["filename"] == "docs/README.md"
    assert renamed["previous_filename"] == "README.md"
    assert (renamed["additions"], renamed["deletions"]) == (0, 0)
    assert modified["status"] == "modified"
    assert "previous_filename" not in modified


def test_files_are_paginated(owner, public_repo, alice, pull):
    work(public_repo, alice, 3)

    response = send(owner, "get", f"{API}/files?per_page=3")

    assert_matches_spec(response, "get", FILES, 200)
    assert [entry["filename"] for entry in response.json()] == [
        "notes/0.txt",
        "notes/1.txt",
        "notes/2.txt",
    ]
    assert links(response) == {"next": 2, "last": 2}
    last = send(owner, "get", f"{API}/files?per_page=3&page=2").json()
    assert [entry["filename"] for entry in last] == ["src/app.py"]


def test_a_merged_pull_lists_what_it_merged(owner, public_repo, alice, pull):
    feature = head_of(public_repo)
    assert merge(owner).status_code == 200

    commits = send(owner, "get", f"{API}/commits").json()
    files = send(owner, "get", f"{API}/files").json()

    assert [commit["sha"] for commit in commits] == [feature]
    assert [entry["filename"] for entry in files] == ["src/app.py"]


def test_unknown_pull_is_not_found(owner, pull):
    for route in ("commits", "files"):
        response = send(owner, "get", f"/api/repos/alice/project/pulls/9/{route}")
        assert_error(response, 404, "Not Found")


def test_private_pull_lists_are_invisible_to_strangers(private_repo, alice, bob, charlie):
    open_pull_request(
        repository=private_repo, author=alice, title="Secret", head="feature", base="main"
    )
    url = "/api/repos/alice/secret/pulls/1"
    for route in ("commits", "files"):
        assert_error(token_client(charlie).get(f"{url}/{route}"), 404, "Not Found")
        assert token_client(bob).get(f"{url}/{route}").status_code == 200


def test_query_count_does_not_grow_with_the_commits(owner, public_repo, alice, pull):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert send(owner, "get", f"{API}/commits").status_code == 200
        return len(captured)

    queries()  # the first use of a token also records when it was used
    few = queries()
    work(public_repo, alice, 5)
    assert queries() == few
