"""A note's title written as its text's first heading, for notes whose front matter has no
`title` (Pelican, MultiMarkdown and notes with no front matter at all keep it there), taken out
of the body so the page keeps a single `h1`.
"""

from __future__ import annotations

import html
import re

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
# Emphasis and code marks; `_` only at word edges, as in `snake_case_names` it is a letter.
_INLINE_MARKS = re.compile(r"(\*\*|\*|`|(?<!\w)__|(?<!\w)_)(.+?)\1(?!\w)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")


def take_title_heading(body: str) -> tuple[str, str] | None:
    """The title written as the text's first heading (notes with no front matter keep it
    there), and the body with that line blanked, so line numbers stay true.

    The heading counts when it is the first thing in the text, at any level, or the first
    `# ` (level 1) heading before any other heading. Code blocks and HTML comments are
    passed over: a `# line` in them is not a heading.
    """
    lines = body.split("\n")
    first_content = True
    fence: str | None = None  # the marker that opened the code block we are in
    in_comment = False
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if (
                opening is not None
                and opening.group(1).startswith(fence[0])
                and len(opening.group(1)) >= len(fence)
                and not line.strip().strip(fence[0])
            ):
                fence = None
            continue
        if opening is not None:
            fence = opening.group(1)
            first_content = False
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if not line.strip() or _COMMENT_LINE.match(line):
            continue
        if line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        heading = _ATX_HEADING.match(line)
        setext = (
            first_content
            and index + 1 < len(lines)
            and _SETEXT_H1.match(lines[index + 1]) is not None
        )
        if heading is not None and (first_content or len(heading.group(1)) == 1):
            title = _plain_heading(heading.group(2))
            if title:
                return title, "\n".join([*lines[:index], "", *lines[index + 1 :]])
        elif setext:
            title = _plain_heading(line)
            if title:
                return title, "\n".join([*lines[:index], "", "", *lines[index + 2 :]])
        if heading is not None:
            return None  # a lower heading came first: the text starts with a section
        first_content = False
    return None


def _plain_heading(text: str) -> str:
    """A heading's words as a reader sees them, without Markdown's marks, escapes or
    character references: titles are plain text everywhere."""
    text = _INLINE_LINK.sub(r"\1", text)
    text = _INLINE_MARKS.sub(r"\2", text)
    text = _ESCAPED.sub(r"\1", text)
    return " ".join(html.unescape(text).split())
