"""Taking the snapshot of a good full build (`keep_snapshot`), for the delta build next.

The snapshot (`engine.snapshot_codec`) is the site as assembled but its notes' content, each
note by its digest, each output's file, key and the notes it reads, and the identity and
digest of every file the build read, all in the order the build made them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weeknote_gen.config import Config
from weeknote_gen.content.discover import Content
from weeknote_gen.engine.cache import Table
from weeknote_gen.engine.codec import MARKDOWN, PAGES, PARSED
from weeknote_gen.engine.memo import Memo, key_of
from weeknote_gen.engine.noop import RACY_NS, NoopCheck
from weeknote_gen.engine.note_codec import NOTE
from weeknote_gen.engine.snapshot import SnapshotFiles
from weeknote_gen.engine.snapshot_codec import (
    Outputs,
    RecordPlaces,
    SiteSkeleton,
    Snapshot,
    outputs_detail,
)

if TYPE_CHECKING:  # `records` and `model` load Markdown's modules: only once they are used
    from weeknote_gen.content.model import Note, Site
    from weeknote_gen.content.parse import ParsedNote
    from weeknote_gen.engine.records import SiteDigests
    from weeknote_gen.site.page_spec import PageSpec


@dataclass(frozen=True, slots=True)
class BuiltSite:
    """What a good full build made, for its snapshot."""

    content: Content
    parsed: Sequence[ParsedNote]  # every note that parsed, drafts too
    site: Site
    read: SiteDigests
    templates: Mapping[str, str]  # the fingerprints of the templates pages use
    specs: Sequence[PageSpec]
    page_keys: Sequence[str]


def keep_snapshot(site_dir: Path, check: NoopCheck, built: BuiltSite | None, memo: Memo) -> None:
    """Save the snapshot of a good full build, once its memo is saved (the snapshot says
    where each note's records are); or, for a build the delta build cannot continue from
    (two languages, search, dates from git), remove any snapshot."""
    files = SnapshotFiles.of(site_dir)
    config = built.site.config if built is not None else None
    if built is None or config is None or not _continuable(config):
        files.forget(notes=True)
        return
    site, read = built.site, built.read
    named = [read.notes[key] for key in site.notes]
    files.save_notes(dict(zip(named, site.notes.values(), strict=True)), named)
    try:
        snapshot = snapshot_of(built, check, record_places(built, memo, files.notes))
    except ValueError:  # a text the format cannot hold: no snapshot, only full builds
        files.forget()
        return
    files.save_head(snapshot)


def record_places(built: BuiltSite, memo: Memo, notes: Table[Note]) -> RecordPlaces:
    """Where each note's parsed front matter, Markdown and snapshot record are, by the keys
    the build gave them, and each record file's identity as saved."""
    from weeknote_gen.content.markdown import renderer_fingerprint

    config = built.site.config
    config_key = key_of(repr(config))
    renderer = renderer_fingerprint(config.markdown)
    sha = {source.path: source.sha256 for source in built.content.notes}
    bodies = {parsed.path: parsed.body for parsed in built.parsed}
    parsed, markdown = memo.table(PARSED), memo.table(MARKDOWN)
    keys = list(built.site.notes)

    def at(table: Table[Any], key: str) -> int:
        found = table.offset(key)
        return -1 if found is None else found

    return RecordPlaces(
        files={
            PARSED.name: parsed.identity,
            MARKDOWN.name: markdown.identity,
            PAGES.name: memo.table(PAGES).identity,
            NOTE.name: notes.identity,
        },
        at={
            PARSED.name: [at(parsed, key_of(config_key, k, sha[k], "")) for k in keys],
            MARKDOWN.name: [at(markdown, key_of(renderer, bodies[k])) for k in keys],
            NOTE.name: [at(notes, built.read.notes[k]) for k in keys],
        },
    )


def _continuable(config: Config) -> bool:
    """Whether a site's builds can be delta builds: one language (one part of the site),
    no search index (it indexes every note page), dates not from git (a commit moves them)."""
    return not config.languages and not config.search and not config.dates_from_git


def snapshot_of(built: BuiltSite, check: NoopCheck, records: RecordPlaces) -> Snapshot:
    """The snapshot of a good full build, with the files as `check` walked them."""
    content, site = built.content, built.site
    place = {key: index for index, key in enumerate(site.notes)}
    plan = key_of(*(repr(spec.alternates) for spec in built.specs if spec.alternates))
    return Snapshot(
        inputs=check.inputs,
        settings=check.settings_digest(),
        entries=settled(check),
        sources=tuple((note.path, note.sha256) for note in content.notes),
        assets=tuple((a.path, hashlib.sha256(a.data).hexdigest()) for a in content.assets),
        static=tuple((a.path, hashlib.sha256(a.data).hexdigest()) for a in content.static),
        parsed=tuple(note.path for note in built.parsed),
        site=skeleton_of(site, built.read, place),
        templates=dict(built.templates),
        plan=plan,
        outputs=outputs_of(built, plan, place),
        records=records,
    )


def outputs_of(built: BuiltSite, plan: str, place: Mapping[str, int]) -> Outputs:
    """Every page and feed with what it reads, and for each note who reads it whole."""
    from weeknote_gen.engine.records import feed_keys
    from weeknote_gen.output.feeds import plan_feeds
    from weeknote_gen.urls import output_path

    feeds = plan_feeds(built.site)
    listed = [
        *(
            (output_path(s.url), k, (), s.reads, s.shows)
            for s, k in zip(built.specs, built.page_keys, strict=True)
        ),
        *(
            (f.path, k, f.task, f.reads, f.shows)
            for f, k in zip(feeds, feed_keys(feeds, built.read, plan), strict=True)
        ),
    ]
    readers: list[list[int]] = [[] for _ in place]
    any_note = []
    for index, (_, _, _, reads, _) in enumerate(listed):
        if reads is None:
            any_note.append(index)
        for key in reads or ():
            readers[place[key]].append(index)
    shows = [_places(item[4], place) for item in listed]
    tasks = {index: item[2] for index, item in enumerate(listed) if item[2]}
    return Outputs(
        paths=tuple(item[0] for item in listed),
        tasks=tasks,
        reads=[_places(item[3], place) for item in listed],
        feed_shows={index: shows[index] for index in tasks},
        readers=readers,
        any_note=tuple(any_note),
        detail=outputs_detail([item[1] for item in listed], shows),
    )


def settled(check: NoopCheck) -> dict[str, tuple[int, ...] | None]:
    """Each entry's identity, or None for one changed too recently for its identity to vouch
    for its content (a same-sized rewrite within the clock's resolution keeps it)."""
    limit = check.started_ns - RACY_NS
    return {
        path: fields if max(fields[3], fields[4]) < limit else None
        for path, fields in check.entries.items()
    }


def _places(keys: Sequence[str] | None, place: Mapping[str, int]) -> list[int] | None:
    return None if keys is None else [place[key] for key in keys]


def skeleton_of(site: Site, read: SiteDigests, place: Mapping[str, int]) -> SiteSkeleton:
    keys = tuple(site.notes)
    return SiteSkeleton(
        keys=keys,
        urls=tuple(note.url for note in site.notes.values()),
        whole=tuple(read.notes[key] for key in keys),
        cards=tuple(read.cards[key] for key in keys),
        related=[_places(site.related[key], place) for key in keys],
        authors=tuple((a.slug, a.name, _places(a.note_keys, place)) for a in site.authors.values()),
        taxonomies=tuple(
            (
                t.name,
                t.singular,
                t.plural,
                tuple(
                    (term.slug, term.name, _places(term.note_keys, place))
                    for term in t.terms.values()
                ),
            )
            for t in site.taxonomies.values()
        ),
        weeks=tuple(
            (w.id.year, w.id.week, _places(w.note_keys, place)) for w in site.weeks.values()
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
        prompts=tuple(sorted(site.prompts)),
    )
