"""Every error body links the documentation section of the operation that answered, as the
OpenAPI description names it (`externalDocs`) — per method where one route serves several."""

import json

import pytest
from django.urls import resolve

from tests.helpers import send, token_client
from tests.openapi import SPEC_PATH

PLACEHOLDERS = {
    "owner": "alice",
    "repo": "no-such-repository",
    "branch": "main",
    "ref": "main",
    "sha": "0" * 40,
    "username": "bob",
    "hook_id": "1",
    "delivery_id": "1",
    "pull_number": "1",
    "issue_number": "1",
    "commit_sha": "0" * 40,
    "tree_sha": "0" * 40,
    "file_sha": "0" * 40,
    "path": "README.md",
}


def repository_operations():
    spec = json.loads(SPEC_PATH.read_text())
    for path, operations in spec["paths"].items():
        if not path.startswith("/repos/{owner}/{repo}"):
            continue
        for method, operation in operations.items():
            if isinstance(operation, dict) and "externalDocs" in operation:
                yield pytest.param(
                    method, path, operation["externalDocs"]["url"], id=f"{method} {path}"
                )


@pytest.mark.parametrize(("method", "path", "docs"), list(repository_operations()))
def test_error_links_the_operation_section(alice, method, path, docs):
    url = "/api" + path.format(**PLACEHOLDERS)
    view = getattr(resolve(url).func, "view_class", None)
    if view is None or not hasattr(view, "documentation_url"):
        pytest.skip(f"gitforge does not serve {path}")

    response = send(token_client(alice), method, url, None if method == "get" else {})

    assert response.status_code == 404, response.content
    assert response.json()["documentation_url"] == docs
