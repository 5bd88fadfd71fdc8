"""No request described by GitHub's OpenAPI description makes gitforge answer 5xx.

Schemathesis generates requests, valid and invalid, for every operation of the vendored
description that gitforge serves, and sends them through the WSGI application as alice (who
owns alice/project) with a `repo`-scoped token. Bounded (a fixed seed, a few examples per
operation and mode) so that it runs in well under a minute.
"""

import json
from contextlib import suppress

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from hooks.services import HookConfig, create_hook
from tests.helpers import token_for
from tests.openapi import SPEC_PATH

# Operations of the description that gitforge does not serve.
NOT_SERVED = {
    "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    "/repos/{owner}/{repo}/commits/{ref}/check-suites",
    "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
    "/repos/{owner}/{repo}/pulls/{pull_number}/files",
}
EXAMPLES = 25


def served_schema():
    spec = json.loads(SPEC_PATH.read_text())
    spec["paths"] = {p: ops for p, ops in spec["paths"].items() if p not in NOT_SERVED}
    spec["servers"] = [{"url": "http://testserver/api"}]
    return schemathesis.openapi.from_dict(spec)


@pytest.fixture
def wsgi_app():
    """The WSGI application, kept from closing the test's database connection after each
    request (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def hook(public_repo, alice, settings):
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "*"
    return create_hook(
        repository=public_repo,
        user=alice,
        config=HookConfig(url="http://hooks.example.com/", content_type="json"),
        events_=["push"],
    )


def test_no_generated_request_gets_a_5xx(settings, wsgi_app, public_repo, pull, hook, alice, sha):
    settings.GITFORGE_API_RATE_LIMIT = "1000000/h"
    settings.GITFORGE_STATUS_RATE_LIMIT = "1000000/h"
    headers = {"Authorization": f"token {token_for(alice)}"}
    fixed = {
        "owner": "alice",
        "repo": "project",
        "branch": "main",
        "sha": sha,
        "pull_number": pull.number,
        "hook_id": hook.pk,
    }
    answered_5xx = []

    for result in served_schema().get_all_operations():
        operation = result.ok()
        path_parameters = {
            name: value
            for name, value in fixed.items()
            if any(p.name == name for p in operation.path_parameters)
        }
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(mode, path_parameters=path_parameters)

            @settings_for_run
            @given(case=strategy)
            def send(case):
                response = case.call(app=wsgi_app, headers=headers)
                if response.status_code >= 500:
                    answered_5xx.append(
                        (
                            case.method,
                            case.formatted_path,
                            case.path_parameters,
                            case.query,
                            case.body,
                            response.status_code,
                        )
                    )

            with suppress(Unsatisfiable):  # an operation without inputs has no invalid request
                send()

    assert answered_5xx == []


settings_for_run = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
