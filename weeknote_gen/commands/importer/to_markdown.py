"""A post's HTML as clean Markdown, and what had to be left out of it.

Bodies become Markdown with markdownify (MIT licence, typed, maintained); WordPress's own
markup (shortcodes, paragraphs written as blank lines, block comments) is dealt with first.
"""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import MarkdownConverter

SHORTCODE_NAMES = (
    "caption|wp_caption|gallery|embed|audio|video|playlist|contact-form|contact-form-7|"
    "gravityform|youtube|vimeo|tweet|soundcloud|googlemaps|slideshare|code|sourcecode"
)
_PAIRED = re.compile(
    rf"\[(?P<name>{SHORTCODE_NAMES})(?P<attrs>(?:\s[^\]]*)?)\](?P<inner>.*?)\[/(?P=name)\]",
    re.DOTALL | re.IGNORECASE,
)
_SINGLE = re.compile(rf"\[(?P<name>{SHORTCODE_NAMES})(?P<attrs>(?:\s[^\]]*)?)/?\]", re.IGNORECASE)
_ESCAPED = re.compile(r"\[(\[[^\[\]]+\])\]")  # WordPress writes a literal [gallery] as [[gallery]]
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_BLOCK_START = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|img|iframe|form|dl|section|"
    r"!--)",
    re.IGNORECASE,
)
_BLOCK_TAGS = re.compile(r"<(?:p|div|h[1-6]|ul|ol|blockquote|pre|table|figure)[\s>]", re.I)
DROPPED_TAGS = ("script", "style", "form", "noscript", "button", "input", "select", "textarea")


def html_to_markdown(text: str, *, wordpress: bool = False) -> tuple[str, tuple[str, ...]]:
    """Clean Markdown from a post's HTML, and what was left out (such as `[gallery]`)."""
    dropped: list[str] = []
    if wordpress:
        text = _shortcodes(text, dropped)
        text = _autop(text)
    soup = BeautifulSoup(text, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()  # Gutenberg's <!-- wp:paragraph --> and the like
    for tag in soup.find_all(DROPPED_TAGS):
        if isinstance(tag, Tag):
            if tag.name == "form":
                _note(dropped, "a form")
            tag.decompose()
    for frame in soup.find_all("iframe"):
        if isinstance(frame, Tag):
            source = str(frame.get("src") or "")
            if source.startswith(("https://", "http://")):
                link = soup.new_tag("a", href=source)
                link.string = source
                paragraph = soup.new_tag("p")
                paragraph.append(link)
                frame.replace_with(paragraph)
            else:
                frame.decompose()
    markdown = _Converter(heading_style="atx", bullets="-", newline_style="spaces").convert_soup(
        soup
    )
    lines = [_trimmed(line) for line in markdown.replace("\r\n", "\n").split("\n")]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return (body + "\n" if body else ""), tuple(dropped)


def _trimmed(line: str) -> str:
    """A line without trailing spaces, except the two that mark a line break after text."""
    kept = line.rstrip()
    return kept + "  " if kept and line.endswith("  ") else kept


class _Converter(MarkdownConverter):
    """markdownify, with a figure's caption in italics under its picture."""

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = " ".join(text.split())
        return f"\n\n*{text}*\n\n" if text else ""


def _note(dropped: list[str], what: str) -> None:
    if what not in dropped:
        dropped.append(what)


def _shortcodes(text: str, dropped: list[str]) -> str:
    """WordPress shortcodes, which are not HTML: captions become a figure with its caption,
    code blocks become <pre>, an embed becomes a link, and the rest are left out."""
    escaped: list[str] = []

    def keep_escaped(found: re.Match[str]) -> str:
        escaped.append(found.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    def paired(found: re.Match[str]) -> str:
        name = found.group("name").lower()
        attrs = _attributes(found.group("attrs"))
        inner = found.group("inner")
        if name in ("caption", "wp_caption"):
            caption = attrs.get("caption", "")
            picture = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", inner, re.S)
            if picture:
                inner, caption = picture.group(1), caption or picture.group(2).strip()
            caption = f"<figcaption>{caption}</figcaption>" if caption else ""
            return f"\n\n<figure>{inner}{caption}</figure>\n\n"
        if name in ("code", "sourcecode"):
            return f"\n\n<pre><code>{html.escape(inner.strip(chr(10)))}</code></pre>\n\n"
        if name == "embed":
            address = inner.strip()
            if address.startswith(("https://", "http://")):
                return f'\n\n<p><a href="{html.escape(address)}">{html.escape(address)}</a></p>\n\n'
        _note(dropped, f"[{name}]")
        return ""

    def single(found: re.Match[str]) -> str:
        _note(dropped, f"[{found.group('name').lower()}]")
        return ""

    text = _ESCAPED.sub(keep_escaped, text)
    text = _PAIRED.sub(paired, text)
    text = _SINGLE.sub(single, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: escaped[int(m.group(1))], text)


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTRIBUTE.finditer(text)
    }


def _autop(text: str) -> str:
    """WordPress's classic editor stores paragraphs as blank lines and line breaks as newlines,
    adding the tags only when a page is shown; do the same here. Posts from the block editor,
    already in <p> tags, are left as they are."""
    if _BLOCK_TAGS.search(text) and "<!-- wp:" in text:
        return text
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)


def plain_text(fragment: str) -> str:
    """Text from a bit of HTML, on one line (for summaries and titles)."""
    if not fragment.strip():
        return ""
    return " ".join(BeautifulSoup(fragment, "html.parser").get_text(" ").split())
