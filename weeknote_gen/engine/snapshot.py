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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from weeknote_gen.config import CACHE_DIR, Config
from weeknote_gen.engine.cache import Table
from weeknote_gen.engine.cache_version import cache_folder
from weeknote_gen.engine.note_codec import NOTE
from weeknote_gen.engine.overlay_codec import OVERLAY, Overlay
from weeknote_gen.engine.snapshot_codec import (
    SNAPSHOT,
    Places,
    RecordPlaces,
    SiteSkeleton,
    Snapshot,
    places,
)

if TYPE_CHECKING:  # `records` and `model` load Markdown's modules: only once they are used
    from weeknote_gen.content.model import Note, Site

HEAD = "head"  # the one key of the head's table
K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")


class SnapshotError(ValueError):
    """The snapshot does not hold what it says (a note that does not match its digest)."""


@dataclass(slots=True)
class SnapshotFiles:
    """The snapshot's tables: the head (one entry), what delta builds changed since it was
    written (`Overlay`, by the head's content fingerprint), and the notes by digest."""

    head: Table[Snapshot]
    overlay: Table[Overlay]
    notes: Table[Note]
    base: str = ""  # the loaded head's content fingerprint, which its overlay is kept by

    @classmethod
    def of(cls, site_dir: Path) -> SnapshotFiles:
        folder = cache_folder(site_dir / CACHE_DIR)
        return cls(
            Table(folder / f"{SNAPSHOT.name}.records", SNAPSHOT),
            Table(folder / f"{OVERLAY.name}.records", OVERLAY),
            Table(folder / f"{NOTE.name}.records", NOTE),
        )

    def load(self) -> tuple[Snapshot, Overlay] | None:
        """The snapshot as the last build left it (the head with the overlay applied), and
        the overlay (empty after a full build)."""
        head = self.head.get(HEAD)
        if head is None:
            return None
        self.base = head.inputs
        overlay = self.overlay.get(head.inputs) or Overlay(head.inputs, {}, {}, {}, {})
        return overlaid(head, overlay), overlay

    def save_head(self, snapshot: Snapshot) -> None:
        """Keep a full build's snapshot (its notes saved first: it says where they are);
        the overlays of the head before it are of no more use."""
        self.head.put(HEAD, snapshot)
        self.head.save()
        if self.overlay.path is not None:
            self.overlay.path.unlink(missing_ok=True)

    def save_overlay(self, base: str, overlay: Overlay) -> None:
        """Keep what a delta build changed, against the head whose fingerprint is `base`."""
        self.overlay.put(base, overlay)
        self.overlay.save()

    def save_notes(self, notes: Mapping[str, Note], named: Sequence[str] | None) -> None:
        for digest, note in notes.items():
            if not self.notes.has(digest):
                self.notes.put(digest, note)
        self.notes.keep(named)  # None: every note the table holds
        self.notes.save()

    def forget(self, *, notes: bool = False) -> None:
        """No snapshot: the last build cannot be continued from. Its notes, which a later
        snapshot may use again, go too only with `notes` (a site that can never have one)."""
        for table in (self.head, self.overlay, self.notes) if notes else (self.head,):
            if table.path is not None:
                table.path.unlink(missing_ok=True)


def overlaid(head: Snapshot, overlay: Overlay) -> Snapshot:
    """`head` as the delta builds since it left it."""
    notes = overlay.notes
    if not notes and not overlay.entries and not overlay.outputs and not overlay.files:
        return head
    sources = tuple((path, notes[path][0] if path in notes else sha) for path, sha in head.sources)
    site = head.site
    place = {key: index for index, key in enumerate(site.keys)}
    whole = list(site.whole)
    at = {name: list(offsets) for name, offsets in head.records.at.items()}
    for path, (_, digest, offsets) in notes.items():
        whole[place[path]] = digest
        for name, offset in offsets.items():
            at[name][place[path]] = offset
    return replace(
        head,
        inputs=overlay.inputs,
        entries={**head.entries, **overlay.entries},
        sources=sources,
        site=replace(site, whole=tuple(whole)),
        outputs=replace(head.outputs, changed=overlay.outputs),
        records=RecordPlaces({**head.records.files, **overlay.files}, at),
    )


class SnapshotNotes(Mapping[str, "Note"]):
    """The site's notes in order, each decoded from the snapshot's table when first asked
    for (read alone, where the snapshot says it is) and checked against its digest; with
    the notes the delta build changed in place of theirs (`replace`)."""

    def __init__(self, snapshot: Snapshot, table: Table[Note]) -> None:
        skeleton = snapshot.site
        self.keys_in_order = skeleton.keys
        self.position = {key: index for index, key in enumerate(skeleton.keys)}
        self.whole = skeleton.whole
        self.table = table
        self.identity = snapshot.records.files.get(NOTE.name)
        self.offsets = snapshot.records.at.get(NOTE.name)
        self.read: dict[str, Note] = {}

    def replace(self, notes: Mapping[str, Note]) -> None:
        """The delta build's edited notes, in place of the snapshot's."""
        self.read.update(notes)

    def __getitem__(self, key: str) -> Note:
        found = self.read.get(key)
        if found is not None:
            return found
        from weeknote_gen.engine.records import note_digests

        index = self.position[key]
        digest = self.whole[index]
        note = None
        if self.identity is not None and self.offsets is not None and self.offsets[index] >= 0:
            note = self.table.read_at(self.identity, self.offsets[index], digest)
        if note is None:  # not where the snapshot said: read the table
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
    assembling gave it, each author's profile from `config` as assembling finds it. An
    index's notes are looked up when it is first read (a note's page reads a few)."""
    from weeknote_gen.content.model import Author, Redirect, Site, Taxonomy, Term, Week
    from weeknote_gen.errors import Location
    from weeknote_gen.urls import WeekId, slugify

    keys = skeleton.keys

    def named(raw: Places) -> tuple[str, ...]:
        return tuple(keys[place] for place in places(raw, len(keys)))

    profiles = {slugify(profile.name): profile for profile in config.authors}
    authors = {slug: (name, raw) for slug, name, raw in skeleton.authors}
    taxonomies = {
        name: Taxonomy(
            name,
            one,
            many,
            _Lazy(
                {slug: (term, raw) for slug, term, raw in terms},
                lambda slug, found, name=name: Term(name, slug, found[0], named(found[1])),  # type: ignore[misc]
            ),
        )
        for name, one, many, terms in skeleton.taxonomies
    }
    return Site(
        config=config,
        notes=notes,
        authors=_Lazy(
            authors, lambda slug, found: Author(slug, found[0], profiles.get(slug), named(found[1]))
        ),
        taxonomies=MappingProxyType(taxonomies),
        weeks=_Lazy(
            {WeekId(year, week): raw for year, week, raw in skeleton.weeks},
            lambda week, raw: Week(week, named(raw)),
        ),
        related=_Lazy(dict(zip(keys, skeleton.related, strict=True)), lambda _, raw: named(raw)),
        media=MappingProxyType(dict(skeleton.media)),
        skipped_drafts=skeleton.skipped[0],
        skipped_future=skeleton.skipped[1],
        aliases=MappingProxyType(
            {
                url: Redirect(key, Location(path, line, column))
                for url, key, path, line, column in skeleton.aliases
            }
        ),
        static_files=frozenset(skeleton.static_files),
        prompts=frozenset(skeleton.prompts),
    )


class _Lazy(Mapping[K, V]):
    """A read-only mapping whose values are made from their raw data when first read."""

    def __init__(self, raw: dict[K, R], make: Callable[[K, R], V]) -> None:
        self.raw = raw
        self.make = make
        self.made: dict[K, V] = {}

    def __getitem__(self, key: K) -> V:
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = self.make(key, self.raw[key])
        return found

    def __iter__(self) -> Iterator[K]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __contains__(self, key: object) -> bool:
        return key in self.raw


def is_regular(fields: tuple[int, ...] | None) -> bool:
    return fields is not None and stat.S_ISREG(fields[0])


def is_folder(fields: tuple[int, ...] | None) -> bool:
    return fields is not None and stat.S_ISDIR(fields[0])
