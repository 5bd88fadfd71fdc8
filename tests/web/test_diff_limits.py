"""Diffs on pages are capped: 2,000 lines (200,000 characters) per file and 20,000 lines
(2,000,000 characters) per page. A file past them keeps its name and counts and says so."""

from gitforge.repositories.services import commit_files
from pulls.services import open_pull_request
from tests.helpers import get_page, text_of

TOO_LARGE = "Diff too large to show"


def lines(count, word="line"):
    return "".join(f"{word} {n}\n" for n in range(count)).encode()


def commit(repository, author, files, branch="main"):
    return commit_files(
        repository=repository, branch=branch, files=files, message="Big change", author=author
    )


def file_block(page, filename):
    """The <details> of one changed file."""
    start = page.index(f"<summary><code>{filename}</code>")
    return page[start : page.index("</details>", start)]


def test_a_file_over_2000_lines_lists_name_and_counts_but_no_lines(alice, public_repo, anonymous):
    sha = commit(public_repo, alice, {"big.txt": lines(2001), "small.txt": b"small\n"})

    page = get_page(anonymous, f"/alice/project/commit/{sha}")

    big = file_block(page, "big.txt")
    assert f"{TOO_LARGE} (2,002 lines)." in text_of(big)
    assert "+2001" in text_of(big)
    assert "line 2000" not in page
    assert '<span class="add">+small</span>' in file_block(page, "small.txt")


def test_a_diff_of_2000_lines_is_shown(alice, public_repo, anonymous):
    sha = commit(public_repo, alice, {"big.txt": lines(1999)})

    page = get_page(anonymous, f"/alice/project/commit/{sha}")

    assert TOO_LARGE not in page
    assert '<span class="add">+line 1998</span>' in page


def test_a_file_with_huge_lines_is_not_shown(alice, public_repo, anonymous):
    sha = commit(public_repo, alice, {"minified.js": b"x" * 300_000 + b"\n"})

    page = get_page(anonymous, f"/alice/project/commit/{sha}")

    assert f"{TOO_LARGE} (300,0" in text_of(file_block(page, "minified.js"))
    assert "x" * 1000 not in page


def test_past_20000_lines_on_a_page_further_files_are_not_shown(alice, public_repo, anonymous):
    # Each diff is 1,901 lines (a hunk header and 1,900 added lines): ten fit in 20,000.
    files = {f"part{n:02}.txt": lines(1900, f"part{n:02}") for n in range(12)}
    sha = commit(public_repo, alice, files)

    page = get_page(anonymous, f"/alice/project/commit/{sha}")

    for n in range(10):
        assert f"+part{n:02} 1899" in file_block(page, f"part{n:02}.txt")
    for n in (10, 11):
        block = text_of(file_block(page, f"part{n}.txt"))
        assert f"{TOO_LARGE} (this page shows no more diff lines)." in block
        assert "+1900" in block
        assert f"part{n} 0" not in block


def test_the_pull_request_files_are_capped_too(alice, public_repo, alice_client):
    commit(public_repo, alice, {"big.txt": lines(5000), "notes.md": b"notes\n"}, branch="feature")
    open_pull_request(
        repository=public_repo, author=alice, title="Big", head="feature", base="main"
    )

    page = get_page(alice_client, "/alice/project/pull/1")

    assert "Files changed (3)" in text_of(page)
    assert f"{TOO_LARGE} (5,001 lines)." in text_of(file_block(page, "big.txt"))
    assert "line 4999" not in page
    assert '<span class="add">+notes</span>' in file_block(page, "notes.md")
    assert '<span class="add">+print(2)</span>' in file_block(page, "src/app.py")
