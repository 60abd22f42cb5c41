"""The stages of a build that do the work: parsing, Markdown, pages, feeds and search.

`build` loads this module only once it knows something must be built, so that checking an
unchanged site does not pay for importing Markdown, Pygments, Jinja and Pagefind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from weeknote_gen.config import Config, MarkdownOptions
from weeknote_gen.content.assemble import AssembleOptions, assemble, passages_here
from weeknote_gen.content.checks import check_notes
from weeknote_gen.content.discover import AssetFile
from weeknote_gen.content.learning import Passage
from weeknote_gen.content.markdown import RenderedMarkdown, render_markdown, renderer_fingerprint
from weeknote_gen.content.model import Site, is_scheduled
from weeknote_gen.content.parse import ParsedNote, git_history, parse_note
from weeknote_gen.engine.cache import read_bundle, read_latest_bundle
from weeknote_gen.engine.codec import PAGES, PageEntry
from weeknote_gen.engine.memo import Memo, key_of
from weeknote_gen.engine.records import SiteDigests, feed_keys, page_keys
from weeknote_gen.errors import Diagnostic, Diagnostics, Location, error
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.feeds import make_feeds, plan_feeds
from weeknote_gen.output.note_prompts import note_template_prompts
from weeknote_gen.output.redirects import redirect_pages
from weeknote_gen.output.render import (
    Environment,
    fork_map,
    make_environment,
    render_pages,
    render_pages_lazily,
    spans,
    template_fingerprints,
    theme_static,
)
from weeknote_gen.output.search import BUNDLE_DIR, index_notes, search_fingerprint
from weeknote_gen.output.theme import templates_fingerprint
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.plan import plan_pages
from weeknote_gen.urls import output_path, static_url

__all__ = [
    "AssembleOptions",
    "SiteDigests",
    "assemble",
    "check_notes",
    "find_passages",
    "git_history",
    "make_environment",
    "make_feeds",
    "media",
    "next_change",
    "note_template_prompts",
    "output_keys",
    "page_stream",
    "parse_note",
    "plan_feeds",
    "plan_pages",
    "render_bodies",
    "render_pages",
    "renderer_fingerprint",
    "search_bundle",
    "site_files",
    "static_paths",
    "theme_files",
]

PARALLEL_THRESHOLD = 64  # below this many notes to render, starting processes costs more
HeldBundle = tuple[str, list[Artifact]]  # a search bundle kept in memory, with its key


def next_change(parsed: Sequence[ParsedNote], now: dt.datetime) -> dt.datetime | None:
    """When the first scheduled note falls due: the site changes then with no edit at all."""
    upcoming = [_published_from(p) for p in parsed if not p.draft and is_scheduled(p, now)]
    return min(upcoming, default=None)


def _published_from(note: ParsedNote) -> dt.datetime:
    if note.has_time:
        return note.published
    return dt.datetime(note.date.year, note.date.month, note.date.day, tzinfo=dt.UTC)


def render_bodies(bodies: list[str], config: Config, jobs: int) -> list[RenderedMarkdown]:
    """Markdown for each body, in input order (so the output is the same however many
    processes did the work), across a process pool when there are enough to pay for it."""
    jobs = jobs if len(bodies) >= PARALLEL_THRESHOLD else 1
    parts = fork_map(_render_span, (bodies, config.markdown), spans(len(bodies), jobs, 8, 8), jobs)
    return [rendered for part in parts for rendered in part]


def _render_span(job: tuple[list[str], MarkdownOptions], span: range) -> list[RenderedMarkdown]:
    bodies, options = job
    return [render_markdown(bodies[index], options) for index in span]


def find_passages(
    notes: list[tuple[str, str]], headings: tuple[str, ...], prompts: frozenset[str], jobs: int
) -> list[tuple[Passage, ...]]:
    """Learning passages of each (final body, page address), in order, across the pool when
    there are many (parsing HTML is most of what assembling a big site costs)."""
    workers = jobs if len(notes) >= PARALLEL_THRESHOLD else 1
    job = (notes, headings, prompts)
    parts = fork_map(_passages_span, job, spans(len(notes), workers), workers)
    return [found for part in parts for found in part]


def _passages_span(
    job: tuple[list[tuple[str, str]], tuple[str, ...], frozenset[str]], span: range
) -> list[tuple[Passage, ...]]:
    notes, headings, prompts = job
    return passages_here([notes[index] for index in span], headings, prompts)


def output_keys(
    specs: Sequence[PageSpec], site_dir: Path, env: Environment, read: SiteDigests
) -> tuple[list[str], dict[str, str]]:
    """Each page's key (what it read: `records.page_keys`), and the fingerprint of each
    template the pages use."""
    every = templates_fingerprint(site_dir)
    used = template_fingerprints(env, {spec.template for spec in specs}, every)
    return page_keys(specs, read, used), used


def page_stream(
    specs: Sequence[PageSpec],
    keys: Sequence[str],
    site_dir: Path,
    env: Environment,
    memo: Memo,
    problems: Diagnostics,
    jobs: int = 1,
) -> Iterator[Artifact]:
    """Every page, in plan order, as it is ready. A page whose key (`output_keys`) the memo
    knows is taken from there as it was; only the others are rendered, across the pool when
    there are many, and remembered. A page that fails adds its problem (once per template
    error) and is left out."""
    table = memo.table(PAGES)
    kept = [table.get(key) for key in keys]
    missing = [specs[index] for index, entry in enumerate(kept) if entry is None]
    fresh = render_pages_lazily(missing, env, site_dir, jobs, packed=True)
    reported: set[str] = set()
    for spec, key, entry in zip(specs, keys, kept, strict=True):
        if entry is not None:
            yield Artifact.stored(output_path(spec.url), *entry)
            continue
        outcome = next(fresh)
        if isinstance(outcome, Diagnostic):
            if outcome.format() not in reported:
                reported.add(outcome.format())
                problems.add(outcome)
            continue
        table.put(key, outcome.packed())
        yield outcome
    for _ in fresh:  # run it to its end, which closes the pool before anything else forks
        pass


def theme_files(site_dir: Path, problems: Diagnostics) -> list[Artifact]:
    """The theme's static files (the site's own first) and the code-highlighting style."""
    static, found = theme_static(site_dir)
    problems.extend(found)
    return static


def site_feeds(
    site: Site, specs: Sequence[PageSpec], memo: Memo, read: SiteDigests, jobs: int = 1
) -> list[Artifact]:
    """Every feed, the sitemap and robots.txt, made only where what they read changed."""
    feeds = plan_feeds(site)

    def make(missing: list[int]) -> list[PageEntry]:
        made = make_feeds(site, specs, [feeds[i] for i in missing], jobs, packed=True)
        return [feed.packed() for feed in made]

    translations = key_of(*(repr(spec.alternates) for spec in specs if spec.alternates))
    kept = memo.map(PAGES, feed_keys(feeds, read, translations), make)
    return [Artifact.stored(feed.path, *entry) for feed, entry in zip(feeds, kept, strict=True)]


def media(site: Site, assets: Sequence[AssetFile]) -> list[Artifact]:
    """The pictures and files that published notes link to (and only those: a draft's
    attachments stay private until the draft is published)."""
    return [
        Artifact(output_path(site.media[asset.path]), asset.data)
        for asset in assets
        if asset.path in site.media
    ]


def static_paths(config: Config, static: Sequence[AssetFile]) -> frozenset[str]:
    """The static folder's files by their path inside it (`images/a.png`)."""
    return frozenset(_inside_static(config, file.path) for file in static)


def _inside_static(config: Config, path: str) -> str:
    return path.removeprefix(f"{config.static_dir}/")


def site_files(
    site: Site,
    static: Sequence[AssetFile],
    specs: Sequence[PageSpec],
    generated: Sequence[str],
) -> tuple[list[Artifact], list[Diagnostic]]:
    """The static folder's files and the redirect pages of notes' old addresses, each
    checked against every generated file's path (and the search index's folder, when there
    is one): a clash would silently replace a page, so it is an error naming both."""
    config = site.config
    claims = _Claims(site, specs, generated, config.search)
    artifacts: list[Artifact] = []
    problems: list[Diagnostic] = []
    for file in static:
        inside = _inside_static(config, file.path)
        artifact = Artifact(output_path(static_url(inside)), file.data)
        taken = claims.take(artifact.path, f"the file {file.path}")
        if taken is None:
            artifacts.append(artifact)
            continue
        problems.append(
            error(
                "static.clash",
                f"this file would be published at /{artifact.path}, but {taken}",
                Location(file.path),
                f"rename or move it inside {config.static_dir}/, or remove it if the site"
                " makes it now",
            )
        )
    for artifact, (alias, redirect) in zip(redirect_pages(site), site.aliases.items(), strict=True):
        taken = claims.take(artifact.path, f"the old address {alias} of {redirect.note_key}")
        if taken is None:
            artifacts.append(artifact)
            continue
        problems.append(
            error(
                "alias.clash",
                f"the old address {alias} would get a redirect page at /{artifact.path},"
                f" but {taken}",
                redirect.source,
                "remove the old address from the note: the site has something else there now",
            )
        )
    return artifacts, problems


class _Claims:
    """Which output file, and which folder, each part of the site needs, to say what a
    static file or redirect page would clash with."""

    def __init__(
        self, site: Site, specs: Sequence[PageSpec], generated: Sequence[str], search: bool
    ) -> None:
        origins = {output_path(spec.url): spec.origin for spec in specs}
        self.files: dict[str, str] = {}
        self.folders: dict[str, str] = {}
        for path in generated:
            origin = origins.get(path, "")
            if origin in site.notes:
                origin = f"the page of {origin}"
            self._add(path, origin or f"the site's own /{path}")
        self.reserved = {BUNDLE_DIR: "the search index"} if search else {}

    def _add(self, path: str, who: str) -> None:
        self.files[path] = who
        parts = path.split("/")
        for end in range(1, len(parts)):
            self.folders.setdefault("/".join(parts[:end]), who)

    def take(self, path: str, who: str) -> str | None:
        """Claim `path` for `who`; if it is taken, what takes it, and nothing is claimed."""
        parts = path.split("/")
        parents = ["/".join(parts[:end]) for end in range(1, len(parts))]
        found = self.files.get(path)
        if found is not None:
            return f"{found} is there"
        found = self.folders.get(path)
        if found is not None:
            return f"a folder of that name holds {found}"
        for parent in parents:
            found = self.files.get(parent)
            if found is not None:
                return f"{found} is at /{parent}, where a folder would have to be"
            if parent in self.reserved:
                return f"/{parent}/ is {self.reserved[parent]}'s folder"
        self._add(path, who)
        return None


def search_bundle(
    site: Site,
    artifacts: Sequence[Artifact],
    cache: Path,
    held: HeldBundle | None,
    problems: Diagnostics,
    *,
    defer: bool = False,
) -> tuple[list[Artifact], bool, str, HeldBundle | None]:
    """Index the rendered note pages (only those: lists would clutter the results): the
    bundle, whether it is stale (`defer`), its key when it is new and wants caching, and
    the bundle to hold in memory for the next build.

    Pagefind's filter files differ from run to run for the same pages, so the bundle is kept
    in the cache under a hash of its inputs and reused while they are unchanged: a rebuild
    then gives byte-identical output, and skips the indexer. A long-lived caller also holds
    the last bundle in memory (`held`), so the dev server never reads it back.
    """
    rendered = {a.path: a for a in artifacts}
    config = site.config
    # Each page is indexed at its path below the bundle's parent folder, not at its full
    # href: Pagefind's UI puts that folder (`/cy/`, or a sub-path the site is hosted under)
    # before every result URL itself, so a full href would come out doubled (`/cy/cy/…`).
    notes = [(note.url, rendered[output_path(note.url)]) for note in site.notes.values()]
    digest = hashlib.sha256(f"{search_fingerprint()}\0{config.language}".encode())
    for href, page in notes:
        digest.update(f"\0{href}\0{page.sha256}".encode())
    key = digest.hexdigest()
    if held is not None and held[0] == key:
        return held[1], False, "", held
    cached = read_bundle(cache, key)
    if cached is not None:
        return cached, False, "", (key, cached)
    if defer:
        older = held[1] if held is not None else read_latest_bundle(cache)
        if older is not None:  # stale: its key matches no pages
            return older, True, "", held or ("", older)
    pages = [(href, page.data.decode("utf-8")) for href, page in notes]
    bundle, found = index_notes(pages, language=config.language)
    problems.extend(found)
    if not bundle:
        return bundle, False, "", held
    return bundle, False, key, (key, bundle)
