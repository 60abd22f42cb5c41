"""Markdown bodies to HTML with Python-Markdown: pure, so results can be cached by content hash.

Links between notes are written by authors as paths to `.md` files; their URLs depend on the
whole site, which this stage must not know about. So such links leave here as numbered
placeholders (`wg-note-link:N`), listed in `RenderedMarkdown.note_links`, for `model` to resolve.
"""

from __future__ import annotations

import bisect
import functools
import html
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from urllib.parse import SplitResult, urlsplit
from xml.etree.ElementTree import Element

import markdown as md
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode, unescape, unique
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor, LinkInlineProcessor, Pattern
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString
from pygments.formatters import HtmlFormatter

from weeknote_gen.config import MarkdownOptions
from weeknote_gen.urls import is_unsafe_link

NOTE_LINK_SCHEME = "wg-note-link:"
ASSET_LINK_SCHEME = "wg-asset-link:"
SITE_LINK_SCHEME = "wg-site-link:"
SUMMARY_LIMIT = 300
WORDS_PER_MINUTE = 220
PYGMENTS_LIGHT = "default"
PYGMENTS_DARK = "github-dark"
# Attributes a browser reads as URLs (an attribute list can set any of them on any element).
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "poster", "data", "cite", "background"}
    | {"xlink:href", "longdesc", "usemap", "ping", "codebase", "lowsrc", "dynsrc", "manifest"}
)


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    """What the rest of the build needs from a body, all derived from its text alone."""

    html: str
    summary: str
    toc: tuple[TocEntry, ...]
    note_links: tuple[str, ...]  # original hrefs, indexed by placeholder number
    asset_links: tuple[str, ...]  # original image sources and file links, likewise
    word_count: int
    # Root-relative hrefs and image sources ("/images/board.png"), likewise: `model` points
    # them under the base path when they name a static file, a note or a note's old address.
    site_links: tuple[str, ...] = ()


def renderer_fingerprint(options: MarkdownOptions) -> str:
    """Identifies everything besides the text that shapes the output, for cache keys."""
    versions = f"markdown={version('markdown')};pygments={version('pygments')}"
    if options.flavour == "github":
        versions += f";pymdown-extensions={version('pymdown-extensions')}"
    return f"{versions};allow_html={options.allow_html};flavour={options.flavour};v5"


def render_markdown(body: str, options: MarkdownOptions) -> RenderedMarkdown:
    """Render one note body; the same body and options always give the same result."""
    converter = _converter(options.allow_html, options.flavour)
    converter.reset()
    collector = converter.treeprocessors["weeknote"]
    assert isinstance(collector, _WeeknoteProcessor)
    collector.note_links = []
    collector.asset_links = []
    collector.site_links = []
    # Code blocks scroll sideways; tabindex lets keyboard users do that too.
    output = converter.convert(body).replace(
        '<div class="codehilite"><pre>', '<div class="codehilite"><pre tabindex="0">'
    )
    contents = converter.treeprocessors["weeknote-contents"]
    stats = converter.treeprocessors["weeknote-text"]
    assert isinstance(stats, _TextStats) and isinstance(contents, _Contents)
    return RenderedMarkdown(
        html=output,
        summary=stats.summary,
        toc=tuple(contents.entries),
        note_links=tuple(collector.note_links),
        asset_links=tuple(collector.asset_links),
        word_count=stats.word_count,
        site_links=tuple(collector.site_links),
    )


def reading_minutes(word_count: int) -> int:
    return max(1, round(word_count / WORDS_PER_MINUTE))


def pygments_css() -> str:
    """Stylesheet for highlighted code, light by default and dark when the reader prefers it."""
    light = _scoped_style(PYGMENTS_LIGHT)
    dark = _scoped_style(PYGMENTS_DARK)
    indented = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{indented}\n}}\n"


def _scoped_style(style: str) -> str:
    """Pygments' rules for code blocks only: it also emits bare `pre` and line-number rules,
    which would restyle every `<pre>` on the site."""
    rules = HtmlFormatter(style=style).get_style_defs(".codehilite")  # type: ignore[no-untyped-call]
    return "\n".join(line for line in rules.splitlines() if line.startswith(".codehilite"))


@functools.cache
def _converter(allow_html: bool, flavour: str = "github") -> md.Markdown:
    """One configured converter per option set; building one costs more than a short note."""
    github = flavour == "github"
    extensions: list[str | Extension] = ["extra", "sane_lists", "codehilite"]
    configs: dict[str, dict[str, object]] = {
        "codehilite": {"guess_lang": False, "css_class": "codehilite"},
        "extra": {"footnotes": {"BACKLINK_TITLE": "Back to reference %d in the text"}},
    }
    if github:
        extensions += ["pymdownx.tilde", "pymdownx.tasklist", "pymdownx.magiclink"]
        configs["pymdownx.tilde"] = {"subscript": False}  # GitHub has ~~strike~~ only
    extensions.append(_WeeknoteExtension(github))
    converter = md.Markdown(extensions=extensions, extension_configs=configs, output_format="html")
    if github:
        _gate(converter, "magic-link", re.compile(r"://|www\.", re.IGNORECASE))
        _gate(converter, "magic-mail", re.compile("@"))
    if not allow_html:
        # Raw HTML stays as visible, escaped text: untrusted authors cannot inject markup.
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        converter.parser.blockprocessors.deregister("markdown_block")
    else:
        converter.inlinePatterns.register(_StrictHtml(HTML_RE, converter), "html", 90)
    for pattern in converter.inlinePatterns:
        if isinstance(pattern, LinkInlineProcessor):
            pattern.getText = _link_text  # type: ignore[method-assign]
    converter.treeprocessors.register(_SelectiveInline(converter), "inline", 20)
    return converter


class _GatedPattern:
    """A pattern's regular expression behind a cheap test: magiclink's expressions have no
    literal start, so searching every run of text for them cost more than all of smarty's
    rules; most text has no `://`, `www.` or `@` to find."""

    def __init__(self, pattern: re.Pattern[str], hint: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.hint = hint

    def finditer(self, data: str, position: int = 0) -> Iterator[re.Match[str]]:
        if self.hint.search(data, position) is None:
            return iter(())
        return self.pattern.finditer(data, position)


def _gate(converter: md.Markdown, name: str, hint: re.Pattern[str]) -> None:
    pattern = converter.inlinePatterns[name]
    pattern.compiled_re = _GatedPattern(pattern.compiled_re, hint)  # type: ignore[assignment]


# What a text must contain for an inline pattern to have any chance of matching it: each
# pattern's expression cannot match without it (they are all literal in the expressions).
# Inline processing only ever replaces matched stretches with placeholders (STX, letters,
# digits, `:`, ETX) or splits text, so it never makes one of these where there was none.
# Tests of `in` rather than expressions: a search for `[*_]` costs eight times as much.
_Need = Callable[[str], bool]
_REFERENCE_ID_RE = re.compile(r"\]\s?\[")


def _contains(needle: str) -> _Need:
    return lambda text: needle in text


_PATTERN_NEEDS: dict[str, _Need] = {
    "backtick": _contains("`"),
    "escape": _contains("\\"),
    "footnote": _contains("[^"),
    "link": _contains("]("),
    "reference": lambda text: _REFERENCE_ID_RE.search(text) is not None,
    "image_reference": lambda text: _REFERENCE_ID_RE.search(text) is not None,
    "short_reference": _contains("["),
    "image_link": _contains("!["),
    "short_image_ref": _contains("!["),
    "autolink": _contains("<"),
    "automail": _contains("<"),
    "html": _contains("<"),
    "linebreak": _contains("  \n"),
    "entity": _contains("&"),
    "em_strong": lambda text: "*" in text or "_" in text,
    "delimiter": _contains("~"),
    # magiclink's own test (`_GatedPattern`) is exact but slow to run on every text: these
    # are cheaper, and true whenever it is (no letter but W lower-cases to w).
    "magic-link": lambda text: "://" in text or "www." in text.lower(),
    "magic-mail": _contains("@"),
}
# Patterns that only ever make something of a reference defined in the note (`[id]: url`).
_REFERENCE_PATTERNS = ("reference", "short_reference", "image_reference", "short_image_ref")


def _never(text: str) -> bool:
    """For a pattern that cannot make anything of this note."""
    return False


class _SelectiveInline(InlineProcessor):
    """Python-Markdown's inline pass, trying on each run of text only the patterns that
    could match it.

    The pass tries every pattern on every run of text, at the cost of a few Python calls
    each time; a text without `](` cannot hold an inline link, nor one without `` ` `` a
    code span, nor a note without reference definitions a reference link. A pattern skipped
    this way would have found nothing, so the output is the same. The patterns are also
    handed over as a plain list, which is much cheaper to index than the registry the pass
    otherwise reads them from on every step.
    """

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        text = "\x00".join(tree.itertext())
        registry = self.md.inlinePatterns
        needs = {
            id(registry[name]): needed
            for name, needed in _PATTERN_NEEDS.items()
            if name in registry
        }
        if not self.md.references:
            needs.update(
                (id(registry[name]), _never) for name in _REFERENCE_PATTERNS if name in registry
            )
        patterns: list[Pattern] = []
        self.needs: list[_Need | None] = []
        for pattern in registry:  # in priority order
            needed = needs.get(id(pattern))
            if needed is None or needed(text):
                patterns.append(pattern)
                self.needs.append(needed)
        self.inlinePatterns = patterns  # type: ignore[assignment]
        return super().run(tree, ancestors)

    # Python-Markdown's private `__handleInline`, which its other methods call by this name.
    def _InlineProcessor__handleInline(self, data: str, pattern_index: int = 0) -> str:  # noqa: N802
        """Apply each pattern in turn from `pattern_index`, each as often as it matches, as
        Python-Markdown does, passing over any whose needed text `data` lacks: matches only
        ever replace stretches with placeholders, so what is lacking never appears."""
        if isinstance(data, AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns, needs = self.inlinePatterns, self.needs
        start = 0
        while pattern_index < len(patterns):
            needed = needs[pattern_index]
            if needed is not None and not needed(data):
                pattern_index, start = pattern_index + 1, 0
                continue
            data, matched, start = apply(patterns[pattern_index], data, pattern_index, start)
            if not matched:
                pattern_index += 1
        return data


class _BracketEnds:
    """Where the bracket open at each position of one text closes, found from the brackets
    alone: between two brackets the answer is the same, so it is kept per stretch."""

    __slots__ = ("data", "ends", "positions")

    def __init__(self, data: str) -> None:
        self.data = data
        self.positions = [match.start() for match in _BRACKET_RE.finditer(data)]
        # Stretch k lies after k brackets; its depth is the count of `[` less `]` before it.
        # It is closed by the first later stretch that is shallower, which starts just past
        # the closing `]`; stretches still waiting are kept with strictly rising depths.
        self.ends: list[int | None] = [None] * (len(self.positions) + 1)
        depth = 0
        waiting: list[tuple[int, int]] = [(0, 0)]
        for stretch, position in enumerate(self.positions, start=1):
            depth += 1 if data[position] == "[" else -1
            while waiting and depth < waiting[-1][1]:
                self.ends[waiting.pop()[0]] = position + 1
            waiting.append((stretch, depth))

    def end(self, index: int) -> int | None:
        return self.ends[bisect.bisect_left(self.positions, index)]


_BRACKET_RE = re.compile(r"[\[\]]")
_last_bracket_ends = _BracketEnds("")


def _link_text(data: str, index: int) -> tuple[str, int, bool]:
    """The text between a link's brackets, as `LinkInlineProcessor.getText` finds it (up to
    the `]` that closes the bracket open at `index`, nested pairs included), but found by
    visiting only the brackets: Python-Markdown walks every character of the paragraph in
    Python each time the paragraph changes, which was a sixth of all rendering time. The
    last text's answer is kept, since every link pattern asks about the same text in turn."""
    global _last_bracket_ends  # a one-entry cache
    ends = _last_bracket_ends
    if ends.data is not data:
        ends = _last_bracket_ends = _BracketEnds(data)
    end = ends.end(index)
    if end is None:
        return data[index:], len(data), False
    return data[index : end - 1], end, True


class _WeeknoteExtension(Extension):
    def __init__(self, github: bool) -> None:
        super().__init__()
        self.github = github

    def extendMarkdown(self, md: md.Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        # After fenced code (25) has set code blocks aside, before raw HTML blocks (20).
        md.preprocessors.register(_Comments(md), "weeknote-comments", 24)
        if self.github:
            md.preprocessors.register(_GithubBlocks(md), "weeknote-github-blocks", 23)
        md.treeprocessors.register(_ShiftHeadings(md), "weeknote-headings", 26)
        md.treeprocessors.register(_MoreDivider(md), "weeknote-more", 19)
        if self.github:
            # After attr_list (8) has set any hand-written ids, before typography changes
            # the text the ids are made from.
            md.treeprocessors.register(_GithubIds(md), "weeknote-ids", 7.5)
            md.treeprocessors.register(_TaskLabels(md), "weeknote-tasks", 4.5)
        # Where smarty's second inline pass ran: after abbr (7), before the contents.
        md.treeprocessors.register(_Typography(md), "weeknote-typography", 6)
        md.treeprocessors.register(_Contents(md), "weeknote-contents", 5)
        md.treeprocessors.register(_WeeknoteProcessor(md), "weeknote", 4)
        md.treeprocessors.register(_TextStats(md), "weeknote-text", 3)
        # A backslash keeps a quote straight, as it did with smarty.
        md.ESCAPED_CHARS.extend(['"', "'"])


class _WeeknoteProcessor(Treeprocessor):
    """Drops unsafe link targets and handlers, turns links to notes into placeholders, and
    makes wide content reachable by keyboard.

    Runs after attr_list, which could otherwise add `onclick` or a `javascript:` href.
    """

    note_links: list[str]
    asset_links: list[str]
    site_links: list[str]

    def run(self, root: Element) -> None:
        _wrap_tables(root)
        for element in root.iter():
            if not element.attrib:
                continue  # most elements: nothing to check
            if element.tag == "a" and element.get("class") == "footnote-backref":
                element.set("aria-label", element.get("title", "Back to the text"))
            for name in [a for a in element.attrib if _is_script_or_style(a)]:
                del element.attrib[name]
            for name in [a for a in element.attrib if a.lower() in _URL_ATTRIBUTES]:
                # An attribute list's value keeps character references as placeholders until
                # the very end (`java&#x09;script:`): judge the value the browser will read.
                read = self._unstashed(element.attrib[name])
                links = read.split(",") if name.lower() == "srcset" else [read]
                if any(is_unsafe_link(link) for link in links):
                    del element.attrib[name]
            for name in ("href", "src"):
                value = element.get(name)
                if value is None:
                    continue
                if name == "href" and _is_note_link(value):
                    element.set("href", f"{NOTE_LINK_SCHEME}{len(self.note_links)}")
                    self.note_links.append(value)
                elif _is_asset_link(name, value):
                    element.set(name, f"{ASSET_LINK_SCHEME}{len(self.asset_links)}")
                    self.asset_links.append(value)
                elif _is_site_link(value):
                    element.set(name, f"{SITE_LINK_SCHEME}{len(self.site_links)}")
                    self.site_links.append(value)

    def _unstashed(self, value: str) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks

        def raw(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return str(stash[index]) if index < len(stash) else ""

        return HTML_PLACEHOLDER_RE.sub(raw, value)


def _is_script_or_style(attribute: str) -> bool:
    name = attribute.lower()
    return name.startswith("on") or name == "style"


def _wrap_tables(root: Element) -> None:
    """Put each table in a focusable, labelled region that scrolls sideways on small screens."""
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag == "table":
                wrapper = Element(
                    "div",
                    {
                        "class": "table-wrap",
                        "tabindex": "0",
                        "role": "region",
                        "aria-label": "Table",
                    },
                )
                parent.remove(child)
                wrapper.append(child)
                wrapper.tail, child.tail = child.tail, None
                parent.insert(index, wrapper)


def _split(url: str) -> SplitResult | None:
    """The parts of a link, or None for one that is not a URL at all (`http://[x`, or a bare
    address such as `https://e.com]/` that the linker took in): it is left as written."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _is_note_link(url: str) -> bool:
    parts = _split(url)
    return (
        parts is not None and not parts.scheme and not parts.netloc and parts.path.endswith(".md")
    )


_PAGE_SUFFIXES = frozenset({"", ".md", ".html", ".htm"})


def _is_asset_link(attribute: str, url: str) -> bool:
    """A relative image, or a relative link to a file (a PDF, a spreadsheet) beside the notes."""
    parts = _split(url)
    if parts is None or parts.scheme or parts.netloc or not parts.path:
        return False
    if parts.path.startswith("/"):
        return False
    return attribute == "src" or posixpath.splitext(parts.path)[1].lower() not in _PAGE_SUFFIXES


def _is_site_link(url: str) -> bool:
    """A path from the site's root ("/images/a.png"), not one from another host's root
    ("//host/…", or "/\\host/…", which browsers read the same way)."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


# --------------------------------------------------------------------------- comments, summary

# Stands where the first `<!--more-->` was until the tree exists; STX/ETX cannot come from the
# author (Python-Markdown removes them from the source first).
_MORE_MARK = "\x02wg-more\x03"
_MORE_TAG = "wg-more"
_COMMENT_RE = re.compile(r"<!--(.*?)-->", re.DOTALL)
_MORE_RE = re.compile(r"\s*more\s*", re.IGNORECASE)


class _Comments(Preprocessor):
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


class _MoreDivider(Treeprocessor):
    """Turns the divider's mark into an empty element, so that typography, heading ids and
    the contents never see it; `_TextStats` reads and removes it."""

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


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A paragraph holding only a stashed block (highlighted code, raw HTML): Python-Markdown's
# placeholder for what it set aside (`util.HTML_PLACEHOLDER`).
_BLOCK_PLACEHOLDER_RE = re.compile(r"\s*\x02wzxhzdk:(\d+)\x03\s*")
_TAG_RE = re.compile(r"<[^>]*>")


class _TextStats(Treeprocessor):
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
            if past_divider or top.tag in _HEADINGS or top.tag == "div" or block:
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
            self.summary = _cut_summary(" ".join(before_divider))
        else:
            self.summary = _cut_summary(first_paragraph or "")

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
            return html.unescape(_TAG_RE.sub(tag_gap, markup))

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


def _cut_summary(raw: str) -> str:
    text = " ".join(raw.split())
    if len(text) <= SUMMARY_LIMIT:
        return text
    cut = text[:SUMMARY_LIMIT].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


# --------------------------------------------------------------------------- headings


class _ShiftHeadings(Treeprocessor):
    """The page's title is its only `h1`, so the body starts at `h2` (`# Heading` becomes an
    `h2`, as does a first heading written `###`) and never skips a level: screen-reader users
    navigate by heading level, and a jump from h2 to h4 reads as a missing section."""

    def run(self, root: Element) -> None:
        # (level as written, h1 counted as h2; level given) of the open sections.
        open_sections: list[tuple[int, int]] = []
        for element in root.iter():
            if element.tag not in _HEADINGS:
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


class _Contents(Treeprocessor):
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
        assert isinstance(stats, _TextStats)
        for element in root.iter():
            if element.tag not in _HEADINGS:
                continue
            name = " ".join(stats.text_of(element).split())
            if "id" not in element.attrib:
                element.set("id", unique(slugify_unicode(name, "-"), used, counters))
            label = element.attrib.pop("data-toc-label", None)
            if label is not None:
                name = " ".join(_TAG_RE.sub("", html.unescape(label)).split())
            level = int(element.tag[1])
            if 2 <= level <= 4:
                self.entries.append(TocEntry(level, unescape(element.attrib["id"]), name))


class _GithubIds(Treeprocessor):
    """Heading ids made as GitHub makes them, so `[see](#some-heading)` links written for
    GitHub work here: lower case, punctuation other than `-` and `_` dropped, each space a
    hyphen, letters of any script kept; a repeated id gets `-1`, `-2`…"""

    def run(self, root: Element) -> None:
        used = {element.get("id") for element in root.iter() if element.get("id")}
        counts: dict[str, int] = {}
        stats = self.md.treeprocessors["weeknote-text"]
        assert isinstance(stats, _TextStats)
        for element in root.iter():
            if element.tag not in _HEADINGS or element.get("id"):
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


# --------------------------------------------------------------------------- GitHub blocks

_ITEM_RE = re.compile(r"([-*+]|(\d{1,9})\.)( +|$)")
_RULE_RE = re.compile(r"([-*_])(?: *\1){2,} *$")
_HEADING_RE = re.compile(r"#{1,6}(?=[ \t]|$)")
_NOT_HEADING_RE = re.compile(r"#{1,6}(?=[^#\s])")


def _indent(line: str) -> tuple[int, str]:
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


class _GithubBlocks(Preprocessor):
    """Line-level differences between GitHub's Markdown and Python-Markdown's, rewritten into
    the form Python-Markdown reads the same way:

    - a list right after a line of text starts a list (a blank line is put before it);
    - list nesting follows the parent item's text (`- a` / `  - b`), not a 4-space step;
    - a trailing backslash is a line break;
    - an ATX heading may be indented by up to 3 spaces, and `#tag` is not a heading.

    Fenced code is already set aside; indented code is left exactly as written.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        items: list[tuple[int, int]] = []  # open list items: (text column as written, depth)
        blank_before = True
        paragraph = False  # the previous line was paragraph text outside any list
        code = False
        for number, line in enumerate(lines):
            if not line.strip():
                out.append(line)
                blank_before, paragraph = True, False
                continue
            column, rest = _indent(line)
            if code and column >= 4:
                out.append(line)
                blank_before = False
                continue
            was_code, code = code, False
            item = None if _RULE_RE.match(rest) else _ITEM_RE.match(rest)
            if items and (item is None or column >= 4 + items[-1][0]):
                item = None if blank_before or column < items[-1][0] else item
            if item is not None and not items and paragraph:
                ordinal = item.group(2)
                empty = not rest[item.end() :].strip()
                if (ordinal is not None and ordinal != "1") or empty or column >= 4:
                    item = None
                else:
                    out.append("")  # GitHub lets a list interrupt a paragraph
            if item is not None and (items or column < 4):
                if was_code:
                    out.append("")  # an item ends indented code in an item
                while items and column < items[-1][0]:
                    items.pop()
                depth = len(items)
                spaces = len(item.group(3))
                if spaces > 4 or not rest[item.end() :].strip():
                    spaces = 1
                items.append((column + len(item.group(1)) + spaces, depth))
                out.append(" " * (4 * depth) + rest)
                blank_before, paragraph = False, False
                continue
            ends_list = rest.startswith((">", "#")) or _RULE_RE.match(rest)
            if items and not blank_before and column < items[-1][0] and ends_list:
                out.append("")  # a quote, heading or rule ends the list on GitHub
                items.clear()
            if items:
                if blank_before:
                    while items and column < items[-1][0]:
                        items.pop()
                if items:
                    text_column, depth = items[-1]
                    extra = max(0, column - text_column)
                    if blank_before and extra >= 4:
                        code = True
                        out.append(" " * (4 * (depth + 1) + extra) + rest)
                    elif blank_before:
                        out.append(
                            " " * (4 * (depth + 1) + extra) + self._inline(rest, lines, number)
                        )
                    else:
                        # More text of the item's paragraph: Python-Markdown joins it to the
                        # item when it is indented as the item's marker is.
                        out.append(" " * (4 * depth) + self._inline(rest, lines, number))
                    blank_before = False
                    continue
            if blank_before and column >= 4 and not paragraph:
                code = True
                out.append(line)
                blank_before = False
                continue
            if column < 4 and _HEADING_RE.match(rest):
                out.append(rest)
                paragraph = False
            elif column < 4 and _NOT_HEADING_RE.match(rest):
                out.append(" " * column + "\\" + rest)
                paragraph = True
            else:
                out.append(
                    " " * column + self._inline(rest, lines, number)
                    if column
                    else self._inline(line, lines, number)
                )
                paragraph = not rest.startswith(("|", "\x02"))
            blank_before = False
        return out

    @staticmethod
    def _inline(text: str, lines: list[str], number: int) -> str:
        """A trailing backslash before more text of the same paragraph is a line break, which
        Python-Markdown writes as two trailing spaces."""
        if not text.endswith("\\") or number + 1 >= len(lines):
            return text
        following = lines[number + 1].strip()
        if not following or following.startswith(("#", "|", "\x02")) or _ITEM_RE.match(following):
            return text
        slashes = len(text) - len(text.rstrip("\\"))
        if slashes % 2 == 0 or text.lstrip().startswith("|"):
            return text
        return text[:-1] + "  "


# --------------------------------------------------------------------------- task lists

_BLOCK_TAGS = frozenset(
    {"ul", "ol", "p", "div", "pre", "blockquote", "table", "dl", "hr", *_HEADINGS}
)


class _TaskLabels(Treeprocessor):
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


# --------------------------------------------------------------------------- raw HTML

# HTML's elements (and a few obsolete ones browsers still draw).
_ELEMENTS = frozenset(
    {
        "a",
        "abbr",
        "address",
        "area",
        "article",
        "aside",
        "audio",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "button",
        "canvas",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "datalist",
        "dd",
        "del",
        "details",
        "dfn",
        "dialog",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "i",
        "iframe",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "legend",
        "li",
        "main",
        "map",
        "mark",
        "math",
        "menu",
        "meter",
        "nav",
        "noscript",
        "object",
        "ol",
        "optgroup",
        "option",
        "output",
        "p",
        "picture",
        "pre",
        "progress",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "script",
        "search",
        "section",
        "select",
        "slot",
        "small",
        "source",
        "span",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "svg",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "track",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
        "center",
        "font",
        "big",
        "strike",
        "tt",
    }
)
_STRICT_TAG_RE = re.compile(
    r"""</?([A-Za-z][A-Za-z0-9-]*)"""
    r"""(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*/?>"""
)


class _StrictHtml(HtmlInlineProcessor):
    """Raw inline HTML only when it is a real tag: `<blog.example.net/post/>` or `<not a tag>`
    shows as text, as on GitHub, instead of vanishing into the page as an unknown element."""

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's API)
        self, m: re.Match[str], data: str
    ) -> tuple[Element | str | None, int | None, int | None]:
        raw = m.group(1)
        if not raw.startswith("<!"):
            tag = _STRICT_TAG_RE.fullmatch(raw)
            if tag is None:
                return None, None, None
            name = tag.group(1).lower()
            if name not in _ELEMENTS and "-" not in name:
                return None, None, None
        return super().handleMatch(m, data)


# --------------------------------------------------------------------------- typography

# The rules smarty applied, in its order, each over the whole text before the next; a
# replaced stretch becomes an opaque token (STX…ETX) that later rules see as neither a word
# nor a space, as smarty's placeholders were. Entity spellings of dashes smarty also looked
# for cannot occur here: Python-Markdown has already set every entity aside.
_PUNCT = r"""[!"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
_CLOSER = r"[^ \t\r\n\[{(\-\x02\x03]"
_OPENER = r"(\s|--|–|—)"
_RULE = tuple[re.Pattern[str], tuple[int | str, ...]]


def _rules(*rules: tuple[str, tuple[int | str, ...]]) -> tuple[_RULE, ...]:
    return tuple((re.compile(pattern, re.DOTALL), output) for pattern, output in rules)


_DASHES = _rules((r"(?<!-)---(?!-)", ("&mdash;",)), (r"(?<!-)--(?!-)", ("&ndash;",)))
_QUOTES = _rules(
    (rf"^'(?={_PUNCT}\B)", ("&rsquo;",)),
    (rf'^"(?={_PUNCT}\B)', ("&rdquo;",)),
    (r""""'(?=\w)""", ("&ldquo;", "&lsquo;")),
    (r"""'"(?=\w)""", ("&lsquo;", "&ldquo;")),
    (rf"""(?<={_CLOSER})'\"""", ("&rsquo;", "&rdquo;")),
    (rf"""(?<={_CLOSER})"'""", ("&rdquo;", "&rsquo;")),
    (r"(?<!\w)'(?=\d{2}s)", ("&rsquo;",)),
    (rf"{_OPENER}'(?=\w)", (1, "&lsquo;")),
    (rf"(?<={_CLOSER})'(?!\s|s\b|\d)", ("&rsquo;",)),
    (r"'(\s|s\b)", ("&rsquo;", 1)),
    (r"'", ("&lsquo;",)),
    (rf'{_OPENER}"(?=\w)', (1, "&ldquo;")),
    (r'"(?=\s)', ("&rdquo;",)),
    (rf'(?<={_CLOSER})"', ("&rdquo;",)),
    (r'"', ("&ldquo;",)),
)
_ELLIPSIS = _rules((r"(?<!\.)\.{3}(?!\.)", ("&hellip;",)))
_TOKEN_RE = re.compile("\x02wgq(\\d+)\x03")
_UNTOUCHED = frozenset({"code", "pre", "kbd", "script", "style", "samp"})


class _Typography(Treeprocessor):
    """Curly quotes, apostrophes, en and em dashes from `--` and `---`, and the ellipsis, in
    one pass over the tree's text (smarty's second inline pass cost about half of rendering).
    Code, preformatted text and attributes are never touched."""

    def run(self, root: Element) -> None:
        self.entities: dict[str, str] = {}
        self._walk(root, is_root=True)

    def _walk(self, element: Element, is_root: bool = False) -> None:
        untouched = element.tag in _UNTOUCHED
        text = element.text
        if text and not is_root and not untouched and not isinstance(text, AtomicString):
            element.text = self._educate(text)
        for child in element:
            if not untouched:
                self._walk(child)
            tail = child.tail
            if tail and not untouched:
                child.tail = self._educate(tail)

    def _educate(self, text: str) -> str:
        has_single, has_double = "'" in text, '"' in text
        if not (has_single or has_double or "--" in text or "..." in text):
            return text
        outputs: list[str] = []
        rules: list[_RULE] = list(_DASHES)
        if has_single or has_double:
            rules += _QUOTES
        rules += _ELLIPSIS
        for pattern, output in rules:
            position = 0
            while match := pattern.search(text, position):
                token = f"\x02wgq{len(outputs)}\x03"
                outputs.append(
                    "".join(
                        match.group(part) if isinstance(part, int) else self._entity(part)
                        for part in output
                    )
                )
                text = text[: match.start()] + token + text[match.end() :]
                position = match.start() + len(token)
        if not outputs:
            return text
        return _TOKEN_RE.sub(lambda match: outputs[int(match.group(1))], text)

    def _entity(self, entity: str) -> str:
        """The entity's place in the raw-HTML stash, as smarty left it, so the output spells
        it `&rsquo;`; stored once per document."""
        placeholder = self.entities.get(entity)
        if placeholder is None:
            placeholder = self.entities[entity] = self.md.htmlStash.store(entity)
        return placeholder


# --------------------------------------------------------------------------- template code

_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_TEMPLATE_RE = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{%.*?%\}|\{\{.*?\}\}")


def find_template_code(body: str) -> list[tuple[int, str]]:
    """Hugo shortcodes (`{{< … >}}`, `{{% … %}}`), Liquid or Nunjucks tags (`{% … %}`) and
    `{{ … }}` expressions in a body, as (line within the body, from 1; the snippet).

    weeknote-gen never runs such code: it shows it as written. Notes moved from another
    generator often carry it, and a warning tells the author. Code (fenced, indented, or an
    inline span) is where template code is shown on purpose, so it is skipped.
    """
    if "{{" not in body and "{%" not in body:
        return []  # nothing can match: most notes, and this check is all they cost
    found: list[tuple[int, str]] = []
    fence: str | None = None
    blank_before = True
    in_list = False
    for number, line in enumerate(body.split("\n"), start=1):
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            continue
        opening = _FENCE_RE.match(line)
        if opening:
            fence = opening.group(1)
            continue
        if not stripped:
            blank_before = True
            continue
        column, rest = _indent(line)
        if column < 4:
            in_list = bool(_ITEM_RE.match(rest)) or (in_list and not blank_before)
        elif blank_before and not in_list:
            continue  # indented code
        blank_before = False
        if "{" not in line:
            continue
        masked = _CODE_SPAN_RE.sub(lambda span: " " * len(span.group(0)), line)
        found.extend((number, match.group(0)) for match in _TEMPLATE_RE.finditer(masked))
    return found
