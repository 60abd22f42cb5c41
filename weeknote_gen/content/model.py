"""The site as values: notes, authors, taxonomies and weeks, related by key.

All relations are held by key in read-only mappings on `Site`; nothing is filled in later.
`assemble` (in `content.assemble`) makes a `Site` from the parsed and rendered notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from weeknote_gen.config import AuthorProfile, Config
from weeknote_gen.content.learning import Passage
from weeknote_gen.content.markdown_headings import TocEntry
from weeknote_gen.content.parse import ParsedNote
from weeknote_gen.errors import Location
from weeknote_gen.urls import WeekId, author_url, taxonomy_url, term_url, week_url


@dataclass(frozen=True, slots=True)
class Note:
    key: str  # the source path: unique and stable across builds
    title: str
    date: dt.date
    published: dt.datetime
    has_time: bool
    week: WeekId
    slug: str
    author_slugs: tuple[str, ...]
    terms: Mapping[str, tuple[str, ...]]  # taxonomy -> term slugs
    url: str
    html: str
    summary: str
    toc: tuple[TocEntry, ...]
    reading_minutes: int
    draft: bool
    image: str | None
    source: Location
    language: str  # the note's language tag: its own `lang`, else the site's `language`
    learnings: tuple[Passage, ...] = ()  # sections under a learning heading, from the body


@dataclass(frozen=True, slots=True)
class Author:
    slug: str
    name: str
    profile: AuthorProfile | None
    note_keys: tuple[str, ...]  # newest first

    @property
    def url(self) -> str:
        return author_url(self.slug)


@dataclass(frozen=True, slots=True)
class Term:
    taxonomy: str
    slug: str
    name: str
    note_keys: tuple[str, ...]

    @property
    def url(self) -> str:
        return term_url(self.taxonomy, self.slug)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    name: str
    singular: str
    plural: str
    terms: Mapping[str, Term]  # slug -> term, sorted by name

    @property
    def url(self) -> str:
        return taxonomy_url(self.name)


@dataclass(frozen=True, slots=True)
class Week:
    id: WeekId
    note_keys: tuple[str, ...]

    @property
    def url(self) -> str:
        return week_url(self.id)


@dataclass(frozen=True, slots=True)
class Redirect:
    """One old address of a note, which gets a page sending readers to the note."""

    note_key: str
    source: Location  # where the address is written, for clash reports


@dataclass(frozen=True, slots=True)
class Site:
    config: Config
    notes: Mapping[str, Note]  # newest first
    authors: Mapping[str, Author]  # by name
    taxonomies: Mapping[str, Taxonomy]  # in config order
    weeks: Mapping[WeekId, Week]  # newest first
    related: Mapping[str, tuple[str, ...]]
    media: Mapping[str, str] = field(default_factory=dict)  # asset path -> URL, when used
    skipped_drafts: int = 0
    skipped_future: int = 0
    # Old addresses of published notes, by URL, each given a redirect page.
    aliases: Mapping[str, Redirect] = field(default_factory=dict)
    # The static folder's files, by path inside it ("images/a.png"): links may name them.
    static_files: frozenset[str] = frozenset()
    # The new-note template's paragraphs, as `content.template_prompts` keys them: a note
    # still holding one has it left out of its learning passages and inferred summary.
    prompts: frozenset[str] = frozenset()

    def taxonomy_for(self, role: str) -> Taxonomy | None:
        """The taxonomy doing `role`'s job (`team`, `theme`, `learning`), whatever its name."""
        chosen = self.config.taxonomy_for(role)
        return self.taxonomies.get(chosen.name) if chosen else None


def is_scheduled(parsed: ParsedNote, now: dt.datetime) -> bool:
    """Dated after `now`: to the minute when the note gives a time, else by calendar day."""
    if parsed.has_time:
        return parsed.published > now
    return parsed.date > now.date()
