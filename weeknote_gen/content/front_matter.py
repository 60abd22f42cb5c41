"""Splitting a note into its metadata and its body, whichever front matter it was written with.

Notes come from many tools, so five shapes are read:

- **yaml**: between `---` lines (our own format; exactly as before, errors included).
- **toml**: between `+++` lines, as Hugo writes it.
- **json**: a JSON object at the top of the file, its closing `}` ending a line, as Hugo
  writes it.
- **header**: `Key: value` lines ended by a blank line, as Pelican and MultiMarkdown write it.
- **none**: no front matter at all; the whole text is the body.

Whatever the shape, the result is a `YamlDocument`: a plain mapping (text, numbers, true/false,
lists, nested mappings) plus where each key and value was written, so the field checks in
`parse` are the same for every shape and every complaint points at the key's line.

Rules shared by every shape:

- Blank lines before the front matter are skipped: the front matter starts on the first line
  that is not blank.
- Dates are text: TOML's dates and times become ISO text (`2019-10-18`,
  `2019-10-18T09:30:00+01:00`, `2019-10-18T09:30:00` for a time with no offset), the text YAML
  and JSON notes already hold, so `parse.read_date` judges dates the same way everywhere.
- A key given twice is an error (never last-wins), and lists or mappings nested more than
  `yamldoc.MAX_DEPTH` deep are refused, as in YAML.
- Empty front matter (`---` then `---`, `+++` then `+++`, or `{}`) is an error, as it has
  always been for YAML.

Deliberately kept: a file whose first line is `---` is read as YAML front matter even if the
author meant a thematic break (a horizontal rule) followed by prose. Nothing tells the two
apart safely (`---`, a sentence, `---` is both), so such a file is reported as before
(`front-matter.not-mapping` or `front-matter.unclosed`), and the hint tells the author what
was expected.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import json
import re
import tomllib
from typing import Literal, NamedTuple

from frontmatter.default_handlers import YAMLHandler

from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.yamldoc import MAX_DEPTH, YamlDocument, YamlPath, load_yaml

Style = Literal["yaml", "toml", "json", "header", "none"]
Mark = tuple[int, int]  # 1-based file line and column


class FrontMatter(NamedTuple):
    """A note's metadata (as a located mapping), which shape it was written in, and its body.

    `body_line` is the 1-based file line on which `body` starts, so Markdown problems found
    later can be reported at the right line of the file.

    Immutable like our frozen dataclasses, but a named tuple: one is made for every note of
    every cold build, and a frozen dataclass costs three times as much to make (0.8 µs against
    0.3 µs), which was most of what splitting added to reading YAML front matter.
    """

    doc: YamlDocument
    style: Style
    body: str
    body_line: int


def split_front_matter(text: str, path: str) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Find and read the front matter at the top of `text` (already decoded by `discover`,
    so without a byte order mark and with `\\n` line endings).

    Returns the split note, or None with the errors that stop it being read; every error is
    located at a file line (and column where one is known) and carries a hint. `path` is only
    used to name the file in diagnostics.
    """
    start = 0
    first = text[:1]
    if first in _BLANKS:
        start = _BLANK_LINES.match(text).end()  # type: ignore[union-attr]  # always matches
        first = text[start : start + 1]
    if first == "-":
        opening = _YAML_BOUNDARY.match(text, start)
        if opening is not None:
            return _split_yaml(text, path, start, opening)
    elif first == "+":
        opening = _TOML_BOUNDARY.match(text, start)
        if opening is not None:
            return _split_toml(text, path, start, opening)
    elif first == "{":
        if _JSON_START.match(text, start):
            return _split_json(text, path, start)
    elif first.isalnum():
        header = _read_header(text, path, start)
        if header is not None:
            return header
    return FrontMatter(YamlDocument({}, {}, {(): (1, 1)}), "none", text, 1), []


_BLANKS = frozenset("\n \t")
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
# python-frontmatter's own boundary for YAML (so YAML notes split exactly as they always have):
# three or more dashes alone on a line. `\s*` may run on over blank lines; the line arithmetic
# below allows for that. Its TOML handler needs the third-party `toml` package, and its JSON
# handler has no located errors, so those two shapes are read here with the standard library.
_YAML_BOUNDARY: re.Pattern[str] = YAMLHandler.FM_BOUNDARY
_TOML_BOUNDARY = re.compile(r"^\+{3,}[ \t]*$", re.MULTILINE)
# A JSON object starts `{` then a quoted key or `}`: this keeps a body that starts with a
# template tag (`{{< figure >}}`) or an attribute list (`{: .lead}`) out of JSON's way.
_JSON_START = re.compile(r"\{\s*[\"}]")


def _body_after(text: str, delimiter_start: int) -> tuple[str, int]:
    """The body after the delimiter line starting at `delimiter_start`, and its file line."""
    end_of_line = text.find("\n", delimiter_start)
    body_start = len(text) if end_of_line < 0 else end_of_line + 1
    return text[body_start:], text.count("\n", 0, delimiter_start) + 2


def _unclosed(path: str, line: int, delimiter: str) -> Diagnostic:
    return error(
        "front-matter.unclosed",
        f"the front matter opened on line {line} is never closed",
        Location(path, line),
        f"add a line with just '{delimiter}' after the last front matter field",
    )


def _empty(path: str, line: int, example: str) -> Diagnostic:
    return error(
        "front-matter.not-mapping",
        "the front matter is empty",
        Location(path, line),
        f"write one field per line, such as {example}",
    )


# --- YAML -------------------------------------------------------------------------------------


def _split_yaml(
    text: str, path: str, start: int, opening: re.Match[str]
) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """`---` front matter, split and reported exactly as `parse` always has."""
    closing = _YAML_BOUNDARY.search(text, opening.end())
    if closing is None:
        return None, [_unclosed(path, text.count("\n", 0, start) + 1, "---")]
    block = text[opening.end() : closing.start()]
    first_line = text.count("\n", 0, opening.end()) + 1
    # The body starts on the line after the closing delimiter, so `body_line - 1` is the
    # delimiter's line (the boundary pattern itself would swallow blank lines after it).
    # (`_body_after`, written out: this is the path every YAML note takes.)
    end_of_line = text.find("\n", closing.start())
    body = text[len(text) if end_of_line < 0 else end_of_line + 1 :]
    body_line = text.count("\n", 0, closing.start()) + 2
    doc, problems = load_yaml(block, path, first_line=first_line)
    if doc is None:
        return None, problems
    if not isinstance(doc.value, dict):
        kind = (
            "empty"
            if doc.value is None
            else f"a {'list' if isinstance(doc.value, list) else 'single value'}, "
            "not 'key: value' lines"
        )
        return None, [
            error(
                "front-matter.not-mapping",
                f"the front matter is {kind}",
                Location(path, first_line),
                "write one 'key: value' per line, such as 'title: Week 10'",
            )
        ]
    return FrontMatter(doc, "yaml", body, body_line), problems


# --- TOML -------------------------------------------------------------------------------------


def _split_toml(
    text: str, path: str, start: int, opening: re.Match[str]
) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """`+++` front matter, read with the standard library's TOML parser."""
    open_line = text.count("\n", 0, start) + 1
    closing = _TOML_BOUNDARY.search(text, opening.end())
    if closing is None:
        return None, [_unclosed(path, open_line, "+++")]
    block = text[opening.end() + 1 : closing.start()]
    first_line = open_line + 1
    body, body_line = _body_after(text, closing.start())
    scanner = _TomlScanner(block, first_line)
    try:
        value = tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_error(str(exc), block, scanner, path, body_line - 1)]
    except RecursionError:
        scanner.scan()
        return None, [_too_deep("front-matter.toml", path, scanner.too_deep or (first_line, 1))]
    scanner.scan()
    if scanner.too_deep is not None:
        return None, [_too_deep("front-matter.toml", path, scanner.too_deep)]
    if not value:
        return None, [_empty(path, open_line, "'title = \"Week 10\"'")]
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


def _too_deep(code: str, path: str, where: Mark) -> Diagnostic:
    return error(
        code,
        f"lists or mappings are nested more than {MAX_DEPTH} deep here, too deep to read",
        Location(path, *where),
        'write each field as text or a plain list, such as tags = ["agile", "research"]',
    )


# --- JSON -------------------------------------------------------------------------------------

_JSON_HINTS: tuple[tuple[str, str], ...] = (
    (
        "Expecting ',' delimiter",
        "put ',' between fields and between list items; if the note's text starts here,"
        " end the front matter with a line holding just '}' above it",
    ),
    (
        "Expecting property name",
        "put each field name in double quotes (\"title\"), and remove any ',' after the last field",
    ),
    ("Expecting ':' delimiter", 'write each field as "name": value, such as "title": "Week 10"'),
    (
        "Expecting value",
        "write a value: text in double quotes, a number, true, false, null, [a list] or"
        " {an object}, and remove any ',' after the last item",
    ),
    ("Unterminated string", "add the closing '\"' at the end of the text"),
    ("Invalid control character", "write a line break inside text as \\n, and a tab as \\t"),
    ("Invalid \\escape", "a backslash starts an escape in JSON text: write \\\\ for a backslash"),
    ("Invalid \\u", "write \\u and four hex digits, such as \\u00e9"),
)
_JSON_DECODER = json.JSONDecoder()


def _split_json(text: str, path: str, start: int) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """A JSON object at the top of the file (Hugo's form): the body follows its `}` line."""
    open_line = text.count("\n", 0, start) + 1
    walker = _JsonWalker(text, start)
    try:
        value, end = _JSON_DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        return None, [_json_error(exc, text, path, open_line)]
    except RecursionError:
        walker.walk(path)
        return None, [walker.problem or _too_deep("front-matter.json", path, (open_line, 1))]
    walker.walk(path)
    if walker.problem is not None:
        return None, [walker.problem]
    end_of_line = text.find("\n", end)
    end_of_line = len(text) if end_of_line < 0 else end_of_line
    trailing = text[end:end_of_line]
    if trailing.strip():
        line, column = walker.mark(end + len(trailing) - len(trailing.lstrip()))
        return None, [
            error(
                "front-matter.json",
                "text follows the '}' that ends the front matter",
                Location(path, line, column),
                "start the note's text on the line after the closing '}'",
            )
        ]
    if not value:
        return None, [_empty(path, open_line, '\'{"title": "Week 10"}\'')]
    body_line = text.count("\n", 0, end) + 2
    body = text[end_of_line + 1 :]
    walker.value_marks[()] = (open_line, 1)
    doc = YamlDocument(value, walker.key_marks, walker.value_marks)
    return FrontMatter(doc, "json", body, body_line), []


def _json_error(exc: json.JSONDecodeError, text: str, path: str, open_line: int) -> Diagnostic:
    if exc.pos >= len(text):
        return _unclosed(path, open_line, "}")
    hint = next(
        (hint for start, hint in _JSON_HINTS if exc.msg.startswith(start)),
        'write the front matter as a JSON object, such as {"title": "Week 10"}',
    )
    message = exc.msg[:1].lower() + exc.msg[1:]
    if text[exc.pos] == "\n":  # "invalid control character": a quote left open on its line
        message = "this text in quotes is not closed before the end of the line"
        hint = "add the closing '\"'; write a line break inside text as \\n"
    elif message.endswith(" starting at"):
        message = message.removesuffix(" starting at")  # "unterminated string" (located there)
    elif message.endswith(" at"):
        message = message.removesuffix(" at")
    return error(
        "front-matter.json",
        f"invalid JSON: {message}",
        Location(path, exc.lineno, exc.colno),
        hint,
    )


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


class _JsonWalker:
    """Where each key and value of a JSON object is, by following its tokens; also finds a key
    written twice in one object (JSON parsers keep the last, silently) and nesting deeper than
    `MAX_DEPTH`. Iterative, so it can locate nesting too deep for `json` itself."""

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start
        self.line_starts: list[int] | None = None
        self.key_marks: dict[YamlPath, Mark] = {}
        self.value_marks: dict[YamlPath, Mark] = {}
        self.problem: Diagnostic | None = None

    def mark(self, pos: int) -> Mark:
        if self.line_starts is None:
            self.line_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        index = bisect.bisect_right(self.line_starts, pos) - 1
        return index + 1, pos - self.line_starts[index] + 1

    def walk(self, path: str = "") -> None:
        # One frame per open object or list: its path, then for an object the key waiting for
        # its value (None while a key is expected) and the keys seen, for a list the next index.
        stack: list[tuple[YamlPath, list[object]]] = []
        for token in _JSON_TOKEN.finditer(self.text, self.start):
            text = token.group()
            if text in (",", ":"):
                continue
            if text in ("}", "]"):
                stack.pop()
                if not stack:
                    return
                continue
            here = token.start()
            if stack:
                parent, state = stack[-1]
                if isinstance(state[1], dict):  # an object: [key or None, keys seen]
                    if state[0] is None:
                        key = json.loads(text)
                        seen: dict[str, Mark] = state[1]
                        if key in seen:
                            self.problem = error(
                                "front-matter.json",
                                f"key '{key}' appears twice (first on line {seen[key][0]})",
                                Location(path, *self.mark(here)),
                                "delete one of them: only one value per key can be kept",
                            )
                            return
                        seen[key] = self.key_marks[(*parent, key)] = self.mark(here)
                        state[0] = key
                        continue
                    where: YamlPath = (*parent, str(state[0]))
                    state[0] = None
                else:  # a list: [next index, None]
                    index = state[0]
                    assert isinstance(index, int)
                    where = (*parent, index)
                    state[0] = index + 1
            else:
                where = ()
            self.value_marks[where] = self.mark(here)
            if text in ("{", "["):
                if len(where) >= MAX_DEPTH:
                    self.problem = _too_deep("front-matter.json", path, self.mark(here))
                    return
                stack.append((where, [None, {}] if text == "{" else [0, None]))


# --- Pelican / MultiMarkdown header -----------------------------------------------------------

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


def _read_header(
    text: str, path: str, start: int
) -> tuple[FrontMatter | None, list[Diagnostic]] | None:
    """`Key: value` lines at the top of the file, or None when the file does not open with one.

    Keys are lower-cased. A line indented by spaces or tabs continues the value above (joined
    with a space, as YAML folds plain text). The header ends at the first blank line, which
    belongs to it; as in Python-Markdown (which Pelican uses), a line that is neither a field
    nor a continuation also ends it, and the body starts on that line. Values stay text, except
    the keys in `HEADER_LIST_KEYS`, which become lists.
    """
    line_no = text.count("\n", 0, start) + 1
    pos = start
    # Each field: key, file line, and its value's pieces as (line, column, text).
    fields: list[tuple[str, int, list[tuple[int, int, str]]]] = []
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
    if not any(key in HEADER_REQUIRED_KEYS for key, _, _ in fields):
        return None
    value: dict[str, object] = {}
    key_marks: dict[YamlPath, Mark] = {}
    value_marks: dict[YamlPath, Mark] = {(): (fields[0][1], 1)}
    for key, key_line, pieces in fields:
        if key in value:
            return None, [
                error(
                    "front-matter.header",
                    f"key '{key}' appears twice (first on line {key_marks[(key,)][0]})",
                    Location(path, key_line, 1),
                    "delete one of them, or join their values on one line",
                )
            ]
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
    body = text[pos:] if pos <= len(text) else ""
    doc = YamlDocument(value, key_marks, value_marks)
    return FrontMatter(doc, "header", body, line_no), []


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
