"""The delta build's outputs: those that read an edited note whole, made from the snapshot.

Which outputs read a note is a lookup in the snapshot (`Outputs.readers`): a note's own page
and the feeds that carry it. Each is made again, the page planned alone (`plan_note_pages`),
the feed made alone (`make_feeds`), from the site the snapshot describes, and gets its new key
exactly as a full build works it out (`engine.records`), for the memo: from the snapshot's
digests with the edited notes' new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from weeknote_gen.config import Config
from weeknote_gen.engine.memo import Memo, key_of
from weeknote_gen.engine.snapshot_codec import Snapshot, places
from weeknote_gen.output.artifact import Artifact

if TYPE_CHECKING:
    from weeknote_gen.content.model import Site
    from weeknote_gen.engine.records import SiteDigests


class OutputsFallBack(Exception):  # noqa: N818 (not an error: the full build takes over)
    """An output reads the edited notes in a way the delta build does not make."""


@dataclass(frozen=True, slots=True)
class Made:
    """One output made again: its place among the snapshot's outputs, new key and file."""

    place: int
    key: str
    artifact: Artifact


def make_outputs(
    site_dir: Path,
    config: Config,
    memo: Memo,
    snapshot: Snapshot,
    site: Site,
    edited: dict[int, str],
) -> list[Made]:
    """The outputs that read an edited note whole (`edited`: each edited note's place and
    new whole digest), pages first, in the snapshot's order."""
    from weeknote_gen.engine.records import SiteDigests

    skeleton = snapshot.site
    whole = list(skeleton.whole)
    for index, digest in edited.items():
        whole[index] = digest
    read = SiteDigests(
        dict(zip(skeleton.keys, whole, strict=True)),
        dict(zip(skeleton.keys, skeleton.cards, strict=True)),
        skeleton.structure,
        key_of(*whole),
        skeleton.every_card,
    )
    pages, feeds = readers_of(snapshot, set(edited))
    keys = [skeleton.keys[index] for index in sorted(edited)]
    return [
        *_make_pages(site_dir, config, memo, snapshot, site, read, pages, keys),
        *_make_feeds(memo, snapshot, site, read, feeds),
    ]


def readers_of(snapshot: Snapshot, edited: set[int]) -> tuple[list[int], list[int]]:
    """The places of the pages and of the feeds that read an edited note whole. An output
    that may read any note (none does today) is refused, so that a new one stays honest."""
    outputs = snapshot.outputs
    if outputs.any_note:
        raise OutputsFallBack
    found: set[int] = set()
    for index in edited:
        found.update(places(outputs.readers[index], len(outputs.paths)))
    ordered = sorted(found)
    return (
        [place for place in ordered if place not in outputs.tasks],
        [place for place in ordered if place in outputs.tasks],
    )


def _make_pages(
    site_dir: Path,
    config: Config,
    memo: Memo,
    snapshot: Snapshot,
    site: Site,
    read: SiteDigests,
    pages: list[int],
    keys: list[str],
) -> list[Made]:
    """The edited notes' own pages: the only pages that read a note whole."""
    from weeknote_gen.engine.records import page_keys
    from weeknote_gen.output.render import make_environment, render_pages
    from weeknote_gen.site.plan import plan_note_pages
    from weeknote_gen.urls import output_path

    specs = plan_note_pages(site, keys)
    paths = snapshot.outputs.paths
    if [paths[place] for place in pages] != [output_path(spec.url) for spec in specs]:
        raise OutputsFallBack  # a page other than the note's own reads it whole
    env = make_environment(site_dir, config)
    rendered, problems = render_pages(specs, env, site_dir)
    if problems or len(rendered) != len(specs):
        raise OutputsFallBack  # the full build reports it
    keys = page_keys(specs, read, snapshot.templates)
    return [Made(*made) for made in zip(pages, keys, rendered, strict=True)]


def _make_feeds(
    memo: Memo, snapshot: Snapshot, site: Site, read: SiteDigests, feeds: list[int]
) -> list[Made]:
    """The feeds that carry an edited note, as `engine.stages.site_feeds` makes them."""
    from weeknote_gen.engine.records import feed_keys
    from weeknote_gen.output.feeds import FeedSpec, make_feeds

    outputs, keys = snapshot.outputs, snapshot.site.keys

    def named(raw: object) -> tuple[str, ...] | None:
        return None if raw is None else tuple(keys[i] for i in places(raw, len(keys)))

    specs = [
        FeedSpec(
            outputs.tasks[place],
            outputs.paths[place],
            named(outputs.reads[place]),
            named(outputs.feed_shows[place]),
        )
        for place in feeds
    ]
    made = make_feeds(site, (), specs, 1, packed=True)
    new_keys = feed_keys(specs, read, snapshot.plan)
    return [Made(*output) for output in zip(feeds, new_keys, made, strict=True)]
