"""check_status_checks(): the one decision on whether a head commit satisfies a base's rule."""

import pytest

from gitforge.repositories import permissions
from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import commit_files
from protection.gate import Blocker, check_status_checks, checks_refusal
from protection.services import save_protection
from statuses.services import create_commit_status


@pytest.fixture
def head(public_repo):
    return GitRepository(public_repo.id).branch_sha("feature")


@pytest.fixture
def post(public_repo, alice, head):
    def create(context, state, sha=None):
        return create_commit_status(
            repository=public_repo, sha=sha or head, state=state, context=context, creator=alice
        )

    return create


@pytest.fixture
def protect(public_repo):
    def create(contexts, *, pattern="main", strict=False, enforce_admins=False, checks=True):
        return save_protection(
            repository=public_repo,
            pattern=pattern,
            require_status_checks=checks,
            strict=strict,
            contexts=contexts,
            enforce_admins=enforce_admins,
        )

    return create


@pytest.fixture
def decide(public_repo, head):
    def evaluate(sha=None):
        return check_status_checks(repository=public_repo, base_branch="main", head_sha=sha or head)

    return evaluate


def states(decision):
    return {check.context: check.state for check in decision.checks}


def test_nothing_reported_means_every_required_context_is_expected(protect, decide):
    protect(["ci/tests", "ci/lint"])

    decision = decide()

    assert not decision.passed
    assert states(decision) == {"ci/tests": "expected", "ci/lint": "expected"}
    assert decision.blockers == (Blocker(kind="expected", contexts=("ci/tests", "ci/lint")),)
    assert checks_refusal(decision.blockers) == (
        "Required status checks have not passed: ci/tests, ci/lint are expected."
    )


def test_one_missing_one_success(protect, post, decide):
    protect(["ci/tests", "ci/lint"])
    post("ci/tests", "success")

    decision = decide()

    assert not decision.passed
    assert states(decision) == {"ci/tests": "success", "ci/lint": "expected"}
    assert [blocker.text for blocker in decision.blockers] == ["ci/lint is expected"]


def test_one_pending(protect, post, decide):
    protect(["ci/tests", "ci/lint"])
    post("ci/tests", "success")
    post("ci/lint", "pending")

    decision = decide()

    assert not decision.passed
    assert states(decision) == {"ci/tests": "success", "ci/lint": "pending"}
    assert [blocker.text for blocker in decision.blockers] == ["ci/lint is pending"]


@pytest.mark.parametrize("bad", ["failure", "error"])
def test_one_failing(protect, post, decide, bad):
    protect(["ci/tests", "ci/lint"])
    post("ci/tests", "success")
    post("ci/lint", bad)

    decision = decide()

    assert not decision.passed
    assert states(decision) == {"ci/tests": "success", "ci/lint": "failing"}
    assert [blocker.text for blocker in decision.blockers] == ["ci/lint is failing"]


def test_both_success_with_different_case_passes(protect, post, decide):
    protect(["ci/tests", "ci/lint"])
    post("CI/Tests", "success")
    post("ci/lint", "success")

    decision = decide()

    assert decision.passed
    assert states(decision) == {"ci/tests": "success", "ci/lint": "success"}
    assert decision.blockers == ()


def test_latest_status_of_a_context_counts(protect, post, decide):
    protect(["ci/tests"])
    post("ci/tests", "failure")
    post("ci/tests", "success")
    assert decide().passed

    post("ci/tests", "pending")
    assert states(decide()) == {"ci/tests": "pending"}


def test_statuses_of_another_commit_do_not_count(public_repo, protect, post, decide):
    protect(["ci/tests"])
    post("ci/tests", "success", sha=GitRepository(public_repo.id).branch_sha("main"))

    assert states(decide()) == {"ci/tests": "expected"}


def test_pattern_with_one_pending_match_is_pending(protect, post, decide):
    protect(["ci/*"])
    post("ci/a", "success")
    post("ci/b", "pending")

    decision = decide()

    assert not decision.passed
    assert states(decision) == {"ci/*": "pending"}
    assert {status.context for status in decision.checks[0].statuses} == {"ci/a", "ci/b"}


def test_pattern_passes_when_every_match_succeeds(protect, post, decide):
    protect(["ci/*"])
    post("ci/a", "success")
    post("CI/B", "success")
    post("deploy", "failure")  # not matched by ci/*

    assert decide().passed


def test_double_star_pattern_is_enforced_across_segments(protect, post, decide):
    protect(["build/**"])
    post("build/mac", "success")
    post("build/linux/x64", "failure")

    decision = decide()

    assert not decision.passed
    assert states(decision) == {"build/**": "failing"}


def test_single_star_does_not_reach_deeper_contexts(protect, post, decide):
    protect(["build/*"])
    post("build/linux/x64", "success")

    assert states(decide()) == {"build/*": "expected"}


def test_each_pattern_is_judged_separately(protect, post, decide):
    protect(["ci/*", "build/**", "deploy"])
    post("ci/a", "success")
    post("build/linux/x64", "error")
    post("deploy", "pending")

    decision = decide()

    assert states(decision) == {"ci/*": "success", "build/**": "failing", "deploy": "pending"}
    assert "; ".join(blocker.text for blocker in decision.blockers) == (
        "deploy is pending; build/** is failing"
    )


def test_pattern_matching_nothing_is_expected_never_vacuously_true(protect, post, decide):
    protect(["lint/*"])
    post("ci/tests", "success")

    decision = decide()

    assert not decision.passed
    assert states(decision) == {"lint/*": "expected"}


def test_strict_mode_head_behind_base(public_repo, alice, protect, post, decide):
    protect(["ci/tests"], strict=True)
    post("ci/tests", "success")
    assert decide().passed
    assert not decide().behind

    commit_files(
        repository=public_repo,
        branch="main",
        files={"NEWS.md": b"news\n"},
        message="News",
        author=alice,
    )

    decision = decide()
    assert decision.behind
    assert not decision.passed
    assert states(decision) == {"ci/tests": "success"}
    assert decision.blockers[-1].text == "the head branch is not up to date with the base branch"


def test_not_strict_ignores_a_behind_head(public_repo, alice, protect, post, decide):
    protect(["ci/tests"], strict=False)
    post("ci/tests", "success")
    commit_files(
        repository=public_repo,
        branch="main",
        files={"NEWS.md": b"news\n"},
        message="News",
        author=alice,
    )

    decision = decide()
    assert not decision.behind
    assert decision.passed


def test_no_rule_passes(decide):
    decision = decide()

    assert decision.rule is None
    assert decision.passed
    assert decision.checks == ()


def test_rule_without_required_checks_passes(protect, decide):
    protect(["ci/tests"], checks=False)

    decision = decide()

    assert decision.rule is not None
    assert decision.checks == ()
    assert decision.passed


def test_rule_for_another_branch_does_not_apply(protect, decide):
    protect(["ci/tests"], pattern="release/*")

    assert decide().passed


def test_pattern_rule_applies_to_matching_base(public_repo, protect, post, head):
    protect(["ci/tests"], pattern="ma*")

    decision = check_status_checks(repository=public_repo, base_branch="main", head_sha=head)

    assert decision.rule is not None
    assert decision.rule.pattern == "ma*"
    assert states(decision) == {"ci/tests": "expected"}


@pytest.mark.parametrize(
    ("enforce_admins", "level", "bypass"),
    [
        (False, permissions.ADMIN, True),
        (True, permissions.ADMIN, False),
        (False, permissions.MAINTAIN, False),
        (False, permissions.PUSH, False),
        (False, None, False),
    ],
)
def test_may_bypass(protect, decide, enforce_admins, level, bypass):
    protect(["ci/tests"], enforce_admins=enforce_admins)

    assert decide().may_bypass(level) is bypass


def test_nobody_bypasses_without_a_rule(decide):
    assert decide().may_bypass(permissions.ADMIN) is False


# GitHub's wording of what blocks (the API and pushes answer it; tools match on it)


def test_message_is_empty_when_checks_pass(protect, post, decide):
    protect(["ci/tests"])
    post("ci/tests", "success")

    assert decide().message == ""


def test_a_pattern_whose_statuses_only_errored_is_errored(protect, post, decide):
    protect(["build/**"])
    post("build/linux", "error")
    post("build/mac", "success")

    assert decide().message == 'Required status check "build/**" is errored.'


def test_a_pattern_with_any_failure_is_failing(protect, post, decide):
    protect(["build/**"])
    post("build/linux", "error")
    post("build/mac", "failure")

    assert decide().message == 'Required status check "build/**" is failing.'


def test_checks_in_progress_count_but_are_not_listed(protect, post, decide):
    protect(["ci/tests", "ci/lint", "ci/docs"])
    post("ci/tests", "pending")

    assert decide().message == ("3 of 3 required status checks have not succeeded: 2 expected.")


def test_several_in_progress(protect, post, decide):
    protect(["ci/tests", "ci/lint", "ci/docs"])
    post("ci/tests", "pending")
    post("ci/lint", "pending")
    post("ci/docs", "success")

    assert decide().message == "2 of 3 required status checks are in progress."


def test_two_kinds_are_joined_with_and(protect, post, decide):
    protect(["ci/tests", "ci/lint"])
    post("ci/tests", "error")

    assert decide().message == (
        "2 of 2 required status checks have not succeeded: 1 expected and 1 errored."
    )


def test_a_head_behind_a_strict_base_is_out_of_date(public_repo, alice, protect, post, decide):
    protect(["ci/tests"], strict=True)
    post("ci/tests", "success")
    commit_files(
        repository=public_repo,
        branch="main",
        files={"NEWS.md": b"news\n"},
        message="News",
        author=alice,
    )

    assert decide().message == "Head branch is out of date. Review and try the merge again."
