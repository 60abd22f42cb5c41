"""The pipeline as a flat list of timed steps, stopping before any write if anything failed.

Checking without building is the same call with `write=False`; a long-lived caller keeps a
`BuildState` between calls so unchanged notes are not rendered again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from weeknote_gen import __version__
from weeknote_gen.cache import (
    Table,
    cache_folder,
    load_value,
    read_bundle,
    read_latest_bundle,
    store_bundle,
    store_value,
)
from weeknote_gen.checks import check_notes
from weeknote_gen.config import CONFIG_FILE, Config, load_config
from weeknote_gen.discover import AssetFile, Content, FileMemo, SourceFile, discover_content
from weeknote_gen.errors import Diagnostic, Diagnostics, error
from weeknote_gen.feeds import build_feeds
from weeknote_gen.markdown import RenderedMarkdown, render_markdown, renderer_fingerprint
from weeknote_gen.model import AssembleOptions, Site, assemble, is_scheduled
from weeknote_gen.output import Artifact, WriteReport, output_intact, write_site
from weeknote_gen.pages import PageSpec, plan_pages
from weeknote_gen.parse import ParsedNote, parse_note
from weeknote_gen.render import (
    Environment,
    ViewDigests,
    make_environment,
    render_pages,
    templates_fingerprint,
    theme_static,
)
from weeknote_gen.search import index_notes, search_fingerprint
from weeknote_gen.urls import output_path, site_href

CACHE_DIR = ".weeknote-cache"
MANIFEST_FILE = "output-manifest.json"
SEARCH_CACHE = "search"
LAST_BUILD_FILE = "last-build.pickle"
PARALLEL_THRESHOLD = 64  # below this many notes to render, starting processes costs more
WRITE_FAILED = "output.io"

_T = TypeVar("_T")


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
    """Caches of parsed front matter, rendered Markdown and rendered pages, by content hash.

    The dev server keeps one in memory between builds; a one-off build loads one from
    `.weeknote-cache/` (`on_disk`) and saves it afterwards, so CI with a restored cache and
    rebuilds on a laptop skip the work whose inputs did not change.
    """

    markdown: Table = field(default_factory=Table)
    parsed: Table = field(default_factory=Table)
    pages: Table = field(default_factory=Table)  # page fingerprint -> compressed HTML
    views: ViewDigests = field(default_factory=ViewDigests)  # in memory only
    search: tuple[str, list[Artifact]] | None = None  # the last search bundle, by its key
    files: FileMemo = field(default_factory=dict)  # files read last time, by identity
    # The last good build's site, kept only in memory: the dev server's fast path (`preview`)
    # shows an edited note's page from it before the whole site is rebuilt.
    last: LastSite | None = None

    @classmethod
    def on_disk(cls, site_dir: Path) -> BuildState:
        folder = cache_folder(site_dir / CACHE_DIR)
        return cls(
            markdown=Table(folder / "markdown.pickle"),
            parsed=Table(folder / "parsed.pickle"),
            pages=Table(folder / "pages.pickle"),
        )

    def tables(self) -> tuple[Table, ...]:
        return (self.markdown, self.parsed, self.pages)


@dataclass(frozen=True, slots=True)
class LastSite:
    """What a good build knew, for showing one note's new text without a whole rebuild."""

    site: Site
    parsed: Mapping[str, ParsedNote]  # by source path, drafts and scheduled notes too
    assets: frozenset[str]
    environment: Environment
    output_dir: Path


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


class _Steps:
    """Runs named steps and remembers how long each took, for `--verbose` and benchmarks."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    def run(self, name: str, step: Callable[[], _T]) -> _T:
        start = time.perf_counter()
        try:
            return step()
        finally:
            self.timings.append((name, time.perf_counter() - start))


def build(site_dir: Path, options: BuildOptions, state: BuildState | None = None) -> BuildResult:
    """Build (or, with `write=False`, check) the site in `site_dir`."""
    started = time.perf_counter()
    persist = state is None and options.write
    if state is None:
        state = BuildState.on_disk(site_dir) if options.write else BuildState()
    state.last = None  # until this build succeeds
    for table in state.tables():
        table.start_build()
    steps = _Steps()
    problems = Diagnostics()

    reused = False  # the last build's output stands: nothing to save

    def finish(**values: object) -> BuildResult:
        ok = not problems.has_errors(strict=options.strict)
        if persist and ok and not reused:  # a failed build writes nothing, cache included
            for table in state.tables():
                table.save()
        return BuildResult(
            diagnostics=problems.sorted(),
            ok=ok,
            timings=tuple(steps.timings),
            seconds=time.perf_counter() - started,
            **values,  # type: ignore[arg-type]
        )

    config, found = steps.run("config", lambda: load_config(site_dir))
    problems.extend(found)
    if config is None:
        return finish()
    content, found = steps.run("discover", lambda: discover_content(site_dir, state.files))
    problems.extend(found)
    output_dir = site_dir / config.output_dir
    manifest = site_dir / CACHE_DIR / MANIFEST_FILE
    record_file = cache_folder(site_dir / CACHE_DIR) / LAST_BUILD_FILE
    inputs = _inputs_fingerprint(site_dir, content, options) if persist else ""
    if persist and not options.defer_search and not found:
        last = load_value(record_file)
        if _unchanged(last, inputs, options.now, output_dir, manifest):
            assert isinstance(last, LastBuild)
            problems.extend(last.diagnostics)
            reused = True
            unchanged = WriteReport(0, last.pages, 0)
            return finish(pages=last.pages, report=unchanged, output_dir=output_dir, **last.counts)
    parsed = steps.run("parse", lambda: _parse_all(content.notes, config, state, problems))
    jobs = options.jobs or os.cpu_count() or 1
    rendered = steps.run("markdown", lambda: _render_all(parsed, config, state, jobs))
    assemble_options = AssembleOptions(
        now=options.now, include_drafts=options.drafts, include_future=options.future
    )
    assets = frozenset(a.path for a in content.assets)
    site, found = steps.run(
        "assemble", lambda: assemble(rendered, config, assemble_options, assets)
    )
    problems.extend(found)
    problems.extend(
        steps.run(
            "check",
            lambda: check_notes(parsed, config, now=options.now, include_future=options.future),
        )
    )
    counts: dict[str, object] = {
        "notes": len(site.notes),
        "skipped_drafts": site.skipped_drafts,
        "skipped_future": site.skipped_future,
    }
    if problems.has_errors(strict=options.strict):
        return finish(**counts)
    specs, found = steps.run("plan", lambda: plan_pages(site))
    problems.extend(found)
    if problems.has_errors(strict=options.strict):
        return finish(**counts)
    env = make_environment(site_dir, config)
    artifacts = steps.run(
        "render", lambda: _render_site(site, specs, site_dir, env, state, problems)
    )
    artifacts += _media(site, content.assets)
    artifacts += steps.run("feeds", lambda: build_feeds(site, specs, state.pages))
    if problems.has_errors(strict=options.strict) or not options.write:
        return finish(pages=len(artifacts), **counts)
    cache, bundle, fresh = site_dir / CACHE_DIR / SEARCH_CACHE, list[Artifact](), ""
    if config.search:
        bundle, stale, fresh = steps.run(
            "search",
            lambda: _search(site, artifacts, cache, state, problems, defer=options.defer_search),
        )
        artifacts += bundle
        counts["search_stale"] = stale
        if problems.has_errors(strict=options.strict):
            return finish(pages=len(artifacts), **counts)
    report, found = steps.run("write", lambda: _write(artifacts, output_dir, manifest))
    problems.extend(found)
    if fresh and not found:  # a build that wrote nothing caches nothing
        store_bundle(cache, fresh, bundle)
    complete = not counts.get("search_stale")  # a stale index must be refreshed next time
    if persist and complete and not found and not problems.has_errors(strict=options.strict):
        upcoming = [
            _published_from(p) for p in parsed if not p.draft and is_scheduled(p, options.now)
        ]
        record = LastBuild(
            inputs=inputs,
            next_change=min(upcoming, default=None),
            pages=len(artifacts),
            counts={k: v for k, v in counts.items() if k != "search_stale"},
            diagnostics=problems.sorted(),
        )
        store_value(record_file, record)
    partly = report is None and any(d.code == WRITE_FAILED for d in found)
    if not found and not problems.has_errors(strict=options.strict):
        parsed_by_path = MappingProxyType({note.path: note for note in parsed})
        state.last = LastSite(site, parsed_by_path, assets, env, output_dir)
    return finish(
        pages=len(artifacts), report=report, output_dir=output_dir, partly_written=partly, **counts
    )


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What a successful build leaves behind so that an identical rebuild can stop early."""

    inputs: str  # fingerprint of everything the build read
    next_change: dt.datetime | None  # when a scheduled note becomes due, if any
    pages: int
    counts: dict[str, object]
    diagnostics: tuple[Diagnostic, ...]


def _inputs_fingerprint(site_dir: Path, content: Content, options: BuildOptions) -> str:
    """Every input of a build: the tool, the options, config.yaml, each note and file, and
    the theme. Equal fingerprints (and no note falling due) mean an identical site."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{sys.version}\0{options.drafts}{options.future}".encode())
    digest.update(f"{options.strict}\0".encode())
    config_file = site_dir / CONFIG_FILE
    digest.update(config_file.read_bytes() if config_file.is_file() else b"")
    for note in content.notes:
        digest.update(f"\0{note.path}\0{note.sha256}".encode())
    for asset in content.assets:
        digest.update(f"\0{asset.path}\0".encode() + hashlib.sha256(asset.data).digest())
    digest.update(templates_fingerprint(site_dir, with_static=True).encode())
    return digest.hexdigest()


def _unchanged(
    last: object, inputs: str, now: dt.datetime, output_dir: Path, manifest: Path
) -> bool:
    if not isinstance(last, LastBuild) or last.inputs != inputs:
        return False
    if last.next_change is not None and now >= last.next_change:
        return False  # a scheduled note is now due
    return output_intact(output_dir, manifest)


def _published_from(note: ParsedNote) -> dt.datetime:
    if note.has_time:
        return note.published
    return dt.datetime(note.date.year, note.date.month, note.date.day, tzinfo=dt.UTC)


def _parse_all(
    sources: Sequence[SourceFile], config: Config, state: BuildState, problems: Diagnostics
) -> list[ParsedNote]:
    """Parse every note, reusing results for files (and a config) that have not changed."""
    config_key = hashlib.sha256(repr(config).encode()).hexdigest()
    parsed: list[ParsedNote] = []
    for source in sources:
        key = f"{config_key}\0{source.path}\0{source.sha256}"
        cached = state.parsed.get(key)
        if cached is None:
            cached = parse_note(source, config)
            state.parsed.put(key, cached)
        note, found = cached
        problems.extend(found)
        if note is not None:
            parsed.append(note)
    return parsed


def _render_all(
    parsed: list[ParsedNote], config: Config, state: BuildState, jobs: int
) -> list[tuple[ParsedNote, RenderedMarkdown]]:
    """Markdown for every note: from the cache where the body is unchanged, else rendered,
    across a process pool when there are enough notes for it to pay."""
    fingerprint = renderer_fingerprint(config.markdown)
    keys = [hashlib.sha256(f"{fingerprint}\0{n.body}".encode()).hexdigest() for n in parsed]
    found: dict[str, RenderedMarkdown] = {}
    missing: dict[str, str] = {}
    for key, note in zip(keys, parsed, strict=True):
        cached = state.markdown.get(key)
        if cached is not None:
            found[key] = cached
        else:
            missing.setdefault(key, note.body)
    if missing:
        fresh = _render_bodies(list(missing.values()), config, jobs)
        for key, rendered in zip(missing, fresh, strict=True):
            state.markdown.put(key, rendered)
            found[key] = rendered
    return [(note, found[key]) for key, note in zip(keys, parsed, strict=True)]


def _render_bodies(bodies: list[str], config: Config, jobs: int) -> list[RenderedMarkdown]:
    """In input order, so the output is the same however many processes did the work.

    Worker processes are forked, which is fast and needs no `__main__` guard in scripts that
    call `build`, and only from a single-threaded process (forking one with threads, such as
    the dev server, can deadlock): otherwise, or if the pool fails, the work is done here.
    """
    threads = threading.active_count()
    fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or len(bodies) < PARALLEL_THRESHOLD or threads > 1 or not fork:
        return [render_markdown(body, config.markdown) for body in bodies]
    chunk = max(8, len(bodies) // (jobs * 8))
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            options = itertools.repeat(config.markdown, len(bodies))
            return list(pool.map(render_markdown, bodies, options, chunksize=chunk))
    except (OSError, BrokenProcessPool):
        return [render_markdown(body, config.markdown) for body in bodies]


def _render_site(
    site: Site,
    specs: Sequence[PageSpec],
    site_dir: Path,
    env: Environment,
    state: BuildState,
    problems: Diagnostics,
) -> list[Artifact]:
    pages, found = render_pages(specs, env, site_dir, state.pages, state.views)
    problems.extend(found)
    static, found = theme_static(site_dir)
    problems.extend(found)
    return [*pages, *static]


def _media(site: Site, assets: Sequence[AssetFile]) -> list[Artifact]:
    """The pictures and files that published notes link to (and only those: a draft's
    attachments stay private until the draft is published)."""
    return [
        Artifact(output_path(site.media[asset.path]), asset.data)
        for asset in assets
        if asset.path in site.media
    ]


def _search(
    site: Site,
    artifacts: Sequence[Artifact],
    cache: Path,
    state: BuildState,
    problems: Diagnostics,
    *,
    defer: bool = False,
) -> tuple[list[Artifact], bool, str]:
    """Index the rendered note pages (only those: lists would clutter the results): the
    bundle, whether it is stale (`defer`), and its key when it is new and wants caching.

    Pagefind's filter files differ from run to run for the same pages, so the bundle is kept
    in the cache under a hash of its inputs and reused while they are unchanged: a rebuild
    then gives byte-identical output, and skips the indexer. A long-lived caller also holds
    the last bundle in memory (`state.search`), so the dev server never reads it back.
    """
    rendered = {a.path: a for a in artifacts}
    config = site.config
    notes = [
        (site_href(config, note.url), rendered[output_path(note.url)])
        for note in site.notes.values()
    ]
    digest = hashlib.sha256(f"{search_fingerprint()}\0{config.language}".encode())
    for href, page in notes:
        digest.update(f"\0{href}\0{page.sha256}".encode())
    key = digest.hexdigest()
    held = state.search
    if held is not None and held[0] == key:
        return held[1], False, ""
    cached = read_bundle(cache, key)
    if cached is not None:
        state.search = (key, cached)
        return cached, False, ""
    if defer:
        older = held[1] if held is not None else read_latest_bundle(cache)
        if older is not None:
            state.search = held or ("", older)  # stale: its key matches no pages
            return older, True, ""
    pages = [(href, page.data.decode("utf-8")) for href, page in notes]
    bundle, found = index_notes(pages, language=config.language)
    problems.extend(found)
    if not bundle:
        return bundle, False, ""
    state.search = (key, bundle)
    return bundle, False, key


def _write(
    artifacts: list[Artifact], output_dir: Path, manifest: Path
) -> tuple[WriteReport | None, list[Diagnostic]]:
    try:
        return write_site(artifacts, output_dir, manifest)
    except OSError as exc:
        where = exc.filename or output_dir
        return None, [error(WRITE_FAILED, f"could not write the site: {exc.strerror} ({where})")]
