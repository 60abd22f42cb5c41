"""TOML front matter between `+++` lines, as Hugo writes it, read with the standard library's
`tomllib`; `_TomlScanner` walks the same text again to find where each key and value is
written, since tomllib reports no positions. Dates and times become ISO text, as YAML notes
hold them.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import re
import tomllib

from weeknote_gen.content.front_matter_result import (
    FrontMatter,
    Mark,
    body_after,
    empty_error,
    too_deep_error,
    unclosed_error,
)
from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.yamldoc import MAX_DEPTH, YamlDocument, YamlPath

# python-frontmatter's TOML handler needs the third-party `toml` package, so TOML is read here.
TOML_BOUNDARY = re.compile(r"^\+{3,}[ \t]*$", re.MULTILINE)


def split_toml(
    text: str, path: str, start: int, opening: re.Match[str]
) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """`+++` front matter, read with the standard library's TOML parser."""
    open_line = text.count("\n", 0, start) + 1
    closing = TOML_BOUNDARY.search(text, opening.end())
    if closing is None:
        return None, [unclosed_error(path, open_line, "+++")]
    block = text[opening.end() + 1 : closing.start()]
    first_line = open_line + 1
    body, body_line = body_after(text, closing.start())
    scanner = _TomlScanner(block, first_line)
    try:
        value = tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_error(str(exc), block, scanner, path, body_line - 1)]
    except RecursionError:
        scanner.scan()
        return None, [
            too_deep_error("front-matter.toml", path, scanner.too_deep or (first_line, 1))
        ]
    scanner.scan()
    if scanner.too_deep is not None:
        return None, [too_deep_error("front-matter.toml", path, scanner.too_deep)]
    if not value:
        return None, [empty_error(path, open_line, "'title = \"Week 10\"'")]
    scanner.value_marks[()] = (first_line, 1)
    doc = YamlDocument(_iso_dates(value), scanner.key_marks, scanner.value_marks)
    return FrontMatter(doc, "toml", body, body_line), []


def _iso_dates(value: object) -> object:
    """TOML's dates and times as the ISO text a YAML note would hold, throughout."""
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _iso_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso_dates(item) for item in value]
    return value


_TOML_POSITION = re.compile(r"^(.*) \(at (?:line (\d+), column (\d+)|end of document)\)$", re.S)
_KEY_VALUE_HINT = 'write one field per line as key = value, such as title = "Week 10"'
_TOML_QUOTES_HINT = 'put text in double quotes, such as title = "Week 10: moving house"'
_TOML_BACKSLASH_HINT = (
    "in double quotes a backslash starts an escape: write \\\\ for a backslash,"
    " or put the text in 'single quotes'"
)
# tomllib's complaint (by how it starts) -> what we say, and how to fix it.
_TOML_MESSAGES: tuple[tuple[str, str, str], ...] = (
    ("Invalid statement", "this line is not a 'key = value' line", _KEY_VALUE_HINT),
    (
        "Expected '=' after a key",
        "a key must be followed by '=' and its value",
        'TOML uses "=" where YAML uses ":": write title = "Week 10"',
    ),
    (
        "Invalid value",
        "this value is not text in quotes, a number, a date, true/false or a [list]",
        _TOML_QUOTES_HINT,
    ),
    (
        "Expected newline or end of document after a statement",
        "something follows the value on this line",
        _TOML_QUOTES_HINT + ", one field per line",
    ),
    (
        "Illegal character '\\n'",
        "this text in quotes is not closed before the end of the line",
        'add the closing quote; text over several lines goes in """triple quotes"""',
    ),
    ("Unterminated string", "this text in quotes is never closed", "add the closing quotes"),
    (
        "Unclosed array",
        "this [list] is never closed",
        "add the closing ']' after the last item, and separate items with ','",
    ),
    (
        "Unclosed inline table",
        "this {table} is never closed",
        "add the closing '}': a {table} must fit on one line",
    ),
    (
        "Expected ']'",
        "this [table] name is not closed",
        "write the table's name in brackets on a line of its own, such as [params]",
    ),
    (
        "Invalid date or datetime",
        "this is not a real date or time",
        "write a date as 2024-03-08, or with a time and offset as 2024-03-08T16:30:00+00:00",
    ),
    ("Unescaped '\\'", "a backslash that starts no escape", _TOML_BACKSLASH_HINT),
    ("Invalid hex value", "this \\u escape is not a character code", _TOML_BACKSLASH_HINT),
    ("Escaped character", "this \\u escape is not a character", _TOML_BACKSLASH_HINT),
    (
        "Invalid initial character for a key",
        "a key must be letters, digits, '_' and '-', or be in quotes",
        'such as title = … or "my key" = …',
    ),
)
_TOML_DUPLICATES = (
    "Cannot declare",
    "Cannot overwrite",
    "Duplicate inline table key",
    "Cannot redefine",
    "Cannot mutate",
)


def _toml_error(
    raw: str, block: str, scanner: _TomlScanner, path: str, closing_line: int
) -> Diagnostic:
    """tomllib's complaint in an author's words, at the file's line (not the block's)."""
    shape = _TOML_POSITION.match(raw)
    problem = shape.group(1) if shape else raw
    if shape and shape.group(2):
        line = int(shape.group(2)) + scanner.first_line - 1
        column: int | None = int(shape.group(3))
        position = scanner.line_starts[int(shape.group(2)) - 1] + int(shape.group(3)) - 1
    else:  # at the end of the block: the closing `+++` is where it should have been
        line, column, position = closing_line, None, len(block)
        opener = max(block.rfind('"""'), block.rfind("'''"))
        if problem.startswith("Unterminated string") and opener >= 0:
            line, column = scanner.mark(opener)  # where the text in triple quotes opens
    if problem.startswith("Unescaped") and column is not None:
        backslash = block.rfind("\\", scanner.line_starts[line - scanner.first_line], position + 1)
        column = column if backslash < 0 else column - (position - backslash)  # at the "\\"
    if problem.startswith(_TOML_DUPLICATES):
        scanner.scan()
        if scanner.duplicate is not None:
            key, first, again = scanner.duplicate
            return error(
                "front-matter.toml",
                f"invalid TOML: key '{key}' appears twice (first on line {first[0]})",
                Location(path, *again),
                "delete one of them: TOML keeps only one value per key",
            )
        message = "a key or table is given twice"
        hint = "delete one of them: TOML keeps only one value per key"
    elif (
        problem.startswith("Illegal character")
        and position < len(block)
        and block[position] != "\n"
    ):
        code = ord(block[position])
        message = f"the invisible control character U+{code:04X} is not allowed"
        hint = "delete it: it is often pasted in by accident, and most editors do not show it"
    else:
        known = next((said for said in _TOML_MESSAGES if problem.startswith(said[0])), None)
        if known is not None:
            message, hint = known[1], known[2]
        else:
            message = problem[:1].lower() + problem[1:]
            hint = _KEY_VALUE_HINT + ", with text in double quotes"
    return error(
        "front-matter.toml", f"invalid TOML: {message}", Location(path, line, column), hint
    )


class _ScanStoppedError(Exception):
    """The scanner met text it does not follow; the marks found so far are kept."""


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL_STRING = re.compile(r"'[^'\n]*'")
_MULTILINE_BASIC = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""(?:""?(?!"))?', re.S)
_MULTILINE_LITERAL = re.compile(r"'''(?:[^']|'(?!''))*'''(?:''?(?!'))?", re.S)
_TOML_SCALAR = re.compile(r"[^,\]}\n#]*")
_TOML_SPACE = re.compile(r"[ \t]*")
_TOML_SPACE_LINES = re.compile(r"(?:[ \t\n]|#[^\n]*)*")


class _TomlScanner:
    """Where each key and value of a TOML block is written, found by following its text.

    tomllib reports no positions for what it reads, so this walks the same text again. It
    follows valid TOML (it runs after tomllib has accepted the block, or to find the second
    of two equal keys tomllib refused); on anything else it stops, keeping what it found.
    Records marks by key path as `yamldoc` does (tables nest: `[params]` then `x = 1` is
    ("params", "x"); `[[links]]` tables are numbered), notes the first key path written
    twice, and where lists or tables first nest more than `MAX_DEPTH` deep.
    """

    def __init__(self, src: str, first_line: int) -> None:
        self.src = src
        self.first_line = first_line
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", src))]
        self.pos = 0
        self.key_marks: dict[YamlPath, Mark] = {}
        self.value_marks: dict[YamlPath, Mark] = {}
        self.seen: dict[YamlPath, Mark] = {}
        self.duplicate: tuple[str, Mark, Mark] | None = None
        self.too_deep: Mark | None = None
        self.scanned = False

    def mark(self, pos: int) -> Mark:
        index = bisect.bisect_right(self.line_starts, pos) - 1
        return index + self.first_line, pos - self.line_starts[index] + 1

    def scan(self) -> None:
        if self.scanned:
            return
        self.scanned = True
        with contextlib.suppress(_ScanStoppedError, IndexError, ValueError, RecursionError):
            self.statements()

    def statements(self) -> None:
        src = self.src
        table: YamlPath = ()
        counts: dict[YamlPath, int] = {}
        while True:
            self.skip(_TOML_SPACE_LINES)
            if self.pos >= len(src):
                return
            at = self.pos
            if src.startswith("[[", at):
                self.pos += 2
                name = self.key()
                self.expect("]]")
                counts[name] = counts.get(name, -1) + 1
                self.key_marks.setdefault(name, self.mark(at))
                self.value_marks.setdefault(name, self.mark(at))
                table = (*name, counts[name])
                self.value_marks[table] = self.mark(at)
            elif src.startswith("[", at):
                self.pos += 1
                table = self.key()
                self.expect("]")
                self.note(table, at)
                self.key_marks[table] = self.value_marks[table] = self.mark(at)
            else:
                self.key_value(table)

    def key_value(self, parent: YamlPath) -> None:
        at = self.pos
        full = (*parent, *self.key())
        self.expect("=")
        self.skip(_TOML_SPACE)
        self.note(full, at)
        self.key_marks[full] = self.mark(at)
        self.value(full)

    def note(self, path: YamlPath, at: int) -> None:
        if path in self.seen:
            if self.duplicate is None:
                self.duplicate = (".".join(map(str, path)), self.seen[path], self.mark(at))
        else:
            self.seen[path] = self.mark(at)

    def key(self) -> tuple[str, ...]:
        """A dotted key's parts, as tomllib reads them."""
        parts: list[str] = []
        while True:
            self.skip(_TOML_SPACE)
            char = self.src[self.pos]
            if char == '"':
                written = self.take(_BASIC_STRING)
                parts.append(tomllib.loads(f"k = {written}")["k"])
            elif char == "'":
                parts.append(self.take(_LITERAL_STRING)[1:-1])
            else:
                parts.append(self.take(_BARE_KEY))
            self.skip(_TOML_SPACE)
            if not self.src.startswith(".", self.pos):
                return tuple(parts)
            self.pos += 1

    def value(self, path: YamlPath) -> None:
        src, at = self.src, self.pos
        self.value_marks[path] = self.mark(at)
        if src.startswith(('"""', "'''"), at):
            self.take(_MULTILINE_BASIC if src[at] == '"' else _MULTILINE_LITERAL)
        elif src.startswith('"', at):
            self.take(_BASIC_STRING)
        elif src.startswith("'", at):
            self.take(_LITERAL_STRING)
        elif src.startswith(("[", "{"), at):
            if len(path) >= MAX_DEPTH:
                self.too_deep = self.mark(at)
                raise _ScanStoppedError
            self.pos += 1
            if src[at] == "[":
                self.items(path)
            else:
                self.inline_table(path)
        else:
            self.take(_TOML_SCALAR)

    def items(self, path: YamlPath) -> None:
        index = 0
        while True:
            self.skip(_TOML_SPACE_LINES)
            if self.src.startswith("]", self.pos):
                self.pos += 1
                return
            self.value((*path, index))
            index += 1
            self.skip(_TOML_SPACE_LINES)
            if self.src.startswith(",", self.pos):
                self.pos += 1

    def inline_table(self, path: YamlPath) -> None:
        while True:
            self.skip(_TOML_SPACE_LINES)
            if self.src.startswith("}", self.pos):
                self.pos += 1
                return
            self.key_value(path)
            self.skip(_TOML_SPACE_LINES)
            if self.src.startswith(",", self.pos):
                self.pos += 1

    def skip(self, pattern: re.Pattern[str]) -> None:
        found = pattern.match(self.src, self.pos)
        assert found is not None  # these patterns match the empty string
        self.pos = found.end()

    def take(self, pattern: re.Pattern[str]) -> str:
        found = pattern.match(self.src, self.pos)
        if found is None or (not found.group() and pattern is not _TOML_SCALAR):
            raise _ScanStoppedError
        self.pos = found.end()
        return found.group()

    def expect(self, text: str) -> None:
        self.skip(_TOML_SPACE)
        if not self.src.startswith(text, self.pos):
            raise _ScanStoppedError
        self.pos += len(text)
