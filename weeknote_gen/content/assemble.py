"""Joining parsed notes into a `Site`: where notes meet each other, so it owns the checks that
need the whole site (two notes at one URL, links to notes that do not exist), and the dev
server's fast path for an edit that changes only a note's text (`revise_body`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from weeknote_gen.config import CONTENT_DIR, Config, TaxonomyConfig
from weeknote_gen.content.learning import Passage, extract_passages, summary_without_prompts
from weeknote_gen.content.markdown import RenderedMarkdown
from weeknote_gen.content.markdown_summary import reading_minutes
from weeknote_gen.content.model import Note, Site, Taxonomy, is_scheduled
from weeknote_gen.content.note_links import LinkResolver, aliases_by_url
from weeknote_gen.content.note_slugs import check_url_clashes, note_slug, separate_by_name
from weeknote_gen.content.parse import FRONT_MATTER, ParsedNote
from weeknote_gen.content.site_indexes import (
    RelatedFinder,
    choose_author_names,
    choose_term_names,
    index_authors,
    index_terms,
    index_weeks,
    related_for,
    related_signature,
)
from weeknote_gen.errors import Diagnostic, Location
from weeknote_gen.errors import note as note_diagnostic
from weeknote_gen.urls import WeekId, note_url, site_href, slugify


@dataclass(frozen=True, slots=True)
class AssembleOptions:
    now: dt.datetime
    include_drafts: bool = False
    include_future: bool = False


def assemble(
    notes: Sequence[tuple[ParsedNote, RenderedMarkdown]],
    config: Config,
    options: AssembleOptions,
    assets: frozenset[str] = frozenset(),
    static: frozenset[str] = frozenset(),
    find_passages: PassageFinder | None = None,
    find_related: RelatedFinder | None = None,
    prompts: frozenset[str] = frozenset(),
) -> tuple[Site, list[Diagnostic]]:
    """Join parsed notes into a `Site`, checking what only the whole set can reveal.

    `static` is the static folder's files by their path inside it (`images/a.png`).
    `find_passages` cuts the learning passages out of every note's final body at once (the
    build spreads that over its process pool); by default it is done here, note by note.
    `find_related` ranks related notes from every note's key and terms (`related_signature`);
    the build passes one that remembers the answer between builds. `prompts` are the keys of
    the new-note template's paragraphs (`output.note_prompts`): left in a note as written,
    they are no part of its learning passages or its inferred summary."""
    problems: list[Diagnostic] = []
    published = [(p, r) for p, r in notes if _is_published(p, options)]
    drafts = sum(1 for p, _ in notes if p.draft and not options.include_drafts)
    future = len(notes) - len(published) - drafts
    all_paths = {p.path for p, _ in notes}
    author_names = choose_author_names(published, config, problems)
    term_names = {
        tax: _named_in_language(choose_term_names(published, tax.name), config, tax.name)
        for tax in config.taxonomies
    }

    published_paths = {p.path for p, _ in published}
    placed, tidied = _place_notes(notes, published, published_paths, config, problems)
    check_url_clashes(placed, config.permalink, problems)
    problems.extend(_inferred_summary([p for p, _ in notes], tidied))
    aliases = aliases_by_url(notes, placed, published_paths, problems)

    urls_by_path = {parsed.path: url for parsed, _, _, url in placed}
    links = LinkResolver(
        urls_by_path, all_paths, assets, config, problems, static=static, aliases=aliases
    )
    built = _build_notes(placed, links, config, find_passages or passages_here, prompts)
    ordered = MappingProxyType({n.key: n for n in built})

    site = Site(
        config=config,
        notes=ordered,
        authors=index_authors(built, author_names, config),
        taxonomies=_index_taxonomies(built, config, term_names),
        weeks=index_weeks(built),
        related=MappingProxyType(dict((find_related or related_for)(related_signature(built)))),
        media=MappingProxyType(dict(sorted(links.media.items()))),
        skipped_drafts=drafts,
        skipped_future=future,
        aliases=MappingProxyType(dict(sorted(aliases.items()))),
        static_files=static,
        prompts=prompts,
    )
    return site, problems


# A published note with its slug and URL: (parsed, rendered, slug, url).
_Placed = tuple[ParsedNote, RenderedMarkdown, str, str]


def _place_notes(
    notes: Sequence[tuple[ParsedNote, RenderedMarkdown]],
    published: Sequence[tuple[ParsedNote, RenderedMarkdown]],
    published_paths: set[str],
    config: Config,
    problems: list[Diagnostic],
) -> tuple[list[_Placed], list[tuple[ParsedNote, str]]]:
    """The published notes with their slugs and URLs, those sharing a URL told apart where
    their file names or languages can; and the notes whose written slugs were tidied."""
    # Every note's slug is checked, drafts too, so a draft is not broken when it goes live.
    tidied: list[tuple[ParsedNote, str]] = []
    for parsed, _ in notes:
        if parsed.path not in published_paths:
            note_slug(parsed, problems, tidied)
    placed: list[tuple[ParsedNote, RenderedMarkdown, str, str]] = []
    for parsed, rendered in published:
        slug = note_slug(parsed, problems, tidied)
        if slug is None:
            continue
        authors = _unique(slugify(name) for name in parsed.authors)
        url = note_url(config.permalink, day=parsed.date, slug=slug, author=authors[0])
        placed.append((parsed, rendered, slug, url))
    return separate_by_name(placed, config), tidied


def _build_notes(
    placed: Sequence[_Placed],
    links: LinkResolver,
    config: Config,
    find_passages: PassageFinder,
    prompts: frozenset[str],
) -> list[Note]:
    """The published notes with their links resolved and learning passages cut out, newest
    first."""
    bodies = [links.resolve(parsed, rendered) for parsed, rendered, _, _ in placed]
    pages = [site_href(config, url) for _, _, _, url in placed]
    learnings = find_passages(
        list(zip(bodies, pages, strict=True)), tuple(config.learning_headings), prompts
    )
    built = [
        _make_note(parsed, rendered, slug, url, body, config, prompts, found)
        for (parsed, rendered, slug, url), body, found in zip(
            placed, bodies, learnings, strict=True
        )
    ]
    built.sort(key=lambda n: (n.date, n.published, n.key), reverse=True)
    return built


def _index_taxonomies(
    built: Sequence[Note], config: Config, term_names: Mapping[TaxonomyConfig, dict[str, str]]
) -> Mapping[str, Taxonomy]:
    """Each taxonomy of config, in config's order, with its terms."""
    return MappingProxyType(
        {
            tax.name: Taxonomy(
                tax.name,
                tax.singular,
                tax.plural,
                index_terms(built, tax.name, term_names[tax]),
            )
            for tax in config.taxonomies
        }
    )


def revise_body(
    site: Site,
    parsed: ParsedNote,
    rendered: RenderedMarkdown,
    all_paths: set[str],
    assets: frozenset[str],
) -> tuple[Site, list[Diagnostic]] | None:
    """`site` with one published note's new text, or None when the edit reaches further.

    The dev server's fast path: when only a note's body changed, its own page can be shown
    before the whole site is rebuilt. Anything that moves the note, renames it, retags it or
    links a picture the site does not publish yet changes other pages, so it returns None
    and the caller rebuilds everything.
    """
    old = site.notes.get(parsed.path)
    if old is None:
        return None
    problems: list[Diagnostic] = []
    urls_by_path = {key: note.url for key, note in site.notes.items()}
    links = LinkResolver(
        urls_by_path,
        all_paths,
        assets,
        site.config,
        problems,
        static=site.static_files,
        aliases=site.aliases,
    )
    body = links.resolve(parsed, rendered)
    new = revised_note(old, parsed, rendered, body, site.config, site.prompts)
    if new is None or any(path not in site.media for path in links.media):
        return None
    notes = MappingProxyType({key: new if key == old.key else n for key, n in site.notes.items()})
    return replace(site, notes=notes), problems


def revised_note(
    old: Note,
    parsed: ParsedNote,
    rendered: RenderedMarkdown,
    body: str,
    config: Config,
    prompts: frozenset[str] = frozenset(),
) -> Note | None:
    """`old` with its new text (`body`: with its links resolved), or None when more than
    what the text makes (the body, summary, contents, reading time, learning passages)
    changed. `prompts`: the new-note template's paragraphs (`Site.prompts`)."""
    new = _make_note(parsed, rendered, old.slug, old.url, body, config, prompts)
    text_only = replace(
        new,
        html=old.html,
        summary=old.summary,
        toc=old.toc,
        reading_minutes=old.reading_minutes,
        learnings=old.learnings,
    )
    return new if text_only == old else None


def _named_in_language(names: dict[str, str], config: Config, taxonomy: str) -> dict[str, str]:
    """Terms' names by slug, with the names a bilingual site gives them in this part's
    language (`terms` under the language in config) where it gives one."""
    given = config.term_names(taxonomy)
    if not given:
        return names
    return {**names, **{slugify(term): name for term, name in given.items() if slugify(term)}}


def _is_published(parsed: ParsedNote, options: AssembleOptions) -> bool:
    if parsed.draft and not options.include_drafts:
        return False
    return options.include_future or not is_scheduled(parsed, options.now)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _inferred_summary(
    notes: Sequence[ParsedNote], tidied: Sequence[tuple[ParsedNote, str]]
) -> list[Diagnostic]:
    """One line each for what the build worked out for itself across many notes, rather
    than a warning on every note of a team's old archive."""
    summary: list[Diagnostic] = []
    elsewhere = [parsed for parsed in notes if parsed.date_source != FRONT_MATTER]
    if elsewhere:
        counts = Counter(parsed.date_source for parsed in elsewhere)
        sources = ", ".join(
            f"{count} from {source}"
            for source, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        )
        first = min(elsewhere, key=lambda parsed: parsed.path)
        summary.append(
            note_diagnostic(
                "date.inferred",
                f"{_count_notes(len(elsewhere))} no date in front matter, so the date came from"
                f" elsewhere: {sources} (the first is {first.path}, dated {first.date})",
                Location(CONTENT_DIR),
                "nothing to do if these dates are right; a 'date:' line overrides one",
            )
        )
    if tidied:
        first_note, first_slug = min(tidied, key=lambda item: item[0].path)
        summary.append(
            note_diagnostic(
                "slug.tidied",
                f"{_count_notes(len(tidied))} a slug with capitals, spaces or punctuation, so"
                f" it was tidied for the URL: '{first_note.slug}' became '{first_slug}' in"
                f" {first_note.path}",
                Location(CONTENT_DIR),
                "nothing to do; to keep the old address too, add it under 'aliases:'",
            )
        )
    return summary


def _count_notes(count: int) -> str:
    return "1 note has" if count == 1 else f"{count} notes have"


# (final body, the note's page) for each note, the learning headings and the template's
# prompts -> passages, in order
PassageFinder = Callable[
    [list[tuple[str, str]], tuple[str, ...], frozenset[str]], list[tuple[Passage, ...]]
]


def passages_here(
    notes: list[tuple[str, str]], headings: tuple[str, ...], prompts: frozenset[str]
) -> list[tuple[Passage, ...]]:
    """Each note's learning passages, in this process."""
    return [extract_passages(body, headings, page, prompts) for body, page in notes]


def _make_note(
    parsed: ParsedNote,
    rendered: RenderedMarkdown,
    slug: str,
    url: str,
    body: str,
    config: Config,
    prompts: frozenset[str],
    learnings: tuple[Passage, ...] | None = None,
) -> Note:
    terms = {
        tax: _unique(s for s in (slugify(name) for name in parsed.terms.get(tax, ())) if s)
        for tax in config.taxonomy_names
    }
    return Note(
        key=parsed.path,
        title=parsed.title,
        date=parsed.date,
        published=parsed.published,
        has_time=parsed.has_time,
        week=WeekId.of(parsed.date),
        slug=slug,
        author_slugs=_unique(s for s in (slugify(n) for n in parsed.authors) if s),
        terms=MappingProxyType(terms),
        url=url,
        html=body,
        summary=parsed.summary or summary_without_prompts(rendered.summary, body, prompts),
        toc=rendered.toc,
        reading_minutes=reading_minutes(rendered.word_count),
        draft=parsed.draft,
        image=parsed.image,
        source=parsed.location(),
        language=parsed.language or config.language,
        learnings=extract_passages(body, config.learning_headings, site_href(config, url), prompts)
        if learnings is None
        else learnings,
    )
