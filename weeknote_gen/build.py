"""The pipeline as a flat list of timed steps, stopping before any write if anything failed.

`check` is the same call with `write=False`; the dev server keeps a `BuildState` between calls
so unchanged notes are not rendered again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from weeknote_gen.config import Config, load_config
from weeknote_gen.discover import discover
from weeknote_gen.errors import Diagnostic, Diagnostics, error
from weeknote_gen.markdown import RenderedMarkdown, render_markdown, renderer_fingerprint
from weeknote_gen.model import AssembleOptions, Site, assemble
from weeknote_gen.output import Artifact, WriteReport, write_site
from weeknote_gen.pages import plan_pages
from weeknote_gen.parse import ParsedNote, parse_note
from weeknote_gen.render import make_environment, render_pages, theme_static

CACHE_DIR = ".weeknote-cache"
MANIFEST_FILE = "output-manifest.json"

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    now: dt.datetime
    drafts: bool = False
    future: bool = False
    strict: bool = False
    write: bool = True


@dataclass(slots=True)
class BuildState:
    """Warm caches kept between builds by a long-lived process (the dev server)."""

    markdown: dict[str, RenderedMarkdown] = field(default_factory=dict)


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
    state = state if state is not None else BuildState()
    steps = _Steps()
    problems = Diagnostics()

    def finish(**values: object) -> BuildResult:
        ok = not problems.has_errors(strict=options.strict)
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
    sources, found = steps.run("discover", lambda: discover(site_dir))
    problems.extend(found)
    parsed = steps.run("parse", lambda: _parse_all(sources, config, problems))
    rendered = steps.run("markdown", lambda: _render_all(parsed, config, state))
    assemble_options = AssembleOptions(
        now=options.now, include_drafts=options.drafts, include_future=options.future
    )
    site, found = steps.run("assemble", lambda: assemble(rendered, config, assemble_options))
    problems.extend(found)
    counts = {
        "notes": len(site.notes),
        "skipped_drafts": site.skipped_drafts,
        "skipped_future": site.skipped_future,
    }
    if problems.has_errors(strict=options.strict):
        return finish(**counts)
    artifacts = steps.run("render", lambda: _render_site(site, site_dir, problems))
    if problems.has_errors(strict=options.strict) or not options.write:
        return finish(pages=len(artifacts), **counts)
    output_dir = site_dir / config.output_dir
    manifest = site_dir / CACHE_DIR / MANIFEST_FILE
    report, found = steps.run("write", lambda: _write(artifacts, output_dir, manifest))
    problems.extend(found)
    return finish(pages=len(artifacts), report=report, output_dir=output_dir, **counts)


def _parse_all(
    sources: tuple[object, ...], config: Config, problems: Diagnostics
) -> list[ParsedNote]:
    parsed: list[ParsedNote] = []
    for source in sources:
        note, found = parse_note(source, config)  # type: ignore[arg-type]
        problems.extend(found)
        if note is not None:
            parsed.append(note)
    return parsed


def _render_all(
    parsed: list[ParsedNote], config: Config, state: BuildState
) -> list[tuple[ParsedNote, RenderedMarkdown]]:
    fingerprint = renderer_fingerprint(config.markdown)
    results = []
    for note in parsed:
        key = hashlib.sha256(f"{fingerprint}\0{note.body}".encode()).hexdigest()
        rendered = state.markdown.get(key)
        if rendered is None:
            rendered = render_markdown(note.body, config.markdown)
            state.markdown[key] = rendered
        results.append((note, rendered))
    return results


def _render_site(site: Site, site_dir: Path, problems: Diagnostics) -> list[Artifact]:
    specs, found = plan_pages(site)
    problems.extend(found)
    if found:
        return []
    env = make_environment(site_dir, site.config)
    pages, found = render_pages(specs, env, site_dir)
    problems.extend(found)
    static, found = theme_static(site_dir)
    problems.extend(found)
    return [*pages, *static]


def _write(
    artifacts: list[Artifact], output_dir: Path, manifest: Path
) -> tuple[WriteReport | None, list[Diagnostic]]:
    try:
        return write_site(artifacts, output_dir, manifest)
    except OSError as exc:
        where = exc.filename or output_dir
        return None, [error("output.io", f"could not write the site: {exc.strerror} ({where})")]


def default_jobs() -> int:
    return os.cpu_count() or 1
