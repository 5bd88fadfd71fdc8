"""What a branch or context glob means, and which rule applies when several match a branch."""

import pytest

from protection.globs import glob_match, is_pattern, validate_pattern
from protection.selectors import rule_for_branch
from protection.services import save_protection


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("main", "main", True),
        ("main", "main2", False),
        ("release/*", "release/1.0", True),
        ("release/*", "release/", True),
        ("release/*", "release/a/b", False),
        ("release/*", "release", False),
        ("*", "main", True),
        ("*", "feature/x", False),
        ("*-hotfix", "v1-hotfix", True),
        ("release/**", "release/1.0", True),
        ("release/**", "release/a/b", True),
        ("release/**", "release/a/b/c", True),
        ("release/**", "releases/a", False),
        ("**", "a/b/c", True),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("a/**/b", "a/x/c", False),
        ("**/fix", "team/fix", True),
        ("v?", "v1", True),
        ("v?", "v12", False),
        ("a?b", "a/b", False),
        ("v[123]", "v2", True),
        ("v[123]", "v4", False),
        ("v[0-9].x", "v7.x", True),
        ("v[!a]", "vb", True),
        ("v[!a]", "va", False),
        ("v1.0", "v1x0", False),  # "." is literal
        ("feat+ure", "feat+ure", True),
        ("(x)", "(x)", True),
    ],
)
def test_glob_match(pattern, text, matches):
    assert glob_match(pattern, text) is matches


def test_branches_match_case_sensitively():
    assert not glob_match("Main", "main")
    assert not glob_match("release/*", "Release/1.0")
    assert glob_match("release/*", "release/RC1")


@pytest.mark.parametrize(
    ("pattern", "context"),
    [("ci/tests", "CI/Tests"), ("CI/*", "ci/lint"), ("build/**", "BUILD/Linux/x64")],
)
def test_contexts_match_case_insensitively(pattern, context):
    assert glob_match(pattern, context, ignore_case=True)
    assert not glob_match(pattern, context)


def test_is_pattern():
    assert not is_pattern("release/1.0")
    assert all(is_pattern(p) for p in ("release/*", "v?", "v[12]", "a/**"))


@pytest.mark.parametrize(
    "pattern", ["main", "release/*", "build/**", "v[!a]", "ci/[abc]-?", "x" * 255]
)
def test_validate_pattern_accepts(pattern):
    validate_pattern(pattern)


@pytest.mark.parametrize("pattern", ["", "   ", "release/[", "ci/[abc", "x" * 256])
def test_validate_pattern_rejects(pattern):
    with pytest.raises(ValueError):
        validate_pattern(pattern)


def rule(repository, pattern):
    return save_protection(repository=repository, pattern=pattern, require_status_checks=True)


def test_exact_name_beats_patterns(public_repo):
    rule(public_repo, "*")
    rule(public_repo, "ma*")
    exact = rule(public_repo, "main")
    rule(public_repo, "**")

    assert rule_for_branch(repository=public_repo, branch="main") == exact


def test_more_literal_pattern_beats_a_looser_one(public_repo):
    anything = rule(public_repo, "**")
    releases = rule(public_repo, "release/*")

    assert rule_for_branch(repository=public_repo, branch="release/1.0") == releases
    assert rule_for_branch(repository=public_repo, branch="release/a/b") == anything
    assert rule_for_branch(repository=public_repo, branch="feature") == anything


def test_single_star_stays_in_one_segment_and_double_star_crosses(public_repo):
    single = rule(public_repo, "release/*")

    assert rule_for_branch(repository=public_repo, branch="release/1.0") == single
    assert rule_for_branch(repository=public_repo, branch="release/a/b") is None

    double = rule(public_repo, "release/**")
    assert rule_for_branch(repository=public_repo, branch="release/a/b") == double
    assert rule_for_branch(repository=public_repo, branch="release/1.0") in (single, double)


def test_no_rule_matches(public_repo):
    rule(public_repo, "release/*")

    assert rule_for_branch(repository=public_repo, branch="main") is None
    assert rule_for_branch(repository=public_repo, branch="Release/1.0") is None
