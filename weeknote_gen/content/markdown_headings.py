"""Headings: levels shifted so the body starts at `h2` and never skips one, an id for every
heading (as GitHub makes them in the github flavour, as Python-Markdown's toc extension did in
the classic one), and the entries of the note's table of contents.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from markdown.extensions.toc import slugify_unicode, unescape, unique
from markdown.treeprocessors import Treeprocessor

from weeknote_gen.content.markdown_summary import HEADINGS, TAG_RE, TextStats


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int
    anchor: str
    text: str


class ShiftHeadings(Treeprocessor):
    """The page's title is its only `h1`, so the body starts at `h2` (`# Heading` becomes an
    `h2`, as does a first heading written `###`) and never skips a level: screen-reader users
    navigate by heading level, and a jump from h2 to h4 reads as a missing section."""

    def run(self, root: Element) -> None:
        # (level as written, h1 counted as h2; level given) of the open sections.
        open_sections: list[tuple[int, int]] = []
        for element in root.iter():
            if element.tag not in HEADINGS:
                continue
            written = max(2, int(element.tag[1]))
            while open_sections and open_sections[-1][0] > written:
                open_sections.pop()
            if open_sections and open_sections[-1][0] == written:
                level = open_sections.pop()[1]
            elif open_sections:
                level = open_sections[-1][1] + 1
            else:
                level = 2
            open_sections.append((written, level))
            element.tag = f"h{min(level, 6)}"


class Contents(Treeprocessor):
    """The headings at levels 2 to 4 for the note's contents list, and an id for every
    heading that has none (classic flavour; ids as Python-Markdown's toc extension made
    them). Done here rather than by the toc extension, which serialised each heading
    again to find its text."""

    entries: list[TocEntry]

    def run(self, root: Element) -> None:
        self.entries = []
        used = {element.attrib["id"] for element in root.iter() if "id" in element.attrib}
        counters: dict[str, int] = {}
        stats = self.md.treeprocessors["weeknote-text"]
        assert isinstance(stats, TextStats)
        for element in root.iter():
            if element.tag not in HEADINGS:
                continue
            name = " ".join(stats.text_of(element).split())
            if "id" not in element.attrib:
                element.set("id", unique(slugify_unicode(name, "-"), used, counters))
            label = element.attrib.pop("data-toc-label", None)
            if label is not None:
                name = " ".join(TAG_RE.sub("", html.unescape(label)).split())
            level = int(element.tag[1])
            if 2 <= level <= 4:
                self.entries.append(TocEntry(level, unescape(element.attrib["id"]), name))


class GithubIds(Treeprocessor):
    """Heading ids made as GitHub makes them, so `[see](#some-heading)` links written for
    GitHub work here: lower case, punctuation other than `-` and `_` dropped, each space a
    hyphen, letters of any script kept; a repeated id gets `-1`, `-2`…"""

    def run(self, root: Element) -> None:
        used = {element.get("id") for element in root.iter() if element.get("id")}
        counts: dict[str, int] = {}
        stats = self.md.treeprocessors["weeknote-text"]
        assert isinstance(stats, TextStats)
        for element in root.iter():
            if element.tag not in HEADINGS or element.get("id"):
                continue
            base = github_slug(stats.text_of(element)) or "section"
            while True:
                count = counts.get(base, 0)
                counts[base] = count + 1
                candidate = f"{base}-{count}" if count else base
                if candidate not in used:
                    break
            used.add(candidate)
            element.set("id", candidate)


def github_slug(text: str) -> str:
    """A heading's anchor as GitHub makes it from the heading's text."""
    kept = [
        char
        for char in text.strip().lower()
        if char in "- " or unicodedata.category(char) in _WORD_CATEGORIES
    ]
    return "".join(kept).replace(" ", "-")


# Letters, marks, decimal and letter numbers, and connectors such as `_`: Unicode's "word".
_WORD_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})
