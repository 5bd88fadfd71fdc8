"""Status badges: `/{owner}/{repo}/badges/{branch}.svg` draws the combined state of the branch
head (passing, failing, pending, unknown), optionally of the contexts matching `?context=`."""

import re

import pytest

from gitforge.repositories.services import commit_files, create_branch, create_repository
from tests.helpers import get_page, head_of, report, signed_in

BADGE = "/alice/project/badges/main.svg"


def badge_text(response):
    """The words an SVG badge shows: its label and its state."""
    assert response.status_code == 200, response.status_code
    svg = response.content.decode()
    assert svg.startswith("<svg")
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    return list(dict.fromkeys(texts))  # pybadges draws each text twice (shadow and face)


@pytest.mark.parametrize(
    ("states", "shown"),
    [
        (["success", "success"], "passing"),
        (["success", "failure"], "failing"),
        (["success", "error"], "failing"),
        (["success", "pending"], "pending"),
        ([], "unknown"),
    ],
)
def test_badge_shows_the_combined_state_of_the_branch_head(
    alice, public_repo, anonymous, states, shown
):
    for index, state in enumerate(states):
        report(public_repo, head_of(public_repo, "main"), f"ci/{index}", state, creator=alice)

    response = anonymous.get(BADGE)

    assert badge_text(response) == ["status", shown]
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "public, max-age=60"
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])


def test_colours_differ_by_state(alice, public_repo, anonymous):
    unknown = anonymous.get(BADGE).content
    report(public_repo, head_of(public_repo, "main"), "ci", "success", creator=alice)
    passing = anonymous.get(BADGE).content

    assert b"#9f9f9f" in unknown and b"#2da44e" in passing


def test_an_unknown_branch_is_unknown(public_repo, anonymous):
    assert badge_text(anonymous.get("/alice/project/badges/nothing.svg")) == ["status", "unknown"]


def test_branch_names_may_contain_slashes_and_dots(alice, public_repo, anonymous):
    create_branch(repository=public_repo, branch="release/v1.2", from_ref="main")
    sha = commit_files(
        repository=public_repo,
        branch="release/v1.2",
        files={"VERSION": b"1.2\n"},
        message="1.2",
        author=alice,
    )
    report(public_repo, sha, "ci", "failure", creator=alice)

    response = anonymous.get("/alice/project/badges/release/v1.2.svg")

    assert badge_text(response) == ["status", "failing"]
    assert badge_text(anonymous.get(BADGE)) == ["status", "unknown"]


def test_the_badge_follows_the_branch_head(alice, public_repo, anonymous):
    report(public_repo, head_of(public_repo), "ci", "failure", creator=alice)
    assert badge_text(anonymous.get("/alice/project/badges/feature.svg"))[1] == "failing"

    newer = commit_files(
        repository=public_repo, branch="feature", files={"f": b"x"}, message="Fix", author=alice
    )
    report(public_repo, newer, "ci", "success", creator=alice)

    assert badge_text(anonymous.get("/alice/project/badges/feature.svg"))[1] == "passing"


# ?context= ---------------------------------------------------------------------------------------


@pytest.fixture
def mixed(alice, public_repo):
    """main's head: ci/build success, ci/lint failure, deploy/staging pending."""
    sha = head_of(public_repo, "main")
    report(public_repo, sha, "ci/build", "success", creator=alice)
    report(public_repo, sha, "ci/lint", "failure", creator=alice)
    report(public_repo, sha, "deploy/staging", "pending", creator=alice)


@pytest.mark.parametrize(
    ("context", "shown"),
    [
        ("ci/build", "passing"),
        ("CI/Build", "passing"),  # contexts compare case-insensitively
        ("ci/lint", "failing"),
        ("ci/*", "failing"),
        ("deploy/*", "pending"),
        ("*/b*", "passing"),
        ("ci/nothing", "unknown"),
        ("", "failing"),  # no filter: every context
    ],
)
def test_context_filter_picks_one_context_or_a_pattern(mixed, anonymous, context, shown):
    response = anonymous.get(BADGE, {"context": context})

    assert badge_text(response) == [context or "status", shown]


def test_a_malformed_context_pattern_is_400(mixed, anonymous):
    response = anonymous.get(BADGE, {"context": "ci/[build"})

    assert response.status_code == 400
    assert response.content.decode().startswith("Invalid context pattern: unclosed character class")


def test_labels_are_escaped_in_the_svg(mixed, anonymous):
    svg = anonymous.get(BADGE, {"context": "<ci>&*"}).content.decode()

    assert "<ci>" not in svg
    assert "&lt;ci&gt;&amp;*" in svg


# Caching -----------------------------------------------------------------------------------------


def test_a_matching_etag_answers_304_until_the_state_changes(alice, public_repo, anonymous):
    report(public_repo, head_of(public_repo, "main"), "ci", "pending", creator=alice)
    first = anonymous.get(BADGE)

    again = anonymous.get(BADGE, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=60"

    report(public_repo, head_of(public_repo, "main"), "ci", "success", creator=alice)
    changed = anonymous.get(BADGE, HTTP_IF_NONE_MATCH=first["ETag"])

    assert badge_text(changed) == ["status", "passing"]
    assert changed["ETag"] != first["ETag"]


def test_a_context_filter_has_its_own_etag(mixed, anonymous):
    assert anonymous.get(BADGE)["ETag"] != anonymous.get(BADGE, {"context": "ci/lint"})["ETag"]


def test_only_get_and_head(public_repo, anonymous):
    assert anonymous.head(BADGE).status_code == 200
    assert anonymous.post(BADGE).status_code == 405


# Privacy -----------------------------------------------------------------------------------------


def test_a_private_badge_is_404_to_anyone_without_access(alice, private_repo, anonymous, charlie):
    report(private_repo, head_of(private_repo, "main"), "ci", "success", creator=alice)
    path = "/alice/secret/badges/main.svg"

    assert anonymous.get(path).status_code == 404
    assert signed_in(charlie).get(path).status_code == 404
    assert anonymous.get("/alice/secret/badges/nothing.svg").status_code == 404


def test_a_private_badge_shows_to_collaborators_and_is_cached_privately(alice, bob, private_repo):
    report(private_repo, head_of(private_repo, "main"), "ci", "success", creator=alice)

    response = signed_in(bob).get("/alice/secret/badges/main.svg")

    assert badge_text(response) == ["status", "passing"]
    assert response["Cache-Control"] == "private, max-age=60"


def test_unknown_repository_is_404(alice, anonymous):
    assert anonymous.get("/alice/nothing/badges/main.svg").status_code == 404


# The repository page shows how to embed it --------------------------------------------------------


def test_repository_page_shows_the_badge_and_its_markdown(public_repo, anonymous):
    page = get_page(anonymous, "/alice/project")

    markdown = (
        "[![status](http://testserver/alice/project/badges/main.svg)]"
        "(http://testserver/alice/project)"
    )
    assert f'<input type="text" id="badge-markdown" readonly value="{markdown}">' in page
    assert '<img src="http://testserver/alice/project/badges/main.svg"' in page


def test_the_badge_markdown_is_escaped(alice, anonymous):
    repository = create_repository(owner=alice, name="odd", auto_init=True)
    repository.default_branch = 'a&b"<c>'
    repository.save()
    create_branch(repository=repository, branch='a&b"<c>', from_ref="main")

    page = get_page(anonymous, "/alice/odd")

    assert "/alice/odd/badges/a%26b%22%3Cc%3E.svg" in page
    assert "<c>" not in page
    assert badge_text(anonymous.get("/alice/odd/badges/a%26b%22%3Cc%3E.svg"))[1] == "unknown"


def test_an_empty_repository_offers_no_badge(alice, anonymous):
    create_repository(owner=alice, name="empty")

    assert 'id="badge-markdown"' not in get_page(anonymous, "/alice/empty")
