"""Posts from a WordPress export (WXR, Tools → Export): drafts kept as drafts, pages,
attachments, menu items and the bin left out with the reason."""

from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote

from weeknote_gen.commands.importer.feeds import rfc822_date
from weeknote_gen.commands.importer.posts import (
    Post,
    Read,
    Skipped,
    TermMapping,
    clean_text,
    merge_terms,
)
from weeknote_gen.commands.importer.safe_xml import (
    CONTENT,
    DC,
    WP,
    child_text,
    local_name,
    namespace_of,
    xml_events,
)
from weeknote_gen.commands.importer.to_markdown import html_to_markdown, plain_text
from weeknote_gen.urls import slugify

SKIP_TYPES = {
    "page": "a page, not a post",
    "attachment": "an uploaded file (pictures stay linked from the posts that show them)",
    "nav_menu_item": "a menu item",
    "revision": "an earlier revision of a post",
    "wp_block": "a reusable block",
    "custom_css": "the theme's custom CSS",
}
DRAFT_STATUSES = ("draft", "pending", "private")
SKIP_STATUSES = {"trash": "in the bin", "auto-draft": "an empty automatic draft"}


def read_wordpress(source: Path, author_map: Mapping[str, str], mapping: TermMapping) -> Read:
    result = Read()
    display: dict[str, str] = {}  # login -> display name, from <wp:author>
    for event, element in xml_events(source):
        if event != "end":
            continue
        name = local_name(element.tag)
        if name == "author" and namespace_of(element.tag).startswith(WP):
            login = child_text(element, "author_login", WP)
            if login:
                display[login] = child_text(element, "author_display_name", WP) or login
        elif name == "item":
            _wordpress_item(element, display, author_map, mapping, result)
            element.clear()  # the tree under <channel> would otherwise hold every post
    return result


def _wordpress_item(
    item: ET.Element,
    display: Mapping[str, str],
    author_map: Mapping[str, str],
    mapping: TermMapping,
    result: Read,
) -> None:
    title = clean_text(html.unescape(child_text(item, "title")))
    kind = child_text(item, "post_type", WP) or "post"
    status = child_text(item, "status", WP) or "publish"
    shown = title or f"(untitled {kind} {child_text(item, 'post_id', WP)})".replace(" )", ")")
    if kind != "post":
        result.skipped.append(Skipped(shown, SKIP_TYPES.get(kind, f"a '{kind}', not a post")))
        return
    if status in SKIP_STATUSES:
        result.skipped.append(Skipped(shown, SKIP_STATUSES[status]))
        return
    date = _wordpress_date(child_text(item, "post_date", WP)) or rfc822_date(
        child_text(item, "pubDate")
    )
    if date is None:
        result.skipped.append(Skipped(shown, "it has no date"))
        return
    login = child_text(item, "creator", DC)
    author = author_map.get(login) or display.get(login) or login
    if not author:
        result.skipped.append(Skipped(shown, "it names no author (add one with --author-map)"))
        return
    categories, tags = _categories_and_tags(item)
    body, dropped = html_to_markdown(child_text(item, "encoded", CONTENT), wordpress=True)
    excerpt = next(
        (
            plain_text(c.text or "")
            for c in item
            if local_name(c.tag) == "encoded" and "/excerpt/" in c.tag
        ),
        "",
    )
    slug = slugify(unquote(child_text(item, "post_name", WP))) or slugify(title)
    result.posts.append(
        Post(
            title=title or "Untitled",
            date=date,
            author=author,
            slug=slug or f"post-{slugify(child_text(item, 'post_id', WP)) or 'untitled'}",
            body=body,
            terms=merge_terms({mapping.categories: categories, mapping.tags: tags}),
            summary=excerpt,
            draft=status in DRAFT_STATUSES,
            dropped=dropped,
        )
    )


def _categories_and_tags(item: ET.Element) -> tuple[list[str], list[str]]:
    """A post's categories (WordPress's "Uncategorized" left out) and its tags."""
    categories: list[str] = []
    tags: list[str] = []
    for child in item:
        if local_name(child.tag) == "category" and child.text and child.text.strip():
            term = clean_text(html.unescape(child.text))
            domain = child.get("domain", "category")
            if domain == "category" and term.casefold() != "uncategorized":
                categories.append(term)
            elif domain == "post_tag":
                tags.append(term)
    return categories, tags


def _wordpress_date(text: str) -> dt.date | None:
    """`2019-07-12 16:30:00`, the time where the blog was; drafts may have all zeros."""
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
