"""The one glob matcher for branch rules and required-context patterns.

`*` and `?` stay within one path segment, `**` crosses `/`, `[...]` is a character class.
Branch names match case-sensitively (git refs are); contexts case-insensitively.
The admin, the API, the pull request page, merges and pushes all call this module, so they
can never disagree about what a pattern means.
"""

import re
from functools import lru_cache

WILDCARDS = "*?["


def is_pattern(text):
    return any(char in text for char in WILDCARDS)


@lru_cache(maxsize=1024)
def compile_glob(pattern, ignore_case=False):
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
        return re.compile("".join(out), re.IGNORECASE if ignore_case else 0)
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
    return compile_glob(pattern, ignore_case).fullmatch(text) is not None


def specificity(pattern):
    """Sort key: exact names first, then more literal characters, then fewer `**`."""
    literal = sum(1 for char in pattern if char not in WILDCARDS)
    return (0 if not is_pattern(pattern) else 1, -literal, pattern.count("**"))
