"""The snapshot's file formats: the last good build's site and outputs as plain data.

A one-off build leaves a snapshot in `.weeknote-cache/` (`engine.snapshot`) so that the next
build, when only notes' text changed, can make just the outputs that read those notes without
assembling the site again (`engine.delta`). It is two files, both read through codecs like the
memo's, so that loading runs no code: the head (`Snapshot`: the site but its notes, each output
and what it reads, the files the build read) as one JSON document, and the notes as a table of
records (`NOTE`), one per note by its digest, each decoded only when the delta build reads it.

Notes are named in the head by their place in the site's order (a list of keys), which keeps the
head small: at 4,000 notes the lists of which notes each output reads are most of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from weeknote_gen.engine.codec_values import (
    CacheDataError,
    Codec,
    Json,
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_object,
    as_optional_int,
    as_optional_str,
    as_str,
    as_str_tuple,
    decode_date,
    decode_datetime,
    encode_date,
    encode_datetime,
)

if TYPE_CHECKING:  # `model` loads Markdown's modules: only once a note is read or written
    from weeknote_gen.content.model import Note

# --------------------------------------------------------------------------- one note

_NOTE_FIELDS = 19


def encode_note(note: Note) -> Json:
    where = note.source
    return [
        note.key,
        note.title,
        encode_date(note.date),
        encode_datetime(note.published),
        note.has_time,
        [note.week.year, note.week.week],
        note.slug,
        list(note.author_slugs),
        {name: list(slugs) for name, slugs in note.terms.items()},
        note.url,
        note.html,
        note.summary,
        [[entry.level, entry.anchor, entry.text] for entry in note.toc],
        note.reading_minutes,
        note.draft,
        note.image,
        [where.path, where.line, where.column],
        note.language,
        [[p.heading, p.anchor, p.html, p.text] for p in note.learnings],
    ]


def decode_note(value: Json) -> Note:
    from weeknote_gen.content.learning import Passage
    from weeknote_gen.content.markdown_headings import TocEntry
    from weeknote_gen.content.model import Note
    from weeknote_gen.errors import Location
    from weeknote_gen.urls import WeekId

    items = _sized(value, _NOTE_FIELDS, "note")
    year, week = (as_int(part) for part in _sized(items[5], 2, "week"))
    where = _sized(items[16], 3, "location")
    return Note(
        key=as_str(items[0]),
        title=as_str(items[1]),
        date=decode_date(items[2]),
        published=decode_datetime(items[3]),
        has_time=as_bool(items[4]),
        week=WeekId(year, week),
        slug=as_str(items[6]),
        author_slugs=as_str_tuple(items[7]),
        terms=MappingProxyType(
            {name: as_str_tuple(slugs) for name, slugs in as_dict(items[8]).items()}
        ),
        url=as_str(items[9]),
        html=as_str(items[10]),
        summary=as_str(items[11]),
        toc=tuple(
            TocEntry(as_int(level), as_str(anchor), as_str(text))
            for level, anchor, text in (
                _sized(entry, 3, "contents") for entry in as_list(items[12])
            )
        ),
        reading_minutes=as_int(items[13]),
        draft=as_bool(items[14]),
        image=as_optional_str(items[15]),
        source=Location(as_str(where[0]), as_optional_int(where[1]), as_optional_int(where[2])),
        language=as_str(items[17]),
        learnings=tuple(
            Passage(*(as_str(part) for part in _sized(passage, 4, "passage")))
            for passage in as_list(items[18])
        ),
    )


NOTE: Codec[Note] = Codec("snapshot-notes", 1, encode_note, decode_note)


def _sized(value: Json, length: int, what: str) -> list[Json]:
    items = as_list(value)
    if len(items) != length:
        raise CacheDataError(f"{what}: wrong length")
    return items


# --------------------------------------------------------------------------- the head

Indices = tuple[int, ...]  # notes by their place in `SiteSkeleton.keys`


@dataclass(frozen=True, slots=True)
class SiteSkeleton:
    """`Site` but its config and its notes' content: the notes by key in order, with each
    note's address and digests (whole and card), and every index of the site by note place."""

    keys: tuple[str, ...]
    urls: tuple[str, ...]
    whole: tuple[str, ...]  # `SiteDigests.notes`, in order
    cards: tuple[str, ...]  # `SiteDigests.cards`, in order
    related: tuple[Indices, ...]
    authors: tuple[tuple[str, str, Indices], ...]  # slug, name, notes
    # name, singular, plural, terms: slug, name, notes
    taxonomies: tuple[tuple[str, str, str, tuple[tuple[str, str, Indices], ...]], ...]
    weeks: tuple[tuple[int, int, Indices], ...]  # ISO year, week, notes
    media: tuple[tuple[str, str], ...]  # asset path, URL
    aliases: tuple[tuple[str, str, str, int | None, int | None], ...]  # URL, note, where
    static_files: tuple[str, ...]
    skipped: tuple[int, int]  # drafts, scheduled notes
    structure: str  # `SiteDigests.structure`
    every_card: str


@dataclass(frozen=True, slots=True)
class OutputRecord:
    """One output of the last build: its file, its key, and which notes it read whole
    (`reads`) and as cards (`shows`), None for any; a feed's `task`, () for a page."""

    path: str
    key: str
    task: tuple[str, ...]
    reads: Indices | None
    shows: Indices | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the delta build needs from the last good build."""

    inputs: str  # the last build record's content fingerprint this snapshot goes with
    settings: str  # the tool, options, config.yaml and theme it was made with
    # Every entry of the content tree and the static folder, by path from the site folder:
    # its identity (mode, inode, size, modified and changed times), None when too fresh
    # to vouch for its content, as `content.tree_identity` walks them.
    entries: Mapping[str, tuple[int, ...] | None]
    sources: tuple[tuple[str, str], ...]  # the notes as discovered: path, SHA-256
    assets: tuple[tuple[str, str], ...]  # the files beside them: path, SHA-256
    static: tuple[tuple[str, str], ...]  # the static folder's files: path, SHA-256
    parsed: tuple[str, ...]  # the notes that parsed, drafts too, by path
    site: SiteSkeleton
    templates: Mapping[str, str]  # each template's fingerprint, by name
    plan: str  # what else of the plan feeds read (`records.feed_keys`)
    outputs: tuple[OutputRecord, ...]  # the pages in plan order, then the feeds


def _indices(value: Json) -> Indices | None:
    return None if value is None else tuple(as_int(item) for item in as_list(value))


def _pairs(value: Json) -> tuple[tuple[str, str], ...]:
    return tuple(
        (as_str(a), as_str(b)) for a, b in (_sized(item, 2, "pair") for item in as_list(value))
    )


def _listed(indices: Indices | None) -> Json:
    return None if indices is None else list(indices)


_SITE_KEYS = frozenset(SiteSkeleton.__slots__)
_SNAPSHOT_KEYS = frozenset(Snapshot.__slots__)


def _encode_site(site: SiteSkeleton) -> Json:
    return {
        "keys": list(site.keys),
        "urls": list(site.urls),
        "whole": list(site.whole),
        "cards": list(site.cards),
        "related": [list(found) for found in site.related],
        "authors": [[slug, name, list(notes)] for slug, name, notes in site.authors],
        "taxonomies": [
            [name, one, many, [[slug, term, list(notes)] for slug, term, notes in terms]]
            for name, one, many, terms in site.taxonomies
        ],
        "weeks": [[year, week, list(notes)] for year, week, notes in site.weeks],
        "media": [list(pair) for pair in site.media],
        "aliases": [list(alias) for alias in site.aliases],
        "static_files": list(site.static_files),
        "skipped": list(site.skipped),
        "structure": site.structure,
        "every_card": site.every_card,
    }


def _decode_site(value: Json) -> SiteSkeleton:
    data = as_object(value, _SITE_KEYS)
    listed = (_sized(item, 3, "index") for item in as_list(data["authors"]))
    skipped = _sized(data["skipped"], 2, "skipped")
    return SiteSkeleton(
        keys=as_str_tuple(data["keys"]),
        urls=as_str_tuple(data["urls"]),
        whole=as_str_tuple(data["whole"]),
        cards=as_str_tuple(data["cards"]),
        related=tuple(_indices(item) or () for item in as_list(data["related"])),
        authors=tuple((as_str(a), as_str(b), _indices(c) or ()) for a, b, c in listed),
        taxonomies=tuple(_decode_taxonomy(item) for item in as_list(data["taxonomies"])),
        weeks=tuple(
            (as_int(year), as_int(week), _indices(notes) or ())
            for year, week, notes in (_sized(item, 3, "week") for item in as_list(data["weeks"]))
        ),
        media=_pairs(data["media"]),
        aliases=tuple(_decode_alias(item) for item in as_list(data["aliases"])),
        static_files=as_str_tuple(data["static_files"]),
        skipped=(as_int(skipped[0]), as_int(skipped[1])),
        structure=as_str(data["structure"]),
        every_card=as_str(data["every_card"]),
    )


def _decode_taxonomy(value: Json) -> tuple[str, str, str, tuple[tuple[str, str, Indices], ...]]:
    name, one, many, terms = _sized(value, 4, "taxonomy")
    listed = (_sized(item, 3, "term") for item in as_list(terms))
    decoded = tuple((as_str(a), as_str(b), _indices(c) or ()) for a, b, c in listed)
    return as_str(name), as_str(one), as_str(many), decoded


def _decode_alias(value: Json) -> tuple[str, str, str, int | None, int | None]:
    url, key, path, line, column = _sized(value, 5, "alias")
    return as_str(url), as_str(key), as_str(path), as_optional_int(line), as_optional_int(column)


def _encode_snapshot(snapshot: Snapshot) -> Json:
    return {
        "inputs": snapshot.inputs,
        "settings": snapshot.settings,
        "entries": {path: _listed(found) for path, found in snapshot.entries.items()},
        "sources": [list(pair) for pair in snapshot.sources],
        "assets": [list(pair) for pair in snapshot.assets],
        "static": [list(pair) for pair in snapshot.static],
        "parsed": list(snapshot.parsed),
        "site": _encode_site(snapshot.site),
        "templates": dict(snapshot.templates),
        "plan": snapshot.plan,
        "outputs": [
            [out.path, out.key, list(out.task), _listed(out.reads), _listed(out.shows)]
            for out in snapshot.outputs
        ],
    }


def _decode_snapshot(value: Json) -> Snapshot:
    data = as_object(value, _SNAPSHOT_KEYS)
    templates = as_dict(data["templates"])
    return Snapshot(
        inputs=as_str(data["inputs"]),
        settings=as_str(data["settings"]),
        entries={as_str(k): _indices(v) for k, v in as_dict(data["entries"]).items()},
        sources=_pairs(data["sources"]),
        assets=_pairs(data["assets"]),
        static=_pairs(data["static"]),
        parsed=as_str_tuple(data["parsed"]),
        site=_decode_site(data["site"]),
        templates={name: as_str(fingerprint) for name, fingerprint in templates.items()},
        plan=as_str(data["plan"]),
        outputs=tuple(
            OutputRecord(as_str(path), as_str(key), as_str_tuple(task), _indices(r), _indices(s))
            for path, key, task, r, s in (
                _sized(item, 5, "output") for item in as_list(data["outputs"])
            )
        ),
    )


SNAPSHOT: Codec[Snapshot] = Codec("snapshot", 1, _encode_snapshot, _decode_snapshot)
