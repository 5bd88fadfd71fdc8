"""Check runs and check suites of a ref: empty collections in GitHub's shape (hub ci-status)."""

import pytest

from tests.openapi import assert_matches_spec

ROUTES = [("check-runs", "check_runs"), ("check-suites", "check_suites")]


@pytest.mark.parametrize(("suffix", "key"), ROUTES)
@pytest.mark.parametrize("ref", ["main", "feature", "sha"])
def test_a_ref_has_no_check_runs_or_suites(anonymous, public_repo, sha, suffix, key, ref):
    ref = sha if ref == "sha" else ref
    path = f"/api/repos/alice/project/commits/{ref}/{suffix}"

    response = anonymous.get(path)

    assert_matches_spec(response, "get", f"/repos/{{owner}}/{{repo}}/commits/{{ref}}/{suffix}", 200)
    assert response.json() == {"total_count": 0, key: []}


@pytest.mark.parametrize(("suffix", "key"), ROUTES)
def test_an_unknown_ref_or_a_private_repository_is_404(anonymous, private_repo, suffix, key):
    assert anonymous.get(f"/api/repos/alice/project/commits/nope/{suffix}").status_code == 404
    assert anonymous.get(f"/api/repos/alice/secret/commits/main/{suffix}").status_code == 404
