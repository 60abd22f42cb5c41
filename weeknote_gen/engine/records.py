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
from dataclasses import dataclass, replace

from weeknote_gen.content.model import Note, Site
from weeknote_gen.engine.memo import key_of
from weeknote_gen.output.feeds import FeedSpec
from weeknote_gen.site.page_spec import PageSpec


@dataclass(frozen=True, slots=True)
class SiteDigests:
    """What pages and feeds may read, as digests: each note's whole content (`notes`), what
    its card and links show (`cards`: all but the body and its table of contents), and the
    rest of the site (`structure`)."""

    notes: Mapping[str, str]
    cards: Mapping[str, str]
    structure: str
    every_note: str  # of all notes' whole content, for an output that may show any
    every_card: str

    @classmethod
    def of(cls, site: Site) -> SiteDigests:
        cards: dict[str, str] = {}
        notes: dict[str, str] = {}
        for key, note in site.notes.items():
            cards[key], notes[key] = note_digests(note)
        every_note, every_card = key_of(*notes.values()), key_of(*cards.values())
        return cls(notes, cards, structure_digest(site), every_note, every_card)


def note_digests(note: Note) -> tuple[str, str]:
    """A note's card digest (all but the body and its table of contents) and whole digest."""
    card = _sha1(repr(replace(note, html="", toc=())))
    return card, _sha1(f"{card}\0{_sha1(note.html)}\0{note.toc!r}")


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


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
    specs: Sequence[PageSpec], read: SiteDigests, templates: Mapping[str, str]
) -> list[str]:
    """Each page's key, in order: equal keys mean equal bytes."""
    return [
        key_of(
            templates[spec.template],
            read.structure,
            spec.url,
            spec.template,
            spec.title,
            spec.section,
            str(spec.lastmod),
            spec.token,
            repr(spec.alternates),
            _joined(spec.reads, read.notes, read.every_note),
            _joined(spec.shows, read.cards, read.every_card),
        )
        for spec in specs
    ]


def _joined(keys: Sequence[str] | None, digests: Mapping[str, str], every: str) -> str:
    """The digests of the notes `keys` names, or of every note (marked apart) for None."""
    return f"*{every}" if keys is None else ",".join(digests[key] for key in keys)


def feed_keys(feeds: Sequence[FeedSpec], read: SiteDigests, plan: str = "") -> list[str]:
    """Each feed's key, in order, the same way as pages': what it is and what it reads
    (`plan`: what else of the plan the sitemap lists, a bilingual site's translations)."""
    return [
        key_of(
            "feed",
            read.structure,
            plan,
            feed.path,
            *feed.task,
            _joined(feed.reads, read.notes, read.every_note),
            _joined(feed.shows, read.cards, read.every_card),
        )
        for feed in feeds
    ]
