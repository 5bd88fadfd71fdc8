"""GitHub pagination: `page`, `per_page` (default 30, at most 100) and an RFC 8288 Link header."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from gitforge.accounts.models import User
from gitforge.api.pagination import GitHubPagination
from gitforge.repositories.services import create_branch
from tests.openapi import assert_matches_spec

BRANCHES = "/repos/{owner}/{repo}/branches"
LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


@pytest.fixture
def seven_branches(public_repo):
    """feature, main and b1..b5: seven branches, sorted b1..b5, feature, main."""
    for number in range(1, 6):
        create_branch(repository=public_repo, branch=f"b{number}", from_ref="main")
    return public_repo


def links(response):
    """The Link header as {rel: url}; {} when absent."""
    header = response.headers.get("Link", "")
    parsed = {rel: url for url, rel in LINK.findall(header)}
    assert len(parsed) == header.count("rel="), header
    return parsed


def page_of(url):
    query = parse_qs(urlsplit(url).query)
    return int(query["page"][0]), query


def names(response):
    return [branch["name"] for branch in response.json()]


def test_first_page_links_to_next_and_last(seven_branches, anonymous):
    response = anonymous.get("/api/repos/alice/project/branches?per_page=3")
    assert_matches_spec(response, "get", BRANCHES, 200)
    assert names(response) == ["b1", "b2", "b3"]
    found = links(response)
    assert set(found) == {"next", "last"}
    for rel, number in (("next", 2), ("last", 3)):
        url = found[rel]
        assert url.startswith("http://testserver/api/repos/alice/project/branches?")
        page, query = page_of(url)
        assert page == number
        assert query["per_page"] == ["3"]


def test_middle_page_links_everywhere(seven_branches, anonymous):
    response = anonymous.get("/api/repos/alice/project/branches?per_page=3&page=2")
    assert_matches_spec(response, "get", BRANCHES, 200)
    assert names(response) == ["b4", "b5", "feature"]
    found = links(response)
    assert {rel: page_of(url)[0] for rel, url in found.items()} == {
        "next": 3,
        "last": 3,
        "first": 1,
        "prev": 1,
    }
    assert all(page_of(url)[1]["per_page"] == ["3"] for url in found.values())


def test_last_page_links_back_only(seven_branches, anonymous):
    response = anonymous.get("/api/repos/alice/project/branches?page=3&per_page=3")
    assert_matches_spec(response, "get", BRANCHES, 200)
    assert names(response) == ["main"]
    found = links(response)
    assert {rel: page_of(url)[0] for rel, url in found.items()} == {"first": 1, "prev": 2}


def test_links_keep_the_v3_prefix_and_other_parameters(seven_branches, anonymous):
    response = anonymous.get("/api/v3/repos/alice/project/branches?per_page=3&protected=false")
    assert_matches_spec(response, "get", BRANCHES, 200)
    found = links(response)
    assert set(found) == {"next", "last"}
    for url in found.values():
        assert url.startswith("http://testserver/api/v3/repos/alice/project/branches?")
        _, query = page_of(url)
        assert query["per_page"] == ["3"]
        assert query["protected"] == ["false"]


def test_a_single_page_has_no_link_header(seven_branches, anonymous):
    response = anonymous.get("/api/repos/alice/project/branches")
    assert_matches_spec(response, "get", BRANCHES, 200)
    assert len(response.json()) == 7
    assert "Link" not in response.headers


@pytest.mark.parametrize(
    "query",
    [
        "page=abc&per_page=xyz",
        "page=0&per_page=0",
        "page=-2&per_page=-5",
        "page=&per_page=",
        "page=1.5",
    ],
)
def test_garbage_parameters_fall_back_to_defaults(seven_branches, anonymous, query):
    response = anonymous.get(f"/api/repos/alice/project/branches?{query}")
    assert_matches_spec(response, "get", BRANCHES, 200)
    assert names(response) == ["b1", "b2", "b3", "b4", "b5", "feature", "main"]
    assert "Link" not in response.headers


def test_garbage_page_with_a_valid_per_page_is_page_one(seven_branches, anonymous):
    response = anonymous.get("/api/repos/alice/project/branches?page=last&per_page=3")
    assert names(response) == ["b1", "b2", "b3"]
    assert set(links(response)) == {"next", "last"}


def test_page_beyond_the_end_is_empty(seven_branches, anonymous):
    response = anonymous.get("/api/repos/alice/project/branches?per_page=3&page=9")
    assert_matches_spec(response, "get", BRANCHES, 200)
    assert response.json() == []
    found = links(response)
    assert "next" not in found
    assert page_of(found["first"])[0] == 1


def test_per_page_is_capped_at_100(public_repo, anonymous):
    for number in range(101):
        create_branch(repository=public_repo, branch=f"b{number:03}", from_ref="main")
    response = anonymous.get("/api/repos/alice/project/branches?per_page=250")
    assert_matches_spec(response, "get", BRANCHES, 200)
    assert len(response.json()) == 100
    assert {rel: page_of(url)[0] for rel, url in links(response).items()} == {
        "next": 2,
        "last": 2,
    }
    rest = anonymous.get("/api/repos/alice/project/branches?per_page=250&page=2")
    assert names(rest) == ["b100", "feature", "main"]

    default = anonymous.get("/api/repos/alice/project/branches")
    assert len(default.json()) == 30
    assert page_of(links(default)["last"])[0] == 4


# The paginator on its own, with a list and with a queryset


def paginate(items, query=""):
    request = Request(APIRequestFactory().get(f"/api/v3/things?{query}"))
    paginator = GitHubPagination()
    page = paginator.paginate_queryset(items, request)
    return page, paginator.get_paginated_response(page)


def test_paginator_defaults_to_30_per_page():
    page, response = paginate(list(range(45)))
    assert page == list(range(30))
    found = links(response)
    assert {rel: page_of(url)[0] for rel, url in found.items()} == {"next": 2, "last": 2}
    assert found["next"] == "http://testserver/api/v3/things?page=2"


def test_paginator_caps_per_page():
    page, response = paginate(list(range(250)), "per_page=1000&page=3")
    assert page == list(range(200, 250))
    assert {rel: page_of(url)[0] for rel, url in links(response).items()} == {
        "first": 1,
        "prev": 2,
    }


def test_paginator_with_an_empty_list_has_no_links():
    page, response = paginate([])
    assert page == []
    assert "Link" not in response.headers


def test_paginator_with_a_queryset(db, django_assert_num_queries):
    for number in range(5):
        User.objects.create(username=f"user{number}")
    users = User.objects.order_by("username")
    with django_assert_num_queries(2):  # one COUNT, one page
        page, response = paginate(users, "per_page=2&page=2")
    assert [user.username for user in page] == ["user2", "user3"]
    assert {rel: page_of(url)[0] for rel, url in links(response).items()} == {
        "next": 3,
        "last": 3,
        "first": 1,
        "prev": 1,
    }
