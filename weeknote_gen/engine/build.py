"""The pipeline as a flat list of timed steps, stopping before any write if anything failed.

Checking without building is the same call with `write=False`; a long-lived caller keeps a
`BuildState` between calls so unchanged notes are not rendered again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from weeknote_gen import __version__
from weeknote_gen.config import CACHE_DIR, CONFIG_FILE
from weeknote_gen.content.discover import Content, FileMemo
from weeknote_gen.content.tree_identity import TreeIdentity, tree_identity
from weeknote_gen.engine.cache import Table, cache_folder, load_value, store_bundle, store_value
from weeknote_gen.engine.codec import (
    LAST_BUILD,
    MARKDOWN,
    PAGES,
    PARSED,
    LastBuild,
    PageEntry,
    ParsedEntry,
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
from weeknote_gen.errors import Diagnostic, Diagnostics, error
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.theme import templates_fingerprint
from weeknote_gen.output.write import WriteReport, output_intact, write_site

if TYPE_CHECKING:  # only for annotations: `stages` loads these when a build needs them
    from weeknote_gen.content.markdown import RenderedMarkdown
    from weeknote_gen.content.model import Site
    from weeknote_gen.content.parse import ParsedNote
    from weeknote_gen.output.render import Environment


MANIFEST_FILE = "output-manifest.json"
SEARCH_CACHE = "search"
LAST_BUILD_FILE = "last-build.json"
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
    """What one build leaves for the next: the memo of stage results (parsed front matter,
    Markdown, learning passages, related notes, rendered pages and feeds, by content hash).

    The dev server keeps one in memory between builds; a one-off build loads one from
    `.weeknote-cache/` (`on_disk`) and saves it afterwards, so CI with a restored cache and
    rebuilds on a laptop skip the work whose inputs did not change.
    """

    memo: Memo = field(default_factory=Memo)
    search: tuple[str, list[Artifact]] | None = None  # the last search bundle, by its key
    files: FileMemo = field(default_factory=dict)  # files read last time, by identity
    # The last good build's site, kept only in memory: the dev server's fast path (`preview`)
    # shows an edited note's page from it before the whole site is rebuilt.
    last: LastSite | None = None

    @classmethod
    def on_disk(cls, site_dir: Path) -> BuildState:
        return cls(memo=Memo(site_dir / CACHE_DIR))

    @property
    def markdown(self) -> Table[RenderedMarkdown]:
        return self.memo.table(MARKDOWN)

    @property
    def parsed(self) -> Table[ParsedEntry]:
        return self.memo.table(PARSED)

    @property
    def pages(self) -> Table[PageEntry]:
        return self.memo.table(PAGES)


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
    """Build (or, with `write=False`, check) the site in `site_dir`."""
    started = time.perf_counter()
    started_wall = time.time_ns()
    persist = state is None and options.write
    if state is None:
        state = BuildState.on_disk(site_dir) if options.write else BuildState()
    state.last = None  # until this build succeeds
    state.memo.start_build()
    steps = Steps()
    problems = Diagnostics()

    reused = False  # the last build's output stands: nothing to save

    def finish(**values: object) -> BuildResult:
        ok = not problems.has_errors(strict=options.strict)
        if persist and ok and not reused:  # a failed build writes nothing, cache included
            steps.run("save", state.memo.save)  # timed: at 4,000 notes it is not free
        return BuildResult(
            diagnostics=problems.sorted(),
            ok=ok,
            timings=tuple(steps.timings),
            seconds=time.perf_counter() - started,
            **values,  # type: ignore[arg-type]
        )

    loaded = LoadedSite(site_dir, problems)
    config = read_config(site_dir, loaded, steps)
    if config is None:
        return finish()
    output_dir = site_dir / config.output_dir
    manifest = site_dir / CACHE_DIR / MANIFEST_FILE
    record_file = cache_folder(site_dir / CACHE_DIR) / LAST_BUILD_FILE
    early = persist and not options.defer_search
    last = load_value(record_file, LAST_BUILD) if early else None
    theme = templates_fingerprint(site_dir, with_static=True) if persist else ""
    tree = tree_identity(site_dir, config.static_dir) if persist else None
    quick = _quick_fingerprint(site_dir, tree, theme, options)

    def still_current(record: LastBuild) -> bool:  # checked last: it walks the output folder
        return _still_current(record, options.now, output_dir, manifest)

    if last is not None and quick and last.quick == quick and still_current(last):
        reused = True  # nothing was touched: a walk of the tree was enough
        return finish(**_replay(last, problems, output_dir))
    problems_before = len(problems)
    content = read_content(loaded, steps, state.files)
    assert content is not None  # config was read
    found = list(problems)[problems_before:]
    inputs = _inputs_fingerprint(site_dir, content, theme, options) if persist else ""
    if last is not None and last.inputs == inputs and not found and still_current(last):
        reused = True  # files were touched, but their contents are the same
        if quick and tree is not None and _settled(tree, started_wall):  # trust identities now
            store_value(record_file, replace(last, quick=quick), LAST_BUILD)
        return finish(**_replay(last, problems, output_dir))

    from weeknote_gen.engine import stages  # the heavy modules, only now they are needed

    jobs = options.jobs or os.cpu_count() or 1
    load_options = LoadOptions(
        now=options.now, drafts=options.drafts, future=options.future, jobs=jobs
    )
    loaded = load_site(site_dir, load_options, state.memo, steps=steps, loaded=loaded)
    parsed, site = loaded.parsed, loaded.site
    assert site is not None  # config and content were read above
    counts: dict[str, object] = {
        "notes": len(site.notes),
        "skipped_drafts": site.skipped_drafts,
        "skipped_future": site.skipped_future,
    }
    if problems.has_errors(strict=options.strict):
        return finish(**counts)
    specs, found = steps.run("plan", lambda: stages.plan_pages(site))
    problems.extend(found)
    if problems.has_errors(strict=options.strict):
        return finish(**counts)
    env = stages.make_environment(site_dir, config)
    read = steps.run("records", lambda: stages.SiteDigests.of(site))
    artifacts = steps.run(
        "render",
        lambda: stages.render_site(site, specs, site_dir, env, state.memo, read, problems, jobs),
    )
    artifacts += stages.media(site, content.assets)
    artifacts += steps.run("feeds", lambda: stages.site_feeds(site, specs, state.memo, read, jobs))
    extra, found = stages.site_files(site, content.static, specs, artifacts)
    problems.extend(found)
    artifacts += extra
    if problems.has_errors(strict=options.strict) or not options.write:
        return finish(pages=len(artifacts), **counts)
    cache, bundle, fresh = site_dir / CACHE_DIR / SEARCH_CACHE, list[Artifact](), ""
    if config.search:
        bundle, stale, fresh, state.search = steps.run(
            "search",
            lambda: stages.search_bundle(
                site, artifacts, cache, state.search, problems, defer=options.defer_search
            ),
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
        record = LastBuild(
            inputs=inputs,
            quick=quick if tree is not None and _settled(tree, started_wall) else "",
            next_change=stages.next_change(parsed, options.now),
            pages=len(artifacts),
            counts={k: v for k, v in counts.items() if k != "search_stale"},
            diagnostics=problems.sorted(),
        )
        store_value(record_file, record, LAST_BUILD)
    partly = report is None and any(d.code == WRITE_FAILED for d in found)
    if not found and not problems.has_errors(strict=options.strict):
        parsed_by_path = MappingProxyType({note.path: note for note in parsed})
        assets = frozenset(a.path for a in content.assets)
        state.last = LastSite(site, parsed_by_path, assets, env, output_dir, manifest)
    return finish(
        pages=len(artifacts), report=report, output_dir=output_dir, partly_written=partly, **counts
    )


RACY_NS = 2_000_000_000  # files changed this close to a build may change again unseen


def _settled(tree: TreeIdentity, started_ns: int) -> bool:
    """Whether file identities can vouch for contents next time: not if a file changed so
    shortly before this build that a same-sized rewrite could keep its timestamps."""
    return tree.newest_ns < started_ns - RACY_NS


def _quick_fingerprint(
    site_dir: Path, tree: TreeIdentity | None, theme: str, options: BuildOptions
) -> str:
    """Everything a build reads, with notes and files by identity (`discover.tree_identity`)
    rather than by content: a no-op rebuild is then a walk of the tree, not a read of it."""
    if tree is None:
        return ""
    return _inputs_digest(site_dir, theme, options, f"tree\0{tree.digest}")


def _inputs_fingerprint(site_dir: Path, content: Content, theme: str, options: BuildOptions) -> str:
    """Every input of a build: the tool, the options, config.yaml, each note and file, and
    the theme. Equal fingerprints (and no note falling due) mean an identical site."""
    digest = hashlib.sha256()
    for note in content.notes:
        digest.update(f"\0{note.path}\0{note.sha256}".encode())
    for asset in (*content.assets, *content.static):
        digest.update(f"\0{asset.path}\0".encode() + hashlib.sha256(asset.data).digest())
    return _inputs_digest(site_dir, theme, options, f"content\0{digest.hexdigest()}")


def _inputs_digest(site_dir: Path, theme: str, options: BuildOptions, files: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{sys.version}\0{options.drafts}{options.future}".encode())
    digest.update(f"{options.strict}\0{theme}\0{files}\0".encode())
    config_file = site_dir / CONFIG_FILE
    digest.update(config_file.read_bytes() if config_file.is_file() else b"")
    return digest.hexdigest()


def _still_current(last: LastBuild, now: dt.datetime, output_dir: Path, manifest: Path) -> bool:
    if last.next_change is not None and now >= last.next_change:
        return False  # a scheduled note is now due
    return output_intact(output_dir, manifest)


def _replay(last: LastBuild, problems: Diagnostics, output_dir: Path) -> dict[str, object]:
    """The last build's report, for a rebuild that found nothing to do. The config's advice
    is in `problems` already (config.yaml is read every time), so it is not repeated."""
    known = set(problems)
    problems.extend(d for d in last.diagnostics if d not in known)
    unchanged = WriteReport(0, last.pages, 0)
    return {"pages": last.pages, "report": unchanged, "output_dir": output_dir, **last.counts}


def _write(
    artifacts: list[Artifact], output_dir: Path, manifest: Path
) -> tuple[WriteReport | None, list[Diagnostic]]:
    try:
        return write_site(artifacts, output_dir, manifest)
    except OSError as exc:
        where = exc.filename or output_dir
        return None, [error(WRITE_FAILED, f"could not write the site: {exc.strerror} ({where})")]
