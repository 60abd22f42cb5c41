"""Which pages exist, as data: a `PageSpec` per URL with the view its template will see.

Planning is pure: the same `Site` always gives the same pages in the same order, and clashes
between pages (a note whose URL is also a list page's) are found before anything renders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import unquote

from weeknote_gen.content.model import Author, Note, Site, Taxonomy, Term, Week
from weeknote_gen.errors import Diagnostic, error
from weeknote_gen.site.charts import activity_strip, heat_map, theme_team_lists
from weeknote_gen.site.views import (
    FeedLink,
    Learning,
    LearningEntry,
    Link,
    NoteCard,
    NoteGroup,
    OverviewEntry,
    PageMeta,
    Pagination,
    YearGroup,
    learning_tags,
    learnings,
    note_card,
    note_link,
    note_meta,
    page_meta,
    reply_links,
    site_feeds,
    site_view,
)
from weeknote_gen.urls import (
    NOT_FOUND_URL,
    SEARCH_URL,
    WeekId,
    clean_link,
    feed_url,
    page_url,
    site_href,
    week_url,
)

TOC_MIN_ENTRIES = 3
_Entry = TypeVar("_Entry", Author, Term)


def learning_log_url(site: Site) -> str:
    """The whole site's learning log: under the learning taxonomy (`/learning/log/`), or
    at that address when the site has no taxonomy with the learning role."""
    taxonomy = site.taxonomy_for("learning")
    return f"{taxonomy.url}log/" if taxonomy else "/learning/log/"


def team_weeks_url(term: Term) -> str:
    """A team's weeks: beside its term page, as `/team/ict/weeks/`."""
    return f"{term.url}weeks/"


def digest_feed_url(term: Term) -> str:
    """A team's weekly digest feed, one entry a week: `/team/ict/digest.xml`."""
    return f"{term.url}digest.xml"


def author_learning_url(author: Author) -> str:
    return f"{author.url}learning/"


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One output page: its URL, its template, and the data the template sees."""

    url: str
    template: str
    title: str
    section: str  # nav href this page belongs under, for aria-current
    context: Mapping[str, object] = field(default_factory=dict)
    origin: str = ""  # what asked for this page, for clash reports
    lastmod: dt.date | None = None  # newest content shown, for the sitemap
    # The notes whose content the page shows, by key; None when it may show any note. With
    # the site's structure (`Site` but its notes' content), they are all a page reads: the
    # engine renders a page again only when one of them, or the structure, changed.
    reads: tuple[str, ...] | None = None
    # What else decides the page, as a digest (which notes a learning log holds, say).
    token: str = ""


def plan_pages(site: Site) -> tuple[tuple[PageSpec, ...], list[Diagnostic]]:
    """Every page of the site, in a stable order, with a check that no two share a URL."""
    planner = _Planner(site)
    specs = [
        *planner.home(),
        *planner.note_pages(),
        *planner.author_pages(),
        *(spec for tax in site.taxonomies.values() for spec in planner.taxonomy_pages(tax)),
        *planner.week_pages(),
        *planner.team_week_pages(),
        *planner.learning_pages(),
        planner.archive(),
        *planner.search(),
        planner.not_found(),
    ]
    problems = _check_clashes(specs)
    return tuple(specs), problems


def plan_note_pages(site: Site, keys: Sequence[str]) -> tuple[PageSpec, ...]:
    """Just the pages of these notes, exactly as `plan_pages` would give them: the dev
    server shows an edited note this way before the rest of the site catches up."""
    planner = _Planner(site)
    notes = tuple(site.notes.values())
    position = {note.key: index for index, note in enumerate(notes)}
    return tuple(planner.note_page(notes, position[key]) for key in keys)


def _check_clashes(specs: Sequence[PageSpec]) -> list[Diagnostic]:
    seen: dict[str, PageSpec] = {}
    problems = []
    for spec in specs:
        first = seen.setdefault(spec.url, spec)
        if first is not spec:
            problems.append(
                error(
                    "url.clash",
                    f"{spec.origin} and {first.origin} both want the URL {unquote(spec.url)}",
                    None,
                    "change the note's slug or the permalink pattern in config.yaml",
                )
            )
    return problems


class LazyContext(Mapping[str, object]):
    """A page's template context, made on first use: planning every page of a big site is
    then cheap, and only the pages that are rendered pay for their cards and links."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], dict[str, object]]) -> None:
        self._make = make
        self._made: dict[str, object] | None = None

    def _context(self) -> dict[str, object]:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key: str) -> object:
        return self._context()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._context())

    def __len__(self) -> int:
        return len(self._context())

    def __repr__(self) -> str:
        return repr(self._context())


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


class _Planner:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.config = site.config
        self.href: Callable[[str], str] = lambda url: site_href(site.config, url)
        self.cards = _Cards(site)
        self.view = site_view(site)
        self.feeds = site_feeds(site)

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
        deferred: Callable[[], Mapping[str, object]] | None = None,
        **context: object,
    ) -> PageSpec:
        """A page; `deferred` makes the part of its context that costs most (cards, links,
        the page's description), only when the page is rendered: a page the engine reuses
        never builds it."""
        section_href = self.href(section) if section else ""
        if deferred is not None:
            return PageSpec(
                url,
                template,
                title,
                section_href,
                LazyContext(lambda: self.late_context(url, title, section_href, context, deferred)),
                origin,
                lastmod,
                None if reads is None else tuple(reads),
                token,
            )
        return PageSpec(
            url,
            template,
            title,
            section_href,
            self.context(url, title, section_href, meta, context),
            origin,
            lastmod,
            None if reads is None else tuple(reads),
            token,
        )

    def late_context(
        self,
        url: str,
        title: str,
        section_href: str,
        context: dict[str, object],
        deferred: Callable[[], Mapping[str, object]],
    ) -> dict[str, object]:
        made = dict(deferred())
        meta = made.pop("meta", None)
        assert meta is None or isinstance(meta, PageMeta)
        return self.context(url, title, section_href, meta, {**context, **made})

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
        # Where a page is in another language than the site's (a note's own page), the
        # site's words on it (header, footer, labels) say which language they are in.
        context["words_lang"] = (
            self.config.language if context["page_language"] != self.config.language else ""
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
            page_title = title if number == 1 else f"{title} (page {number} of {total})"
            here = page_url(url, number)
            yield self.spec(
                here,
                "list.html",
                page_title,
                section,
                origin,
                lastmod=self.newest(chunk),
                reads=(*chunk, *also_reads),
                token="",
                meta=None,
                deferred=self.list_part(here, chunk, description, feeds),
                heading=title,
                pagination=pagination,
                subscribe=feed,
                digest=digest,
                **context,
            )

    def list_part(
        self, url: str, chunk: Sequence[str], description: str, feeds: tuple[FeedLink, ...]
    ) -> Callable[[], Mapping[str, object]]:
        """A list page's cards and description, made when the page is rendered."""
        return lambda: {
            "meta": page_meta(self.site, url, description, feeds),
            "notes": tuple(self.cards[k] for k in chunk),
        }

    # -- the pages

    def home(self) -> Iterator[PageSpec]:
        yield from self.paginated(
            "/",
            tuple(self.site.notes),
            "Latest notes",
            "/",
            "the home page",
            kind="home",
            intro=self.config.description,
            weeks_href="",
            learning_href="",
        )

    def note_pages(self) -> Iterator[PageSpec]:
        notes = tuple(self.site.notes.values())
        for index in range(len(notes)):
            yield self.note_page(notes, index)

    def note_page(self, notes: Sequence[Note], index: int) -> PageSpec:
        note = notes[index]
        newer = notes[index - 1] if index > 0 else None
        older = notes[index + 1] if index + 1 < len(notes) else None
        author_feeds = tuple(
            FeedLink(f"Notes by {a.name}", self.href(feed_url(a.url)))
            for a in (self.site.authors[s] for s in note.author_slugs)
        )
        return self.spec(
            note.url,
            "note.html",
            note.title,
            "/",
            note.key,
            page_language=note.language,
            lastmod=note.date,
            reads=(
                note.key,
                *(n.key for n in (newer, older) if n),
                *self.site.related[note.key],
            ),
            deferred=lambda: {
                "meta": note_meta(self.site, note, (*self.feeds, *author_feeds)),
                "note": self.cards[note.key],
                "reply": reply_links(self.site, note),
                "body": note.html,
                "toc": note.toc if len(note.toc) >= TOC_MIN_ENTRIES else (),
                "newer": note_link(self.site, newer) if newer else None,
                "older": note_link(self.site, older) if older else None,
                "related": tuple(self.cards[k] for k in self.site.related[note.key]),
            },
        )

    def author_pages(self) -> Iterator[PageSpec]:
        authors = tuple(self.site.authors.values())
        yield self.spec(
            "/authors/",
            "overview.html",
            "Authors",
            "/authors/",
            "the authors overview",
            lastmod=self.newest(tuple(self.site.notes)),
            reads=tuple(self.site.notes)[:1],  # counts are structure; the date, the newest's
            heading="Authors",
            intro="Everyone who has written a weeknote here, with how many they have written.",
            entries=self.overview(
                authors, lambda a: (a.name, a.url, len(a.note_keys), _author_detail(a))
            ),
            more=(),
        )
        for author in authors:
            profile = author.profile
            yield from self.paginated(
                author.url,
                author.note_keys,
                author.name,
                "/authors/",
                f"the page for author '{author.name}'",
                feed=FeedLink(f"Notes by {author.name}", self.href(feed_url(author.url))),
                description=f"Weeknotes by {author.name}"
                + (f", {profile.role}" if profile and profile.role else "")
                + ".",
                kind="author",
                also_reads=author.note_keys,
                activity=activity_strip(self.site, author),
                weeks_href="",
                learning_href=self.href(author_learning_url(author))
                if self.has_learnings(author.note_keys)
                else "",
                role=profile.role if profile else "",
                bio=profile.bio if profile else "",
                website=_web_address(profile.url) if profile else "",
                email=profile.email if profile else "",
                email_href=clean_link(f"mailto:{profile.email}")
                if profile and profile.email
                else "",
            )

    def has_role(self, taxonomy: Taxonomy, role: str) -> bool:
        """Whether `taxonomy` does `role`'s job, which decides the extra pages it gets."""
        chosen = self.config.taxonomy_for(role)
        return chosen is not None and chosen.name == taxonomy.name

    def taxonomy_pages(self, taxonomy: Taxonomy) -> Iterator[PageSpec]:
        terms = tuple(taxonomy.terms.values())
        is_team = self.has_role(taxonomy, "team")
        yield self.spec(
            taxonomy.url,
            "overview.html",
            taxonomy.plural,
            taxonomy.url,
            f"the {taxonomy.name} overview",
            lastmod=self.newest(tuple(self.site.notes)),
            reads=tuple(self.site.notes)[:1],  # counts are structure; the date, the newest's
            heading=taxonomy.plural,
            intro=f"Every {taxonomy.singular.lower()} used in a note, with how many notes use it.",
            entries=self.overview(terms, lambda t: (t.name, t.url, len(t.note_keys), "")),
            heat_map=heat_map(self.site) if self.has_role(taxonomy, "theme") else None,
            more=(Link("Read the learning log", self.href(learning_log_url(self.site))),)
            if self.has_role(taxonomy, "learning")
            else (),
        )
        for term in terms:
            yield from self.paginated(
                term.url,
                term.note_keys,
                f"{taxonomy.singular}: {term.name}",
                taxonomy.url,
                f"the page for {taxonomy.name} '{term.name}'",
                feed=FeedLink(f"{taxonomy.singular}: {term.name}", self.href(feed_url(term.url))),
                description=f"Weeknotes tagged with the {taxonomy.singular.lower()} {term.name}.",
                kind="term",
                learning_href="",
                digest=self.digest_feed(term) if is_team else None,
                weeks_href=self.href(team_weeks_url(term)) if is_team else "",
            )
        for pair in theme_team_lists(self.site) if self.has_role(taxonomy, "theme") else ():
            yield from self.paginated(
                pair.url,
                pair.note_keys,
                pair.title,
                taxonomy.url,
                f"the page for {pair.title}",
                description=pair.description,
                kind="term",
                weeks_href="",
                learning_href="",
            )

    def digest_feed(self, term: Term) -> FeedLink:
        return FeedLink(f"Weekly digest of {term.name}", self.href(digest_feed_url(term)))

    def overview(
        self, items: Sequence[_Entry], describe: Callable[[_Entry], tuple[str, str, int, str]]
    ) -> tuple[OverviewEntry, ...]:
        rows = [describe(item) for item in items]
        top = max((count for _, _, count, _ in rows), default=0)
        return tuple(
            OverviewEntry(name, self.href(url), count, count == top and top > 0, detail)
            for name, url, count, detail in rows
        )

    def week_pages(self) -> Iterator[PageSpec]:
        weeks = tuple(self.site.weeks.values())
        yield self.spec(
            "/weeks/",
            "weeks.html",
            "Weeks",
            "/weeks/",
            "the weeks overview",
            lastmod=self.newest(tuple(self.site.notes)),
            reads=tuple(self.site.notes)[:1],  # counts are structure; the date, the newest's
            years=self.years(weeks, with_notes=False),
        )
        for index, week in enumerate(weeks):
            later = weeks[index - 1] if index > 0 else None
            earlier = weeks[index + 1] if index + 1 < len(weeks) else None
            yield self.spec(
                week.url,
                "week.html",
                week.id.label,
                "/weeks/",
                f"the page for {week.id.label}",
                lastmod=self.newest(week.note_keys),
                reads=week.note_keys,
                span=week.id.span,
                groups=self.team_groups(week),
                count=len(week.note_keys),
                later=Link(later.id.label, self.href(later.url)) if later else None,
                earlier=Link(earlier.id.label, self.href(earlier.url)) if earlier else None,
                learnings=self.learnings_by_href(week.note_keys),
            )

    def learnings_by_href(self, keys: Sequence[str]) -> Mapping[str, tuple[Learning, ...]]:
        """Each note's learning passages, by the href of its card, for notes with any."""
        notes = (self.site.notes[k] for k in keys)
        return {self.cards[n.key].href: learnings(self.site, n) for n in notes if n.learnings}

    def team_week_pages(self) -> Iterator[PageSpec]:
        """Each team's weeks, newest first, with the team's notes in each."""
        teams = self.site.taxonomy_for("team")
        if teams is None:
            return
        for term in teams.terms.values():
            by_week: dict[WeekId, list[str]] = {}
            for key in term.note_keys:
                by_week.setdefault(self.site.notes[key].week, []).append(key)
            weeks = []
            for week, keys in by_week.items():
                count = len(keys)
                detail = f"{week.span} · {count} note{'s' if count != 1 else ''}"
                cards = tuple(self.cards[k] for k in keys)
                weeks.append(NoteGroup(week.label, self.href(week_url(week)), detail, cards))
            url = team_weeks_url(term)
            yield self.spec(
                url,
                "team_weeks.html",
                f"{teams.singular}: {term.name}, week by week",
                teams.url,
                f"the weeks of {teams.name} '{term.name}'",
                meta=page_meta(
                    self.site,
                    url,
                    f"Every week {term.name} wrote weeknotes, newest first.",
                    (*self.feeds, self.digest_feed(term)),
                ),
                lastmod=self.newest(term.note_keys),
                reads=term.note_keys,
                team=Link(term.name, self.href(term.url)),
                weeks=tuple(weeks),
                subscribe=self.digest_feed(term),
            )

    def has_learnings(self, keys: Sequence[str]) -> bool:
        return any(self.learning_entry(key) is not None for key in keys)

    def learning_entry(self, key: str) -> LearningEntry | None:
        note = self.site.notes[key]
        tags = learning_tags(self.site, note)
        if not note.learnings and not tags:
            return None
        return LearningEntry(self.cards[key], learnings(self.site, note), tags)

    def learning_log(self, keys: Sequence[str]) -> tuple[tuple[str, LearningEntry], ...]:
        """The entries of the notes with any learning, each with its note's key."""
        entries = ((key, self.learning_entry(key)) for key in keys)
        return tuple((key, entry) for key, entry in entries if entry is not None)

    def learning_pages(self) -> Iterator[PageSpec]:
        """The whole site's learning log, and each author's, paginated like other lists."""
        taxonomy = self.site.taxonomy_for("learning")
        section = taxonomy.url if taxonomy else "/"
        keys = tuple(self.site.notes)
        yield from self.learning_log_pages(
            learning_log_url(self.site),
            self.learning_log(keys),
            "Learning log",
            section,
            "the learning log",
            newest=keys[:1],
            description="What everyone writing here is learning, newest first.",
            intro="What everyone writing here is learning, newest first: each note's"
            " learning section and learning tags.",
            author=None,
        )
        for author in self.site.authors.values():
            entries = self.learning_log(author.note_keys)
            if not entries:
                continue
            yield from self.learning_log_pages(
                author_learning_url(author),
                entries,
                f"What {author.name} is learning",
                "/authors/",
                f"the learning log of author '{author.name}'",
                newest=author.note_keys[:1],
                description=f"What {author.name} is learning, newest first.",
                intro=f"The learning sections and learning tags of {author.name}'s notes,"
                " newest first.",
                author=Link(author.name, self.href(author.url)),
            )

    def learning_log_pages(
        self,
        url: str,
        entries: Sequence[tuple[str, LearningEntry]],
        title: str,
        section: str,
        origin: str,
        *,
        newest: Sequence[str],
        description: str,
        **context: object,
    ) -> Iterator[PageSpec]:
        """`entries` a page at a time; `newest`: the note whose date is the log's date."""
        per_page = self.config.per_page
        # Which notes the log holds decides every page's share of it.
        held = digest_of(tuple(key for key, _ in entries))
        total = max(1, -(-len(entries) // per_page))
        for number in range(1, total + 1):
            first = (number - 1) * per_page
            chunk = tuple(entries[first : first + per_page])
            pagination = Pagination(
                number=number,
                total=total,
                prev_href=self.href(page_url(url, number - 1)) if number > 1 else None,
                next_href=self.href(page_url(url, number + 1)) if number < total else None,
            )
            here = page_url(url, number)
            yield self.spec(
                here,
                "learning_log.html",
                title if number == 1 else f"{title} (page {number} of {total})",
                section,
                origin,
                meta=page_meta(self.site, here, description, self.feeds),
                lastmod=self.newest(newest),
                reads=(*newest, *(key for key, _ in chunk)),
                token=held,
                heading=title,
                deferred=None,
                entries=tuple(entry for _, entry in chunk),
                start=len(entries) - first,  # the list counts down across the pages
                pagination=pagination,
                **context,
            )

    def team_groups(self, week: Week) -> tuple[NoteGroup, ...]:
        teams = self.site.taxonomy_for("team")
        if teams is None:
            return (
                NoteGroup(
                    "Notes from this week", None, "", tuple(self.cards[k] for k in week.note_keys)
                ),
            )
        grouped: dict[str, list[str]] = {}
        for key in week.note_keys:
            slugs = self.site.notes[key].terms.get(teams.name, ())
            grouped.setdefault(slugs[0] if slugs else "", []).append(key)
        groups = []
        for slug in sorted(
            grouped, key=lambda s: (s == "", teams.terms[s].name.casefold() if s else "")
        ):
            cards = tuple(self.cards[k] for k in grouped[slug])
            if slug:
                term = teams.terms[slug]
                groups.append(NoteGroup(term.name, self.href(term.url), "", cards))
            else:
                groups.append(NoteGroup(f"No {teams.singular.lower()} given", None, "", cards))
        return tuple(groups)

    def years(self, weeks: Sequence[Week], *, with_notes: bool) -> tuple[YearGroup, ...]:
        by_year: dict[int, list[NoteGroup]] = {}
        for week in weeks:
            notes = tuple(self.cards[k] for k in week.note_keys) if with_notes else ()
            count = len(week.note_keys)
            detail = f"{week.id.span} · {count} note{'s' if count != 1 else ''}"
            by_year.setdefault(week.id.year, []).append(
                NoteGroup(week.id.label, self.href(week.url), detail, notes)
            )
        return tuple(YearGroup(year, tuple(groups)) for year, groups in by_year.items())

    def archive(self) -> PageSpec:
        return self.spec(
            "/archive/",
            "archive.html",
            "Archive",
            "/weeks/",
            "the archive",
            lastmod=self.newest(tuple(self.site.notes)),
            years=self.years(tuple(self.site.weeks.values()), with_notes=True),
        )

    def search(self) -> Iterator[PageSpec]:
        if self.config.search:
            names = ["author", *(t.singular.lower() for t in self.site.taxonomies.values())]
            filters = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
            yield self.spec(
                SEARCH_URL,
                "search.html",
                "Search",
                SEARCH_URL,
                "the search page",
                reads=(),
                filters=filters,
            )

    def not_found(self) -> PageSpec:
        meta = PageMeta(description=self.config.description, url="", feeds=self.feeds)
        return self.spec(
            NOT_FOUND_URL, "404.html", "Page not found", "", "the 404 page", meta=meta, reads=()
        )


def digest_of(keys: Sequence[str]) -> str:
    """A short digest of a list of note keys, for a page whose share of a list depends on
    the whole list."""
    return hashlib.sha256("\0".join(keys).encode("utf-8", "surrogatepass")).hexdigest()


def _web_address(link: str) -> str:
    """Only a web address becomes the author's website link, encoded so that spaces, quotes
    or invisible characters typed into config.yaml cannot break or disguise it."""
    clean = clean_link(link)
    return clean if clean.lower().startswith(("https://", "http://")) else ""


def _author_detail(author: Author) -> str:
    return author.profile.role if author.profile else ""
