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
  and JSON notes already hold, so `date_text.read_date` judges dates the same way everywhere.
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

import re

from frontmatter.default_handlers import YAMLHandler

from weeknote_gen.content.front_matter_result import FrontMatter, unclosed_error
from weeknote_gen.content.header_front_matter import read_header
from weeknote_gen.content.json_front_matter import JSON_START, split_json
from weeknote_gen.content.toml_front_matter import TOML_BOUNDARY, split_toml
from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.yamldoc import YamlDocument, load_yaml


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
        opening = TOML_BOUNDARY.match(text, start)
        if opening is not None:
            return split_toml(text, path, start, opening)
    elif first == "{":
        if JSON_START.match(text, start):
            return split_json(text, path, start)
    elif first.isalnum():
        header = read_header(text, path, start)
        if header is not None:
            return header
    return FrontMatter(YamlDocument({}, {}, {(): (1, 1)}), "none", text, 1), []


_BLANKS = frozenset("\n \t")
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
# python-frontmatter's own boundary for YAML (so YAML notes split exactly as they always have):
# three or more dashes alone on a line. `\s*` may run on over blank lines; the line arithmetic
# below allows for that. Its TOML handler needs the third-party `toml` package, and its JSON
# handler has no located errors, so those two shapes are read with the standard library (in
# `toml_front_matter` and `json_front_matter`).
_YAML_BOUNDARY: re.Pattern[str] = YAMLHandler.FM_BOUNDARY


# --- YAML -------------------------------------------------------------------------------------


def _split_yaml(
    text: str, path: str, start: int, opening: re.Match[str]
) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """`---` front matter, split and reported exactly as `parse` always has."""
    closing = _YAML_BOUNDARY.search(text, opening.end())
    if closing is None:
        return None, [unclosed_error(path, text.count("\n", 0, start) + 1, "---")]
    block = text[opening.end() : closing.start()]
    first_line = text.count("\n", 0, opening.end()) + 1
    # The body starts on the line after the closing delimiter, so `body_line - 1` is the
    # delimiter's line (the boundary pattern itself would swallow blank lines after it).
    # (`body_after`, written out: this is the path every YAML note takes.)
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
