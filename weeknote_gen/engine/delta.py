"""The delta build: a one-off build after notes' text alone changed, in time O(changed).

A full build proves that thousands of outputs did not change by reading the memo back,
assembling the site, planning every page and comparing every file. When only the text of
notes changed (not their front matter, their cards, or anything else), the outputs that can
change are exactly those that read those notes whole: a note's own page and the feeds that
carry it. The last good build's snapshot (`engine.snapshot`) says which those are and holds
the site to render them from, so this build reads the changed notes, checks that each edit is
one of text alone, makes just those outputs and writes them in place.

Every condition is checked before anything is written, and any doubt returns None: the caller
then runs the full build, which is always right. The report (counts and problems) is the one a
full build would give: the problems of an edited note must be those it had before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from weeknote_gen.config import CACHE_DIR, CONTENT_DIR, Config
from weeknote_gen.content.discover import SourceFile, is_ignored, is_ignored_folder, read_source
from weeknote_gen.engine.cache import Table
from weeknote_gen.engine.codec import MARKDOWN, PAGES, PARSED
from weeknote_gen.engine.codec_values import CacheDataError, Codec
from weeknote_gen.engine.delta_outputs import Made, OutputsFallBack, make_outputs
from weeknote_gen.engine.load import Steps
from weeknote_gen.engine.memo import Memo, key_of
from weeknote_gen.engine.noop import MANIFEST_FILE, NoopCheck, replay
from weeknote_gen.engine.overlay_codec import Overlay
from weeknote_gen.engine.snapshot import (
    SnapshotError,
    SnapshotFiles,
    SnapshotNotes,
    is_folder,
    is_regular,
    site_of,
)
from weeknote_gen.engine.snapshot_codec import Snapshot
from weeknote_gen.engine.snapshot_taking import settled
from weeknote_gen.errors import Diagnostic, Diagnostics
from weeknote_gen.output.artifact import DamagedFileError
from weeknote_gen.output.write.report import WriteReport

T = TypeVar("T")

if TYPE_CHECKING:
    from weeknote_gen.content.markdown import RenderedMarkdown
    from weeknote_gen.content.model import Note
    from weeknote_gen.content.parse import ParsedNote
    from weeknote_gen.output.write.manifest import ManifestRecord


class _FallBack(Exception):  # noqa: N818 (not an error: the full build takes over)
    """This build is not one the delta build can make exactly."""


class _Unchanged(Exception):  # noqa: N818 (not an error: there is nothing to build)
    """Every file that was touched still has the content the last build read."""


_DECLINED = (_FallBack, OutputsFallBack, SnapshotError, CacheDataError, DamagedFileError)


@dataclass(frozen=True, slots=True)
class _Edit:
    """One note whose text changed: its new file and note, and its memo entries."""

    index: int  # its place in the site's order
    source: SourceFile
    note: Note
    whole: str  # the new note's whole digest
    memo: tuple[tuple[Codec[Any], str, object], ...]  # (table, key, value): parse, Markdown


def try_delta(
    site_dir: Path,
    config: Config,
    check: NoopCheck,
    memo: Memo,
    now: dt.datetime,
    problems: Diagnostics,
    steps: Steps,
) -> dict[str, object] | None:
    """The delta build's result values, or None (nothing written) when this build must be a
    full one. Timed as the step "delta" when it builds, "delta declined" when it does not,
    and "unchanged" when it found every touched file as it was (a no-op after all)."""
    start = time.perf_counter()
    step = "delta"
    delta = _Delta(site_dir, config, check, memo, now, problems)
    values: dict[str, object] | None
    try:
        values = delta.run()
    except _Unchanged:  # the no-op check's case, told without reading every file
        step, values = "unchanged", delta.unchanged()
    except (*_DECLINED, LookupError, ValueError, TypeError):  # (a snapshot of another shape)
        step, values = "delta declined", None
    steps.timings.append((step, time.perf_counter() - start))
    return values


class _Delta:
    def __init__(
        self,
        site_dir: Path,
        config: Config,
        check: NoopCheck,
        memo: Memo,
        now: dt.datetime,
        problems: Diagnostics,
    ) -> None:
        self.site_dir, self.config, self.check, self.memo = site_dir, config, check, memo
        self.now, self.problems = now, problems
        self.files = SnapshotFiles.of(site_dir)
        self.output_dir = site_dir / config.output_dir
        self.manifest = site_dir / CACHE_DIR / MANIFEST_FILE

    def run(self) -> dict[str, object]:
        snapshot, overlay = self.applies()
        changed = self.changed_notes(snapshot)
        notes = SnapshotNotes(snapshot, self.files.notes)
        edits = [self.edit(snapshot, notes, index, source) for index, source in changed]
        notes.replace({edit.note.key: edit.note for edit in edits})
        site = site_of(snapshot.site, self.config, notes)
        edited = {edit.index: edit.whole for edit in edits}
        made = make_outputs(self.site_dir, self.config, self.memo, snapshot, site, edited)
        from weeknote_gen.output.write.manifest import read_manifest
        from weeknote_gen.output.write.site import output_intact

        record = read_manifest(self.manifest, self.output_dir.resolve())
        if not output_intact(self.output_dir, self.manifest, record):
            raise _FallBack
        written = self.write(made, record)
        self.remember(snapshot, overlay, edits, made)
        last = self.check.last
        assert last is not None
        values = replay(last, self.problems, self.output_dir)
        values["report"] = WriteReport(
            len(written), last.pages - len(written), 0, frozenset(written)
        )
        return values

    def unchanged(self) -> dict[str, object] | None:
        """The last build's report, when the output is still what it wrote."""
        from weeknote_gen.output.write.site import output_intact

        last = self.check.last
        if last is None or not output_intact(self.output_dir, self.manifest):
            return None
        self.check.confirm(last)
        return replay(last, self.problems, self.output_dir)

    def applies(self) -> tuple[Snapshot, Overlay]:
        """The snapshot, when this site and build can continue from it at all."""
        config, check, last = self.config, self.check, self.check.last
        if config.languages or config.search or config.dates_from_git:
            raise _FallBack
        if last is None or check.tree is None:
            raise _FallBack
        if last.next_change is not None and self.now >= last.next_change:
            raise _FallBack  # a scheduled note is due: lists change
        found = self.files.load()
        if found is None or found[0].inputs != last.inputs:
            raise _FallBack
        snapshot = found[0]
        if snapshot.settings != check.settings_digest():
            raise _FallBack
        if snapshot.entries.keys() != check.entries.keys():
            raise _FallBack  # a file added, removed or renamed
        return found

    def changed_notes(self, snapshot: Snapshot) -> list[tuple[int, SourceFile]]:
        """The notes whose content changed, by place in the site's order: only notes, and
        only published ones, else `_FallBack`."""
        notes = dict(snapshot.sources)
        files = dict((*snapshot.assets, *snapshot.static))
        place = {key: index for index, key in enumerate(snapshot.site.keys)}
        changed: list[tuple[int, SourceFile]] = []
        for path, fields in self.check.entries.items():
            before = snapshot.entries[path]
            if before == fields or (is_folder(fields) and is_folder(before or fields)):
                continue  # a folder's times change as editors save files in it
            if _ignored(path):
                continue  # never read by a build
            if not is_regular(fields):
                raise _FallBack
            if path in notes:
                source = self.read_note(path)
                if source.sha256 != notes[path]:
                    if path not in place:
                        raise _FallBack  # a draft or a scheduled note: not published
                    changed.append((place[path], source))
            elif path not in files or _sha256(self.site_dir / path) != files[path]:
                raise _FallBack
        if not changed:
            raise _Unchanged
        return sorted(changed, key=lambda pair: pair[0])

    def read_note(self, path: str) -> SourceFile:
        found: list[Diagnostic] = []
        source = read_source(self.site_dir, self.site_dir / path, found)
        if source is None or found:
            raise _FallBack
        return source

    def edit(
        self, snapshot: Snapshot, notes: SnapshotNotes, index: int, source: SourceFile
    ) -> _Edit:
        """One changed note checked to be an edit of its text alone, problems and card the
        same as before, with its new parse and Markdown for the memo."""
        from weeknote_gen.content.markdown import render_markdown, renderer_fingerprint
        from weeknote_gen.content.parse import parse_note
        from weeknote_gen.engine.records import note_digests

        config = self.config
        config_key = key_of(repr(config))
        before_key = key_of(config_key, source.path, dict(snapshot.sources)[source.path], "")
        old = self.stored(snapshot, PARSED, index, before_key)
        new = parse_note(source, config)
        if old is None or old[0] is None or new[0] is None or old[1] != new[1]:
            raise _FallBack
        before, parsed = old[0], new[0]
        if replace(parsed, body=before.body) != before:
            raise _FallBack  # the front matter changed
        renderer = renderer_fingerprint(config.markdown)
        rendered_before = self.stored(snapshot, MARKDOWN, index, key_of(renderer, before.body))
        if rendered_before is None:
            raise _FallBack
        rendered = render_markdown(parsed.body, config.markdown)
        old_note = notes[snapshot.site.keys[index]]
        note = self.revise(snapshot, old_note, (before, rendered_before), (parsed, rendered))
        card, whole = note_digests(note)
        if card != snapshot.site.cards[index]:
            raise _FallBack  # a list or a card shows what changed
        memo = (
            (PARSED, key_of(config_key, source.path, source.sha256, ""), new),
            (MARKDOWN, key_of(renderer, parsed.body), rendered),
        )
        return _Edit(index, source, note, whole, memo)

    def stored(self, snapshot: Snapshot, codec: Codec[T], index: int, key: str) -> T | None:
        """The memo's entry for a note, read alone from where the snapshot says it is, or
        else from the table (read whole)."""
        table = self.memo.table(codec)
        identity = snapshot.records.files.get(codec.name)
        offset = snapshot.records.at.get(codec.name, [-1] * (index + 1))[index]
        found = table.read_at(identity, offset, key) if identity and offset >= 0 else None
        return found if found is not None else table.get(key)

    def revise(
        self,
        snapshot: Snapshot,
        old: Note,
        before: tuple[ParsedNote, RenderedMarkdown],
        after: tuple[ParsedNote, RenderedMarkdown],
    ) -> Note:
        """The note with its new text, when its links find what they found before (the same
        problems, the same pictures published) and its checks say what they said."""
        from weeknote_gen.content.assemble import revised_note
        from weeknote_gen.content.checks import check_notes
        from weeknote_gen.content.model import Redirect
        from weeknote_gen.content.note_links import LinkResolver
        from weeknote_gen.errors import Location

        skeleton, config = snapshot.site, self.config
        prompts = frozenset(skeleton.prompts)
        links = LinkResolver(
            dict(zip(skeleton.keys, skeleton.urls, strict=True)),
            set(snapshot.parsed),
            frozenset(path for path, _ in snapshot.assets),
            config,
            [],
            static=frozenset(skeleton.static_files),
            aliases={
                url: Redirect(key, Location(path, line, column))
                for url, key, path, line, column in skeleton.aliases
            },
        )
        found: list[tuple[list[Diagnostic], dict[str, str]]] = []
        body = ""
        for parsed, rendered in (before, after):
            links.problems, links.media = [], {}  # each version's own
            body = links.resolve(parsed, rendered)
            links.problems.extend(
                check_notes([parsed], config, now=self.now, include_future=False, prompts=prompts)
            )
            found.append((links.problems, links.media))
        if found[0] != found[1]:
            raise _FallBack
        note = revised_note(old, *after, body, config, prompts)
        if note is None:
            raise _FallBack
        return note

    def write(self, made: list[Made], record: ManifestRecord) -> list[str]:
        """The made outputs whose bytes differ from the files there, replaced in place all
        together (`_FallBack` if none could be), and the manifest told their digests."""
        from weeknote_gen.output.write.files import is_current
        from weeknote_gen.output.write.in_place import replace_together

        root = self.output_dir.resolve()
        changed = [
            out.artifact
            for out in made
            if not is_current(root / out.artifact.path, out.artifact, manifest_agrees=False)
        ]
        if not replace_together(changed, self.output_dir, self.manifest, record):
            raise _FallBack  # nothing was written: the full build says why
        return [artifact.path for artifact in changed]

    def remember(
        self, snapshot: Snapshot, overlay: Overlay, edits: list[_Edit], made: list[Made]
    ) -> None:
        """The new memo entries and notes appended to their files (read no further); what
        changed added to the snapshot's overlay; the last build's record given the new
        content fingerprint."""
        files = {**snapshot.records.files}
        at: dict[str, dict[str, int]] = {edit.source.path: {} for edit in edits}
        codecs: tuple[Codec[Any], ...] = (PARSED, MARKDOWN)
        appends: list[tuple[Table[Any], list[tuple[str, Any]], bool]] = [
            *(
                (self.memo.table(codec), [(e.memo[n][1], e.memo[n][2]) for e in edits], True)
                for n, codec in enumerate(codecs)
            ),
            (self.memo.table(PAGES), [(out.key, out.artifact.packed()) for out in made], False),
            (self.files.notes, [(edit.whole, edit.note) for edit in edits], True),
        ]
        for table, entries, per_note in appends:
            assert table.codec is not None
            name, identity = table.codec.name, files.get(table.codec.name)
            done = table.append_at(identity, entries) if identity is not None else None
            if done is not None:
                files[name] = done[0]
            if per_note:  # where each edited note's entry now is, for the next delta build
                offsets = done[1] if done is not None else [-1] * len(edits)
                for edit, offset in zip(edits, offsets, strict=True):
                    at[edit.source.path][name] = offset
        notes = {e.source.path: (e.source.sha256, e.whole, at[e.source.path]) for e in edits}
        sources = tuple(
            (path, notes[path][0] if path in notes else sha) for path, sha in snapshot.sources
        )
        inputs = self.check.fingerprint(sources, (*snapshot.assets, *snapshot.static))
        now = settled(self.check)
        after = Overlay(
            inputs,
            {**overlay.notes, **notes},
            {
                **overlay.entries,
                **{path: found for path, found in now.items() if found != snapshot.entries[path]},
            },
            {**overlay.outputs, **{out.place: out.key for out in made}},
            files,
        )
        self.files.save_overlay(self.files.base, after)
        self.check.remember_inputs(inputs)


def _ignored(path: str) -> bool:
    """A file of the content tree no build reads: under a folder discovery skips, or named
    as one it skips (only its name counts, and names are compared already)."""
    if not path.startswith(f"{CONTENT_DIR}/"):
        return False  # the static folder is published whole, hidden files too
    *folders, name = path.split("/")
    return is_ignored(name) or any(is_ignored_folder(folder) for folder in folders[1:])


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
