"""`manage.py seeddemo` shows the product: main protected by ci/build and ci/lint, an open pull
request whose head has ci/build passed and ci/lint pending, a badge in the description, and a
printed curl command that reports ci/lint passed so the pull request can merge."""

import json
import os
import re
import shlex
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from gitforge.accounts.models import User
from gitforge.repositories.models import Repository
from gitforge.repositories.services import commit_files, create_branch, create_repository
from protection.models import ProtectedBranch
from pulls.models import PullRequest
from statuses.models import CommitStatus
from statuses.selectors import get_combined_status
from statuses.services import create_commit_status
from tests.helpers import bare_git, bare_sha, check_rows, get_page, merge, signed_in, text_of
from tests.openapi import assert_matches_spec
from web import demo

SITE = "http://gitforge.example:8123"


@pytest.fixture
def site(settings):
    settings.GITFORGE_EXTERNAL_URL = SITE
    return SITE


def seed():
    out = StringIO()
    call_command("seeddemo", stdout=out)
    return out.getvalue()


def curl_in(output):
    """The printed curl command, split as a shell would."""
    lines = [line for line in output.splitlines() if line.startswith("curl ")]
    assert len(lines) == 1, output
    return shlex.split(lines[0])


def token_in(output):
    match = re.search(r"^Demo token:\s+(\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def statuses_of(repository, sha):
    return {
        s.context: s.state for s in get_combined_status(repository=repository, sha=sha).statuses
    }


def hello():
    return Repository.objects.get(owner__username="demo", name="hello")


@pytest.mark.django_db
def test_main_is_protected_by_build_and_lint(site):
    seed()

    repository = hello()
    rule = ProtectedBranch.objects.get(repository=repository)
    assert rule.pattern == "main"
    assert (rule.require_status_checks, rule.enforce_admins) == (True, True)
    assert sorted(item.context for item in rule.required_contexts.all()) == ["ci/build", "ci/lint"]
    main = bare_sha(repository, "main")
    assert statuses_of(repository, main) == {"ci/build": "success", "ci/lint": "success"}


@pytest.mark.django_db
def test_an_open_pull_request_waits_for_lint(site):
    seed()
    repository = hello()

    pull = PullRequest.objects.get(repository=repository)
    assert (pull.number, pull.state, pull.title) == (1, "open", "Greet by name")
    assert (pull.head_ref, pull.base_ref) == ("feature/greeting", "main")
    head = bare_sha(repository, "feature/greeting")
    assert bare_git(repository, "log", "--format=%s", "main..feature/greeting") == "Greet by name"
    assert statuses_of(repository, head) == {"ci/build": "success", "ci/lint": "pending"}

    page = get_page(signed_in(User.objects.get(username="demo")), "/demo/hello/pull/1")
    rows = check_rows(page)
    assert {context: state for context, (state, _) in rows.items()} == {
        "ci/build": "success",
        "ci/lint": "pending",
    }
    assert "Merging is blocked" in text_of(page)
    assert 'id="merge-button"' not in page


@pytest.mark.django_db
def test_the_description_embeds_the_badge_of_main(site, anonymous):
    seed()

    assert hello().description == (
        "A demo repository for gitforge "
        f"[![status]({SITE}/demo/hello/badges/main.svg)]({SITE}/demo/hello)"
    )
    assert "demo/hello/badges/main.svg" in get_page(anonymous, "/demo/hello")
    assert ">passing</text>" in anonymous.get("/demo/hello/badges/main.svg").content.decode()
    svg = anonymous.get("/demo/hello/badges/feature/greeting.svg").content.decode()
    assert ">pending</text>" in svg


@pytest.mark.django_db
def test_prints_the_pull_request_and_a_curl_command_after_the_token(site):
    output = seed()
    head = bare_sha(hello(), "feature/greeting")

    lines = output.splitlines()
    token_line = next(i for i, line in enumerate(lines) if line.startswith("Demo token:"))
    assert lines[token_line + 1] == (
        f"Pull request:   {SITE}/demo/hello/pull/1 waits for ci/lint. "
        "Report it passed, watch the page turn green, and merge:"
    )
    assert lines[token_line + 2].startswith("curl ")
    command = curl_in(output)
    assert command[-1] == f"{SITE}/api/repos/demo/hello/statuses/{head}"
    assert f"Authorization: token {token_in(output)}" in command
    assert json.loads(command[command.index("-d") + 1]) == {
        "state": "success",
        "context": "ci/lint",
        "description": "Lint passed",
    }


@pytest.mark.django_db
def test_the_printed_command_replayed_turns_the_pull_request_green(site, client):
    """The curl command's method, headers, body and URL, sent through the test client."""
    command = curl_in(seed())
    headers = dict(command[i + 1].split(": ", 1) for i, arg in enumerate(command) if arg == "-H")
    path = command[-1].removeprefix(SITE)

    response = client.post(
        path,
        data=command[command.index("-d") + 1],
        content_type="application/x-www-form-urlencoded",  # what curl -d sends
        HTTP_AUTHORIZATION=headers["Authorization"],
        HTTP_ACCEPT=headers["Accept"],
    )

    assert response.status_code == 201, response.content
    assert_matches_spec(response, "post", "/repos/{owner}/{repo}/statuses/{sha}")
    repository = hello()
    head = bare_sha(repository, "feature/greeting")
    assert statuses_of(repository, head) == {"ci/build": "success", "ci/lint": "success"}
    demo_user = signed_in(User.objects.get(username="demo"))
    page = get_page(demo_user, "/demo/hello/pull/1")
    assert "All checks have passed" in text_of(page)
    assert 'id="merge-button"' in page


@pytest.mark.django_db(transaction=True)
def test_the_printed_curl_command_works_against_a_live_server(settings, live_server):
    settings.GITFORGE_EXTERNAL_URL = live_server.url
    output = seed()

    result = subprocess.run(
        curl_in(output),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_PROXY": "*", "no_proxy": "*"},
    )

    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert (body["state"], body["context"]) == ("success", "ci/lint")
    merged = merge(Client(HTTP_AUTHORIZATION=f"token {token_in(output)}"), repo="demo/hello")
    assert merged.status_code == 200, merged.content
    assert merged.json()["merged"] is True
    assert bare_git(hello(), "log", "-1", "--format=%s", "main").startswith("Merge pull request #1")


@pytest.mark.django_db
def test_seeding_again_changes_nothing_but_the_token(site):
    first = seed()
    repository = hello()
    refs = bare_git(repository, "for-each-ref", "--format=%(refname) %(objectname)")
    description = repository.description

    second = seed()

    assert bare_git(repository, "for-each-ref", "--format=%(refname) %(objectname)") == refs
    assert hello().description == description
    assert PullRequest.objects.count() == 1
    assert CommitStatus.objects.count() == 4
    assert ProtectedBranch.objects.count() == 1
    assert token_in(first) != token_in(second)
    assert curl_in(second)[-1] == curl_in(first)[-1]


@pytest.mark.django_db
def test_seeding_again_keeps_what_ci_and_people_changed(site):
    seed()
    repository = hello()
    owner = repository.owner
    head = bare_sha(repository, "feature/greeting")
    create_commit_status(
        repository=repository, sha=head, state="success", context="CI/Lint", creator=owner
    )
    repository.description = "Mine"
    repository.save()
    rule = ProtectedBranch.objects.get()
    rule.required_contexts.filter(context="ci/lint").delete()

    seed()

    assert statuses_of(repository, head) == {"ci/build": "success", "CI/Lint": "success"}
    assert CommitStatus.objects.count() == 5
    assert hello().description == "Mine"
    assert [item.context for item in rule.required_contexts.all()] == ["ci/build"]


@pytest.mark.django_db
def test_once_merged_seeding_opens_nothing_and_prints_no_command(site):
    seed()
    PullRequest.objects.update(state="closed")

    output = seed()

    assert "curl" not in output and "Pull request:" not in output
    assert PullRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_repository_from_an_earlier_seed_is_brought_up_to_date(site):
    """Earlier seeds left demo/hello with its history, no protection and no pull request."""
    user = User.objects.create_user("demo", "demo@example.com", "operator-chosen-password-1")
    repository = create_repository(owner=user, name="hello", description=demo.DESCRIPTION)
    for message, files in demo.MAIN_HISTORY:
        commit_files(
            repository=repository, branch="main", files=files, message=message, author=user
        )
    create_branch(repository=repository, branch=demo.FEATURE_BRANCH, from_ref="main")
    for message, files in demo.FEATURE_HISTORY:
        commit_files(
            repository=repository,
            branch=demo.FEATURE_BRANCH,
            files=files,
            message=message,
            author=user,
        )
    refs = bare_git(repository, "for-each-ref", "--format=%(refname) %(objectname)")

    output = seed()

    assert bare_git(repository, "for-each-ref", "--format=%(refname) %(objectname)") == refs
    assert "badges/main.svg" in hello().description
    assert ProtectedBranch.objects.filter(repository=repository, pattern="main").exists()
    assert PullRequest.objects.get().head_ref == "feature/greeting"
    assert curl_in(output)
