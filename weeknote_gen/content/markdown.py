"""Markdown bodies to HTML with Python-Markdown: pure, so results can be cached by content hash.

This module builds one converter per option set from the steps in the `markdown_*` modules
and says what a rendered body is; links to other notes leave as placeholders (see
`markdown_links`) for `model` to resolve.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.metadata import version

import markdown as md
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, LinkInlineProcessor

from weeknote_gen.config import MarkdownOptions
from weeknote_gen.content.markdown_code_style import CODE_BLOCK
from weeknote_gen.content.markdown_github import GithubBlocks, TaskLabels
from weeknote_gen.content.markdown_headings import Contents, GithubIds, ShiftHeadings, TocEntry
from weeknote_gen.content.markdown_inline import SelectiveInline, gate_pattern, link_text
from weeknote_gen.content.markdown_links import LinkProcessor
from weeknote_gen.content.markdown_raw_html import StrictHtml
from weeknote_gen.content.markdown_summary import Comments, MoreDivider, TextStats
from weeknote_gen.content.markdown_typography import Typography


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
    assert isinstance(collector, LinkProcessor)
    collector.note_links = []
    collector.asset_links = []
    collector.site_links = []
    # Code blocks scroll sideways; tabindex lets keyboard users do that too.
    output = converter.convert(body).replace(
        f"{CODE_BLOCK}<pre>", f'{CODE_BLOCK}<pre tabindex="0">'
    )
    contents = converter.treeprocessors["weeknote-contents"]
    stats = converter.treeprocessors["weeknote-text"]
    assert isinstance(stats, TextStats) and isinstance(contents, Contents)
    return RenderedMarkdown(
        html=output,
        summary=stats.summary,
        toc=tuple(contents.entries),
        note_links=tuple(collector.note_links),
        asset_links=tuple(collector.asset_links),
        word_count=stats.word_count,
        site_links=tuple(collector.site_links),
    )


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
        gate_pattern(converter, "magic-link", re.compile(r"://|www\.", re.IGNORECASE))
        gate_pattern(converter, "magic-mail", re.compile("@"))
    if not allow_html:
        # Raw HTML stays as visible, escaped text: untrusted authors cannot inject markup.
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        converter.parser.blockprocessors.deregister("markdown_block")
    else:
        converter.inlinePatterns.register(StrictHtml(HTML_RE, converter), "html", 90)
    for pattern in converter.inlinePatterns:
        if isinstance(pattern, LinkInlineProcessor):
            pattern.getText = link_text  # type: ignore[method-assign]
    converter.treeprocessors.register(SelectiveInline(converter), "inline", 20)
    return converter


class _WeeknoteExtension(Extension):
    def __init__(self, github: bool) -> None:
        super().__init__()
        self.github = github

    def extendMarkdown(self, md: md.Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        # After fenced code (25) has set code blocks aside, before raw HTML blocks (20).
        md.preprocessors.register(Comments(md), "weeknote-comments", 24)
        if self.github:
            md.preprocessors.register(GithubBlocks(md), "weeknote-github-blocks", 23)
        md.treeprocessors.register(ShiftHeadings(md), "weeknote-headings", 26)
        md.treeprocessors.register(MoreDivider(md), "weeknote-more", 19)
        if self.github:
            # After attr_list (8) has set any hand-written ids, before typography changes
            # the text the ids are made from.
            md.treeprocessors.register(GithubIds(md), "weeknote-ids", 7.5)
            md.treeprocessors.register(TaskLabels(md), "weeknote-tasks", 4.5)
        # Where smarty's second inline pass ran: after abbr (7), before the contents.
        md.treeprocessors.register(Typography(md), "weeknote-typography", 6)
        md.treeprocessors.register(Contents(md), "weeknote-contents", 5)
        md.treeprocessors.register(LinkProcessor(md), "weeknote", 4)
        md.treeprocessors.register(TextStats(md), "weeknote-text", 3)
        # A backslash keeps a quote straight, as it did with smarty.
        md.ESCAPED_CHARS.extend(['"', "'"])
