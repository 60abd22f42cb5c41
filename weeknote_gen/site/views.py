"""What templates see: small read-only views with every link ready to use.

Templates never get the model's objects, so a theme cannot come to depend on internals, and
each href (base path applied) and each piece of sharing metadata is decided here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from weeknote_gen.config.languages import primary_subtag
from weeknote_gen.content.learning import normalise_heading
from weeknote_gen.content.model import Note, Site
from weeknote_gen.urls import (
    ARCHIVE_URL,
    AUTHORS_URL,
    HOME_URL,
    JSON_FEED_URL,
    SEARCH_URL,
    SITE_FEED_URL,
    WEEKS_URL,
    WeekId,
    absolute_link,
    absolute_url,
    clean_link,
    site_href,
    static_url,
    theme_asset_url,
    week_url,
)
from weeknote_gen.words import Words, words_for

ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str
    lang: str = ""  # the text's language tag when it is not the site's (a note's title)


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed to advertise: in `<link rel="alternate">` and as a visible "Subscribe" link."""

    title: str
    href: str
    type: str = ATOM_TYPE


@dataclass(frozen=True, slots=True)
class TermGroup:
    """Terms of one taxonomy on one note: "Themes: agile, working in the open"."""

    taxonomy: str
    label: str
    links: tuple[Link, ...]
    # Search's filter for these terms, shown by name in the search page's filter panel: the
    # taxonomy's name in English, else its name in the words' language ("tîm")
    filter: str = ""


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
    # The note's language tag when it differs from the site's, else "": the title, summary
    # and learnings carry it as `lang` wherever they appear among the site's own words.
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Learning:
    """One learning passage of a note, ready to show on another page."""

    heading: str  # as written in the note, such as "Something I'm learning"
    html: str  # the passage as HTML: print it with `| safe`
    href: str  # the passage on the note's own page
    # Whether the heading says more than one of the site's learning headings does ("Something
    # I'm learning: SQL"): the learning log shows only such headings, not the same words each time
    telling: bool = True


@dataclass(frozen=True, slots=True)
class LearningEntry:
    """A note in a learning log: its card, its passages and its learning tags."""

    note: NoteCard
    learnings: tuple[Learning, ...]
    tags: tuple[Link, ...]


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
    # A team's entry on the teams page: who writes for it, and its newest note
    members: tuple[Link, ...] = ()
    latest: NoteCard | None = None


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
class PageMeta:
    """Sharing and discovery metadata for `<head>`: description, Open Graph, feeds."""

    description: str
    url: str  # absolute; empty for pages that should not be shared (404)
    og_type: str = "website"
    image: str = ""
    published_time: str = ""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    feeds: tuple[FeedLink, ...] = ()


@dataclass(frozen=True, slots=True)
class SiteView:
    title: str
    description: str
    language: str
    home_href: str
    nav: tuple[Link, ...]
    archive_href: str
    stylesheets: tuple[str, ...]  # the theme's and the code's, for themes that load both
    stylesheet: str  # the theme's, for every page
    code_stylesheet: str  # highlighted code's, for pages showing code (`page_has_code`)
    favicon: str  # the site's own from its static folder, else the theme's
    search_href: str  # empty when search is turned off
    feeds: tuple[FeedLink, ...]
    accessibility_href: str


def site_words(site: Site) -> Words:
    """The theme's words in the site's language, with the site's `words:` overrides."""
    return words_for(site.config.language, site.config.words)


def week_label(words: Words, week: WeekId) -> str:
    """An ISO week's name in the words' language: "Week 24, 2026"."""
    return words.week_label(week.year, week.week)


def week_span(words: Words, week: WeekId) -> str:
    """ "Monday 8 – Sunday 14 June 2026", in the words' language."""
    return words.week_span(week.monday, week.sunday)


def site_view(site: Site) -> SiteView:
    config = site.config
    words = site_words(site)
    search = site_href(config, SEARCH_URL) if config.search else ""
    nav = [
        Link(words.gettext("Notes"), site_href(config, HOME_URL)),
        Link(words.gettext("Weeks"), site_href(config, WEEKS_URL)),
        Link(words.gettext("Authors"), site_href(config, AUTHORS_URL)),
        *(Link(t.plural, site_href(config, t.url)) for t in site.taxonomies.values()),
    ]
    if search:
        nav.append(Link(words.gettext("Search"), search))
    return SiteView(
        title=config.title,
        description=config.description,
        language=config.language,
        home_href=site_href(config, HOME_URL),
        nav=tuple(nav),
        archive_href=site_href(config, ARCHIVE_URL),
        stylesheets=(
            site_href(config, theme_asset_url("style.css")),
            site_href(config, theme_asset_url("pygments.css")),
        ),
        stylesheet=site_href(config, theme_asset_url("style.css")),
        code_stylesheet=site_href(config, theme_asset_url("pygments.css")),
        favicon=_favicon(site),
        search_href=search,
        feeds=site_feeds(site),
        accessibility_href=clean_link(config.accessibility_url),
    )


SITE_ICONS = ("favicon.svg", "favicon.png", "favicon.ico")  # a site's own, in its static folder


def _favicon(site: Site) -> str:
    """The icon browsers show in tabs: a site moved here keeps its own (`static/favicon.ico`);
    other sites get the theme's, so no page asks for a `/favicon.ico` that is not there."""
    config = site.config
    for name in SITE_ICONS:
        if name in site.static_files:
            return config.root_path + static_url(name).lstrip("/")
    return site_href(config, theme_asset_url("favicon.svg"))


def site_feeds(site: Site) -> tuple[FeedLink, ...]:
    config = site.config
    words = site_words(site)
    return (
        FeedLink(
            words.fill("%(title)s (Atom)", title=config.title), site_href(config, SITE_FEED_URL)
        ),
        FeedLink(
            words.fill("%(title)s (JSON Feed)", title=config.title),
            site_href(config, JSON_FEED_URL),
            JSON_FEED_TYPE,
        ),
    )


def note_card(site: Site, note: Note) -> NoteCard:
    config = site.config
    words = site_words(site)
    authors = tuple(
        Link(site.authors[s].name, site_href(config, site.authors[s].url))
        for s in note.author_slugs
    )
    groups = []
    for taxonomy in site.taxonomies.values():
        slugs = note.terms.get(taxonomy.name, ())
        if slugs:
            label = taxonomy.singular if len(slugs) == 1 else taxonomy.plural
            links = tuple(
                Link(taxonomy.terms[s].name, site_href(config, taxonomy.terms[s].url))
                for s in slugs
            )
            english = primary_subtag(words.tag) == "en"
            search_filter = taxonomy.name if english else taxonomy.singular.lower()
            groups.append(TermGroup(taxonomy.name, label, links, search_filter))
    return NoteCard(
        title=note.title,
        href=site_href(config, note.url),
        date_iso=note.published.isoformat() if note.has_time else note.date.isoformat(),
        date_text=words.format_date(note.date),
        week_label=week_label(words, note.week),
        week_href=site_href(config, week_url(note.week)),
        authors=authors,
        term_groups=tuple(groups),
        summary=note.summary,
        reading_minutes=note.reading_minutes,
        lang=note_lang(site, note),
    )


def note_lang(site: Site, note: Note) -> str:
    """The `lang` a note's own words need among the site's: "" when it is the site's language.

    Compared case-blind, as tags are, though both sides are canonical already."""
    same = note.language.casefold() == site.config.language.casefold()
    return "" if same else note.language


def note_link(site: Site, note: Note) -> Link:
    """A link whose text is the note's title, such as "Next note"."""
    return Link(note.title, site_href(site.config, note.url), note_lang(site, note))


def learnings(site: Site, note: Note) -> tuple[Learning, ...]:
    href = site_href(site.config, note.url)
    plain = {normalise_heading(heading) for heading in site.config.learning_headings}
    return tuple(
        Learning(
            p.heading,
            p.html,
            f"{href}#{p.anchor}" if p.anchor else href,
            normalise_heading(p.heading) not in plain,
        )
        for p in note.learnings
    )


def learning_tags(site: Site, note: Note) -> tuple[Link, ...]:
    taxonomy = site.taxonomy_for("learning")
    if taxonomy is None:
        return ()
    return tuple(
        Link(taxonomy.terms[s].name, site_href(site.config, taxonomy.terms[s].url))
        for s in note.terms.get(taxonomy.name, ())
    )


def note_meta(site: Site, note: Note, feeds: tuple[FeedLink, ...]) -> PageMeta:
    """Open Graph `article` metadata, so shared links preview with title, summary and image."""
    config = site.config
    image = (
        absolute_link(config, note.image, note.url)
        if note.image
        else absolute_link(config, config.image, "/")
        if config.image
        else ""
    )
    return PageMeta(
        description=note.summary or config.description,
        url=absolute_url(config, note.url),
        og_type="article",
        image=image,
        published_time=note.published.isoformat(),
        authors=tuple(site.authors[s].name for s in note.author_slugs),
        tags=tuple(
            site.taxonomies[tax].terms[slug].name
            for tax, slugs in note.terms.items()
            for slug in slugs
        ),
        feeds=feeds,
    )


def page_meta(site: Site, url: str, description: str, feeds: tuple[FeedLink, ...]) -> PageMeta:
    config = site.config
    return PageMeta(
        description=description or config.description,
        url=absolute_url(config, url),
        image=absolute_link(config, config.image, "/") if config.image else "",
        feeds=feeds,
    )


def reply_links(site: Site, note: Note) -> tuple[Link, ...]:
    """'Reply by email' and 'Discuss' links: the comments a static site can offer."""
    reply = site.config.reply
    words = site_words(site)
    links = []
    if reply.email:
        subject = quote(f"Re: {note.title}", safe="")
        links.append(
            Link(
                words.gettext("Reply by email"),
                clean_link(f"mailto:{reply.email}?subject={subject}"),
            )
        )
    if reply.url_template:
        target = quote(absolute_url(site.config, note.url), safe="")
        discuss = clean_link(reply.url_template.replace("{url}", target))
        links.append(Link(words.gettext("Discuss this note"), discuss))
    return tuple(links)
