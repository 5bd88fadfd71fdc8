"""The admin for protected branches: inline required contexts, glob validation, context hints."""

import html

import pytest
from django.utils import timezone

from gitforge.repositories.git import GitRepository
from protection.models import ProtectedBranch
from protection.services import save_protection
from statuses.services import create_commit_status
from tests.helpers import make_repository

ADD_URL = "/admin/protection/protectedbranch/add/"


def rule_form(repository, pattern, contexts, **flags):
    data = {
        "repository": repository.pk,
        "pattern": pattern,
        "required_contexts-TOTAL_FORMS": str(len(contexts)),
        "required_contexts-INITIAL_FORMS": "0",
        "required_contexts-MIN_NUM_FORMS": "0",
        "required_contexts-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for name, value in flags.items():
        if value:
            data[name] = "on"
    for index, context in enumerate(contexts):
        data[f"required_contexts-{index}-context"] = context
    return data


def test_add_rule_with_inline_contexts(operator, public_repo):
    response = operator.post(
        ADD_URL,
        rule_form(
            public_repo,
            "release/*",
            ["ci/tests", "build/**"],
            require_status_checks=True,
            strict=True,
        ),
    )

    assert response.status_code == 302
    rule = ProtectedBranch.objects.get(repository=public_repo)
    assert rule.pattern == "release/*"
    assert rule.require_status_checks
    assert rule.strict
    assert not rule.enforce_admins
    assert [item.context for item in rule.required_contexts.all()] == ["ci/tests", "build/**"]


def test_add_form_suggests_contexts_and_explains_globs(operator, public_repo):
    response = operator.get(ADD_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'list="reported-contexts"' in content
    assert "ci/*, build/**" in content


@pytest.mark.parametrize(
    ("pattern", "contexts", "message"),
    [
        ("release/[", ["ci/tests"], "unclosed character class"),
        ("main", ["ci/[tests"], "unclosed character class"),
        ("x" * 256, [], "at most 255 characters"),
    ],
)
def test_invalid_glob_is_rejected_with_an_error(operator, public_repo, pattern, contexts, message):
    response = operator.post(
        ADD_URL, rule_form(public_repo, pattern, contexts, require_status_checks=True)
    )

    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "errorlist" in content
    assert message in content
    assert not ProtectedBranch.objects.exists()


def test_contexts_differing_in_case_are_kept_once_as_the_api_does(operator, public_repo, alice):
    response = operator.post(ADD_URL, rule_form(public_repo, "main", ["ci/tests", "CI/Tests"]))

    assert response.status_code == 302
    rule = ProtectedBranch.objects.get()
    api_rule = save_protection(
        repository=make_repository(alice, "other"),
        pattern="main",
        require_status_checks=True,
        contexts=["ci/tests", "CI/Tests"],
    )
    saved = [item.context for item in rule.required_contexts.all()]
    assert saved == [item.context for item in api_rule.required_contexts.all()]
    assert [context.lower() for context in saved] == ["ci/tests"]


@pytest.fixture
def reported(public_repo, alice):
    """ci/tests and build/linux were reported on main; deploy never was."""
    sha = GitRepository(public_repo.id).branch_sha("main")
    for context in ("ci/tests", "build/linux"):
        create_commit_status(
            repository=public_repo, sha=sha, state="success", context=context, creator=alice
        )


def test_change_page_lists_reported_contexts_and_when_required_ones_were_seen(
    operator, public_repo, reported
):
    rule = save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/tests", "build/*", "deploy"],
    )

    response = operator.get(f"/admin/protection/protectedbranch/{rule.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    datalist = content[content.index('<datalist id="reported-contexts">') :]
    datalist = datalist[: datalist.index("</datalist>")]
    assert '<option value="ci/tests">' in datalist
    assert '<option value="build/linux">' in datalist

    report = content[content.index('id="context-report"') :]
    report = report[: report.index("</table>")]
    rows = report.split("<tr>")[2:]  # skip the header row
    assert len(rows) == 3
    today = timezone.now().strftime("%Y-%m-%d")
    by_context = {row.split("<td>")[1].split("</td>")[0]: row for row in rows}
    assert today in by_context["ci/tests"]
    assert today in by_context["build/*"]  # the glob matched build/linux
    assert "Never reported" not in by_context["ci/tests"]
    assert "Never reported" not in by_context["build/*"]
    assert "Never reported" in by_context["deploy"]


def test_change_page_of_another_repository_does_not_suggest_its_contexts(
    operator, public_repo, private_repo, reported
):
    rule = save_protection(
        repository=private_repo, pattern="main", require_status_checks=True, contexts=["ci/tests"]
    )

    response = operator.get(f"/admin/protection/protectedbranch/{rule.pk}/change/")

    content = response.content.decode()
    assert '<option value="ci/tests">' not in content
    assert "Never reported" in content


def change_form(rule, pattern, contexts, **flags):
    """The change form of `rule`: its existing context rows are replaced by `contexts`."""
    existing = list(rule.required_contexts.all())
    data = rule_form(rule.repository, pattern, [], **flags)
    rows = [(item.pk, item.context, True) for item in existing]
    rows += [(None, context, False) for context in contexts]
    data["required_contexts-TOTAL_FORMS"] = str(len(rows))
    data["required_contexts-INITIAL_FORMS"] = str(len(existing))
    for index, (pk, context, delete) in enumerate(rows):
        data[f"required_contexts-{index}-context"] = context
        data[f"required_contexts-{index}-protected_branch"] = str(rule.pk)
        if pk is not None:
            data[f"required_contexts-{index}-id"] = str(pk)
        if delete:
            data[f"required_contexts-{index}-DELETE"] = "on"
    return data


def test_editing_a_rule_renames_it_and_replaces_its_contexts(operator, public_repo):
    rule = save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        contexts=["ci/old"],
    )

    response = operator.post(
        f"/admin/protection/protectedbranch/{rule.pk}/change/",
        change_form(rule, "release/*", ["ci/new", "CI/New"], require_status_checks=True),
    )

    assert response.status_code == 302
    [saved] = ProtectedBranch.objects.all()
    assert saved.pk == rule.pk
    assert saved.pattern == "release/*"
    assert [item.context.lower() for item in saved.required_contexts.all()] == ["ci/new"]


def test_add_rule_requiring_linear_history(operator, public_repo):
    response = operator.post(
        ADD_URL, rule_form(public_repo, "main", [], required_linear_history=True)
    )

    assert response.status_code == 302
    rule = ProtectedBranch.objects.get(repository=public_repo)
    assert rule.required_linear_history
    assert not rule.require_status_checks
