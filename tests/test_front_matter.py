"""Front matter in every shape notes are found in: YAML, TOML, JSON, a `Key: value` header, or
none; what each reads as, where each key is, and every error located at its file line."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from weeknote_gen.content.date_text import read_date
from weeknote_gen.content.front_matter import split_front_matter
from weeknote_gen.content.front_matter_result import FrontMatter
from weeknote_gen.errors import Diagnostic, Location, decode_text, error
from weeknote_gen.yamldoc import YamlDocument, load_yaml

PATH = "weeknotes/2019/w42.md"
GOLDEN_INVALID = Path(__file__).resolve().parent / "golden" / "invalid"


def split(text: str) -> FrontMatter:
    """The split of text that must read without problems."""
    found, problems = split_front_matter(text, PATH)
    assert problems == []
    assert found is not None
    return found


def problem(text: str) -> Diagnostic:
    """The one error that stops `text` being read."""
    found, problems = split_front_matter(text, PATH)
    assert found is None
    assert len(problems) == 1, problems
    assert problems[0].is_error
    assert problems[0].hint, "every error says how to fix it"
    return problems[0]


def line_of(text: str, number: int) -> str:
    return text.split("\n")[number - 1]


# --- YAML: exactly as parse.py split it before this module ------------------------------------

# The boundary parse.py took from python-frontmatter's YAMLHandler, written out so this
# comparison outlives that dependency.
_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)


def test_the_reference_boundary_is_the_one_parse_used() -> None:
    handlers = pytest.importorskip("frontmatter.default_handlers")
    assert handlers.YAMLHandler.FM_BOUNDARY == _BOUNDARY


def reference_yaml_split(
    text: str,
) -> tuple[tuple[YamlDocument, str, int] | None, list[Diagnostic]] | None:
    """parse.py's splitting before this module (None: "no front matter"), to compare with."""
    assert _BOUNDARY is not None
    opening = _BOUNDARY.match(text)
    if opening is None:
        return None
    closing = _BOUNDARY.search(text, opening.end())
    if closing is None:
        return None, [
            error(
                "front-matter.unclosed",
                "the front matter opened on line 1 is never closed",
                Location(PATH, 1),
                "add a line with just '---' after the last front matter field",
            )
        ]
    first_line = text.count("\n", 0, opening.end()) + 1
    end_of_line = text.find("\n", closing.start())
    body = text[len(text) if end_of_line < 0 else end_of_line + 1 :]
    body_line = text.count("\n", 0, closing.start()) + 2
    doc, problems = load_yaml(text[opening.end() : closing.start()], PATH, first_line=first_line)
    if doc is None:
        return None, problems
    if not isinstance(doc.value, dict):
        kind = (
            "empty"
            if doc.value is None
            else f"a {'list' if isinstance(doc.value, list) else 'single value'},"
            " not 'key: value' lines"
        )
        return None, [
            error(
                "front-matter.not-mapping",
                f"the front matter is {kind}",
                Location(PATH, first_line),
                "write one 'key: value' per line, such as 'title: Week 10'",
            )
        ]
    return (doc, body, body_line), []


def assert_same_as_before(text: str) -> None:
    before = reference_yaml_split(text)
    found, problems = split_front_matter(text, PATH)
    if before is None:
        assert found is None or found.style != "yaml"
        return
    expected, expected_problems = before
    assert problems == expected_problems
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert found.style == "yaml"
        assert (found.doc, found.body, found.body_line) == expected


YAML_NOTES = [
    "---\ntitle: Week 10\ndate: 2024-03-08\n---\nBody.\n",
    "---\ntitle: Week 10\n---\n",
    "---\ntitle: Week 10\n---",
    "---   \n\n\ntitle: x\n----\n\n\nBody after blank lines\n",
    "---\ntitle: x\n---\nA body with a rule:\n\n---\n\nand more.\n",
    "---\n---\nBody\n",
    "---\n- a\n- b\n---\n",
    "---\njust words\n---\n",
    "---\ntitle: x\n",
    "---\n\nA thematic break, then prose, then another.\n\n---\n",
    "---\ntitle: a: b\n---\n",
    "---\ntitle: x\ntitle: y\n---\n",
    '---\ntitle: "open\n---\n',
    "---\ntags: [a, b\n---\n",
    "---\n\ttitle: x\n---\n",
    "---\ntitle: x\x01\n---\n",
    "---\n!!python/object:os.system x: 1\n---\n",
    "---\nx: &a [1]\ny: *a\n---\n",
]


@pytest.mark.parametrize("text", YAML_NOTES)
def test_yaml_splits_and_fails_exactly_as_before(text: str) -> None:
    assert_same_as_before(text)


GOLDEN_NOTES = sorted(
    p
    for p in GOLDEN_INVALID.glob("*/weeknotes/**/*.md")
    if p.is_file() and not p.is_symlink() and p.stat().st_size < 100_000
)


@pytest.mark.parametrize(
    "note_path", GOLDEN_NOTES, ids=lambda p: str(p.relative_to(GOLDEN_INVALID))
)
def test_the_golden_invalid_notes_split_exactly_as_before(note_path: Path) -> None:
    text, _ = decode_text(note_path.read_bytes(), PATH, "content.encoding")
    if text is not None and text.startswith("-"):
        assert_same_as_before(text)


def test_the_golden_catalogue_has_yaml_notes_to_compare() -> None:
    assert sum(p.read_bytes().startswith(b"---") for p in GOLDEN_NOTES) >= 30


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="-\n :ab#'\"[]{}\t,&*!", max_size=40))
def test_any_text_opening_with_dashes_splits_as_before(rest: str) -> None:
    assert_same_as_before("---" + rest)


def test_yaml_keeps_locations_of_keys_and_values() -> None:
    found = split("---\ntitle: Week 10\ntags:\n  - a\n  - b\n---\nBody\n")
    assert found.doc.value == {"title": "Week 10", "tags": ["a", "b"]}
    assert found.doc.key_marks[("tags",)] == (3, 1)
    assert found.doc.value_marks[("tags", 1)] == (5, 5)
    assert (found.body, found.body_line) == ("Body\n", 7)


def test_blank_lines_before_the_front_matter_are_skipped() -> None:
    found = split("\n  \n---\ntitle: x\n---\nBody\n")
    assert found.style == "yaml"
    assert found.doc.key_marks[("title",)] == (4, 1)
    assert found.body_line == 6
    assert problem("\n\n---\ntitle: x\n").location == Location(PATH, 3)


# --- TOML -------------------------------------------------------------------------------------

HUGO_TOML = """\
+++
title = "Spinning up: week 42"
date = 2019-10-18T09:30:00+01:00
lastmod = 2019-10-19
draft = false
tags = ["hugo", "notes"]   # a comment
authors = [
  "Ada Lovelace",
  'Grace Hopper',
]
weight = 3
summary = \"\"\"
Two lines
of summary.\"\"\"
site.name = "dotted"
[params]
  mood = { colour = "blue", level = 2 }
  local = 2019-10-18T09:30:00
[[links]]
url = "https://example.org/a"
[[links]]
url = "https://example.org/b"
+++

The body, with a rule:

---

and `+++` too.
"""


def test_hugo_toml_reads_as_the_mapping_yaml_would_give() -> None:
    found = split(HUGO_TOML)
    assert found.style == "toml"
    assert found.doc.value == {
        "title": "Spinning up: week 42",
        "date": "2019-10-18T09:30:00+01:00",
        "lastmod": "2019-10-19",
        "draft": False,
        "tags": ["hugo", "notes"],
        "authors": ["Ada Lovelace", "Grace Hopper"],
        "weight": 3,
        "summary": "Two lines\nof summary.",
        "site": {"name": "dotted"},
        "params": {"mood": {"colour": "blue", "level": 2}, "local": "2019-10-18T09:30:00"},
        "links": [{"url": "https://example.org/a"}, {"url": "https://example.org/b"}],
    }
    assert found.body == "\nThe body, with a rule:\n\n---\n\nand `+++` too.\n"
    assert found.body_line == 24
    assert line_of(HUGO_TOML, found.body_line - 1) == "+++"


@pytest.mark.parametrize(
    ("key", "line", "column"),
    [
        (("title",), 2, 1),
        (("date",), 3, 1),
        (("tags",), 6, 1),
        (("site", "name"), 15, 1),
        (("params",), 16, 1),
        (("params", "mood"), 17, 3),
        (("params", "mood", "level"), 17, 29),
        (("params", "local"), 18, 3),
        (("links",), 19, 1),
        (("links", 1, "url"), 22, 1),
    ],
)
def test_toml_keys_are_located(key: tuple[str | int, ...], line: int, column: int) -> None:
    assert split(HUGO_TOML).doc.key_marks[key] == (line, column)


@pytest.mark.parametrize(
    ("value", "line", "column"),
    [
        (("title",), 2, 9),
        (("date",), 3, 8),
        (("tags", 0), 6, 9),
        (("tags", 1), 6, 17),
        (("authors",), 7, 11),
        (("authors", 0), 8, 3),
        (("authors", 1), 9, 3),
        (("weight",), 11, 10),
        (("summary",), 12, 11),
        (("params", "mood", "colour"), 17, 21),
        (("links", 0), 19, 1),
        (("links", 1, "url"), 22, 7),
    ],
)
def test_toml_values_are_located(value: tuple[str | int, ...], line: int, column: int) -> None:
    doc = split(HUGO_TOML).doc
    assert doc.value_marks[value] == (line, column)
    assert doc.locate(PATH, value) == Location(PATH, line, column)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2019-10-18", "2019-10-18"),
        ("2019-10-18T09:30:00+01:00", "2019-10-18T09:30:00+01:00"),
        ("2019-10-18 09:30:00-05:30", "2019-10-18T09:30:00-05:30"),
        ("2019-10-18T09:30:00Z", "2019-10-18T09:30:00+00:00"),
        ("2019-10-18T09:30:00.25+01:00", "2019-10-18T09:30:00.250000+01:00"),
        ("2019-10-18T09:30:00", "2019-10-18T09:30:00"),
        ("09:30:00", "09:30:00"),
        ('"2019-10-18"', "2019-10-18"),
    ],
)
def test_toml_dates_become_the_iso_text_yaml_notes_hold(written: str, read: str) -> None:
    assert split(f"+++\ndate = {written}\nlist = [{written}]\n+++\n").doc.value == {
        "date": read,
        "list": [read],
    }


def test_a_toml_date_reads_as_the_same_moment_as_in_yaml_and_json() -> None:
    moment = "2019-10-18T09:30:00+01:00"
    read = [
        split(text).doc.value["date"]  # type: ignore[index]
        for text in (
            f"---\ndate: {moment}\n---\n",
            f"+++\ndate = {moment}\n+++\n",
            f'{{"date": "{moment}"}}\n',
            f"Date: {moment}\n\n",
        )
    ]
    assert read == [moment] * 4
    assert read_date(moment) == (
        dt.date(2019, 10, 18),
        dt.datetime(2019, 10, 18, 8, 30, tzinfo=dt.UTC),
        True,
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (
            "+++\ntitle = Week 10\n+++\n",
            2,
            9,
            "invalid TOML: this value is not text in quotes, a number, a date, true/false or a"
            " [list]",
        ),
        (
            '+++\ntitle: "x"\n+++\n',
            2,
            6,
            "invalid TOML: a key must be followed by '=' and its value",
        ),
        (
            '+++\ntitle = "x"\nwords\n+++\n',
            3,
            6,
            "invalid TOML: a key must be followed by '=' and its value",
        ),
        ('+++\ntitle = "x" y\n+++\n', 2, 13, "invalid TOML: something follows the value"),
        ("+++\ndate = 2019-13-01\n+++\n", 2, 12, "invalid TOML: something follows the value"),
        (
            '+++\ntitle = "open\ndate = 1\n+++\n',
            2,
            14,
            "invalid TOML: this text in quotes is not closed before the end of the line",
        ),
        (
            '+++\na = 1\nsummary = """open\nmore\n+++\nbody\n',
            3,
            11,
            "invalid TOML: this text in quotes is never closed",
        ),
        (
            '+++\ntags = ["a", "b"\ndate = 1\n+++\n',
            3,
            1,
            "invalid TOML: this [list] is never closed",
        ),
        ("+++\n[params\nx = 1\n+++\n", 2, 8, "invalid TOML: this [table] name is not closed"),
        ('+++\ntitle = "a\\qb"\n+++\n', 2, 11, "invalid TOML: a backslash that starts no escape"),
        (
            '+++\ntitle = "a\x01b"\n+++\n',
            2,
            11,
            "invalid TOML: the invisible control character U+0001 is not allowed",
        ),
        (
            "+++\n\n\ntitle = 'a'\ntitle = 'b'\n+++\n",
            5,
            1,
            "invalid TOML: key 'title' appears twice (first on line 4)",
        ),
        (
            "+++\n[params]\nx = 1\n[params]\ny = 2\n+++\n",
            4,
            1,
            "invalid TOML: key 'params' appears twice (first on line 2)",
        ),
        (
            "+++\n[params]\nx = 1\nx = 2\n+++\n",
            4,
            1,
            "invalid TOML: key 'params.x' appears twice (first on line 3)",
        ),
        (
            "+++\nmood = { a = 1, a = 2 }\n+++\n",
            2,
            17,
            "invalid TOML: key 'mood.a' appears twice (first on line 2)",
        ),
    ],
)
def test_toml_errors_are_located_at_the_file_line(
    text: str, line: int, column: int, message: str
) -> None:
    found = problem(text)
    assert found.code == "front-matter.toml"
    assert found.message.startswith(message)
    assert found.location == Location(PATH, line, column)


def test_a_toml_error_in_a_later_block_line_counts_blank_lines_before_it() -> None:
    found = problem("\n\n+++\n# comment\n\ntitle = nope\n+++\n")
    assert found.location == Location(PATH, 6, 9)


def test_unclosed_toml() -> None:
    found = problem('+++\ntitle = "x"\n\nBody\n')
    assert (found.code, found.location) == ("front-matter.unclosed", Location(PATH, 1))
    assert found.hint == "add a line with just '+++' after the last front matter field"


def test_empty_toml_is_an_error_as_empty_yaml_is() -> None:
    for text in ("+++\n+++\nBody\n", "+++\n# only a comment\n\n+++\nBody\n"):
        found = problem(text)
        assert found.code == "front-matter.not-mapping"
        assert found.message == "the front matter is empty"
        assert found.location == Location(PATH, 1)


def test_toml_nested_too_deep_is_refused_where_it_passes_the_limit() -> None:
    for depth in (150, 5000):  # 5000 is too deep even for tomllib, which recurses
        text = "+++\nx = " + "[" * depth + "]" * depth + "\n+++\n"
        found = problem(text)
        assert found.code == "front-matter.toml"
        assert "nested more than 100 deep" in found.message
        assert found.location == Location(PATH, 2, 5 + 99)


# --- JSON -------------------------------------------------------------------------------------

HUGO_JSON = """\
{
  "title": "Spinning up: week 42",
  "date": "2019-10-18T09:30:00+01:00",
  "tags": ["hugo", "notes"],
  "draft": false,
  "params": {
    "matrix": [[1, 2], [3, {"deep": null}]],
    "quote": "a \\"quoted\\" word, and a brace }"
  }
}

The body starts {here}.

---
"""


def test_hugo_json_reads_with_nested_lists() -> None:
    found = split(HUGO_JSON)
    assert found.style == "json"
    assert found.doc.value == {
        "title": "Spinning up: week 42",
        "date": "2019-10-18T09:30:00+01:00",
        "tags": ["hugo", "notes"],
        "draft": False,
        "params": {
            "matrix": [[1, 2], [3, {"deep": None}]],
            "quote": 'a "quoted" word, and a brace }',
        },
    }
    assert (found.body, found.body_line) == ("\nThe body starts {here}.\n\n---\n", 11)


@pytest.mark.parametrize(
    ("key", "key_at", "value_at"),
    [
        (("title",), (2, 3), (2, 12)),
        (("date",), (3, 3), (3, 11)),
        (("params", "matrix"), (7, 5), (7, 15)),
        (("params", "matrix", 1, 1, "deep"), (7, 29), (7, 37)),
        (("params", "quote"), (8, 5), (8, 14)),
    ],
)
def test_json_keys_and_values_are_located(
    key: tuple[str | int, ...], key_at: tuple[int, int], value_at: tuple[int, int]
) -> None:
    doc = split(HUGO_JSON).doc
    assert doc.key_marks[key] == key_at
    assert doc.value_marks[key] == value_at
    assert doc.value_marks[("tags", 1)] == (4, 20)


def test_json_on_one_line_and_after_blank_lines() -> None:
    found = split('\n\n{"title": "x", "tags": ["a"]}\nBody\n')
    assert found.doc.value == {"title": "x", "tags": ["a"]}
    assert found.doc.key_marks[("tags",)] == (3, 16)
    assert (found.body, found.body_line) == ("Body\n", 4)
    assert split('{"title": "x"}').body == ""


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (
            '{\n  "title": "x",\n  "date": 2019-10-18\n}\n',
            3,
            15,
            "invalid JSON: expecting ',' delimiter",
        ),
        ('{\n  "title": "x"\n  "date": "2019"\n}\n', 3, 3, "invalid JSON: expecting ',' delimiter"),
        (
            '{\n  "title": "x",\n}\n',
            3,
            1,
            "invalid JSON: expecting property name enclosed in double quotes",
        ),
        ('{\n  "title" "x"\n}\n', 2, 11, "invalid JSON: expecting ':' delimiter"),
        ('{\n  "title": \n}\n', 3, 1, "invalid JSON: expecting value"),
        ('{\n  "title": "x\\qy"\n}\n', 2, 14, "invalid JSON: invalid \\escape"),
        ('{\n  "title": "a\tb"\n}\n', 2, 14, "invalid JSON: invalid control character"),
        (
            '{\n  "title": "open\n}\n',
            2,
            17,
            "invalid JSON: this text in quotes is not closed before the end of the line",
        ),
        ('{\n  "title": "open', 2, 12, "invalid JSON: unterminated string"),
        (
            '{"title": "x",\n "tags": [],\n "title": "y"}\n',
            3,
            2,
            "key 'title' appears twice (first on line 1)",
        ),
        ('{"p": {"a": 1, "a": 2}}\n', 1, 16, "key 'a' appears twice (first on line 1)"),
        (
            '{\n  "title": "x"\n} And the body.\n',
            3,
            3,
            "text follows the '}' that ends the front matter",
        ),
    ],
)
def test_json_errors_are_located_at_the_file_line(
    text: str, line: int, column: int, message: str
) -> None:
    found = problem(text)
    assert found.code == "front-matter.json"
    assert found.message.startswith(message)
    assert found.location == Location(PATH, line, column)


def test_json_never_closed() -> None:
    found = problem('{\n  "title": "x",\n  "tags": ["a"')
    assert (found.code, found.location) == ("front-matter.unclosed", Location(PATH, 1))
    assert found.hint == "add a line with just '}' after the last front matter field"
    # With a body after it, the body is where JSON stops making sense: said so in the hint.
    found = problem('{\n  "title": "x"\n\nThe body.\n')
    assert found.location == Location(PATH, 4, 1)
    assert "end the front matter with a line holding just '}'" in (found.hint or "")


def test_empty_json_is_an_error_as_empty_yaml_is() -> None:
    found = problem("{ }\nBody\n")
    assert (found.code, found.message) == ("front-matter.not-mapping", "the front matter is empty")


def test_json_nested_too_deep_is_refused_where_it_passes_the_limit() -> None:
    for depth in (150, 100_000):  # the second is too deep even for `json`, which recurses
        found = problem('{"x": ' + "[" * depth + "]" * depth + "}\n")
        assert found.code == "front-matter.json"
        assert "nested more than 100 deep" in found.message
        assert found.location == Location(PATH, 1, 7 + 99)


@pytest.mark.parametrize(
    "text",
    [
        "{{< figure src=a.png >}}\n\nThe week.\n",
        "{: .lead}\nThe week.\n",
        "{not json}\n",
    ],
)
def test_a_body_opening_with_a_brace_that_is_not_json_is_just_a_body(text: str) -> None:
    found = split(text)
    assert (found.style, found.body, found.body_line) == ("none", text, 1)


# --- Pelican / MultiMarkdown header -----------------------------------------------------------

PELICAN = """\
Title: Spinning up: week 42
Date: 2019-10-18 09:30+01:00
Modified: 2019-10-19
Tags: pelican, weeknotes,
    writing
Category: Work
Authors: Lovelace, Ada; Hopper, Grace
Summary: A long summary that
  runs over two lines.
Base Header Level: 2
my_key-2:value with no space

The body.

Key: value lines in the body are body.
"""


def test_a_pelican_header_reads_as_text_and_lists() -> None:
    found = split(PELICAN)
    assert found.style == "header"
    assert found.doc.value == {
        "title": "Spinning up: week 42",
        "date": "2019-10-18 09:30+01:00",
        "modified": "2019-10-19",
        "tags": ["pelican", "weeknotes", "writing"],
        "category": ["Work"],
        "authors": ["Lovelace, Ada", "Hopper, Grace"],
        "summary": "A long summary that runs over two lines.",
        "base header level": "2",
        "my_key-2": "value with no space",
    }
    assert (found.body, found.body_line) == (
        "The body.\n\nKey: value lines in the body are body.\n",
        13,
    )


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        (("title",), 1, 8),
        (("tags",), 4, 7),
        (("tags", 1), 4, 16),
        (("tags", 2), 5, 5),
        (("authors", 1), 7, 25),
        (("summary",), 8, 10),
        (("my_key-2",), 11, 10),
    ],
)
def test_header_values_are_located(path: tuple[str | int, ...], line: int, column: int) -> None:
    doc = split(PELICAN).doc
    assert doc.value_marks[path] == (line, column)
    assert doc.key_marks[path[:1]][0] == doc.value_marks[path[:1]][0]


def test_header_keys_are_lower_cased_and_located_at_the_start_of_their_line() -> None:
    doc = split("TITLE: x\nDATE: 2019-10-18\n\nBody").doc
    assert doc.value == {"title": "x", "date": "2019-10-18"}
    assert doc.key_marks == {("title",): (1, 1), ("date",): (2, 1)}


def test_authors_without_semicolons_split_on_commas() -> None:
    assert split("Title: x\nAuthors: Ada, Grace\n").doc.value == {
        "title": "x",
        "authors": ["Ada", "Grace"],
    }


@pytest.mark.parametrize(
    ("text", "body", "body_line"),
    [
        ("Title: x\n", "", 2),
        ("Title: x", "", 2),
        ("Title: x\n\n\nBody\n", "\nBody\n", 3),
        ("Title: x\nDate: 2019-10-18\n# Heading\n", "# Heading\n", 3),  # as Python-Markdown
        ("\n\nTitle: x\n  \nBody\n", "Body\n", 5),
    ],
)
def test_the_header_ends_at_a_blank_line_or_at_a_line_that_is_not_a_field(
    text: str, body: str, body_line: int
) -> None:
    found = split(text)
    assert (found.style, found.body, found.body_line) == ("header", body, body_line)


@pytest.mark.parametrize(
    "text",
    [
        "Note: I was off on Monday.\n\nThen back.\n",
        "Status: back from leave, catching up.\nSummary: busy.\n\nMore.\n",
        "Summary: quiet week.\n\nNothing else.\n",
        "The week.\n\nTitle: later in the body\n",
        "Title Week 10\n",
        "https://example.org is where I was.\n",
        "  Title: indented is not a header\n",
    ],
)
def test_prose_is_not_taken_for_a_header(text: str) -> None:
    found = split(text)
    assert (found.style, found.body, found.body_line, found.doc.value) == ("none", text, 1, {})


def test_a_header_key_given_twice() -> None:
    found = problem("Title: a\nDate: 2019-10-18\ntitle: b\n\nBody\n")
    assert found.code == "front-matter.header"
    assert found.message == "key 'title' appears twice (first on line 1)"
    assert found.location == Location(PATH, 3, 1)


# --- none, and what discover hands over ------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "Just a body.\n", "# Week 10\n\nText.\n", "+++ no\n"])
def test_no_front_matter(text: str) -> None:
    found = split(text)
    assert found == FrontMatter(YamlDocument({}, {}, {(): (1, 1)}), "none", text, 1)
    assert found.doc.locate(PATH, ("title",)) == Location(PATH, 1)


@pytest.mark.parametrize(
    ("written", "style"),
    [
        ("---\r\ntitle: x\r\n---\r\nBody\r\n", "yaml"),
        ("+++\r\ntitle = 'x'\r\n+++\r\nBody\r\n", "toml"),
        ('{\r\n"title": "x"\r\n}\r\nBody\r\n', "json"),
        ("Title: x\r\n\r\nBody\r\n", "header"),
    ],
)
def test_a_bom_and_crlf_are_gone_by_the_time_text_arrives(written: str, style: str) -> None:
    text, trouble = decode_text(("\ufeff" + written).encode("utf-8"), PATH, "content.encoding")
    assert trouble is None and text is not None
    found = split(text)
    assert (found.style, found.doc.value, found.body) == (style, {"title": "x"}, "Body\n")
    assert found.doc.key_marks[("title",)][0] == 2 - (style == "header")


# --- every shape reads the same mapping back ---------------------------------------------------

KEYS = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff"),
    max_size=20,
)
SCALARS = st.one_of(TEXT, st.integers(-(2**40), 2**40), st.booleans())
VALUES = st.one_of(SCALARS, st.lists(TEXT, max_size=4), st.lists(st.integers(0, 9), max_size=3))
MAPPINGS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=6)


def to_toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    assert isinstance(value, list)
    return "[" + ", ".join(to_toml(item) for item in value) + "]"


def written_as(style: str, fields: dict[str, object]) -> str:
    if style == "yaml":
        return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n"
    if style == "toml":
        return "+++\n" + "".join(f"{k} = {to_toml(v)}\n" for k, v in fields.items()) + "+++\n"
    return json.dumps(fields, indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=200, deadline=None)
@given(MAPPINGS, st.sampled_from(["yaml", "toml", "json"]))
def test_any_simple_mapping_reads_back_equal_in_every_format(
    fields: dict[str, object], style: str
) -> None:
    text = written_as(style, fields) + "Body\n"
    found = split(text)
    assert found.style == style
    assert found.doc.value == fields
    assert found.body == "Body\n"
    assert line_of(text, found.body_line) == "Body"
    for key in fields:
        line, column = found.doc.key_marks[(key,)]
        assert re.match(rf"\W?{key}\W", line_of(text, line)[column - 1 :])


HEADER_TEXT = (
    st.text(alphabet=string.ascii_letters + string.digits + " .:!?'\"-é", min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
HEADER_FIELDS = st.fixed_dictionaries(
    {"title": HEADER_TEXT},
    optional={
        "date": HEADER_TEXT,
        "summary": HEADER_TEXT,
        "lang": HEADER_TEXT,
        "tags": st.lists(HEADER_TEXT, min_size=1, max_size=4),
        "authors": st.lists(HEADER_TEXT, min_size=1, max_size=4),
    },
)


@settings(max_examples=200, deadline=None)
@given(HEADER_FIELDS, st.booleans())
def test_any_simple_header_reads_back(fields: dict[str, object], semicolons: bool) -> None:
    lines = []
    for key, value in fields.items():
        if isinstance(value, list):
            value = ("; " if semicolons and key == "authors" else ", ").join(value)
        lines.append(f"{key.capitalize()}: {value}")
    found = split("\n".join(lines) + "\n\nBody\n")
    assert found.style == "header"
    assert found.doc.value == fields
    assert found.body == "Body\n"
    assert found.doc.key_marks == {(key,): (n, 1) for n, key in enumerate(fields, 1)}
