"""JSON Feed 1.1 of the site's newest notes, with the same entry ids and dates as Atom's."""

from __future__ import annotations

import json
from collections.abc import Sequence

from weeknote_gen.content.model import Note, Site
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.atom import absolute_content, entry_id, other_language, rfc3339
from weeknote_gen.urls import JSON_FEED_URL, absolute_url, output_path


def json_feed(site: Site, notes: Sequence[Note]) -> Artifact:
    """JSON Feed 1.1 (jsonfeed.org): for readers and scripts that would rather not parse XML."""
    config = site.config
    items = []
    for note in notes[: config.feed_entries]:
        page = absolute_url(config, note.url)
        item: dict[str, object] = {
            "id": entry_id(site, note),
            "url": page,
            "title": note.title,
            "content_html": absolute_content(note.html, page),
            "summary": note.summary,
            "date_published": rfc3339(note.published),
            "authors": [
                {"name": site.authors[s].name, "url": absolute_url(config, site.authors[s].url)}
                for s in note.author_slugs
            ],
            "tags": [
                site.taxonomies[tax].terms[slug].name
                for tax, slugs in note.terms.items()
                for slug in slugs
            ],
        }
        lang = other_language(site, note)
        if lang:
            item["language"] = lang  # JSON Feed 1.1: an item's language, when not the feed's
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": absolute_url(config, "/"),
        "feed_url": absolute_url(config, JSON_FEED_URL),
        "description": config.description,
        "language": config.language,
        "items": items,
    }
    text = json.dumps(feed, ensure_ascii=False, indent=2)
    return Artifact(output_path(JSON_FEED_URL), (text + "\n").encode("utf-8"))
