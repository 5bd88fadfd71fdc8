"""Strict reading of JSON request bodies, with GitHub's 422 error entries for bad fields."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from rest_framework.exceptions import ParseError

from gitforge.errors import InvalidInput, field_error

MISSING = object()


@dataclass(frozen=True)
class Field:
    types: tuple[type, ...]
    required: bool = False
    default: Any = None
    nullable: bool = False
    choices: tuple = ()


def read_body(request, resource, fields):
    """Validate `request.data` against `fields` ({name: Field}); return the cleaned values.

    Wrong types, missing required fields and values outside `choices` raise InvalidInput
    naming every bad field at once; a body that is not a JSON object is a parse error.
    """
    data = request.data
    if not isinstance(data, dict):
        raise ParseError("Problems parsing JSON")
    cleaned, errors = {}, []
    for name, field in fields.items():
        value = data.get(name, MISSING)
        if value is MISSING or (value is None and not field.required and not field.nullable):
            if field.required:
                errors.append(field_error(resource, name, "missing_field"))
            cleaned[name] = field.default
        elif value is None and field.nullable:
            cleaned[name] = None
        elif not _is_instance(value, field.types) or (field.choices and value not in field.choices):
            errors.append(field_error(resource, name, "invalid"))
        else:
            cleaned[name] = value
    if errors:
        raise InvalidInput("Validation Failed", errors)
    return cleaned


def _is_instance(value, types):
    if isinstance(value, bool) and bool not in types:
        return False  # JSON true/false is not a number here
    return isinstance(value, types)


def http_url(value: object) -> str | None:
    """`value` stripped if it is an absolute http or https URL with a host, else None."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.hostname:
        return value.strip()
    return None
