"""Validate API responses against GitHub's OpenAPI description in tests/spec/."""

import json
from functools import cache
from pathlib import Path

from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).resolve().parent / "spec" / "github-rest-subset.json"
SPEC_URI = "urn:github-rest-subset"


@cache
def _spec():
    return json.loads(SPEC_PATH.read_text())


def _allow_null_alternatives(node):
    """OpenAPI 3.0 `nullable: true` beside `oneOf`/`anyOf` (no `type`) also admits null."""
    if isinstance(node, dict):
        for key in ("oneOf", "anyOf"):
            if node.get("nullable") and key in node and "type" not in node:
                node[key] = [*node[key], {"enum": [None]}]
        for value in node.values():
            _allow_null_alternatives(value)
    elif isinstance(node, list):
        for value in node:
            _allow_null_alternatives(value)
    return node


@cache
def _registry():
    spec = _allow_null_alternatives(json.loads(SPEC_PATH.read_text()))
    return Registry().with_resource(SPEC_URI, Resource.from_contents(spec, DRAFT4))


def response_schema(method, path, status):
    operation = _spec()["paths"][path][method.lower()]
    response = operation["responses"][str(status)]
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[1]
        response = _spec()["components"]["responses"][name]
    return response["content"]["application/json"]["schema"]


def assert_matches_spec(response, method, path, status=None):
    """Assert the response has the documented status and a body valid for it.

    `path` is the OpenAPI path template, e.g. "/repos/{owner}/{repo}".
    """
    status = status or response.status_code
    assert response.status_code == status, (response.status_code, response.content[:500])
    schema = response_schema(method, path, status)
    validator = OAS30Validator(
        {"$ref": f"{SPEC_URI}#{_pointer(method, path, status)}"} if schema else schema,
        registry=_registry(),
    )
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
    assert not errors, "\n".join(
        f"{list(error.absolute_path)}: {error.message[:300]}" for error in errors[:10]
    )


def _pointer(method, path, status):
    operation = _spec()["paths"][path][method.lower()]
    response = operation["responses"][str(status)]
    escaped = path.replace("~", "~0").replace("/", "~1")
    if "$ref" in response:
        return response["$ref"][1:] + "/content/application~1json/schema"
    return f"/paths/{escaped}/{method.lower()}/responses/{status}/content/application~1json/schema"


def assert_matches_schema(response, name):
    """Assert the body is valid for the component schema `name`, for answers an operation does
    not document (GitHub's description lists no 422 for some routes that answer one)."""
    validator = OAS30Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/{name}"}, registry=_registry()
    )
    errors = list(validator.iter_errors(response.json()))
    assert not errors, "\n".join(error.message[:300] for error in errors[:10])
