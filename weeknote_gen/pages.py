"""Which pages exist, as data: a `PageSpec` per URL with the view its template will see.

Templates get small read-only views with links ready to use (base path applied), never the
model's objects, so a theme cannot depend on internals and every href is decided here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import unquote

from weeknote_gen.errors import Diagnostic, error
from weeknote_gen.model import (
    Author,
    Note,
    Site,
    Taxonomy,
    Term,
    Week,
)
from weeknote_gen.urls import absolute_url, format_date, page_url, site_href, week_url

TOC_MIN_ENTRIES = 3
_Entry = TypeVar("_Entry", Author, Term)
TEAM_TAXONOMY = "team"
NOT_FOUND_URL = "/404.html"


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True, slots=True)
class TermGroup:
    """Terms of one taxonomy on one note: "Themes: agile, working in the open"."""

    label: str
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class NoteCard:
    """A note as lists and the note page show it."""

    title: str
    href: str
    date_iso: str
    date_text: str
    week_label: str
    week_href: str
    authors: tuple[Link, ...]
    term_groups: tuple[TermGroup, ...]
    summary: str
    reading_minutes: int


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    prev_href: str | None
    next_href: str | None


@dataclass(frozen=True, slots=True)
class OverviewEntry:
    name: str
    href: str
    count: int
    most_active: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class NoteGroup:
    """A heading with notes under it: a team on a week page, a week in the archive."""

    heading: str
    href: str | None
    detail: str
    notes: tuple[NoteCard, ...]


@dataclass(frozen=True, slots=True)
class YearGroup:
    year: int
    groups: tuple[NoteGroup, ...]


@dataclass(frozen=True, slots=True)
class SiteView:
    title: str
    description: str
    language: str
    home_href: str
    nav: tuple[Link, ...]
    archive_href: str
    stylesheets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One output page: its URL, its template, and the data the template sees."""

    url: str
    template: str
    title: str
    section: str  # nav href this page belongs under, for aria-current
    context: Mapping[str, object] = field(default_factory=dict)
    origin: str = ""  # what asked for this page, for clash reports


def plan_pages(site: Site) -> tuple[tuple[PageSpec, ...], list[Diagnostic]]:
    """Every page of the site, in a stable order, with a check that no two share a URL."""
    planner = _Planner(site)
    specs = [
        *planner.home(),
        *planner.note_pages(),
        *planner.author_pages(),
        *(spec for tax in site.taxonomies.values() for spec in planner.taxonomy_pages(tax)),
        *planner.week_pages(),
        planner.archive(),
        planner.not_found(),
    ]
    problems = _check_clashes(specs)
    return tuple(specs), problems


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


class _Planner:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.config = site.config
        self.href: Callable[[str], str] = lambda url: site_href(site.config, url)
        self.cards = {key: self.card(note) for key, note in site.notes.items()}
        self.view = SiteView(
            title=self.config.title,
            description=self.config.description,
            language=self.config.language,
            home_href=self.href("/"),
            nav=self.nav(),
            archive_href=self.href("/archive/"),
            stylesheets=(self.href("/static/style.css"), self.href("/static/pygments.css")),
        )

    # -- building blocks

    def nav(self) -> tuple[Link, ...]:
        links = [Link("Notes", self.href("/")), Link("Weeks", self.href("/weeks/"))]
        links.append(Link("Authors", self.href("/authors/")))
        links.extend(Link(t.plural, self.href(t.url)) for t in self.site.taxonomies.values())
        return tuple(links)

    def card(self, note: Note) -> NoteCard:
        authors = tuple(
            Link(self.site.authors[s].name, self.href(self.site.authors[s].url))
            for s in note.author_slugs
        )
        groups = []
        for taxonomy in self.site.taxonomies.values():
            slugs = note.terms.get(taxonomy.name, ())
            if slugs:
                label = taxonomy.singular if len(slugs) == 1 else taxonomy.plural
                links = tuple(
                    Link(taxonomy.terms[s].name, self.href(taxonomy.terms[s].url)) for s in slugs
                )
                groups.append(TermGroup(label, links))
        return NoteCard(
            title=note.title,
            href=self.href(note.url),
            date_iso=note.published.isoformat() if note.has_time else note.date.isoformat(),
            date_text=format_date(note.date),
            week_label=note.week.label,
            week_href=self.href(week_url(note.week)),
            authors=authors,
            term_groups=tuple(groups),
            summary=note.summary,
            reading_minutes=note.reading_minutes,
        )

    def spec(
        self, url: str, template: str, title: str, section: str, origin: str, **context: object
    ) -> PageSpec:
        section_href = self.href(section) if section else ""
        context.update(
            site=self.view,
            page_title=title,
            section=section_href,
            page_href=self.href(url),
            canonical=absolute_url(self.config, url) if url != NOT_FOUND_URL else "",
        )
        return PageSpec(url, template, title, section_href, context, origin)

    def paginated(
        self,
        url: str,
        keys: Sequence[str],
        title: str,
        section: str,
        origin: str,
        **context: object,
    ) -> Iterator[PageSpec]:
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
            yield self.spec(
                page_url(url, number),
                "list.html",
                page_title,
                section,
                origin,
                heading=title,
                notes=tuple(self.cards[k] for k in chunk),
                pagination=pagination,
                **context,
            )

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
        )

    def note_pages(self) -> Iterator[PageSpec]:
        notes = tuple(self.site.notes.values())
        for index, note in enumerate(notes):
            newer = notes[index - 1] if index > 0 else None
            older = notes[index + 1] if index + 1 < len(notes) else None
            yield self.spec(
                note.url,
                "note.html",
                note.title,
                "/",
                note.key,
                note=self.cards[note.key],
                body=note.html,
                toc=note.toc if len(note.toc) >= TOC_MIN_ENTRIES else (),
                newer=Link(newer.title, self.href(newer.url)) if newer else None,
                older=Link(older.title, self.href(older.url)) if older else None,
                related=tuple(self.cards[k] for k in self.site.related[note.key]),
            )

    def author_pages(self) -> Iterator[PageSpec]:
        authors = tuple(self.site.authors.values())
        yield self.spec(
            "/authors/",
            "overview.html",
            "Authors",
            "/authors/",
            "the authors overview",
            heading="Authors",
            intro="Everyone who has written a weeknote here, with how many they have written.",
            entries=self.overview(
                authors, lambda a: (a.name, a.url, len(a.note_keys), _author_detail(a))
            ),
        )
        for author in authors:
            profile = author.profile
            yield from self.paginated(
                author.url,
                author.note_keys,
                author.name,
                "/authors/",
                f"the page for author '{author.name}'",
                kind="author",
                role=profile.role if profile else "",
                bio=profile.bio if profile else "",
                website=profile.url if profile else "",
            )

    def taxonomy_pages(self, taxonomy: Taxonomy) -> Iterator[PageSpec]:
        terms = tuple(taxonomy.terms.values())
        yield self.spec(
            taxonomy.url,
            "overview.html",
            taxonomy.plural,
            taxonomy.url,
            f"the {taxonomy.name} overview",
            heading=taxonomy.plural,
            intro=f"Every {taxonomy.singular.lower()} used in a note, with how many notes use it.",
            entries=self.overview(terms, lambda t: (t.name, t.url, len(t.note_keys), "")),
        )
        for term in terms:
            yield from self.paginated(
                term.url,
                term.note_keys,
                f"{taxonomy.singular}: {term.name}",
                taxonomy.url,
                f"the page for {taxonomy.name} '{term.name}'",
                kind="term",
            )

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
                span=week.id.span,
                groups=self.team_groups(week),
                count=len(week.note_keys),
                later=Link(later.id.label, self.href(later.url)) if later else None,
                earlier=Link(earlier.id.label, self.href(earlier.url)) if earlier else None,
            )

    def team_groups(self, week: Week) -> tuple[NoteGroup, ...]:
        teams = self.site.taxonomies.get(TEAM_TAXONOMY)
        if teams is None:
            return (
                NoteGroup(
                    "Notes from this week", None, "", tuple(self.cards[k] for k in week.note_keys)
                ),
            )
        grouped: dict[str, list[str]] = {}
        for key in week.note_keys:
            slugs = self.site.notes[key].terms.get(TEAM_TAXONOMY, ())
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
            years=self.years(tuple(self.site.weeks.values()), with_notes=True),
        )

    def not_found(self) -> PageSpec:
        return self.spec(NOT_FOUND_URL, "404.html", "Page not found", "", "the 404 page")


def _author_detail(author: Author) -> str:
    return author.profile.role if author.profile else ""
