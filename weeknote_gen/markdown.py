"""Markdown bodies to HTML with Python-Markdown: pure, so results can be cached by content hash.

Links between notes are written by authors as paths to `.md` files; their URLs depend on the
whole site, which this stage must not know about. So such links leave here as numbered
placeholders (`wg-note-link:N`), listed in `RenderedMarkdown.note_links`, for `model` to resolve.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib.metadata import version
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown as md
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE
from pygments.formatters import HtmlFormatter

from weeknote_gen.config import MarkdownOptions

NOTE_LINK_SCHEME = "wg-note-link:"
ASSET_LINK_SCHEME = "wg-asset-link:"
SITE_LINK_SCHEME = "wg-site-link:"
SUMMARY_LIMIT = 300
WORDS_PER_MINUTE = 220
PYGMENTS_LIGHT = "default"
PYGMENTS_DARK = "github-dark"
_UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")
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
    return f"{versions};allow_html={options.allow_html};v4"


def render_markdown(body: str, options: MarkdownOptions) -> RenderedMarkdown:
    """Render one note body; the same body and options always give the same result."""
    converter = _converter(options.allow_html)
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
    toc = tuple(_flatten_toc(getattr(converter, "toc_tokens", [])))
    text = _TextExtractor.run(output)
    return RenderedMarkdown(
        html=output,
        summary=text.summary,
        toc=toc,
        note_links=tuple(collector.note_links),
        asset_links=tuple(collector.asset_links),
        word_count=text.word_count,
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
def _converter(allow_html: bool) -> md.Markdown:
    """One configured converter per option set; building one costs more than a short note."""
    converter = md.Markdown(
        extensions=[
            "extra",
            "toc",
            "sane_lists",
            "smarty",
            "codehilite",
            _WeeknoteExtension(),
        ],
        extension_configs={
            "toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
            "codehilite": {"guess_lang": False, "css_class": "codehilite"},
            "extra": {"footnotes": {"BACKLINK_TITLE": "Back to reference %d in the text"}},
        },
        output_format="html",
    )
    if not allow_html:
        # Raw HTML stays as visible, escaped text: untrusted authors cannot inject markup.
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        converter.parser.blockprocessors.deregister("markdown_block")
    return converter


class _WeeknoteExtension(Extension):
    def extendMarkdown(self, md: md.Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.treeprocessors.register(_DemoteTitles(md), "weeknote-demote", 25)
        md.treeprocessors.register(_WeeknoteProcessor(md), "weeknote", 4)


class _DemoteTitles(Treeprocessor):
    """The page's title is its only `h1`; a `# Heading` in the body becomes an `h2`."""

    def run(self, root: Element) -> None:
        for element in root.iter("h1"):
            element.tag = "h2"


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


def is_unsafe_link(link: str) -> bool:
    """A link that would run code or read local files when followed (`javascript:`,
    `vbscript:`, `data:`, `file:`), however it is disguised: any case, character references
    (`java&#x09;script:`), spaces or control characters inside or around the scheme."""
    cleaned = _CONTROL_OR_SPACE.sub("", html.unescape(link)).lower()
    scheme, colon, _ = cleaned.partition(":")
    return bool(colon) and "/" not in scheme and scheme in _UNSAFE_SCHEMES


def _is_note_link(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and parts.path.endswith(".md")


_PAGE_SUFFIXES = frozenset({"", ".md", ".html", ".htm"})


def _is_asset_link(attribute: str, url: str) -> bool:
    """A relative image, or a relative link to a file (a PDF, a spreadsheet) beside the notes."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return False
    return attribute == "src" or posixpath.splitext(parts.path)[1].lower() not in _PAGE_SUFFIXES


def _is_site_link(url: str) -> bool:
    """A path from the site's root ("/images/a.png"), not one from another host's root
    ("//host/…", or "/\\host/…", which browsers read the same way)."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def _flatten_toc(tokens: list[dict[str, object]]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for token in tokens:
        level, anchor, name = token.get("level"), token.get("id"), token.get("name")
        if isinstance(level, int) and isinstance(anchor, str) and isinstance(name, str):
            entries.append(TocEntry(level, anchor, html.unescape(name)))
        children = token.get("children")
        if isinstance(children, list):
            entries.extend(_flatten_toc(children))
    return entries


_VOID_TAGS = frozenset({"hr", "br", "img", "input", "meta", "link", "wbr", "source"})


class _TextExtractor(HTMLParser):
    """Plain text of the first top-level paragraph (for summaries) and a word count."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_tags: list[bool] = []  # per open element: does it hide its text from counts?
        self.in_summary = False
        self.summary_done = False
        self.summary_parts: list[str] = []
        self.word_count = 0

    @classmethod
    def run(cls, markup: str) -> _TextExtractor:
        parser = cls()
        parser.feed(markup)
        parser.close()
        return parser

    @property
    def summary(self) -> str:
        text = " ".join("".join(self.summary_parts).split())
        if len(text) <= SUMMARY_LIMIT:
            return text
        cut = text[:SUMMARY_LIMIT].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
        return cut + "…"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            return
        # Footnote numbers and back-arrows are not words a reader reads.
        hidden = tag == "sup" or (tag == "a" and ("class", "footnote-backref") in attrs)
        if tag == "p" and not self.open_tags and not self.summary_done:
            self.in_summary = True
        self.open_tags.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS or not self.open_tags:
            return
        self.open_tags.pop()
        if tag == "p" and self.in_summary and not self.open_tags:
            self.in_summary = False
            self.summary_done = True

    def handle_data(self, data: str) -> None:
        if any(self.open_tags):
            return
        self.word_count += len(data.split())
        if self.in_summary:
            self.summary_parts.append(data)
