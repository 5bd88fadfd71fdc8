"""Which language a file is written in, by its extension, as GitHub's `languages` counts them:
programming and markup languages only (prose such as Markdown, and data, are not counted)."""

from collections import Counter
from pathlib import PurePosixPath

EXTENSIONS = {
    ".c": "C",
    ".h": "C",
    ".cc": "C++",
    ".cpp": "C++",
    ".cxx": "C++",
    ".hpp": "C++",
    ".cs": "C#",
    ".css": "CSS",
    ".clj": "Clojure",
    ".coffee": "CoffeeScript",
    ".dart": "Dart",
    ".ex": "Elixir",
    ".exs": "Elixir",
    ".erl": "Erlang",
    ".go": "Go",
    ".groovy": "Groovy",
    ".hs": "Haskell",
    ".html": "HTML",
    ".htm": "HTML",
    ".java": "Java",
    ".js": "JavaScript",
    ".mjs": "JavaScript",
    ".cjs": "JavaScript",
    ".jsx": "JavaScript",
    ".kt": "Kotlin",
    ".kts": "Kotlin",
    ".lua": "Lua",
    ".m": "Objective-C",
    ".ml": "OCaml",
    ".php": "PHP",
    ".pl": "Perl",
    ".pm": "Perl",
    ".ps1": "PowerShell",
    ".py": "Python",
    ".pyi": "Python",
    ".r": "R",
    ".rb": "Ruby",
    ".rs": "Rust",
    ".scala": "Scala",
    ".scss": "SCSS",
    ".sh": "Shell",
    ".bash": "Shell",
    ".zsh": "Shell",
    ".sql": "SQL",
    ".swift": "Swift",
    ".tex": "TeX",
    ".ts": "TypeScript",
    ".tsx": "TypeScript",
    ".vue": "Vue",
    ".zig": "Zig",
}
FILE_NAMES = {"Dockerfile": "Dockerfile", "Makefile": "Makefile", "makefile": "Makefile"}


def language_of(path: str) -> str | None:
    name = PurePosixPath(path).name
    if name in FILE_NAMES:
        return FILE_NAMES[name]
    return EXTENSIONS.get(PurePosixPath(name).suffix.lower())


def language_bytes(files) -> dict[str, int]:
    """{language: bytes} over (path, size) pairs, largest first."""
    totals: Counter[str] = Counter()
    for path, size in files:
        language = language_of(path)
        if language is not None:
            totals[language] += size
    return dict(totals.most_common())
