"""What splitting a note's front matter gives back (`FrontMatter`), and the pieces every
front matter shape shares: where the body starts after a closing delimiter, and the
complaints about front matter left open, left empty or nested too deep.

Kept apart from the readers of each shape (`toml_front_matter`, `json_front_matter`,
`header_front_matter`, and YAML in `front_matter`) so they all return the same located
mapping and word the same problems the same way.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.yamldoc import MAX_DEPTH, YamlDocument

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


def body_after(text: str, delimiter_start: int) -> tuple[str, int]:
    """The body after the delimiter line starting at `delimiter_start`, and its file line."""
    end_of_line = text.find("\n", delimiter_start)
    body_start = len(text) if end_of_line < 0 else end_of_line + 1
    return text[body_start:], text.count("\n", 0, delimiter_start) + 2


def unclosed_error(path: str, line: int, delimiter: str) -> Diagnostic:
    return error(
        "front-matter.unclosed",
        f"the front matter opened on line {line} is never closed",
        Location(path, line),
        f"add a line with just '{delimiter}' after the last front matter field",
    )


def empty_error(path: str, line: int, example: str) -> Diagnostic:
    return error(
        "front-matter.not-mapping",
        "the front matter is empty",
        Location(path, line),
        f"write one field per line, such as {example}",
    )


def too_deep_error(code: str, path: str, where: Mark) -> Diagnostic:
    return error(
        code,
        f"lists or mappings are nested more than {MAX_DEPTH} deep here, too deep to read",
        Location(path, *where),
        'write each field as text or a plain list, such as tags = ["agile", "research"]',
    )
