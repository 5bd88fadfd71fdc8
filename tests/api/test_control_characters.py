"""Every API write refuses text holding C0 control characters or unpaired surrogates with 422
`Validation Failed` naming the field, and stores nothing. Tab, CR and LF are text only where a
field may span lines (pull request bodies, merge commit messages).

Bodies are sent as raw JSON with `\\u` escapes, as clients encode them.
"""

import pytest

from gitforge.repositories.models import Collaborator, Repository
from hooks.models import Hook
from hooks.services import HookConfig, create_hook
from protection.models import RequiredContext
from pulls.models import PullRequest
from statuses.models import CommitStatus, LatestCommitStatus
from tests.helpers import assert_error, protect_main

REPO = "/api/repos/alice/project"
CHECKS = f"{REPO}/branches/main/protection/required_status_checks"

# (method, path, raw JSON body, the field the error names)
REFUSED = [
    ("post", f"{REPO}/statuses/{{sha}}", r'{"state": "success", "context": "ci\u0000"}', "context"),
    ("post", f"{REPO}/statuses/{{sha}}", r'{"state": "success", "context": "ci\ud800"}', "context"),
    ("post", f"{REPO}/statuses/{{sha}}", r'{"state": "success", "context": "ci\nx"}', "context"),
    (
        "post",
        f"{REPO}/statuses/{{sha}}",
        r'{"state": "error", "description": "a\rb"}',
        "description",
    ),
    (
        "post",
        f"{REPO}/statuses/{{sha}}",
        r'{"state": "error", "description": "\udfff"}',
        "description",
    ),
    (
        "post",
        f"{REPO}/statuses/{{sha}}",
        r'{"state": "error", "target_url": "http://x/\u0000"}',
        "target_url",
    ),
    (
        "put",
        f"{REPO}/branches/main/protection",
        r'{"required_status_checks": {"strict": false, "contexts": ["ci/a", "ci\u0000b"]},'
        r' "enforce_admins": null, "required_pull_request_reviews": null, "restrictions": null}',
        "contexts",
    ),
    ("patch", CHECKS, r'{"contexts": ["ci/\u0007bell"]}', "contexts"),
    ("post", f"{CHECKS}/contexts", r'["ci/new\r\n"]', "contexts"),
    ("put", f"{CHECKS}/contexts", r'{"contexts": ["\ud83d"]}', "contexts"),
    ("delete", f"{CHECKS}/contexts", r'["ci/tests\u0000"]', "contexts"),
    ("post", f"{REPO}/hooks", r'{"config": {"url": "http://example.com/\u0000"}}', "url"),
    (
        "post",
        f"{REPO}/hooks",
        r'{"config": {"url": "http://example.com/", "secret": "s\ud800"}}',
        "secret",
    ),
    (
        "post",
        f"{REPO}/hooks",
        r'{"config": {"url": "http://example.com/"}, "events": ["push\u0000"]}',
        "events",
    ),
    (
        "patch",
        f"{REPO}/hooks/{{hook}}",
        r'{"config": {"content_type": "json\u001b"}}',
        "content_type",
    ),
    ("patch", f"{REPO}/hooks/{{hook}}/config", r'{"url": "http://example.com/\n"}', "url"),
    ("post", "/api/user/repos", r'{"name": "new\u0000"}', "name"),
    ("post", "/api/user/repos", r'{"name": "new", "description": "two\nlines"}', "description"),
    ("put", f"{REPO}/collaborators/bob", r'{"permission": "push\u0000"}', "permission"),
    ("patch", f"{REPO}/pulls/1", r'{"title": "tab\there"}', "title"),
    ("patch", f"{REPO}/pulls/1", r'{"body": "nul\u0000"}', "body"),
    ("patch", f"{REPO}/pulls/1", r'{"base": "main\u0000"}', "base"),
    ("put", f"{REPO}/pulls/1/merge", r'{"commit_title": "a\nb"}', "commit_title"),
    ("put", f"{REPO}/pulls/1/merge", r'{"commit_message": "a\u0000b"}', "commit_message"),
    ("put", f"{REPO}/pulls/1/merge", r'{"sha": "\ud800"}', "sha"),
]


@pytest.fixture
def world(settings, public_repo, alice, pull):
    """alice/project with a protected main, a hook and pull request #1."""
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "*"
    protect_main(public_repo, "ci/tests")
    hook = create_hook(
        repository=public_repo,
        user=alice,
        config=HookConfig(url="http://hooks.example.com/", content_type="json"),
        events_=["push"],
    )
    return {"hook": hook.pk}


def stored():
    """Everything these writes could change."""
    return (
        list(CommitStatus.objects.values_list("context", "description", "target_url")),
        LatestCommitStatus.objects.count(),
        list(RequiredContext.objects.values_list("context", flat=True)),
        list(Hook.objects.values_list("url", "secret", "content_type", "events", "active")),
        list(Repository.objects.values_list("name", "description")),
        Collaborator.objects.count(),
        list(PullRequest.objects.values_list("title", "body", "base_ref", "state", "merged")),
    )


@pytest.mark.parametrize(("method", "path", "raw", "field"), REFUSED)
def test_text_with_control_characters_is_refused_by_field(
    owner, world, sha, method, path, raw, field
):
    before = stored()

    response = owner.generic(
        method.upper(),
        path.format(sha=sha, **world),
        data=raw.encode(),
        content_type="application/json",
    )

    errors = assert_error(response, 422, "Validation Failed")["errors"]
    assert field in [
        error["field"] if isinstance(error, dict) else error.split(":")[0] for error in errors
    ]
    assert stored() == before


def test_multiline_text_keeps_tab_cr_and_lf(owner, pull):
    response = owner.generic(
        "PATCH",
        f"{REPO}/pulls/1",
        data=rb'{"body": "Steps:\n\t1. run\r\n\t2. check"}',
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert PullRequest.objects.get().body == "Steps:\n\t1. run\r\n\t2. check"


def test_characters_outside_the_basic_plane_are_text(owner, pull):
    response = owner.generic(
        "PATCH",
        f"{REPO}/pulls/1",
        data=rb'{"title": "Ship it \ud83d\ude80"}',
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert PullRequest.objects.get().title == "Ship it \U0001f680"
