"""What a body says besides its HTML, read from Python-Markdown's element tree: HTML comments
are dropped, the first `<!--more-->` marks where the summary ends, and the summary and word
count are taken from the tree so the finished HTML never has to be parsed again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

SUMMARY_LIMIT = 300
WORDS_PER_MINUTE = 220


# Stands where the first `<!--more-->` was until the tree exists; STX/ETX cannot come from the
# author (Python-Markdown removes them from the source first).
_MORE_MARK = "\x02wg-more\x03"
_MORE_TAG = "wg-more"
_COMMENT_RE = re.compile(r"<!--(.*?)-->", re.DOTALL)
_MORE_RE = re.compile(r"\s*more\s*", re.IGNORECASE)


class Comments(Preprocessor):
    """HTML comments are notes to the author, never shown; the first `<!--more-->` (Jekyll's
    and Hugo's summary divider) ends the summary.

    Runs after fenced code is set aside; a comment on an indented (code) line or inside an
    inline code span is left alone, since code is shown as written.
    """

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<!--" not in text:
            return lines
        parts: list[str] = []
        last = 0
        divider = False
        for match in _COMMENT_RE.finditer(text):
            if match.start() < last or _in_code(text, match.start()):
                continue
            parts.append(text[last : match.start()])
            if not divider and _MORE_RE.fullmatch(match.group(1)):
                parts.append(_MORE_MARK)
                divider = True
            last = match.end()
        parts.append(text[last:])
        return "".join(parts).split("\n")


def _in_code(text: str, position: int) -> bool:
    """Is `position` on an indented line or inside a code span on its line (an approximation
    that errs towards leaving text alone)?"""
    line_start = text.rfind("\n", 0, position) + 1
    before = text[line_start:position]
    return before.startswith(("    ", "\t")) or before.count("`") % 2 == 1


class MoreDivider(Treeprocessor):
    """Turns the divider's mark into an empty element, so that typography, heading ids and
    the contents never see it; `TextStats` reads and removes it."""

    def run(self, root: Element) -> None:
        for parent in root.iter():
            if parent.text and _MORE_MARK in parent.text:
                before, _, after = parent.text.partition(_MORE_MARK)
                parent.text = before
                divider = Element(_MORE_TAG)
                divider.tail = after
                parent.insert(0, divider)
                return
            for index, child in enumerate(parent):
                if child.tail and _MORE_MARK in child.tail:
                    before, _, after = child.tail.partition(_MORE_MARK)
                    child.tail = before
                    divider = Element(_MORE_TAG)
                    divider.tail = after
                    parent.insert(index + 1, divider)
                    return


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A paragraph holding only a stashed block (highlighted code, raw HTML): Python-Markdown's
# placeholder for what it set aside (`util.HTML_PLACEHOLDER`).
_BLOCK_PLACEHOLDER_RE = re.compile(r"\s*\x02wzxhzdk:(\d+)\x03\s*")
TAG_RE = re.compile(r"<[^>]*>")


class TextStats(Treeprocessor):
    """Summary and word count from the element tree (the final HTML need not be re-parsed).

    The summary is the plain text before the first `<!--more-->`, or else of the first
    top-level paragraph; footnote numbers and back-arrows are not words a reader reads.
    """

    summary: str = ""
    word_count: int = 0

    def run(self, root: Element) -> None:
        words = 0
        first_paragraph: str | None = None
        before_divider: list[str] = []
        divider: tuple[Element, Element] | None = None
        for top in list(root):
            pieces: list[str | None] = []
            found = self._collect(top, root, pieces)
            if found is not None and divider is None:
                divider = found
            # Joined by a space, the pieces split into the words each would alone.
            words += len(self._visible(" ".join(p for p in pieces if p is not None), " ").split())
            block = top.tag == "p" and self._is_block_placeholder(top)
            if top.tag == "p" and first_paragraph is None and not block:
                first_paragraph = "".join(self._visible(p, "") for p in pieces if p is not None)
            past_divider = divider is not None and found is None
            if past_divider or top.tag in HEADINGS or top.tag == "div" or block:
                continue  # the divider's summary is the running text above it
            text_before = []
            for piece in pieces:
                if piece is None:
                    break
                text_before.append(self._visible(piece, ""))
            before_divider.append("".join(text_before))
        self.word_count = words
        if divider is not None:
            _remove_divider(root, *divider)
            self.summary = cut_summary(" ".join(before_divider))
        else:
            self.summary = cut_summary(first_paragraph or "")

    def text_of(self, element: Element) -> str:
        """The plain text of one element (without its tail), as the reader sees it."""
        pieces: list[str | None] = []
        self._collect(element, element, pieces)
        if element.tail:
            pieces.pop()
        return "".join(self._visible(p, "") for p in pieces if p is not None)

    def _collect(
        self, element: Element, parent: Element, out: list[str | None]
    ) -> tuple[Element, Element] | None:
        """Append the visible text of `element` (then its tail) in reading order; None marks
        the divider, whose (parent, element) is returned."""
        found: tuple[Element, Element] | None = None
        if element.tag == _MORE_TAG:
            out.append(None)
            found = (parent, element)
        elif not _hides_text(element):
            if element.text:
                out.append(element.text)
            for child in element:
                found = self._collect(child, element, out) or found
        if element.tail:
            out.append(element.tail)
        return found

    def _visible(self, text: str, tag_gap: str) -> str:
        """Text as the reader sees it: stashed HTML and entities resolved, tags dropped (or
        turned into `tag_gap`, since a tag ends a word for counting)."""
        if "\x02" not in text:
            return text
        stash = self.md.htmlStash.rawHtmlBlocks

        def resolve(match: re.Match[str]) -> str:
            index = int(match.group(1))
            raw = stash[index] if index < len(stash) else ""
            markup = raw if isinstance(raw, str) else "".join(raw.itertext())
            return html.unescape(TAG_RE.sub(tag_gap, markup))

        return HTML_PLACEHOLDER_RE.sub(resolve, text)

    def _is_block_placeholder(self, paragraph: Element) -> bool:
        """A paragraph holding only a stashed block (highlighted code, raw HTML), which the
        output shows without the paragraph."""
        if len(paragraph) or not paragraph.text:
            return False
        match = _BLOCK_PLACEHOLDER_RE.fullmatch(paragraph.text)
        if match is None:
            return False
        stash = self.md.htmlStash.rawHtmlBlocks
        index = int(match.group(1))
        raw = stash[index] if index < len(stash) else ""
        processor = self.md.postprocessors["raw_html"]
        is_block: Callable[[str], bool] = getattr(processor, "isblocklevel", lambda _: False)
        return isinstance(raw, str) and is_block(raw)


def _hides_text(element: Element) -> bool:
    return element.tag == "sup" or (
        element.tag == "a" and element.get("class") == "footnote-backref"
    )


def _remove_divider(root: Element, parent: Element, divider: Element) -> None:
    index = list(parent).index(divider)
    tail = divider.tail or ""
    if index > 0:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(divider)
    if (
        parent is not root
        and parent in root
        and not len(parent)
        and not (parent.text or "").strip()
    ):
        root.remove(parent)


def cut_summary(raw: str) -> str:
    """A summary's text on one line, cut at a word before `SUMMARY_LIMIT` characters."""
    text = " ".join(raw.split())
    if len(text) <= SUMMARY_LIMIT:
        return text
    cut = text[:SUMMARY_LIMIT].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


def reading_minutes(word_count: int) -> int:
    return max(1, round(word_count / WORDS_PER_MINUTE))
