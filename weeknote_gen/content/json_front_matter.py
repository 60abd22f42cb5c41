"""JSON front matter: a JSON object at the top of the file, its closing `}` ending a line, as
Hugo writes it. Read with the standard library's `json`; `_JsonWalker` follows its tokens to
find where each key and value is, a key written twice, and nesting too deep.
"""

from __future__ import annotations

import bisect
import json
import re

from weeknote_gen.content.front_matter_result import (
    FrontMatter,
    Mark,
    empty_error,
    too_deep_error,
    unclosed_error,
)
from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.yamldoc import MAX_DEPTH, YamlDocument, YamlPath

# A JSON object starts `{` then a quoted key or `}`: this keeps a body that starts with a
# template tag (`{{< figure >}}`) or an attribute list (`{: .lead}`) out of JSON's way.
JSON_START = re.compile(r"\{\s*[\"}]")

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


def split_json(text: str, path: str, start: int) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """A JSON object at the top of the file (Hugo's form): the body follows its `}` line."""
    open_line = text.count("\n", 0, start) + 1
    walker = _JsonWalker(text, start)
    try:
        value, end = _JSON_DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        return None, [_json_error(exc, text, path, open_line)]
    except RecursionError:
        walker.walk(path)
        return None, [walker.problem or too_deep_error("front-matter.json", path, (open_line, 1))]
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
        return None, [empty_error(path, open_line, '\'{"title": "Week 10"}\'')]
    body_line = text.count("\n", 0, end) + 2
    body = text[end_of_line + 1 :]
    walker.value_marks[()] = (open_line, 1)
    doc = YamlDocument(value, walker.key_marks, walker.value_marks)
    return FrontMatter(doc, "json", body, body_line), []


def _json_error(exc: json.JSONDecodeError, text: str, path: str, open_line: int) -> Diagnostic:
    if exc.pos >= len(text):
        return unclosed_error(path, open_line, "}")
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
                    self.problem = too_deep_error("front-matter.json", path, self.mark(here))
                    return
                stack.append((where, [None, {}] if text == "{" else [0, None]))
