"""What a range of commits changes: its size, and the text the git command line prints for it
(`git diff base...head`, `git format-patch base..head`) behind a pull request's `.diff` and
`.patch` pages.

With git.py and trees.py, the modules that read pygit2 objects (through GitRepository.raw).
"""

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pygit2

from gitforge.repositories.git import GitRepository

MAX_FILES = 3000  # as many as GitHub lists for a pull request
MAX_COMMITS = 250
STAT_WIDTH = 72  # git's width for the --stat of a mail
SUBJECT_WIDTH = 78  # RFC 2822's line length, as git wraps headers
ENCODED_WIDTH = 76  # RFC 2047's encoded-word line length
SIGNATURE = "gitforge"
RFC822_SPECIALS = set('()<>@,;:\\".[]')
ADDRESS_SAFE = set("!*+-/")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MIME_HEADERS = (
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
)


class TooLarge(Exception):
    """The range changes more than MAX_FILES files, or holds more than MAX_COMMITS commits."""


def range_stats(git: GitRepository, base_sha: str, head_sha: str) -> tuple[int, int, int]:
    """(additions, deletions, files changed) on head since it forked from base."""
    repo = git.raw
    merge_base = repo.merge_base(pygit2.Oid(hex=base_sha), pygit2.Oid(hex=head_sha))
    if merge_base is None:
        return (0, 0, 0)
    stats = repo.diff(_commit(repo, merge_base), _commit(repo, head_sha)).stats
    return (stats.insertions, stats.deletions, stats.files_changed)


def range_diff(git: GitRepository, base_sha: str, head_sha: str) -> str:
    """What `git diff base...head` prints: head's changes since it forked from base."""
    repo = git.raw
    merge_base = repo.merge_base(pygit2.Oid(hex=base_sha), pygit2.Oid(hex=head_sha))
    if merge_base is None:
        return ""
    return _patch_text(repo.diff(_commit(repo, merge_base), _commit(repo, head_sha)))


def format_patch(git: GitRepository, base_sha: str, head_sha: str) -> str:
    """What `git format-patch --stdout base..head` prints: one mail per commit, oldest first,
    merge commits left out, signed with SIGNATURE instead of git's version."""
    repo = git.raw
    walker = repo.walk(
        pygit2.Oid(hex=head_sha),
        pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE,
    )
    walker.hide(pygit2.Oid(hex=base_sha))
    commits = [commit for commit in walker if len(commit.parents) <= 1]
    if len(commits) > MAX_COMMITS:
        raise TooLarge()
    return "\n".join(
        _mail(repo, commit, number, len(commits)) for number, commit in enumerate(commits, 1)
    )


def _mail(repo, commit, number, total):
    if commit.parents:
        diff = repo.diff(commit.parents[0], commit, flags=pygit2.enums.DiffOption.SHOW_BINARY)
    else:
        diff = commit.tree.diff_to_tree(swap=True, flags=pygit2.enums.DiffOption.SHOW_BINARY)
    patch = _patch_text(diff)
    title, body = _title_and_body(commit.message)
    prefix = f"Subject: [PATCH {number}/{total}] " if total > 1 else "Subject: [PATCH] "
    author = commit.author
    headers = (
        f"From {commit.id} Mon Sep 17 00:00:00 2001\n"
        f"From: {_address(author.name, author.email)}\n"
        f"Date: {_mail_date(author)}\n"
        f"{_subject(prefix, title)}\n"
    )
    if not commit.message.isascii():
        headers += MIME_HEADERS
    stat = _stat(repo, diff) + _summary(diff)
    return f"{headers}\n{body}---\n{stat}\n{patch}-- \n{SIGNATURE}\n\n"


@dataclass(frozen=True)
class StatRow:
    name: str
    additions: int  # for a binary file: its new size in bytes
    deletions: int  # for a binary file: its old size in bytes
    binary: bool = False


def _stat(repo, diff):
    """git's `--stat` for mail (72 columns): a line per file with a +/- graph, then totals."""
    rows = []
    for patch in diff:
        delta = patch.delta
        name = delta.new_file.path
        if delta.status_char() == "R":
            name = _rename(delta.old_file.path, name)
        if delta.is_binary:
            sizes = _size(repo, delta.new_file), _size(repo, delta.old_file)
            rows.append(StatRow(name, *sizes, binary=True))
        else:
            _, additions, deletions = patch.line_stats
            rows.append(StatRow(name, additions, deletions))
    text = [row for row in rows if not row.binary]
    binary = [row for row in rows if row.binary]
    max_change = max((row.additions + row.deletions for row in text), default=0)
    bin_width = max(
        (14 + len(str(row.additions)) + len(str(row.deletions)) for row in binary), default=0
    )
    number_width = max(len(str(max_change)), 3 if binary else 0)
    name_width = max((len(row.name) for row in rows), default=0)
    graph_width = max_change if max_change + 4 > bin_width else bin_width - 4
    if name_width + number_width + 6 + graph_width > STAT_WIDTH:
        if graph_width > STAT_WIDTH * 3 // 8 - number_width - 6:
            graph_width = max(STAT_WIDTH * 3 // 8 - number_width - 6, 6)
        if name_width > STAT_WIDTH - number_width - 6 - graph_width:
            name_width = STAT_WIDTH - number_width - 6 - graph_width
        else:
            graph_width = STAT_WIDTH - number_width - 6 - name_width
    lines = []
    for row in rows:
        name = row.name
        if len(name) > name_width:  # keep the end, from a slash, behind "..."
            name = name[len(name) - max(name_width - 3, 0) :]
            name = "..." + (name[name.index("/") :] if "/" in name else name)
        column = f" {name:<{name_width}} | "
        if row.binary:
            size_change = f"{row.deletions} -> {row.additions} bytes"
            lines.append(f"{column}{'Bin':>{number_width}} {size_change}")
            continue
        change = row.additions + row.deletions
        plus, minus = row.additions, row.deletions
        if graph_width <= max_change:
            total = _scale(change, graph_width, max_change)
            if total < 2 and plus and minus:
                total = 2
            if plus < minus:
                plus = _scale(plus, graph_width, max_change)
                minus = total - plus
            else:
                minus = _scale(minus, graph_width, max_change)
                plus = total - minus
        graph = " " + "+" * plus + "-" * minus if change else ""
        lines.append(f"{column}{change:>{number_width}}{graph}")
    insertions, deletions = sum(row.additions for row in text), sum(row.deletions for row in text)
    lines.append(_totals(len(rows), insertions, deletions))
    return "".join(line + "\n" for line in lines)


def _commit(repo, sha) -> pygit2.Commit:
    return repo[sha].peel(pygit2.Commit)


def _size(repo, file):
    """The size of one side's blob; 0 for the side of an added or deleted file."""
    return repo[file.id].size if file.id in repo else 0


def _scale(value, width, max_change):
    return 1 + value * (width - 1) // max_change if value else 0


def _totals(files, insertions, deletions):
    text = f" {files} file{'s' if files != 1 else ''} changed"
    if insertions or not deletions:
        text += f", {insertions} insertion{'s' if insertions != 1 else ''}(+)"
    if deletions or not insertions:
        text += f", {deletions} deletion{'s' if deletions != 1 else ''}(-)"
    return text


def _summary(diff):
    """git's `--summary` lines: created, deleted and renamed files, and mode changes."""
    lines = []
    for delta in diff.deltas:
        kind, old, new = delta.status_char(), delta.old_file, delta.new_file
        if kind == "A":
            lines.append(f" create mode {new.mode:06o} {new.path}")
        elif kind == "D":
            lines.append(f" delete mode {old.mode:06o} {old.path}")
        elif kind == "R":
            lines.append(f" rename {_rename(old.path, new.path)} ({delta.similarity}%)")
        if kind in "MR" and old.mode != new.mode:
            name = f" {new.path}" if kind == "M" else ""
            lines.append(f" mode change {old.mode:06o} => {new.mode:06o}{name}")
    return "".join(line + "\n" for line in lines)


def _rename(old, new):
    """`dir/{old => new}`: the paths with their common leading folders and trailing part
    (from a slash) written once, as git shows a rename."""
    prefix = 0
    for i, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            break
        if a == "/":
            prefix = i + 1
    suffix = 0
    i, j = len(old), len(new)  # from the ends, which compare equal as git's terminators do
    floor = prefix - 1 if prefix else 0
    while i >= floor and j >= floor and (old + "\0")[i] == (new + "\0")[j]:
        if i < len(old) and old[i] == "/":
            suffix = len(old) - i
        i, j = i - 1, j - 1
    old_middle = old[prefix : max(prefix, len(old) - suffix)]
    new_middle = new[prefix : max(prefix, len(new) - suffix)]
    if not prefix + suffix:
        return f"{old_middle} => {new_middle}"
    return f"{old[:prefix]}{{{old_middle} => {new_middle}}}{old[len(old) - suffix :]}"


def _patch_text(diff):
    diff.find_similar()
    if len(diff) > MAX_FILES:
        raise TooLarge()
    return diff.patch or ""


def _title_and_body(message):
    """The first paragraph as one line, and the rest (ending in a newline, or empty)."""
    lines = message.strip("\n").split("\n")
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    title = " ".join(line.strip() for line in lines[:end])
    rest = lines[end:]
    while rest and not rest[0].strip():
        rest.pop(0)
    body = "\n".join(line.rstrip() for line in rest).rstrip("\n")
    return title, f"{body}\n" if body else ""


def _subject(prefix, title):
    if _needs_encoding(title):
        return prefix + _rfc2047(title, len(prefix), address=False)
    return _wrapped(prefix, title, SUBJECT_WIDTH)


def _address(name, email):
    if _needs_encoding(name):
        shown, width = _rfc2047(name, len("From: "), address=True), ENCODED_WIDTH
    elif RFC822_SPECIALS & set(name):
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        shown, width = _wrapped("From: ", f'"{quoted}"', SUBJECT_WIDTH)[6:], SUBJECT_WIDTH
    else:
        shown, width = _wrapped("From: ", name, SUBJECT_WIDTH)[6:], SUBJECT_WIDTH
    last_line = len(("From: " + shown).rsplit("\n", 1)[-1])
    separator = "\n" if width < last_line + len(email) + 3 else ""
    return f"{shown}{separator} <{email}>"


def _wrapped(prefix, text, width):
    """`prefix` + `text` wrapped at spaces within `width`, continued on lines indented by one."""
    lines = textwrap.wrap(
        "\0" * len(prefix) + text,
        width=width,
        subsequent_indent=" ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines).replace("\0" * len(prefix), prefix, 1) if lines else prefix


def _needs_encoding(text):
    return not text.isascii() or "\n" in text or "=?" in text


def _rfc2047(text, used, *, address):
    """`text` as RFC 2047 Q-encoded words, folded as git folds them; `used` is how much of the
    first line the header name already takes."""
    out = "=?UTF-8?q?"
    line = used + len("=?UTF-8?q?")
    for char in text:
        data = char.encode()
        special = (
            len(data) > 1
            or not char.isprintable()
            or char.isspace()
            or char in "=?_"
            or (address and not (char.isalnum() or char in ADDRESS_SAFE))
        )
        encoded = "".join(f"={byte:02X}" for byte in data) if special else char
        if line + len(encoded) + 2 > ENCODED_WIDTH:
            out += "?=\n =?UTF-8?q?"
            line = len(" =?UTF-8?q?")
        out += encoded
        line += len(encoded)
    return out + "?="


def _mail_date(signature):
    """RFC 2822 date in the author's own offset, as git writes it (day not zero-padded)."""
    offset = timezone(timedelta(minutes=signature.offset))
    when = datetime.fromtimestamp(signature.time, UTC).astimezone(offset)
    sign = "-" if signature.offset < 0 else "+"
    hours, minutes = divmod(abs(signature.offset), 60)
    weekday, month = WEEKDAYS[when.weekday()], MONTHS[when.month - 1]
    clock = f"{when:%H:%M:%S} {sign}{hours:02d}{minutes:02d}"
    return f"{weekday}, {when.day} {month} {when.year} {clock}"
