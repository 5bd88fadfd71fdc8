"""The one glob matcher for branch rules and required-context patterns.

`*` and `?` stay within one path segment, `**` crosses `/`, `[...]` is a character class.
Branch names match case-sensitively (git refs are); contexts as statuses.contexts compares
them: the pattern's key against the context's key.
The admin, the API, the pull request page, merges and pushes all call this module, so they
can never disagree about what a pattern means.
"""

import re
from functools import lru_cache

from statuses.contexts import context_key

WILDCARDS = "*?["


def is_pattern(text):
    return any(char in text for char in WILDCARDS)


@lru_cache(maxsize=1024)
def compile_glob(pattern):
    """Translate a glob into a compiled regular expression; ValueError when malformed."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):  # "a/**/b" also matches "a/b"
                i += 1
                out.append("(?:.*/)?")
            else:
                out.append(".*")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 2 if pattern.startswith("[!", i) else i + 1)
            if end < 0:
                raise ValueError(f"unclosed character class in {pattern!r}")
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    try:
        return re.compile("".join(out))
    except re.error as error:
        raise ValueError(f"invalid pattern {pattern!r}: {error}") from error


def validate_pattern(pattern):
    """Raise ValueError unless `pattern` is a usable branch or context pattern."""
    if not pattern or not pattern.strip():
        raise ValueError("pattern may not be empty")
    if len(pattern) > 255:
        raise ValueError("pattern is longer than 255 characters")
    compile_glob(pattern)


def glob_match(pattern, text, *, ignore_case=False):
    """Whether `text` matches `pattern`; `ignore_case` compares them as contexts."""
    if ignore_case:
        return context_matches(pattern, text)
    return compile_glob(pattern).fullmatch(text) is not None


def context_matches(pattern, context):
    """Whether a status `context` matches a required context or pattern (by their keys)."""
    return compile_glob(context_key(pattern)).fullmatch(context_key(context)) is not None


def specificity(pattern):
    """Sort key: exact names first, then more literal characters, then fewer `**`."""
    literal = sum(1 for char in pattern if char not in WILDCARDS)
    return (0 if not is_pattern(pattern) else 1, -literal, pattern.count("**"))
