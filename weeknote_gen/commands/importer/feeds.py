"""Posts from an RSS 2.0 or an Atom file (such as a Medium or Blogger export)."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weeknote_gen.commands.importer.posts import (
    Post,
    Read,
    Skipped,
    TermMapping,
    UnreadableExportError,
    clean_text,
    merge_terms,
)
from weeknote_gen.commands.importer.safe_xml import (
    ATOM,
    CONTENT,
    DC,
    child_text,
    find_child,
    local_name,
    namespace_of,
    xml_events,
)
from weeknote_gen.commands.importer.to_markdown import html_to_markdown, plain_text
from weeknote_gen.urls import slugify

BLOGGER_KIND = "http://schemas.google.com/g/2005#kind"
APP = "http://www.w3.org/2007/app"


def read_feed(source: Path, author_map: Mapping[str, str], mapping: TermMapping) -> Read:
    result = Read()
    root_seen = ""
    feed_author = ""
    for event, element in xml_events(source):
        name = local_name(element.tag)
        if event == "start":
            if not root_seen:
                root_seen = name if name in ("rss", "feed") else "other"
                if root_seen == "other":
                    raise UnreadableExportError(
                        f"this is not an RSS 2.0 or Atom file: it starts with <{name}>"
                    )
            continue
        if name == "item" and root_seen == "rss":
            _rss_item(element, author_map, mapping, result)
            element.clear()
        elif name == "entry" and root_seen == "feed":
            _atom_entry(element, author_map, mapping, result, feed_author)
            element.clear()
        elif name == "author" and namespace_of(element.tag) == ATOM and not feed_author:
            feed_author = child_text(element, "name", ATOM)  # the feed's author, before any entry
    return result


def _rss_item(
    item: ET.Element, author_map: Mapping[str, str], mapping: TermMapping, result: Read
) -> None:
    title = clean_text(html.unescape(child_text(item, "title")))
    date = rfc822_date(child_text(item, "pubDate")) or _iso_date(child_text(item, "date", DC))
    if date is None:
        result.skipped.append(Skipped(title or "(untitled)", "it has no date"))
        return
    written = child_text(item, "creator", DC) or _rss_author(child_text(item, "author"))
    author = author_map.get(written, written)
    if not author:
        result.skipped.append(Skipped(title, "it names no author (add one with --author-map)"))
        return
    categories = [
        clean_text(html.unescape(c.text))
        for c in item
        if local_name(c.tag) == "category" and c.text and c.text.strip()
    ]
    content = child_text(item, "encoded", CONTENT) or child_text(item, "description")
    body, dropped = html_to_markdown(content)
    result.posts.append(
        Post(
            title=title or "Untitled",
            date=date,
            author=author,
            slug=_slug_from_link(child_text(item, "link")) or slugify(title) or "untitled",
            body=body,
            terms=merge_terms({mapping.categories: categories}),
            dropped=dropped,
        )
    )


def _rss_author(text: str) -> str:
    """RSS `<author>` is an address, often with the name in brackets: `a@b.org (Ada)`."""
    found = re.search(r"\(([^)]+)\)", text)
    return found.group(1).strip() if found else text


def _atom_entry(
    entry: ET.Element,
    author_map: Mapping[str, str],
    mapping: TermMapping,
    result: Read,
    feed_author: str,
) -> None:
    title = clean_text(_atom_text(find_child(entry, "title", ATOM)))
    categories = []
    kind = ""
    for child in entry:
        if local_name(child.tag) == "category":
            if child.get("scheme") == BLOGGER_KIND:
                kind = child.get("term", "").rsplit("#", 1)[-1]
            else:
                term = clean_text(child.get("label") or child.get("term") or "")
                if term:
                    categories.append(term)
    if kind and kind != "post":
        result.skipped.append(
            Skipped(title or f"({kind})", f"a Blogger '{kind}' entry, not a post")
        )
        return
    date = _iso_date(child_text(entry, "published", ATOM) or child_text(entry, "updated", ATOM))
    if date is None:
        result.skipped.append(Skipped(title or "(untitled)", "it has no date"))
        return
    author_element = find_child(entry, "author", ATOM)
    written = child_text(author_element, "name", ATOM) if author_element is not None else ""
    written = written or feed_author
    author = author_map.get(written, written)
    if not author:
        result.skipped.append(Skipped(title, "it names no author (add one with --author-map)"))
        return
    content = find_child(entry, "content", ATOM)
    if content is None:
        content = find_child(entry, "summary", ATOM)
    body, dropped = html_to_markdown(_atom_html(content))
    control = find_child(entry, "control", APP)
    draft = control is not None and child_text(control, "draft", APP).lower() == "yes"
    link = next(
        (
            c.get("href", "")
            for c in entry
            if local_name(c.tag) == "link" and c.get("rel", "alternate") == "alternate"
        ),
        "",
    )
    result.posts.append(
        Post(
            title=title or "Untitled",
            date=date,
            author=author,
            slug=_slug_from_link(link) or slugify(title) or "untitled",
            body=body,
            terms=merge_terms({mapping.categories: categories}),
            draft=draft,
            dropped=dropped,
        )
    )


def _atom_text(element: ET.Element | None) -> str:
    """An Atom text construct as plain text, whatever its `type`."""
    if element is None:
        return ""
    if element.get("type") in ("html", "xhtml"):
        return plain_text(_atom_html(element))
    return element.text or ""


def _atom_html(element: ET.Element | None) -> str:
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":  # the markup is XML inside a <div>: write it back out as HTML
        div = find_child(element, "div")
        inner = div if div is not None else element
        parts = [inner.text or ""] + [
            ET.tostring(child, encoding="unicode", method="html") for child in inner
        ]
        return re.sub(r"<(/?)html:", r"<\1", "".join(parts))
    if kind == "html":
        return element.text or ""
    return "<p>" + html.escape(element.text or "") + "</p>"


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _slug_from_link(link: str) -> str:
    """The last part of a post's address: `…/2019/07/counting-laptops.html` gives
    `counting-laptops`; Medium's trailing id (`…-3f2a9c1b7d4e`) is dropped."""
    path = urlsplit(link).path.rstrip("/")
    last = unquote(path.rsplit("/", 1)[-1])
    last = re.sub(r"\.html?$", "", last)
    last = re.sub(r"-[0-9a-f]{10,12}$", "", last)
    return slugify(last)


def rfc822_date(text: str) -> dt.date | None:
    """RSS's `Fri, 12 Jul 2019 16:30:00 +0000`, as the day where it was written."""
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
