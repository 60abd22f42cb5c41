"""Which feeds and discovery files a site has (`plan_feeds`), and making them (`make_feeds`):
Atom, JSON Feed, sitemap.xml and robots.txt, in forked processes when there are many.

Everything here is derived from content, never from the clock, so a rebuild gives the same
bytes (see `output.atom`).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from weeknote_gen.content.model import Note, Site, Term
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.atom import AtomWriter
from weeknote_gen.output.json_feed import json_feed
from weeknote_gen.output.render import fork_map, spans
from weeknote_gen.output.sitemap import robots, sitemap
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.views import site_words
from weeknote_gen.urls import (
    JSON_FEED_URL,
    ROBOTS_URL,
    SITE_FEED_URL,
    SITEMAP_URL,
    WeekId,
    digest_feed_url,
    feed_url,
    output_path,
)


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed or discovery file to make: what it is (`task`), its file, the notes whose
    content it shows (`reads`, newest first; None when it may show any), and the notes of
    which it shows only what a card shows (`shows`: title, date, address; None for any).
    With the site's structure, that is all it reads: the engine makes it again only when
    they changed."""

    task: tuple[str, ...]
    path: str
    reads: tuple[str, ...] | None
    shows: tuple[str, ...] | None = ()


def plan_feeds(site: Site) -> list[FeedSpec]:
    """Every feed of the site plus the sitemap and robots.txt, in a stable order."""
    config = site.config
    newest = tuple(site.notes)[: config.feed_entries]
    plans = [
        FeedSpec(("site",), output_path(SITE_FEED_URL), newest),
        FeedSpec(("json",), output_path(JSON_FEED_URL), newest),
    ]
    for slug, author in site.authors.items():
        keys = author.note_keys[: config.feed_entries]
        plans.append(FeedSpec(("author", slug), output_path(feed_url(author.url)), keys))
    for name, taxonomy in site.taxonomies.items():
        for slug, term in taxonomy.terms.items():
            keys = term.note_keys[: config.feed_entries]
            plans.append(FeedSpec(("term", name, slug), output_path(feed_url(term.url)), keys))
    teams = site.taxonomy_for("team")
    if teams is not None:
        for slug, term in teams.terms.items():
            keys = _digest_keys(site, term)
            path = output_path(digest_feed_url(term.url))
            plans.append(FeedSpec(("digest", teams.name, slug), path, keys))
    # The sitemap lists every page's address and date, and the pages' translations: any
    # note's card may move it, but no note's text (a page's date is its notes' dates).
    plans.append(FeedSpec(("sitemap",), output_path(SITEMAP_URL), (), None))
    config = site.config
    if not config.languages or config.language == config.languages[0].code:
        # One robots.txt, at the root: crawlers read no other (it lists every sitemap)
        plans.append(FeedSpec(("robots",), output_path(ROBOTS_URL), ()))
    return plans


def make_feeds(
    site: Site,
    specs: Sequence[PageSpec],
    feeds: Sequence[FeedSpec],
    jobs: int = 1,
    *,
    packed: bool = False,
) -> list[Artifact]:
    """The files of `feeds`, in order. With `jobs` above 1, spans of them are made in
    forked processes; with `packed`, each also comes compressed with its digest and size,
    ready for the engine to remember (`Artifact.packed`)."""
    job = _FeedJob(site, specs, packed)
    if len(feeds) < PARALLEL_FEEDS:
        jobs = 1
    tasks = [feed.task for feed in feeds]
    outcomes = fork_map(_feed_span, (job, tasks), spans(len(tasks), jobs, 4), jobs)
    artifacts: list[Artifact] = []
    for path, made in (made for part in outcomes for made in part):
        if isinstance(made, bytes):
            artifacts.append(Artifact(path, made))
        else:
            artifacts.append(Artifact.stored(path, *made))
    return artifacts


PARALLEL_FEEDS = 32  # below this many feeds, starting processes costs more than it saves
_Packed = tuple[bytes, str, int, bytes]  # compressed bytes, their sha256 and size, the bytes


def _digest_keys(site: Site, term: Term) -> tuple[str, ...]:
    """The notes of a team's digest feed: every note of its latest `feed_entries` weeks."""
    weeks: set[WeekId] = set()
    keys = []
    for key in term.note_keys:
        week = site.notes[key].week
        if week not in weeks and len(weeks) >= site.config.feed_entries:
            continue
        weeks.add(week)
        keys.append(key)
    return tuple(keys)


class _FeedJob:
    """What making feeds reads: set up in the parent and inherited by forked workers, which
    each keep their own `AtomWriter`."""

    def __init__(self, site: Site, specs: Sequence[PageSpec], packed: bool) -> None:
        self.site = site
        self.specs = specs
        self.packed = packed
        self.writer = AtomWriter(site)

    def make(self, task: tuple[str, ...]) -> tuple[str, bytes | _Packed]:
        """One feed's file and bytes (packed, if asked for)."""
        path, data = self.produce(task)
        if not self.packed:
            return path, data
        return path, (zlib.compress(data, 1), hashlib.sha256(data).hexdigest(), len(data), data)

    def produce(self, task: tuple[str, ...]) -> tuple[str, bytes]:
        site, config, kind = self.site, self.site.config, task[0]
        made: Artifact
        if kind == "json":
            made = json_feed(site, self.newest(tuple(site.notes)))
        elif kind == "sitemap":
            made = sitemap(site, self.specs)
        elif kind == "robots":
            made = robots(site)
        elif kind == "site":
            made = self.writer.feed(
                SITE_FEED_URL, "/", config.title, self.newest(tuple(site.notes))
            )
        elif kind == "author":
            author = site.authors[task[1]]
            chosen = self.newest(author.note_keys)
            title = site_words(site).fill(
                "%(title)s: notes by %(name)s", title=config.title, name=author.name
            )
            made = self.writer.feed(feed_url(author.url), author.url, title, chosen)
        elif kind == "term":
            taxonomy = site.taxonomies[task[1]]
            term = taxonomy.terms[task[2]]
            chosen = self.newest(term.note_keys)
            title = f"{config.title}: {taxonomy.singular.lower()} {term.name}"
            made = self.writer.feed(feed_url(term.url), term.url, title, chosen)
        else:
            made = self.writer.digest_feed(site.taxonomies[task[1]].terms[task[2]])
        return made.path, made.data

    def newest(self, keys: tuple[str, ...]) -> tuple[Note, ...]:
        """The notes a list's feed shows, of `keys` (newest first): only those are looked
        up, so a site whose notes are read one at a time (the delta build's) reads no more."""
        notes = self.site.notes
        return tuple(notes[key] for key in keys[: self.site.config.feed_entries])


def _feed_span(
    job_and_tasks: tuple[_FeedJob, list[tuple[str, ...]]], span: range
) -> list[tuple[str, bytes | _Packed]]:
    job, tasks = job_and_tasks
    return [job.make(tasks[index]) for index in span]
