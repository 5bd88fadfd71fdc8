"""Every URL a representation hands out answers: the crawl requests each non-template value of
a key ending in `url` or `href` found in the user, repository, pull request, branch, commit and
status representations, and only GitHub's own 404s may answer anything but success."""

import pytest

from gitforge.repositories.services import commit_files, create_repository, set_collaborator
from tests.helpers import bare_git, report, token_client

SERVER = "http://testserver/"
# Where GitHub itself answers 404 for a URL it hands out.
GITHUB_404S = {
    "subscription_url",  # 404 while the caller does not watch the repository
    "protection_url",  # "Branch not protected"
    "merges_url",  # only POST merges a branch; GET is GitHub's 404
}


def linked_urls(node, key=""):
    """(key, url) for every string value of a key ending in `url` or `href` under `node`."""
    if isinstance(node, dict):
        for name, value in node.items():
            if isinstance(value, str) and (name.endswith("url") or name.endswith("href")):
                yield name, value
            else:
                yield from linked_urls(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from linked_urls(value, key)


@pytest.fixture
def representations(alice, bob, public_repo, pull, sha, owner):
    report(public_repo, sha, "ci/build", creator=alice, target_url="https://ci.example.com/1")
    routes = [
        "/api/user",
        "/api/users/alice",
        "/api/users/bob",
        "/api/repos/alice/project",
        "/api/repos/alice/project/pulls/1",
        "/api/repos/alice/project/branches/main",
        f"/api/repos/alice/project/commits/{sha}",
        f"/api/repos/alice/project/commits/{sha}/statuses",
        f"/api/repos/alice/project/commits/{sha}/status",
    ]
    found: dict[str, str] = {}
    for route in routes:
        response = owner.get(route)
        assert response.status_code == 200, route
        for key, url in linked_urls(response.json()):
            if "{" not in url and url.startswith(SERVER):
                found.setdefault(url, key)
    return found


def test_every_handed_out_url_answers(representations, alice):
    client = token_client(alice)
    failures = []
    for url, key in sorted(representations.items()):
        response = client.get(url, follow=True)
        allowed = (200, 204) if key not in GITHUB_404S else (200, 204, 404)
        if response.status_code not in allowed:
            failures.append(f"{key} {url} -> {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_crawl_covers_the_collections(representations):
    """The crawl reaches the URLs this test exists for (a representation that stopped handing
    them out would otherwise pass unnoticed)."""
    keys = set(representations.values())
    for key in (
        "html_url",
        "clone_url",
        "blob_url",
        "raw_url",
        "tags_url",
        "languages_url",
        "followers_url",
        "repos_url",
        "stargazers_url",
        "subscription_url",
        "protection_url",
    ):
        assert key in keys, key


@pytest.mark.parametrize(
    "path",
    [
        "/api/repos/alice/secret/tags",
        "/api/repos/alice/secret/languages",
        "/api/repos/alice/secret/issues",
        "/api/repos/alice/secret/stargazers",
        "/api/repos/alice/secret/git/trees/main",
        "/alice/secret/blob/main/README.md",
        "/alice/secret/raw/main/README.md",
        "/alice/secret.git",
    ],
)
def test_private_repository_links_are_not_found_for_strangers(private_repo, charlie, path):
    assert token_client(charlie).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/repos/alice/project/tags",
        "/api/repos/alice/project/collaborators",
        "/api/repos/alice/project/contributors?anon=1",
        "/api/users/alice/repos",
    ],
)
def test_list_routes_link_their_pages(public_repo, alice, bob, owner, path):
    """Each list holds two items at least here; one per page links the next and last."""
    bare_git(public_repo, "tag", "v1", "main")
    bare_git(public_repo, "tag", "v2", "main")
    set_collaborator(repository=public_repo, user=bob, permission="push")
    commit_files(repository=public_repo, branch="main", files={"b": b"b"}, message="b", author=bob)
    create_repository(owner=alice, name="second")
    response = owner.get(path + ("&" if "?" in path else "?") + "per_page=1")
    assert response.status_code == 200
    assert len(response.json()) == 1
    assert 'rel="next"' in response["Link"] and 'rel="last"' in response["Link"]
