"""Links and attributes in the rendered tree: unsafe targets and handlers dropped, tables made
reachable by keyboard, and links whose URLs depend on the whole site set aside.

Links between notes are written by authors as paths to `.md` files; their URLs depend on the
whole site, which this stage must not know about. So such links leave here as numbered
placeholders (`wg-note-link:N`), listed in `RenderedMarkdown.note_links`, for `model` to resolve.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import SplitResult, urlsplit
from xml.etree.ElementTree import Element

from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from weeknote_gen.urls import is_unsafe_link

NOTE_LINK_SCHEME = "wg-note-link:"
ASSET_LINK_SCHEME = "wg-asset-link:"
SITE_LINK_SCHEME = "wg-site-link:"
# Attributes a browser reads as URLs (an attribute list can set any of them on any element).
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "poster", "data", "cite", "background"}
    | {"xlink:href", "longdesc", "usemap", "ping", "codebase", "lowsrc", "dynsrc", "manifest"}
)


class LinkProcessor(Treeprocessor):
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
