"""The last good build's site kept between one-off builds, for the delta build.

After a good one-off build the engine saves a snapshot (`engine.snapshot_codec`): the site as
assembled but its notes' content, each note by its digest in a table of its own, each output's
file, key and the notes it reads, and the identity and digest of every file the build read.
`engine.delta` loads it to make only the outputs that read the notes whose text changed. The
notes are read one at a time (`SnapshotNotes`): a note's page needs itself, its neighbours and
its related notes, not the whole site.

Like the memo, the snapshot is plain data read through checked decoders, in record files whose
CRCs find damage: a planted, foreign or damaged snapshot can cost only a full build.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from weeknote_gen.config import CACHE_DIR, Config
from weeknote_gen.content.discover import Content
from weeknote_gen.engine.cache import Table
from weeknote_gen.engine.cache_version import cache_folder
from weeknote_gen.engine.codec_values import CacheDataError
from weeknote_gen.engine.noop import RACY_NS, NoopCheck
from weeknote_gen.engine.records import SiteDigests, note_digests
from weeknote_gen.engine.snapshot_codec import (
    NOTE,
    SNAPSHOT,
    Indices,
    OutputRecord,
    SiteSkeleton,
    Snapshot,
)

if TYPE_CHECKING:
    from weeknote_gen.content.model import Note, Site
    from weeknote_gen.site.page_spec import PageSpec

HEAD = "head"  # the one key of the head's table
K = TypeVar("K")
V = TypeVar("V")


class SnapshotError(ValueError):
    """The snapshot does not hold what it says (a note that does not match its digest)."""


@dataclass(slots=True)
class SnapshotFiles:
    """The snapshot's two tables: the head (one entry) and the notes by digest."""

    head: Table[Snapshot]
    notes: Table[Note]

    @classmethod
    def of(cls, site_dir: Path) -> SnapshotFiles:
        folder = cache_folder(site_dir / CACHE_DIR)
        return cls(
            Table(folder / f"{SNAPSHOT.name}.records", SNAPSHOT),
            Table(folder / f"{NOTE.name}.records", NOTE),
        )

    def load(self) -> Snapshot | None:
        return self.head.get(HEAD)

    def save(self, snapshot: Snapshot, notes: Mapping[str, Note]) -> None:
        """Keep `snapshot` and the notes it names (by digest): `notes`, new ones, are added
        to those the table holds; notes no longer named are dropped when the file is next
        rewritten."""
        for digest, note in notes.items():
            if not self.notes.has(digest):
                self.notes.put(digest, note)
        self.notes.keep(snapshot.site.whole)
        self.notes.save()
        self.head.put(HEAD, snapshot)
        self.head.save()

    def forget(self) -> None:
        """No snapshot: the last build cannot be continued from (a bilingual site, say)."""
        for table in (self.head, self.notes):
            if table.path is not None:
                table.path.unlink(missing_ok=True)


class SnapshotNotes(Mapping[str, "Note"]):
    """The site's notes in order, each decoded from the snapshot's table when first asked
    for and checked against its digest; `replaced` are the notes the delta build changed."""

    def __init__(
        self, skeleton: SiteSkeleton, table: Table[Note], replaced: Mapping[str, Note]
    ) -> None:
        self.keys_in_order = skeleton.keys
        self.position = {key: index for index, key in enumerate(skeleton.keys)}
        self.whole = skeleton.whole
        self.table = table
        self.read: dict[str, Note] = dict(replaced)

    def __getitem__(self, key: str) -> Note:
        found = self.read.get(key)
        if found is not None:
            return found
        digest = self.whole[self.position[key]]
        note = self.table.get(digest)
        if note is None or note.key != key or note_digests(note)[1] != digest:
            raise SnapshotError(f"the snapshot's note {key} is not what it says")
        self.read[key] = note
        return note

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_in_order)

    def __len__(self) -> int:
        return len(self.keys_in_order)

    def __contains__(self, key: object) -> bool:
        return key in self.position


def site_of(skeleton: SiteSkeleton, config: Config, notes: Mapping[str, Note]) -> Site:
    """The `Site` the snapshot describes, with `notes` (a `SnapshotNotes`): every index as
    assembling gave it, each author's profile from `config` as assembling finds it."""
    from weeknote_gen.content.model import Author, Redirect, Site, Taxonomy, Term, Week
    from weeknote_gen.errors import Location
    from weeknote_gen.urls import WeekId, slugify

    keys = skeleton.keys
    named = _Named(keys)
    profiles = {slugify(profile.name): profile for profile in config.authors}
    return Site(
        config=config,
        notes=notes,
        authors=_frozen(
            (slug, Author(slug, name, profiles.get(slug), named(places)))
            for slug, name, places in skeleton.authors
        ),
        taxonomies=_frozen(
            (
                name,
                Taxonomy(
                    name,
                    one,
                    many,
                    _frozen(
                        (slug, Term(name, slug, term, named(places)))
                        for slug, term, places in terms
                    ),
                ),
            )
            for name, one, many, terms in skeleton.taxonomies
        ),
        weeks=_frozen(
            (WeekId(year, week), Week(WeekId(year, week), named(places)))
            for year, week, places in skeleton.weeks
        ),
        related=_frozen(zip(keys, map(named, skeleton.related), strict=True)),
        media=_frozen(skeleton.media),
        skipped_drafts=skeleton.skipped[0],
        skipped_future=skeleton.skipped[1],
        aliases=_frozen(
            (url, Redirect(key, Location(path, line, column)))
            for url, key, path, line, column in skeleton.aliases
        ),
        static_files=frozenset(skeleton.static_files),
    )


class _Named:
    """Note places back to keys, refusing a place the snapshot's list does not have."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys

    def __call__(self, places: Indices) -> tuple[str, ...]:
        keys = self.keys
        if places and (min(places) < 0 or max(places) >= len(keys)):
            raise CacheDataError("snapshot: a note place out of range")
        return tuple(keys[place] for place in places)


def _frozen(pairs: Iterable[tuple[K, V]]) -> Mapping[K, V]:
    return MappingProxyType(dict(pairs))


# --------------------------------------------------------------------------- making one


@dataclass(frozen=True, slots=True)
class BuiltSite:
    """What a good full build made, for its snapshot."""

    content: Content
    parsed: Sequence[str]  # every note that parsed, drafts too, by path
    site: Site
    read: SiteDigests
    templates: Mapping[str, str]  # the fingerprints of the templates pages use
    specs: Sequence[PageSpec]
    page_keys: Sequence[str]


def keep_snapshot(site_dir: Path, check: NoopCheck, built: BuiltSite | None) -> None:
    """Save the snapshot of a good full build; or, for a build the delta build cannot
    continue from (two languages, search, dates from git), remove any snapshot."""
    files = SnapshotFiles.of(site_dir)
    config = built.site.config if built is not None else None
    if built is None or config is None or not _continuable(config):
        files.forget()
        return
    notes = {built.read.notes[key]: note for key, note in built.site.notes.items()}
    files.save(snapshot_of(built, check), notes)


def _continuable(config: Config) -> bool:
    """Whether a site's builds can be delta builds: one language (one part of the site),
    no search index (it indexes every note page), dates not from git (a commit moves them)."""
    return not config.languages and not config.search and not config.dates_from_git


def snapshot_of(built: BuiltSite, check: NoopCheck) -> Snapshot:
    """The snapshot of a good full build, with the files as `check` walked them."""
    import hashlib

    from weeknote_gen.engine.memo import key_of
    from weeknote_gen.engine.records import feed_keys
    from weeknote_gen.output.feeds import plan_feeds

    content = built.content
    site = built.site
    place = {key: index for index, key in enumerate(site.notes)}
    plan = key_of(*(repr(spec.alternates) for spec in built.specs if spec.alternates))
    feeds = plan_feeds(site)
    return Snapshot(
        inputs=check.inputs,
        settings=check.settings_digest(),
        entries=_settled(check),
        sources=tuple((note.path, note.sha256) for note in content.notes),
        assets=tuple((a.path, hashlib.sha256(a.data).hexdigest()) for a in content.assets),
        static=tuple((a.path, hashlib.sha256(a.data).hexdigest()) for a in content.static),
        parsed=tuple(built.parsed),
        site=skeleton_of(site, built.read, place),
        templates=dict(built.templates),
        plan=plan,
        outputs=(
            *(
                OutputRecord(
                    path_of(spec.url),
                    key,
                    (),
                    _places(spec.reads, place),
                    _places(spec.shows, place),
                )
                for spec, key in zip(built.specs, built.page_keys, strict=True)
            ),
            *(
                OutputRecord(
                    feed.path,
                    key,
                    feed.task,
                    _places(feed.reads, place),
                    _places(feed.shows, place),
                )
                for feed, key in zip(feeds, feed_keys(feeds, built.read, plan), strict=True)
            ),
        ),
    )


def path_of(url: str) -> str:
    from weeknote_gen.urls import output_path

    return output_path(url)


def _settled(check: NoopCheck) -> dict[str, tuple[int, ...] | None]:
    """Each entry's identity, or None for one changed too recently for its identity to vouch
    for its content (a same-sized rewrite within the clock's resolution keeps it)."""
    limit = check.started_ns - RACY_NS
    return {
        path: fields if max(fields[3], fields[4]) < limit else None
        for path, fields in check.entries.items()
    }


def _places(keys: Sequence[str] | None, place: Mapping[str, int]) -> Indices | None:
    return None if keys is None else tuple(place[key] for key in keys)


def skeleton_of(site: Site, read: SiteDigests, place: Mapping[str, int]) -> SiteSkeleton:
    keys = tuple(site.notes)
    return SiteSkeleton(
        keys=keys,
        urls=tuple(note.url for note in site.notes.values()),
        whole=tuple(read.notes[key] for key in keys),
        cards=tuple(read.cards[key] for key in keys),
        related=tuple(_places(site.related[key], place) or () for key in keys),
        authors=tuple(
            (a.slug, a.name, _places(a.note_keys, place) or ()) for a in site.authors.values()
        ),
        taxonomies=tuple(
            (
                t.name,
                t.singular,
                t.plural,
                tuple(
                    (term.slug, term.name, _places(term.note_keys, place) or ())
                    for term in t.terms.values()
                ),
            )
            for t in site.taxonomies.values()
        ),
        weeks=tuple(
            (w.id.year, w.id.week, _places(w.note_keys, place) or ()) for w in site.weeks.values()
        ),
        media=tuple(site.media.items()),
        aliases=tuple(
            (url, r.note_key, r.source.path, r.source.line, r.source.column)
            for url, r in site.aliases.items()
        ),
        static_files=tuple(sorted(site.static_files)),
        skipped=(site.skipped_drafts, site.skipped_future),
        structure=read.structure,
        every_card=read.every_card,
    )


def is_regular(fields: tuple[int, ...] | None) -> bool:
    return fields is not None and stat.S_ISREG(fields[0])


def is_folder(fields: tuple[int, ...] | None) -> bool:
    return fields is not None and stat.S_ISDIR(fields[0])
