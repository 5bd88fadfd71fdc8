from tests.helpers import token_client
from tests.openapi import assert_matches_spec


def test_get_repository_matches_spec_and_names_are_case_insensitive(public_repo, alice):
    response = token_client(alice).get("/api/repos/ALICE/Project")
    assert_matches_spec(response, "get", "/repos/{owner}/{repo}", 200)
    body = response.json()
    assert body["full_name"] == "alice/project"
    assert body["permissions"]["admin"] is True
    assert body["url"] == "http://testserver/api/repos/alice/project"


def test_v3_prefix_keeps_v3_urls(public_repo, anonymous):
    response = anonymous.get("/api/v3/repos/alice/project")
    assert response.status_code == 200
    assert response.json()["url"] == "http://testserver/api/v3/repos/alice/project"
    assert "permissions" not in response.json()
