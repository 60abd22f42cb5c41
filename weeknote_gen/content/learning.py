"""Learning passages: the section of a note under a heading such as "Something I'm learning".

Passages are cut from the note's rendered HTML, not its Markdown, so a line that only looks
like a heading (inside a code block, say) never matches: in HTML it is text, not an `<hN>`.
Only headings at the top level of the body count; one inside a quotation or a list is part
of what it sits in. A section runs to the next heading of the same or a higher level, or to
the footnotes, and is kept both as HTML (ready to show on another page) and as plain text.
A paragraph that is one of the new-note template's prompts, left as written, is not the
author's learning and is left out (`content.template_prompts`); so is a section holding only
prompts.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from weeknote_gen.content.markdown_summary import cut_summary
from weeknote_gen.content.template_prompts import is_prompt, prompt_key

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})
_SEPARATORS = (":", "-", "\u2013", "\u2014", "(")
_ANY_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_OPENING_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_ID_ATTRIBUTE = re.compile(r'\s+id="[^"]*"')
_IN_PAGE_LINK = re.compile(r'\bhref="#')
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"})
_BLOCKS = frozenset(
    {"p", "li", "pre", "blockquote", "div", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_LAST_ITEM = "\x00"  # marks a list item while paragraphs are joined
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True, slots=True)
class Passage:
    """One learning section of a note."""

    heading: str  # the heading as the reader saw it, as plain text
    anchor: str  # the heading's `id` on the note's page, for a link straight to it
    html: str  # the section below the heading: ids removed, in-page links made to the note
    text: str  # the same as plain text, paragraphs separated by blank lines


def normalise_heading(text: str) -> str:
    """A heading as compared: curly apostrophes straightened, case and spacing ignored."""
    return " ".join(text.translate(_APOSTROPHES).casefold().split()).rstrip(" :.")


def heading_matches(text: str, patterns: Sequence[str]) -> bool:
    """True when `text` is one of `patterns`, or one followed by a colon, dash or bracket
    ("Something I'm learning: facilitation")."""
    heading = normalise_heading(text)
    for pattern in patterns:
        wanted = normalise_heading(pattern)
        if not wanted:
            continue
        if heading == wanted:
            return True
        rest = heading.removeprefix(wanted)
        if rest != heading and rest.lstrip().startswith(_SEPARATORS):
            return True
    return False


def extract_passages(
    body: str,
    patterns: Sequence[str],
    page_href: str = "",
    prompts: frozenset[str] = frozenset(),
) -> tuple[Passage, ...]:
    """Every learning section of a rendered note body, in order. `page_href` is the note's
    own page: links within the note (`#fn:1`) are pointed at it, so they still work when the
    passage is shown elsewhere. Paragraphs whose key is in `prompts` are left out."""
    if not patterns or not _may_match(body, tuple(patterns)):
        return ()
    return _extract(body, tuple(patterns), page_href, prompts)


def _may_match(body: str, patterns: tuple[str, ...]) -> bool:
    """A quick look, so that the notes without a learning heading (most, on some sites)
    are never parsed."""
    for match in _ANY_HEADING.finditer(body):
        if heading_matches(html.unescape(_TAG.sub("", match.group(2))), patterns):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _extract(
    body: str, patterns: tuple[str, ...], page_href: str, prompts: frozenset[str]
) -> tuple[Passage, ...]:
    blocks = _Blocks.run(body)
    passages: list[Passage] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if not block.level or not heading_matches(block.text, patterns):
            continue
        section_blocks: list[_Block] = []
        while index < len(blocks):
            following = blocks[index]
            if (following.level and following.level <= block.level) or following.footnotes:
                break
            section_blocks.append(following)
            index += 1
        markup = _section_markup(body, section_blocks, prompts)
        if not markup:
            continue
        section = _tidy(markup, block.level, page_href)
        text = plain_text(section)
        if text:
            title = " ".join(block.text.split()).rstrip(" :")
            passages.append(Passage(title, block.anchor, section, text))
    return tuple(passages)


def _section_markup(body: str, blocks: Sequence[_Block], prompts: frozenset[str]) -> str:
    """A section's HTML as the note has it, or, where some of its paragraphs are prompts,
    the other blocks one to a line ("" when nothing is left)."""
    kept = [
        block
        for block in blocks
        if not (prompts and block.paragraph and is_prompt(_block_text(body, block), prompts))
    ]
    if not kept:
        return ""
    if len(kept) == len(blocks):
        return body[kept[0].start : kept[-1].end]
    return "\n".join(body[block.start : block.end] for block in kept)


def _block_text(body: str, block: _Block) -> str:
    """A paragraph's text, enough to compare with a prompt (which has no markup or
    footnotes): tags dropped, entities resolved, without parsing it again."""
    return html.unescape(_TAG.sub("", body[block.start : block.end]))


def summary_without_prompts(summary: str, body: str, prompts: frozenset[str]) -> str:
    """An inferred summary that is (or begins with) one of the template's prompts replaced
    by the first top-level paragraph of the rendered body that is not one, cut as summaries
    are; "" when every paragraph is a prompt. Any other summary is kept as it is."""
    if not prompts or not summary:
        return summary
    key = prompt_key(summary)
    if key not in prompts and not any(key.startswith(f"{prompt} ") for prompt in prompts):
        return summary
    for block in _Blocks.run(body):
        if block.paragraph:
            text = _block_text(body, block)
            if text and not is_prompt(text, prompts):
                return cut_summary(text)
    return ""


def _tidy(section: str, level: int, page_href: str) -> str:
    """Ready for another page: no ids (they would clash there), links within the note
    pointed at the note, and sub-headings renumbered as if the section's heading were an h2."""

    def opening(match: re.Match[str]) -> str:
        tag = _ID_ATTRIBUTE.sub("", match.group(0))
        return _IN_PAGE_LINK.sub(f'href="{html.escape(page_href)}#', tag)

    def heading(match: re.Match[str]) -> str:
        shifted = min(6, int(match.group(2)) - level + 2)
        return f"<{match.group(1)}h{shifted}"

    tidied = _OPENING_TAG.sub(opening, section)
    return _HEADING_TAG.sub(heading, tidied).strip()


@dataclass(frozen=True, slots=True)
class _Block:
    start: int
    end: int
    level: int  # 1 to 6 for a heading, else 0
    text: str  # a heading's text
    anchor: str
    footnotes: bool  # Python-Markdown's footnote list, which always ends a section
    paragraph: bool  # a `<p>`: what a left-over prompt of the new-note template is


class _Blocks(HTMLParser):
    """The top-level elements of a body, with where each starts and ends in the text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for number, character in enumerate(markup):
            if character == "\n":
                self.line_starts.append(number + 1)
        self.markup = markup
        self.blocks: list[_Block] = []
        self.depth = 0
        self.current: dict[str, object] = {}
        self.text: list[str] = []

    @classmethod
    def run(cls, markup: str) -> list[_Block]:
        parser = cls(markup)
        parser.feed(markup)
        parser.close()
        return parser.blocks

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        if self.depth == 0:
            values = dict(attrs)
            self.current = {
                "start": start,
                "tag": tag,
                "anchor": values.get("id") or "",
                "footnotes": tag == "div" and values.get("class") == "footnote",
            }
            self.text = []
        if tag in _VOID:
            if self.depth == 0:
                self.finish_block(start + len(self.get_starttag_text() or ""))
            return
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.handle_starttag(tag, attrs)
            if tag not in _VOID:  # `<div/>`: opened by the call above, closed at once
                self.depth -= 1
                self.finish_block(self.position() + len(self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            position = self.position()
            end = self.markup.find(">", position)
            self.finish_block(end + 1 if end >= 0 else len(self.markup))

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.text.append(data)

    def finish_block(self, end: int) -> None:
        tag = str(self.current.get("tag", ""))
        heading = tag in _HEADINGS
        self.blocks.append(
            _Block(
                start=int(str(self.current.get("start", 0))),
                end=end,
                level=int(tag[1]) if heading else 0,
                text="".join(self.text) if heading else "",
                anchor=str(self.current.get("anchor", "")) if heading else "",
                footnotes=bool(self.current.get("footnotes")),
                paragraph=tag == "p",
            )
        )


def plain_text(markup: str) -> str:
    """HTML as plain text: a paragraph per block, list items marked "- ", footnote
    numbers left out."""
    return _Text.run(markup)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.hidden = 0
        self.pre = 0

    @classmethod
    def run(cls, markup: str) -> str:
        parser = cls()
        parser.feed(markup)
        parser.close()
        parser.flush()
        text = ""
        for paragraph in parser.paragraphs:  # list items one to a line, others spaced
            item = paragraph.startswith("- ")
            gap = "\n" if item and text.endswith(_LAST_ITEM) else "\n\n"
            text = f"{text}{gap if text else ''}{paragraph}"
        return text.replace(_LAST_ITEM, "")

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        text = text.strip("\n") if self.pre else " ".join(text.split())
        if text == "-":  # a list item's marker, its text still to come (`<li><p>`)
            self.buffer = ["- "]
        elif text.strip():
            self.paragraphs.append(text + (_LAST_ITEM if text.startswith("- ") else ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "sup":
            self.hidden += 1
        elif tag in _BLOCKS:
            self.flush()
            if tag == "li":
                self.buffer.append("- ")
            if tag == "pre":
                self.pre += 1
        elif tag == "br":
            self.buffer.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup":
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.flush()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.buffer.append(data)
