"""What each output page read, as one key: the engine renders a page only when its key is new.

A page reads two things: the site's structure (config, which notes exist and in what order,
authors, terms, weeks, related notes, media and old addresses: everything in `Site` but the
notes' content), and the content of the notes it shows, which planning lists on each
`PageSpec` (`reads`; None when a page may show any note). So a page's key is the digest of
the templates, the structure, its own address and settings, and the digests of the notes it
reads. An edit to one note's text changes the keys of the pages that show that note and no
others; a new note, a new tag or a config change changes the structure, and every page.

Working the keys out is cheap: no template context is built or hashed for a page whose key
is unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from weeknote_gen.content.model import Site
from weeknote_gen.output.feeds import FeedSpec
from weeknote_gen.site.page_spec import PageSpec


@dataclass(frozen=True, slots=True)
class SiteDigests:
    """What pages and feeds may read, as digests: each note's content, and the rest."""

    notes: Mapping[str, str]
    structure: str

    @classmethod
    def of(cls, site: Site) -> SiteDigests:
        return cls(note_digests(site), structure_digest(site))


def note_digests(site: Site) -> dict[str, str]:
    """A digest of each published note's whole content, by key."""
    return {
        key: hashlib.sha1(
            repr(note).encode("utf-8", "surrogatepass"), usedforsecurity=False
        ).hexdigest()
        for key, note in site.notes.items()
    }


def structure_digest(site: Site) -> str:
    """A digest of everything in `site` but its notes' content."""
    digest = hashlib.sha256()
    for part in (
        site.config,
        tuple(site.notes),
        site.authors,
        site.taxonomies,
        site.weeks,
        site.related,
        site.media,
        site.aliases,
        sorted(site.static_files),
        (site.skipped_drafts, site.skipped_future),
    ):
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def page_keys(
    specs: Sequence[PageSpec], notes: Mapping[str, str], structure: str, templates: str
) -> list[str]:
    """Each page's key, in order: equal keys mean equal bytes."""
    every_note = hashlib.sha256("\0".join(notes.values()).encode()).hexdigest()
    keys = []
    for spec in specs:
        read = every_note if spec.reads is None else ",".join(notes[key] for key in spec.reads)
        text = "\0".join(
            (
                templates,
                structure,
                spec.url,
                spec.template,
                spec.title,
                spec.section,
                str(spec.lastmod),
                spec.token,
                "*" if spec.reads is None else "",
                read,
            )
        )
        keys.append(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    return keys


def feed_keys(feeds: Sequence[FeedSpec], notes: Mapping[str, str], structure: str) -> list[str]:
    """Each feed's key, in order, the same way as pages': what it is and what it reads."""
    every_note = hashlib.sha256("\0".join(notes.values()).encode()).hexdigest()
    keys = []
    for feed in feeds:
        read = every_note if feed.reads is None else ",".join(notes[key] for key in feed.reads)
        parts = ("feed", structure, feed.path, *feed.task, "*" if feed.reads is None else "", read)
        keys.append(hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest())
    return keys
