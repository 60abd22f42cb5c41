"""The pipeline as a flat list of timed steps, stopping before any write if anything failed.

Checking without building is the same call with `write=False`; a long-lived caller keeps a
`BuildState` between calls so unchanged notes are not rendered again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from weeknote_gen.config import CACHE_DIR, Config
from weeknote_gen.content.discover import Content, FileMemo
from weeknote_gen.engine.cache import store_bundle
from weeknote_gen.engine.cache_version import note_damaged_cache
from weeknote_gen.engine.codec import (
    PAGES,
)
from weeknote_gen.engine.file_stream import (
    WRITE_FAILED,
    CountedFiles,
    ProblemsFoundError,
    write_files,
)
from weeknote_gen.engine.load import (
    LoadedSite,
    LoadOptions,
    Steps,
    load_site,
    read_config,
    read_content,
)
from weeknote_gen.engine.memo import Memo
from weeknote_gen.engine.noop import MANIFEST_FILE, NoopCheck, Settings, replay
from weeknote_gen.engine.parts import Part, plan_parts
from weeknote_gen.errors import Diagnostic, Diagnostics
from weeknote_gen.output.artifact import Artifact, DamagedFileError
from weeknote_gen.output.write.report import WriteReport
from weeknote_gen.urls import output_path

if TYPE_CHECKING:  # only for annotations: `stages` loads these when a build needs them
    from weeknote_gen.content.model import Site
    from weeknote_gen.content.parse import ParsedNote
    from weeknote_gen.output.render import Environment


SEARCH_CACHE = "search"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    now: dt.datetime
    drafts: bool = False
    future: bool = False
    strict: bool = False
    write: bool = True
    # The dev server shows an edit first and refreshes the search index just after: when the
    # notes changed, the last index is reused for this build and `search_stale` is set.
    defer_search: bool = False
    jobs: int = 0  # processes for a cold build; 0 means one per CPU


@dataclass(slots=True)
class BuildState:
    """What one build leaves for the next: the memo of stage results (parsed front matter,
    Markdown, learning passages, related notes, rendered pages and feeds, by content hash).

    The dev server keeps one in memory between builds; a one-off build loads one from
    `.weeknote-cache/` (`on_disk`) and saves it afterwards, so CI with a restored cache and
    rebuilds on a laptop skip the work whose inputs did not change.
    """

    memo: Memo = field(default_factory=Memo)
    # The last search bundle of each language's part, by its key, by the part's prefix.
    searches: dict[str, tuple[str, list[Artifact]] | None] = field(default_factory=dict)
    files: FileMemo = field(default_factory=dict)  # files read last time, by identity
    # The last good build's site, kept only in memory: the dev server's fast path (`preview`)
    # shows an edited note's page from it before the whole site is rebuilt.
    last: LastSite | None = None

    @classmethod
    def on_disk(cls, site_dir: Path) -> BuildState:
        return cls(memo=Memo(site_dir / CACHE_DIR))


@dataclass(frozen=True, slots=True)
class LastSite:
    """What a good build knew, for showing one note's new text without a whole rebuild."""

    site: Site
    parsed: Mapping[str, ParsedNote]  # by source path, drafts and scheduled notes too
    assets: frozenset[str]
    environment: Environment
    output_dir: Path
    manifest: Path  # the output manifest, which the fast path marks files in


@dataclass(frozen=True, slots=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    ok: bool
    notes: int = 0
    pages: int = 0
    report: WriteReport | None = None
    output_dir: Path | None = None
    skipped_drafts: int = 0
    skipped_future: int = 0
    timings: tuple[tuple[str, float], ...] = ()
    seconds: float = 0.0
    partly_written: bool = False  # writing failed part way (a full disk, a permission)
    search_stale: bool = False  # `defer_search` reused an older index; build again to refresh


def clock_from_environment(environ: Mapping[str, str]) -> dt.datetime:
    """`SOURCE_DATE_EPOCH` (reproducible builds) if set, else the real time, in UTC."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(dt.UTC)


def build(site_dir: Path, options: BuildOptions, state: BuildState | None = None) -> BuildResult:
    """Build (or, with `write=False`, check) the site in `site_dir`. Without a `state`, a
    build that writes keeps its memo in `.weeknote-cache/` and first checks whether anything
    changed at all (`noop`)."""
    run = _Build(site_dir, options, state)
    return run.finish(**run.steps_until_written())


class _Build:
    """One build: the steps in order, each stopping the build when it found errors."""

    def __init__(self, site_dir: Path, options: BuildOptions, state: BuildState | None) -> None:
        self.started = time.perf_counter()
        self.started_ns = time.time_ns()
        self.site_dir = site_dir
        self.options = options
        self.persist = state is None and options.write  # a one-off build: memo on disk
        self.state = state or (BuildState.on_disk(site_dir) if options.write else BuildState())
        self.state.last = None  # until this build succeeds
        self.state.memo.start_build()
        self.steps = Steps()
        self.problems = Diagnostics()
        self.reused = False  # the last build's output stands: nothing to save
        self.search_stale = False  # `defer_search` reused an older index
        self.fresh_bundles: list[tuple[Path, str, list[Artifact]]] = []  # new indexes, to cache
        self.parts: list[Part] = []  # as planned
        self.snapshot_of: tuple[LoadedSite, NoopCheck] | None = None  # a good build, to keep

    def failed(self) -> bool:
        return self.problems.has_errors(strict=self.options.strict)

    def finish(self, **values: object) -> BuildResult:
        ok = not self.failed()
        if self.persist and ok and not self.reused:  # a failed build writes nothing
            self.steps.run("save", self.state.memo.save)  # timed: at 4,000 notes it is not free
            if self.snapshot_of is not None:  # after the memo: it says where records are
                self.keep_snapshot(*self.snapshot_of)
        elif self.persist and not ok:  # the next build is a full one, which tidies up
            from weeknote_gen.engine.snapshot import SnapshotFiles  # (not loaded for a no-op)

            SnapshotFiles.of(self.site_dir).forget()
        return BuildResult(
            diagnostics=self.problems.sorted(),
            ok=ok,
            timings=tuple(self.steps.timings),
            seconds=time.perf_counter() - self.started,
            **values,  # type: ignore[arg-type]
        )

    def steps_until_written(self) -> dict[str, object]:
        """Every step, as the values of the result (an early stop gives fewer)."""
        loaded = LoadedSite(self.site_dir, self.problems)
        config = read_config(self.site_dir, loaded, self.steps)
        if config is None:
            return {}
        output_dir = self.site_dir / config.output_dir
        check = self.noop_check(output_dir, config.static_dir)
        last = check.untouched(self.options.now) if check else None
        if last is None and check is not None and not self.problems.has_errors():
            values = self.delta(config, check)
            if values is not None:
                return values
        content = read_content(loaded, self.steps, self.state.files) if last is None else None
        if check is not None and content is not None and not self.problems.has_errors():
            last = check.unchanged(content, self.options.now)
        if last is not None:
            self.reused = True
            return replay(last, self.problems, output_dir)
        return self.produce(loaded, output_dir, check)

    def delta(self, config: Config, check: NoopCheck) -> dict[str, object] | None:
        """The delta build (`engine.delta`) when only notes' text changed; None otherwise."""
        from weeknote_gen.engine.delta import try_delta

        now, memo = self.options.now, self.state.memo
        found = try_delta(self.site_dir, config, check, memo, now, self.problems, self.steps)
        self.reused = found is not None  # the delta build saved what it changed
        return found

    def noop_check(self, output_dir: Path, static_dir: str) -> NoopCheck | None:
        if not self.persist:
            return None
        options = self.options
        settings = Settings(options.drafts, options.future, options.strict)
        return NoopCheck(
            self.site_dir,
            output_dir,
            static_dir,
            settings,
            look=not options.defer_search,
            started_ns=self.started_ns,
        )

    def produce(
        self, loaded: LoadedSite, output_dir: Path, check: NoopCheck | None
    ) -> dict[str, object]:
        """Load the site, then make, check and write every file."""
        options = self.options
        jobs = options.jobs or os.cpu_count() or 1
        load_options = LoadOptions(
            now=options.now, drafts=options.drafts, future=options.future, jobs=jobs
        )
        load_site(self.site_dir, load_options, self.state.memo, steps=self.steps, loaded=loaded)
        content = loaded.content
        assert loaded.sites and content is not None  # config and content were read
        counts: dict[str, object] = {
            "notes": sum(len(site.notes) for _, site in loaded.sites),
            "skipped_drafts": sum(site.skipped_drafts for _, site in loaded.sites),
            "skipped_future": sum(site.skipped_future for _, site in loaded.sites),
        }
        if self.failed():
            return counts
        parts = self.plan(loaded, content)
        if parts is None:
            return counts
        self.parts = parts
        files = CountedFiles(self.stream(content, parts, jobs))
        if not options.write:
            with contextlib.suppress(ProblemsFoundError):
                self.steps.run("render", lambda: files.drain())
            return {"pages": files.count, **counts}
        try:
            return self.write(loaded, files, parts[0].env, output_dir, check, counts)
        except DamagedFileError:  # a page kept in the cache does not expand: make them all
            note_damaged_cache()
            self.state.memo.forget(PAGES)
            files = CountedFiles(self.stream(content, parts, jobs))
            return self.write(loaded, files, parts[0].env, output_dir, check, counts)

    def keep_snapshot(self, loaded: LoadedSite, check: NoopCheck) -> None:
        """The snapshot of this good build, for a delta build next (one part only)."""
        from weeknote_gen.engine.snapshot_taking import BuiltSite, keep_snapshot

        part = self.parts[0] if len(self.parts) == 1 else None
        built = None
        if part is not None and part.read is not None and loaded.content is not None:
            parsed = loaded.parsed
            site, specs = part.site, part.specs
            read, keys, used = part.read, part.keys, part.templates
            built = BuiltSite(loaded.content, parsed, site, read, used, specs, keys)
        memo = self.state.memo
        self.steps.run("snapshot", lambda: keep_snapshot(self.site_dir, check, built, memo))

    def plan(self, loaded: LoadedSite, content: Content) -> list[Part] | None:
        """Each language's part of the site planned (`engine.parts`); None if it failed."""
        strict = self.options.strict
        return plan_parts(self.site_dir, loaded, content, self.steps, self.problems, strict=strict)

    def stream(self, content: Content, parts: list[Part], jobs: int) -> Iterator[Artifact]:
        """Every file of the site, each as soon as it is made (so the writer puts it in place
        while the pool renders the next), a language's part at a time, each ending with its
        search index. It raises `ProblemsFoundError` once the made files have problems, so
        the writer keeps the output folder as it was."""
        del content  # read already into each part
        for part in parts:
            for artifact in self.stream_part(part, jobs):
                yield artifact.moved(part.prefix)

    def stream_part(self, part: Part, jobs: int) -> Iterator[Artifact]:
        from weeknote_gen.engine import stages

        steps, state, problems, site = self.steps, self.state, self.problems, part.site
        read = steps.run("records", lambda: stages.SiteDigests.of(site))
        keys, part.templates = stages.output_keys(part.specs, self.site_dir, part.env, read)
        part.read, part.keys = read, keys
        notes = {output_path(note.url) for note in site.notes.values()}
        note_pages = []
        for page in stages.page_stream(
            part.specs, keys, self.site_dir, part.env, state.memo, problems, jobs
        ):
            if page.path in notes:
                note_pages.append(page)
            yield page
        if self.failed():
            raise ProblemsFoundError
        yield from part.before_feeds
        yield from steps.run(
            "feeds", lambda: stages.site_feeds(site, part.specs, state.memo, read, jobs)
        )
        yield from part.after_feeds
        if site.config.search and self.options.write:
            yield from self.search(site, note_pages, part.prefix)

    def search(self, site: Site, note_pages: list[Artifact], prefix: str) -> list[Artifact]:
        """The search index of one language's note pages (Pagefind's, or the one cached for
        them); each language has its own, so a search finds pages in its language only."""
        from weeknote_gen.engine import stages

        state, problems = self.state, self.problems
        cache = self.site_dir / CACHE_DIR / (f"{SEARCH_CACHE}-{prefix}" if prefix else SEARCH_CACHE)
        held = state.searches.get(prefix)
        bundle, stale, fresh, state.searches[prefix] = self.steps.run(
            "search",
            lambda: stages.search_bundle(
                site, note_pages, cache, held, problems, defer=self.options.defer_search
            ),
        )
        self.search_stale = self.search_stale or stale
        self.fresh_bundles.append((cache, fresh, bundle))
        if self.failed():
            raise ProblemsFoundError
        return bundle

    def write(
        self,
        loaded: LoadedSite,
        files: CountedFiles,
        env: Environment,
        output_dir: Path,
        check: NoopCheck | None,
        counts: dict[str, object],
    ) -> dict[str, object]:
        """The output folder switched whole to the streamed files; the record of a good
        build for the next one; the last good site for the dev server's fast path."""
        from weeknote_gen.engine import stages

        site, steps, state, problems = loaded.site, self.steps, self.state, self.problems
        assert site is not None and loaded.content is not None
        manifest = self.site_dir / CACHE_DIR / MANIFEST_FILE
        report, found = steps.run("render", lambda: write_files(files, output_dir, manifest))
        problems.extend(found)
        if site.config.search:
            counts["search_stale"] = self.search_stale
        if self.failed() or (report is None and not found):
            return {"pages": files.count, **counts}
        for cache, fresh, bundle in self.fresh_bundles:
            if fresh and not found:  # a build that wrote nothing caches nothing
                store_bundle(cache, fresh, bundle)
        good = not found and not self.failed()
        if check is not None and good and not self.search_stale:
            kept = {k: v for k, v in counts.items() if k != "search_stale"}
            next_change = stages.next_change(loaded.parsed, self.options.now)
            check.remember(next_change, files.count, kept, problems.sorted())
            self.snapshot_of = (loaded, check)
        if good and len(loaded.sites) == 1:  # the fast path knows one language's addresses
            parsed = MappingProxyType({note.path: note for note in loaded.parsed})
            assets = frozenset(a.path for a in loaded.content.assets)
            state.last = LastSite(site, parsed, assets, env, output_dir, manifest)
        partly = report is None and any(d.code == WRITE_FAILED for d in found)
        return {
            "pages": files.count,
            "report": report,
            "output_dir": output_dir,
            "partly_written": partly,
            **counts,
        }
