"""The commit page: message, author, parents, the commit's checks and its diff."""

from gitforge.repositories.git import GitRepository
from tests.helpers import check_rows, head_of, report, signed_in, text_of


def test_shows_message_sha_parent_and_diff(alice, public_repo, anonymous):
    sha = head_of(public_repo)
    parent = GitRepository(public_repo.id).branch_sha("main")

    response = anonymous.get(f"/alice/project/commit/{sha}")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<h2 class="commit-message">Change app' in page
    assert f"<code>{sha}</code>" in page
    assert "alice committed 0 minutes ago" in text_of(page)
    assert f'<a href="/alice/project/commit/{parent}"><code>{parent[:7]}</code></a>' in page
    assert "<code>src/app.py</code>" in page
    assert '<span class="del">-print(1)</span><span class="add">+print(2)</span>' in page


def test_shows_the_checks_of_the_commit(alice, public_repo, anonymous):
    sha = head_of(public_repo)
    report(
        public_repo,
        sha,
        "ci/tests",
        "success",
        creator=alice,
        description="All good",
        target_url="http://ci.example.com/1",
    )
    report(public_repo, sha, "ci/lint", "pending", creator=alice)

    page = anonymous.get(f"/alice/project/commit/{sha}").content.decode()

    rows = check_rows(page)
    assert list(rows) == ["ci/lint", "ci/tests"]
    assert text_of(rows["ci/tests"][1]).startswith("✓ Success ci/tests — All good")
    assert 'href="http://ci.example.com/1"' in rows["ci/tests"][1]
    assert "by alice" in text_of(rows["ci/tests"][1])
    assert "1 pending and 1 successful checks" in text_of(page)


def test_a_commit_without_statuses(public_repo, anonymous):
    page = anonymous.get(f"/alice/project/commit/{head_of(public_repo)}").content.decode()

    assert "No status has been reported for this commit." in page
    assert "No checks have been reported" in page


def test_branch_names_and_short_shas_resolve(public_repo, anonymous):
    sha = head_of(public_repo)

    assert f"<code>{sha}</code>" in anonymous.get("/alice/project/commit/feature").content.decode()
    assert (
        f"<code>{sha}</code>" in anonymous.get(f"/alice/project/commit/{sha[:7]}").content.decode()
    )


def test_root_commit_shows_added_files(public_repo, anonymous):
    git = GitRepository(public_repo.id)
    root = git.log(git.branch_sha("main"), 20)[-1].sha

    page = anonymous.get(f"/alice/project/commit/{root}").content.decode()

    assert "Parents:" not in page
    assert "<code>README.md</code>" in page
    assert "added" in page


def test_unknown_commit_is_404(public_repo, anonymous):
    assert anonymous.get("/alice/project/commit/" + "0" * 40).status_code == 404
    assert anonymous.get("/alice/project/commit/nope").status_code == 404


def test_private_commit_is_404_to_strangers(private_repo, alice, bob, charlie, anonymous):
    path = f"/alice/secret/commit/{head_of(private_repo)}"

    assert anonymous.get(path).status_code == 404
    assert signed_in(charlie).get(path).status_code == 404
    assert signed_in(bob).get(path).status_code == 200
