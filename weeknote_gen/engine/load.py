"""The one way to load a site: config, notes, Markdown and the assembled `Site`.

`build`, `check`, the dev server, `digest` and `status` all load the site here, so they agree
on what a note is, which notes are published, and what is wrong. Every stage is a pure
function; this module calls them through the `Memo`, keyed by the content hash of what each
reads, so a warm load costs what changed.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from weeknote_gen.config import Config, load_config
from weeknote_gen.config.site_languages import SiteLanguage, match_language
from weeknote_gen.content.discover import Content, FileMemo, discover_content, read_source
from weeknote_gen.engine.codec import MARKDOWN, PARSED, PASSAGES, RELATED
from weeknote_gen.engine.memo import Memo, key_of
from weeknote_gen.errors import Diagnostic, Diagnostics

if TYPE_CHECKING:  # the heavy modules load only once something must be parsed
    from weeknote_gen.content.learning import Passage
    from weeknote_gen.content.markdown import RenderedMarkdown
    from weeknote_gen.content.model import Site
    from weeknote_gen.content.parse import ParsedNote
    from weeknote_gen.content.site_indexes import RelatedSignature

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class LoadOptions:
    now: dt.datetime
    drafts: bool = False
    future: bool = False
    jobs: int = 0  # processes for Markdown and learning passages; 0 means one per CPU
    parse_only: bool = False  # `status`: the notes' front matter is all it reads


class Steps:
    """Runs named steps and remembers how long each took, for `--verbose` and benchmarks."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    def run(self, name: str, step: Callable[[], _T]) -> _T:
        start = time.perf_counter()
        try:
            return step()
        finally:
            self.timings.append((name, time.perf_counter() - start))


@dataclass(slots=True)
class LoadedSite:
    """What loading found: each part is None (or empty) when an earlier part failed."""

    site_dir: Path
    problems: Diagnostics = field(default_factory=Diagnostics)
    config: Config | None = None
    content: Content | None = None
    parsed: list[ParsedNote] = field(default_factory=list)  # drafts and scheduled notes too
    site: Site | None = None  # the site, or on a bilingual site its default language's part
    # Each language's part of a bilingual site, the default first; on others, just `site`.
    sites: list[tuple[SiteLanguage | None, Site]] = field(default_factory=list)


def read_config(site_dir: Path, loaded: LoadedSite, steps: Steps) -> Config | None:
    config, found = steps.run("config", lambda: load_config(site_dir))
    loaded.problems.extend(found)
    loaded.config = config
    return config


def read_content(loaded: LoadedSite, steps: Steps, files: FileMemo | None = None) -> Content | None:
    """The notes and files under the site, re-reading only files whose identity changed
    since `files` saw them (the dev server keeps one)."""
    config = loaded.config
    if config is None:
        return None
    content, found = steps.run(
        "discover",
        lambda: discover_content(
            loaded.site_dir, files if files is not None else {}, config.static_dir
        ),
    )
    loaded.problems.extend(found)
    loaded.content = content
    return content


def load_site(
    site_dir: Path,
    options: LoadOptions,
    memo: Memo | None = None,
    *,
    steps: Steps | None = None,
    loaded: LoadedSite | None = None,
) -> LoadedSite:
    """Config, content, parsed notes and (unless `parse_only`) the assembled site with its
    cross-note checks. Pass `loaded` with config and content read already (the build reads
    them first to see whether anything changed at all) to go on from there."""
    memo = memo if memo is not None else Memo()
    steps = steps if steps is not None else Steps()
    loaded = loaded if loaded is not None else LoadedSite(site_dir)
    config = loaded.config or read_config(site_dir, loaded, steps)
    content = loaded.content or read_content(loaded, steps)
    if config is None or content is None:
        return loaded
    jobs = options.jobs or os.cpu_count() or 1
    loaded.parsed = steps.run(
        "parse", lambda: _parse(site_dir, config, content, memo, loaded.problems)
    )
    if options.parse_only:
        return loaded
    loaded.site = _assemble(loaded, config, content, options, memo, steps, jobs)
    return loaded


def load_note(root: Path, relative: str, config: Config) -> ParsedNote | None:
    """One note read and parsed as `load_site` reads every note, for the dev server's fast
    path; None when it cannot be read or has errors (the full build then says why)."""
    from weeknote_gen.engine import stages

    problems: list[Diagnostic] = []
    source = read_source(root, root / relative, problems)
    if source is None or problems:
        return None
    note, found = stages.parse_note(source, config)
    if note is None or any(problem.is_error for problem in found):
        return None
    return note


def _parse(
    site_dir: Path,
    config: Config,
    content: Content,
    memo: Memo,
    problems: Diagnostics,
) -> list[ParsedNote]:
    """Every note that parses (drafts too), from the memo where its file, the config and its
    date from git are unchanged; the others across the pool when there are many."""
    from weeknote_gen.engine import stages  # Markdown, Pygments: only now needed

    history = stages.git_history(site_dir, content.notes, config)
    config_key = key_of(repr(config))

    def parse_key(path: str, sha256: str) -> str:
        dated = f"{history[0].get(path)}\0{history[1]}" if history is not None else ""
        return key_of(config_key, path, sha256, dated)

    entries = memo.map(
        PARSED,
        [parse_key(source.path, source.sha256) for source in content.notes],
        # In one process: at about 0.15 ms a note, sending parsed notes back from a pool
        # costs what the second core saves (measured at 4,000 notes: 0.63 s either way).
        lambda missing: [
            stages.parse_note(content.notes[index], config, history) for index in missing
        ],
    )
    parsed = []
    for note, found in entries:
        problems.extend(found)
        if note is not None:
            parsed.append(note)
    return parsed


def _assemble(
    loaded: LoadedSite,
    config: Config,
    content: Content,
    options: LoadOptions,
    memo: Memo,
    steps: Steps,
    jobs: int,
) -> Site:
    """Markdown for every body (through the memo), then the site assembled and checked."""
    from weeknote_gen.engine import stages

    parsed = loaded.parsed
    rendered = steps.run("markdown", lambda: _render_markdown(parsed, config, memo, jobs))
    pairs = list(zip(parsed, rendered, strict=True))
    assets = frozenset(asset.path for asset in content.assets)
    prompts = steps.run("prompts", lambda: stages.note_template_prompts(loaded.site_dir, config))

    def assemble_part(part: list[tuple[ParsedNote, RenderedMarkdown]], settings: Config) -> Site:
        site, found = stages.assemble(
            part,
            settings,
            stages.AssembleOptions(
                now=options.now, include_drafts=options.drafts, include_future=options.future
            ),
            assets,
            stages.static_paths(settings, content.static),
            _passage_finder(memo, jobs),
            _related_finder(memo),
            prompts,
        )
        loaded.problems.extend(found)
        return site

    def assemble_all() -> list[tuple[SiteLanguage | None, Site]]:
        if not config.languages:
            return [(None, assemble_part(pairs, config))]
        return [
            (language, assemble_part(part, config.in_language(language)))
            for language, part in by_language(pairs, config.languages)
        ]

    loaded.sites = steps.run("assemble", assemble_all)
    loaded.problems.extend(
        steps.run(
            "check",
            lambda: stages.check_notes(
                parsed, config, now=options.now, include_future=options.future, prompts=prompts
            ),
        )
    )
    return loaded.sites[0][1]


def _render_markdown(
    parsed: list[ParsedNote], config: Config, memo: Memo, jobs: int
) -> list[RenderedMarkdown]:
    """Every body's Markdown, from the memo where the body and the renderer are unchanged."""
    from weeknote_gen.engine import stages

    renderer = stages.renderer_fingerprint(config.markdown)
    return memo.map(
        MARKDOWN,
        [key_of(renderer, note.body) for note in parsed],
        lambda missing: stages.render_bodies(
            [parsed[index].body for index in missing], config, jobs
        ),
    )


def by_language(
    pairs: list[tuple[ParsedNote, _T]], languages: tuple[SiteLanguage, ...]
) -> list[tuple[SiteLanguage, list[tuple[ParsedNote, _T]]]]:
    """The notes of each of the site's languages, the default first: by the note's own
    language (which parsing matched to one of them), else the default."""
    parts: dict[str, list[tuple[ParsedNote, _T]]] = {language.code: [] for language in languages}
    for pair in pairs:
        tag = pair[0].language
        found = match_language(tag, languages) if tag else None
        parts[(found or languages[0]).code].append(pair)
    return [(language, parts[language.code]) for language in languages]


def _passage_finder(
    memo: Memo, jobs: int
) -> Callable[[list[tuple[str, str]], tuple[str, ...], frozenset[str]], list[tuple[Passage, ...]]]:
    """Learning passages through the memo: only notes whose body, page, the headings looked
    for or the template's prompts changed are parsed again (across the pool when there are
    many)."""
    from weeknote_gen.engine import stages

    def find(
        notes: list[tuple[str, str]], headings: tuple[str, ...], prompts: frozenset[str]
    ) -> list[tuple[Passage, ...]]:
        # Told apart from the page and body whatever they hold.
        wanted = repr((headings, sorted(prompts)))
        return memo.map(
            PASSAGES,
            [key_of(wanted, page, body) for body, page in notes],
            lambda missing: stages.find_passages(
                [notes[index] for index in missing], headings, prompts, jobs
            ),
        )

    return find


def _related_finder(
    memo: Memo,
) -> Callable[[RelatedSignature], tuple[tuple[str, tuple[str, ...]], ...]]:
    from weeknote_gen.content.site_indexes import related_for

    def find(signature: RelatedSignature) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return memo.one(RELATED, key_of(repr(signature)), lambda: related_for(signature))

    return find
