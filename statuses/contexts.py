"""What "the same context" means, everywhere: status keys, the limit of statuses per context,
required contexts and their patterns all compare `context_key()`s.

A context is stored as sent, less surrounding whitespace (so "ci/test " is "ci/test"), and is
refused when it holds control characters or invisible format characters such as U+200B
ZERO WIDTH SPACE, which would let "ci/test\u200b" pass for "ci/test". Contexts compare
case-insensitively as GitHub's do, by Unicode's caseless identifier matching (NFKC and case
folding), so "CI/Test", "ci/test" and "ｃｉ/test" are one context.
"""

import unicodedata

MAX_CONTEXT = 255  # characters, of the context as stored and of its key


def context_key(context: str) -> str:
    """The comparison key of a context or of a context pattern."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", context).casefold())


def clean_context(context: str) -> str:
    """The context as stored: stripped. Raises ValueError saying why it cannot be one."""
    text = context.strip()
    if not text:
        raise ValueError("context may not be empty")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in text):
        raise ValueError("context may not contain control or invisible characters")
    if len(text) > MAX_CONTEXT or len(context_key(text)) > MAX_CONTEXT:
        raise ValueError(f"context is too long (maximum is {MAX_CONTEXT} characters)")
    return text
