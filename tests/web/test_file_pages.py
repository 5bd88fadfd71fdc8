"""A file's page (`blob_url`), its raw bytes (`raw_url`) and a browser opening a clone URL."""

from gitforge.repositories.services import commit_files
from tests.helpers import get_page, signed_in


def test_file_page_shows_the_file_escaped_with_a_raw_link(public_repo, alice, anonymous, sha):
    commit_files(
        repository=public_repo,
        branch="main",
        files={"page.html": b"<script>alert(1)</script>\n"},
        message="html",
        author=alice,
    )
    page = get_page(anonymous, "/alice/project/blob/main/page.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert 'href="/alice/project/raw/main/page.html"' in page
    assert "print(1)" in get_page(anonymous, f"/alice/project/blob/{sha}/src/app.py")


def test_raw_text_is_plain_text_never_html(public_repo, alice, anonymous):
    commit_files(
        repository=public_repo,
        branch="main",
        files={"page.html": b"<h1>hi</h1>\n"},
        message="html",
        author=alice,
    )
    response = anonymous.get("/alice/project/raw/main/page.html")
    assert response.status_code == 200
    assert response.content == b"<h1>hi</h1>\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_raw_binary_is_octet_stream(public_repo, alice, anonymous):
    commit_files(
        repository=public_repo,
        branch="main",
        files={"logo.png": b"\x89PNG\r\n\x1a\n\x00\x00"},
        message="png",
        author=alice,
    )
    response = anonymous.get("/alice/project/raw/main/logo.png")
    assert response.content == b"\x89PNG\r\n\x1a\n\x00\x00"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Binary file not shown" in get_page(anonymous, "/alice/project/blob/main/logo.png")


def test_missing_files_and_folders_are_not_found(public_repo, anonymous):
    assert anonymous.get("/alice/project/blob/main/nope.txt").status_code == 404
    assert anonymous.get("/alice/project/raw/main/src").status_code == 404
    assert anonymous.get("/alice/project/raw/no-such-ref/README.md").status_code == 404


def test_private_files_are_hidden_from_strangers(private_repo, bob, charlie, anonymous):
    for client in (signed_in(charlie), anonymous):
        assert client.get("/alice/secret/blob/main/README.md").status_code == 404
        assert client.get("/alice/secret/raw/main/README.md").status_code == 404
    assert signed_in(bob).get("/alice/secret/raw/main/README.md").content == b"# hi\n"


def test_clone_url_redirects_a_browser_to_the_repository(public_repo, private_repo, anonymous):
    response = anonymous.get("/alice/project.git")
    assert response.status_code == 301
    assert response["Location"] == "/alice/project"
    assert anonymous.get("/alice/secret.git").status_code == 404


def test_smart_http_still_answers_under_the_clone_url(public_repo, anonymous):
    response = anonymous.get("/alice/project.git/info/refs?service=git-upload-pack")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-git-upload-pack-advertisement"
