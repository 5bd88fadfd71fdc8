"""Strict reading of JSON request bodies, with GitHub's 422 error entries for bad fields.

Every string a body carries, however deeply nested, is checked here once for what no column or
git ref should ever hold: C0 control characters (NUL included; tab, CR and LF only in fields that
allow several lines) and unpaired surrogates such as "\\ud800", which JSON can encode but UTF-8,
PostgreSQL and SQLite cannot store.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from rest_framework.exceptions import ParseError

from gitforge.errors import InvalidInput, field_error

MISSING = object()
MAX_URL_LENGTH = 2048

# Code points refused in text: C0 controls and unpaired surrogates (a str never holds a pair).
SINGLE_LINE_REFUSED = re.compile("[\x00-\x1f\ud800-\udfff]")
MULTI_LINE_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


@dataclass(frozen=True)
class Field:
    types: tuple[type, ...]
    required: bool = False
    default: Any = None
    nullable: bool = False
    choices: tuple = ()
    multiline: bool = False  # tab, CR and LF allowed (bodies, commit messages)


def read_body(request, resource, fields):
    """Validate `request.data` against `fields` ({name: Field}); return the cleaned values.

    Wrong types, missing required fields, values outside `choices` and text holding control
    characters or unpaired surrogates raise InvalidInput naming every bad field at once; a
    body that is not a JSON object is a parse error.
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
        elif (bad := unprintable_field(value, name, multiline=field.multiline)) is not None:
            errors.append(text_error(resource, bad))
        else:
            cleaned[name] = value
    if errors:
        raise InvalidInput("Validation Failed", errors)
    return cleaned


def check_text(value, resource, name, *, multiline=False):
    """Raise InvalidInput naming the field if any string in `value` (a JSON value) holds a
    control character or an unpaired surrogate; for values read without read_body."""
    bad = unprintable_field(value, name, multiline=multiline)
    if bad is not None:
        raise InvalidInput("Validation Failed", [text_error(resource, bad)])


def text_error(resource, name):
    return field_error(
        resource,
        name,
        "invalid",
        f"{name} may not contain control characters or unpaired surrogates",
    )


def unprintable_field(value, name, *, multiline=False) -> str | None:
    """The name of the field holding a refused string in `value`, or None when all are clean.

    Nested objects name their innermost key ("url" in a hook's config). The walk is iterative,
    so a deeply nested body cannot exhaust the stack. Keys are always single-line text.
    """
    refused = MULTI_LINE_REFUSED if multiline else SINGLE_LINE_REFUSED
    pending: list[tuple[object, str, re.Pattern]] = [(value, name, refused)]
    while pending:
        item, field, pattern = pending.pop()
        if isinstance(item, str):
            if pattern.search(item):
                return field
        elif isinstance(item, dict):
            for key, inner in item.items():
                if SINGLE_LINE_REFUSED.search(key):
                    return field
                pending.append((inner, key, SINGLE_LINE_REFUSED))
        elif isinstance(item, list):
            pending.extend((inner, field, SINGLE_LINE_REFUSED) for inner in item)
    return None


def _is_instance(value, types):
    if isinstance(value, bool) and bool not in types:
        return False  # JSON true/false is not a number here
    return isinstance(value, types)


def http_url(value: object) -> str | None:
    """`value` normalised if it is an absolute http or https URL with a host, else None.

    Normalised: surrounding whitespace stripped, scheme and host lower-cased; the rest (user
    info, port, path, query, fragment) is kept as sent. Control characters, unpaired
    surrogates and malformed hosts (`http://[::1`) are not URLs.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if SINGLE_LINE_REFUSED.search(text):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    userinfo, at, hostport = parts.netloc.rpartition("@")
    rest = text[len(parts.scheme) + 3 + len(parts.netloc) :]
    return f"{parts.scheme.lower()}://{userinfo}{at}{hostport.lower()}{rest}"
