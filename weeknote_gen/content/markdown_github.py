"""The github flavour's own steps: line-level differences between GitHub's Markdown and
Python-Markdown's rewritten before parsing, and task-list checkboxes labelled by their items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from weeknote_gen.content.markdown_summary import HEADINGS

LIST_ITEM_RE = re.compile(r"([-*+]|(\d{1,9})\.)( +|$)")
_RULE_RE = re.compile(r"([-*_])(?: *\1){2,} *$")
_HEADING_RE = re.compile(r"#{1,6}(?=[ \t]|$)")
_NOT_HEADING_RE = re.compile(r"#{1,6}(?=[^#\s])")


_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")


def lines_beside_fences(text: str) -> Iterator[tuple[int, str, bool]]:
    """Each line of some Markdown with its number (from 1) and whether it belongs to a fenced
    code block (its fences included), for the line scanners that must not look inside code."""
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            yield number, line, True
            continue
        opening = _FENCE_RE.match(line)
        if opening:
            fence = opening.group(1)
        yield number, line, opening is not None


def indentation(line: str) -> tuple[int, str]:
    """Leading whitespace as a column count (tabs to the next multiple of 4) and the rest."""
    column = 0
    for index, char in enumerate(line):
        if char == " ":
            column += 1
        elif char == "\t":
            column += 4 - column % 4
        else:
            return column, line[index:]
    return column, ""


class GithubBlocks(Preprocessor):
    """Line-level differences between GitHub's Markdown and Python-Markdown's, rewritten into
    the form Python-Markdown reads the same way:

    - a list right after a line of text starts a list (a blank line is put before it);
    - list nesting follows the parent item's text (`- a` / `  - b`), not a 4-space step;
    - a trailing backslash is a line break;
    - an ATX heading may be indented by up to 3 spaces, and `#tag` is not a heading.

    Fenced code is already set aside; indented code is left exactly as written.
    """

    def run(self, lines: list[str]) -> list[str]:
        return _GithubRewrite(lines).rewrite()


class _GithubRewrite:
    """One body's pass for `GithubBlocks`, line by line, with what the lines before it left
    open: the list items, whether a blank line or paragraph text came just before, and whether
    the line before was indented code."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.out: list[str] = []
        self.items: list[tuple[int, int]] = []  # open list items: (text column as written, depth)
        self.blank_before = True
        self.paragraph = False  # the previous line was paragraph text outside any list
        self.code = False

    def rewrite(self) -> list[str]:
        for number, line in enumerate(self.lines):
            self._rewrite_line(number, line)
        return self.out

    def _rewrite_line(self, number: int, line: str) -> None:
        if not line.strip():
            self.out.append(line)
            self.blank_before, self.paragraph = True, False
            return
        column, rest = indentation(line)
        if self.code and column >= 4:
            self.out.append(line)
            self.blank_before = False
            return
        was_code, self.code = self.code, False
        item = self._list_item(column, rest)
        if item is not None and (self.items or column < 4):
            self._open_item(item, column, rest, was_code)
        elif not self._continue_item(number, column, rest):
            self._outside_lists(number, line, column, rest)
        self.blank_before = False

    def _list_item(self, column: int, rest: str) -> re.Match[str] | None:
        """The list marker that starts this line as GitHub reads it, if any (a blank line is
        put before an item that interrupts a paragraph)."""
        items = self.items
        item = None if _RULE_RE.match(rest) else LIST_ITEM_RE.match(rest)
        if items and (item is None or column >= 4 + items[-1][0]):
            item = None if self.blank_before or column < items[-1][0] else item
        if item is not None and not items and self.paragraph:
            ordinal = item.group(2)
            empty = not rest[item.end() :].strip()
            if (ordinal is not None and ordinal != "1") or empty or column >= 4:
                item = None
            else:
                self.out.append("")  # GitHub lets a list interrupt a paragraph
        return item

    def _open_item(self, item: re.Match[str], column: int, rest: str, was_code: bool) -> None:
        """A list item, nested under the open item whose text it lines up with."""
        items = self.items
        if was_code:
            self.out.append("")  # an item ends indented code in an item
        while items and column < items[-1][0]:
            items.pop()
        depth = len(items)
        spaces = len(item.group(3))
        if spaces > 4 or not rest[item.end() :].strip():
            spaces = 1
        items.append((column + len(item.group(1)) + spaces, depth))
        self.out.append(" " * (4 * depth) + rest)
        self.paragraph = False

    def _continue_item(self, number: int, column: int, rest: str) -> bool:
        """More of an open item (text, a paragraph after a blank line, or code), indented as
        Python-Markdown expects; False when the line belongs to no item."""
        items = self.items
        ends_list = rest.startswith((">", "#")) or _RULE_RE.match(rest)
        if items and not self.blank_before and column < items[-1][0] and ends_list:
            self.out.append("")  # a quote, heading or rule ends the list on GitHub
            items.clear()
        if items and self.blank_before:
            while items and column < items[-1][0]:
                items.pop()
        if not items:
            return False
        text_column, depth = items[-1]
        extra = max(0, column - text_column)
        if self.blank_before and extra >= 4:
            self.code = True
            self.out.append(" " * (4 * (depth + 1) + extra) + rest)
        elif self.blank_before:
            self.out.append(
                " " * (4 * (depth + 1) + extra) + self._inline(rest, self.lines, number)
            )
        else:
            # More text of the item's paragraph: Python-Markdown joins it to the
            # item when it is indented as the item's marker is.
            self.out.append(" " * (4 * depth) + self._inline(rest, self.lines, number))
        return True

    def _outside_lists(self, number: int, line: str, column: int, rest: str) -> None:
        """A line outside any list: indented code, a heading, `#tag` text, or paragraph text."""
        if self.blank_before and column >= 4 and not self.paragraph:
            self.code = True
            self.out.append(line)
            return
        if column < 4 and _HEADING_RE.match(rest):
            self.out.append(rest)
            self.paragraph = False
        elif column < 4 and _NOT_HEADING_RE.match(rest):
            self.out.append(" " * column + "\\" + rest)
            self.paragraph = True
        else:
            self.out.append(
                " " * column + self._inline(rest, self.lines, number)
                if column
                else self._inline(line, self.lines, number)
            )
            self.paragraph = not rest.startswith(("|", "\x02"))

    @staticmethod
    def _inline(text: str, lines: list[str], number: int) -> str:
        """A trailing backslash before more text of the same paragraph is a line break, which
        Python-Markdown writes as two trailing spaces."""
        if not text.endswith("\\") or number + 1 >= len(lines):
            return text
        following = lines[number + 1].strip()
        if (
            not following
            or following.startswith(("#", "|", "\x02"))
            or LIST_ITEM_RE.match(following)
        ):
            return text
        slashes = len(text) - len(text.rstrip("\\"))
        if slashes % 2 == 0 or text.lstrip().startswith("|"):
            return text
        return text[:-1] + "  "


# --------------------------------------------------------------------------- task lists

_BLOCK_TAGS = frozenset(
    {"ul", "ol", "p", "div", "pre", "blockquote", "table", "dl", "hr", *HEADINGS}
)


class TaskLabels(Treeprocessor):
    """A task item's checkbox gets the item's text as its accessible name: the checkbox and
    the text up to any nested block are wrapped in a `<label>`.

    pymdownx.tasklist leaves the checkbox as stashed HTML at the start of the item's text.
    """

    def run(self, root: Element) -> None:
        stash = self.md.htmlStash.rawHtmlBlocks
        for item in list(root.iter("li")):
            if "task-list-item" not in (item.get("class") or "").split():
                continue
            loose = len(item) and item[0].tag == "p" and not (item.text or "").strip()
            holder = item[0] if loose else item
            match = HTML_PLACEHOLDER_RE.match(holder.text or "")
            if match is None or int(match.group(1)) >= len(stash):
                continue
            checkbox = stash[int(match.group(1))]
            if not isinstance(checkbox, str) or not checkbox.startswith("<input"):
                continue
            # HTML's void elements take no closing slash.
            stash[int(match.group(1))] = checkbox.replace("/>", ">")
            label = Element("label")
            label.text = holder.text
            holder.text = None
            while len(holder) and holder[0].tag not in _BLOCK_TAGS:
                child = holder[0]
                holder.remove(child)
                label.append(child)
            holder.insert(0, label)
