"""One notion of "the same context" for status keys, the limit per context and required checks.

Contexts are stored stripped of surrounding whitespace, refused when they hold invisible format
characters (zero-width spaces, bidi controls) or controls, and compare by statuses.contexts's
key: NFKC and Unicode case folding, so "ci/Straße", "CI/STRASSE" and "ｃｉ/strasse" are one.
"""

import pytest

from protection.gate import check_status_checks
from protection.globs import glob_match
from protection.models import RequiredContext
from statuses.contexts import clean_context, context_key
from statuses.models import CommitStatus, LatestCommitStatus
from statuses.selectors import get_combined_status
from statuses.services import create_commit_status
from tests.helpers import assert_error, protect_main, protection_body, protection_url, send

SAME = ["ci/Straße", "CI/STRASSE", "ci/strasse", "ｃｉ/strasse", "  ci/straße\t"]


def post(client, sha, context, state="success"):
    return send(
        client,
        "post",
        f"/api/repos/alice/project/statuses/{sha}",
        {"state": state, "context": context},
    )


@pytest.mark.parametrize("context", SAME)
def test_spellings_of_one_context_share_a_key(context):
    assert context_key(context.strip()) == "ci/strasse"


def test_contexts_are_stored_stripped():
    assert clean_context("  ci/tests \u3000") == "ci/tests"


@pytest.mark.parametrize(
    "context",
    [
        "ci/tests\u200b",
        "\u200bci/tests",
        "ci/\u202etests",
        "ci/te\u2060sts",
        "\ufeffci/tests",
        "   ",
    ],
)
def test_invisible_or_empty_contexts_are_not_contexts(context):
    with pytest.raises(ValueError):
        clean_context(context)


def test_a_key_longer_than_the_column_is_too_long():
    with pytest.raises(ValueError, match="too long"):
        clean_context("ß" * 200)  # 200 characters, a 400-character key


def test_spellings_of_one_context_are_one_latest_status(owner, public_repo, sha):
    for context in ["ci/Straße", "CI/STRASSE ", "ｃｉ/strasse"]:
        assert post(owner, sha, context).status_code == 201

    combined = get_combined_status(repository=public_repo, sha=sha)

    assert [status.context for status in combined.statuses] == ["ｃｉ/strasse"]
    assert LatestCommitStatus.objects.get().total == 3
    assert set(CommitStatus.objects.values_list("context_key", flat=True)) == {"ci/strasse"}
    assert list(CommitStatus.objects.values_list("context", flat=True).order_by("id")) == [
        "ci/Straße",
        "CI/STRASSE",
        "ｃｉ/strasse",
    ]


@pytest.mark.parametrize("context", ["ci/tests\u200b", "ci/\u202etests", "ci/tests\u00ad"])
def test_a_context_with_invisible_characters_is_invalid(owner, sha, context):
    response = post(owner, sha, context)

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert [(error["field"], error["message"]) for error in errors] == [
        ("context", "context may not contain control or invisible characters")
    ]
    assert CommitStatus.objects.count() == 0
    assert LatestCommitStatus.objects.count() == 0


def test_the_limit_per_context_counts_every_spelling(owner, sha, monkeypatch):
    monkeypatch.setattr("statuses.services.MAX_STATUSES_PER_CONTEXT", 2)
    assert post(owner, sha, "ci/Straße").status_code == 201
    assert post(owner, sha, "CI/STRASSE").status_code == 201

    response = post(owner, sha, " ｃｉ/strasse ")

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert (
        errors[0]["message"] == "This SHA and context has reached the maximum number of statuses."
    )
    assert CommitStatus.objects.count() == 2


@pytest.mark.parametrize("reported", ["CI/STRASSE", "ｃｉ/strasse", "ci/strasse"])
def test_a_required_context_is_satisfied_by_any_spelling(public_repo, alice, sha, reported):
    protect_main(public_repo, "ci/Straße")
    post_as_service(public_repo, alice, sha, reported)

    decision = check_status_checks(repository=public_repo, base_branch="main", head_sha=sha)

    assert decision.passed, decision.blockers
    assert [check.state for check in decision.checks] == ["success"]


def test_a_required_pattern_matches_by_key(public_repo, alice, sha):
    protect_main(public_repo, "Build/**")
    post_as_service(public_repo, alice, sha, "ＢＵＩＬＤ/linux/x64")

    decision = check_status_checks(repository=public_repo, base_branch="main", head_sha=sha)

    assert decision.passed, decision.blockers
    assert glob_match("ci/Straße", "CI/STRASSE", ignore_case=True)  # the pages' matcher too


def test_a_look_alike_with_a_zero_width_space_cannot_be_reported(owner, public_repo, sha):
    protect_main(public_repo, "ci/tests")

    assert post(owner, sha, "ci/tests\u200b").status_code == 422

    decision = check_status_checks(repository=public_repo, base_branch="main", head_sha=sha)
    assert [check.state for check in decision.checks] == ["expected"]


def test_required_contexts_are_stored_stripped_and_once_per_key(owner, public_repo):
    contexts = ["ci/Straße", " CI/STRASSE ", "ｃｉ/strasse", "ci/lint "]
    response = send(owner, "put", protection_url(), protection_body(contexts))

    assert response.status_code == 200, response.content
    assert response.json()["required_status_checks"]["contexts"] == ["ｃｉ/strasse", "ci/lint"]
    assert list(RequiredContext.objects.values_list("context", flat=True)) == [
        "ｃｉ/strasse",
        "ci/lint",
    ]


def test_a_required_context_with_invisible_characters_is_invalid(owner, public_repo):
    response = send(owner, "put", protection_url(), protection_body(["ci/tests\u200b"]))

    body = assert_error(response, 422, "Validation Failed")
    assert body["errors"] == ["contexts: context may not contain control or invisible characters"]
    assert RequiredContext.objects.count() == 0


def test_removing_a_required_context_by_another_spelling(owner, public_repo):
    protect_main(public_repo, "ci/Straße", "ci/lint")

    response = send(
        owner, "delete", protection_url(suffix="/required_status_checks/contexts"), ["CI/STRASSE"]
    )

    assert response.status_code == 200, response.content
    assert response.json() == ["ci/lint"]
    assert list(RequiredContext.objects.values_list("context", flat=True)) == ["ci/lint"]


def post_as_service(repository, creator, sha, context):
    create_commit_status(
        repository=repository, sha=sha, state="success", context=context, creator=creator
    )
