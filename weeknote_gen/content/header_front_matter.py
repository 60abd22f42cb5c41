"""A Pelican or MultiMarkdown header: `Key: value` lines at the top of the file, ended by a
blank line. Recognised only when it opens with a known key and gives a title or a date, so
prose such as "Note: I was off on Monday." stays prose.
"""

from __future__ import annotations

import re

from weeknote_gen.content.front_matter_result import FrontMatter, Mark
from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.yamldoc import YamlDocument, YamlPath

# The header is only recognised when its first line names one of these keys: prose such as
# "Note: I was off on Monday." must stay prose. These are the keys Pelican and MultiMarkdown
# documents most often open with. The header must also give a `title` or a `date` (every
# Pelican article has them), so a note opening "Status: back from leave" is still prose.
HEADER_FIRST_KEYS = frozenset(
    {
        "title",
        "date",
        "modified",
        "author",
        "authors",
        "tags",
        "keywords",
        "category",
        "summary",
        "slug",
        "status",
        "lang",
    }
)
HEADER_REQUIRED_KEYS = frozenset({"title", "date"})
# Keys whose value is a list written on one line, split on commas; as in Pelican, `authors`
# is split on semicolons instead when it holds any (for names written "Last, First").
HEADER_LIST_KEYS = frozenset({"tags", "keywords", "category", "authors"})
_HEADER_FIELD = re.compile(r"([^\W_][\w -]*?)[ \t]*:[ \t]*(.*)")
_HEADER_CONTINUATION = re.compile(r"[ \t]+(\S.*)")


# A header field: its key, its file line, and its value's pieces as (line, column, text).
_Field = tuple[str, int, list[tuple[int, int, str]]]


def read_header(
    text: str, path: str, start: int
) -> tuple[FrontMatter | None, list[Diagnostic]] | None:
    """`Key: value` lines at the top of the file, or None when the file does not open with one.

    Keys are lower-cased. A line indented by spaces or tabs continues the value above (joined
    with a space, as YAML folds plain text). The header ends at the first blank line, which
    belongs to it; as in Python-Markdown (which Pelican uses), a line that is neither a field
    nor a continuation also ends it, and the body starts on that line. Values stay text, except
    the keys in `HEADER_LIST_KEYS`, which become lists.
    """
    found = _header_fields(text, start)
    if found is None:
        return None
    fields, pos, line_no = found
    if not any(key in HEADER_REQUIRED_KEYS for key, _, _ in fields):
        return None
    doc, problem = _header_document(fields, path)
    if doc is None:
        return None, [problem] if problem is not None else []
    body = text[pos:] if pos <= len(text) else ""
    return FrontMatter(doc, "header", body, line_no), []


def _header_fields(text: str, start: int) -> tuple[list[_Field], int, int] | None:
    """The header's fields, where the body starts and its file line; None when the first
    line names no key a header opens with (the file is prose)."""
    line_no = text.count("\n", 0, start) + 1
    pos = start
    fields: list[_Field] = []
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        field = _HEADER_FIELD.fullmatch(line)
        more = _HEADER_CONTINUATION.fullmatch(line) if fields else None
        if not line.strip():
            pos, line_no = end + 1, line_no + 1  # the blank line ends the header
            break
        if more is not None:
            fields[-1][2].append((line_no, more.start(1) + 1, more.group(1).rstrip()))
        elif field is not None:
            key = field.group(1).lower()
            if not fields and key not in HEADER_FIRST_KEYS:
                return None
            fields.append((key, line_no, [(line_no, field.start(2) + 1, field.group(2).rstrip())]))
        else:
            break  # not a field: the body starts on this line
        pos, line_no = end + 1, line_no + 1
    return fields, pos, line_no


def _header_document(
    fields: list[_Field], path: str
) -> tuple[YamlDocument | None, Diagnostic | None]:
    """The fields as a located mapping, list keys split into items; or the complaint about a
    key given twice."""
    value: dict[str, object] = {}
    key_marks: dict[YamlPath, Mark] = {}
    value_marks: dict[YamlPath, Mark] = {(): (fields[0][1], 1)}
    for key, key_line, pieces in fields:
        if key in value:
            return None, error(
                "front-matter.header",
                f"key '{key}' appears twice (first on line {key_marks[(key,)][0]})",
                Location(path, key_line, 1),
                "delete one of them, or join their values on one line",
            )
        key_marks[(key,)] = (key_line, 1)
        value_marks[(key,)] = pieces[0][:2]
        folded, marks = _fold(pieces)
        if key not in HEADER_LIST_KEYS:
            value[key] = folded
            continue
        separator = ";" if key == "authors" and ";" in folded else ","
        items: list[str] = []
        for found in re.finditer(f"[^{separator}]+", folded):
            item = found.group().strip()
            if item:
                value_marks[(key, len(items))] = marks[found.start() + found.group().index(item)]
                items.append(item)
        value[key] = items
    return YamlDocument(value, key_marks, value_marks), None


def _fold(pieces: list[tuple[int, int, str]]) -> tuple[str, list[Mark]]:
    """A value's lines joined with spaces, and the file position of each of its characters."""
    text = ""
    marks: list[Mark] = []
    for line, column, piece in pieces:
        if text and piece:
            text += " "
            marks.append((line, column))
        text += piece
        marks.extend((line, column + offset) for offset in range(len(piece)))
    return text, marks
