"""Raw inline HTML, when a note may have it, only where it is a real tag."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown.inlinepatterns import HtmlInlineProcessor

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


class StrictHtml(HtmlInlineProcessor):
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
