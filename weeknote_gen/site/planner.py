"""What every page family's planner shares: making a `PageSpec` with the context every
template sees, pagination of note lists, note cards made once, and the small pieces (overview
rows, digest feed links, learning entries, weeks by year) that more than one family shows.

Each family of pages (`note_pages`, `author_pages`, …) is a subclass of `PagePlanner`;
`plan` joins them into the one planner of a site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from weeknote_gen.content.model import Author, Site, Term, Week
from weeknote_gen.site.page_spec import LazyContext, PageSpec
from weeknote_gen.site.views import (
    FeedLink,
    LearningEntry,
    NoteCard,
    NoteGroup,
    OverviewEntry,
    PageMeta,
    Pagination,
    YearGroup,
    learning_tags,
    learnings,
    note_card,
    page_meta,
    site_feeds,
    site_view,
    site_words,
    week_label,
    week_span,
)
from weeknote_gen.urls import WeekId, digest_feed_url, page_url, site_href
from weeknote_gen.words import same_language

_Entry = TypeVar("_Entry", Author, Term)


class _Cards(dict[str, NoteCard]):
    """Each note's card, made the first time a page shows it: a page for one note needs
    only its own and its neighbours' cards, not the whole site's."""

    def __init__(self, site: Site) -> None:
        super().__init__()
        self.site = site

    def __missing__(self, key: str) -> NoteCard:
        card = note_card(self.site, self.site.notes[key])
        self[key] = card
        return card


class PagePlanner:
    """The machinery the page families share, for one site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.config = site.config
        self.href: Callable[[str], str] = lambda url: site_href(site.config, url)
        self.cards = _Cards(site)
        self.view = site_view(site)
        self.feeds = site_feeds(site)
        self.words = site_words(site)

    def newest(self, keys: Sequence[str]) -> dt.date | None:
        return self.site.notes[keys[0]].date if keys else None

    def spec(
        self,
        url: str,
        template: str,
        title: str,
        section: str,
        origin: str,
        *,
        meta: PageMeta | None = None,
        lastmod: dt.date | None = None,
        reads: Sequence[str] | None = None,
        token: str = "",
        shows: Sequence[str] | None = (),
        deferred: Callable[[], Mapping[str, object]] | None = None,
        **context: object,
    ) -> PageSpec:
        """A page; `deferred` makes the part of its context that costs most (cards, links,
        the page's description), only when the page is rendered: a page the engine reuses
        never builds it."""
        section_href = self.href(section) if section else ""
        made: Mapping[str, object]
        if deferred is not None:
            made = LazyContext(
                lambda: self.late_context(url, title, section_href, context, deferred, meta)
            )
        else:
            made = self.context(url, title, section_href, meta, context)
        return PageSpec(
            url,
            template,
            title,
            section_href,
            made,
            origin,
            lastmod,
            None if reads is None else tuple(reads),
            token,
            None if shows is None else tuple(shows),
        )

    def late_context(
        self,
        url: str,
        title: str,
        section_href: str,
        context: dict[str, object],
        deferred: Callable[[], Mapping[str, object]],
        meta: PageMeta | None = None,
    ) -> dict[str, object]:
        made = dict(deferred())
        late = made.pop("meta", meta)
        assert late is None or isinstance(late, PageMeta)
        return self.context(url, title, section_href, late, {**context, **made})

    def context(
        self,
        url: str,
        title: str,
        section_href: str,
        meta: PageMeta | None,
        context: dict[str, object],
    ) -> dict[str, object]:
        """What every page's template sees besides its own values."""
        context.setdefault("page_language", self.config.language)
        # Where the theme's words are in another language than the page's (a note's own
        # page in another language, or a site in a language with no catalogue, whose words
        # are English), the words (header, footer, labels) say which language they are in.
        page_language = context["page_language"]
        assert isinstance(page_language, str)
        context["words_lang"] = (
            "" if same_language(page_language, self.words.tag) else self.words.tag
        )
        context.update(
            site=self.view,
            page_title=title,
            section=section_href,
            page_href=self.href(url),
            meta=meta or page_meta(self.site, url, "", self.feeds),
        )
        return context

    def paginated(
        self,
        url: str,
        keys: Sequence[str],
        title: str,
        section: str,
        origin: str,
        *,
        feed: FeedLink | None = None,
        digest: FeedLink | None = None,
        description: str = "",
        also_reads: Sequence[str] = (),
        **context: object,
    ) -> Iterator[PageSpec]:
        """`keys`' cards, a page at a time; `also_reads`: other notes the context shows."""
        feeds = (*self.feeds, *(f for f in (feed, digest) if f))
        per_page = self.config.per_page
        total = max(1, -(-len(keys) // per_page))
        for number in range(1, total + 1):
            chunk = keys[(number - 1) * per_page : number * per_page]
            pagination = Pagination(
                number=number,
                total=total,
                prev_href=self.href(page_url(url, number - 1)) if number > 1 else None,
                next_href=self.href(page_url(url, number + 1)) if number < total else None,
            )
            page_title = title if number == 1 else self.page_of(title, number, total)
            here = page_url(url, number)
            yield self.spec(
                here,
                "list.html",
                page_title,
                section,
                origin,
                lastmod=self.newest(chunk),
                reads=(),
                shows=(*chunk, *also_reads),
                token="",
                meta=None,
                deferred=self.list_part(here, chunk, description, feeds),
                heading=title,
                pagination=pagination,
                subscribe=feed,
                digest=digest,
                **context,
            )

    def page_of(self, title: str, number: int, total: int) -> str:
        """The title of a list's page after the first: "Latest notes (page 2 of 5)"."""
        return self.words.fill(
            "%(title)s (page %(number)s of %(total)s)", title=title, number=number, total=total
        )

    def list_part(
        self, url: str, chunk: Sequence[str], description: str, feeds: tuple[FeedLink, ...]
    ) -> Callable[[], Mapping[str, object]]:
        """A list page's cards and description, made when the page is rendered."""
        return lambda: {
            "meta": page_meta(self.site, url, description, feeds),
            "notes": tuple(self.cards[k] for k in chunk),
        }

    def overview(
        self, items: Sequence[_Entry], describe: Callable[[_Entry], tuple[str, str, int, str]]
    ) -> tuple[OverviewEntry, ...]:
        rows = [describe(item) for item in items]
        top = max((count for _, _, count, _ in rows), default=0)
        return tuple(
            OverviewEntry(name, self.href(url), count, count == top and top > 0, detail)
            for name, url, count, detail in rows
        )

    def digest_feed(self, term: Term) -> FeedLink:
        return FeedLink(
            self.words.fill("Weekly digest of %(name)s", name=term.name),
            self.href(digest_feed_url(term.url)),
        )

    def has_learnings(self, keys: Sequence[str]) -> bool:
        return any(self.has_learning(key) for key in keys)

    def has_learning(self, key: str) -> bool:
        """Whether a note has a place in the learning logs: a learning section or tag."""
        note = self.site.notes[key]
        return bool(note.learnings or learning_tags(self.site, note))

    def learning_entry(self, key: str) -> LearningEntry:
        note = self.site.notes[key]
        return LearningEntry(
            self.cards[key], learnings(self.site, note), learning_tags(self.site, note)
        )

    def learning_log(self, keys: Sequence[str]) -> tuple[str, ...]:
        """The notes with any learning, by key, in order."""
        return tuple(key for key in keys if self.has_learning(key))

    def years(self, weeks: Sequence[Week], *, with_notes: bool) -> tuple[YearGroup, ...]:
        by_year: dict[int, list[NoteGroup]] = {}
        for week in weeks:
            notes = tuple(self.cards[k] for k in week.note_keys) if with_notes else ()
            count = len(week.note_keys)
            detail = self.week_detail(week.id, count)
            by_year.setdefault(week.id.year, []).append(
                NoteGroup(week_label(self.words, week.id), self.href(week.url), detail, notes)
            )
        return tuple(YearGroup(year, tuple(groups)) for year, groups in by_year.items())

    def week_detail(self, week: WeekId, count: int) -> str:
        """A week's days and how many notes it has: "Monday 8 – Sunday 14 June 2026 · 3 notes"."""
        notes = self.words.ngettext("%(num)d note", "%(num)d notes", count)
        return f"{week_span(self.words, week)} · {notes}"
