"""The site as values: notes, authors, taxonomies and weeks, related by key.

`assemble` is where notes meet each other, so it owns the checks that need the whole site
(two notes at one URL, links to notes that do not exist). All relations are held by key in
read-only mappings on `Site`; nothing is filled in later.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import html
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from urllib.parse import unquote, urlsplit

from weeknote_gen.config import CONTENT_DIR, WINDOWS_DEVICE_NAMES, AuthorProfile, Config
from weeknote_gen.content.dating import FOLDERS
from weeknote_gen.content.learning import Passage, extract_passages
from weeknote_gen.content.markdown import (
    ASSET_LINK_SCHEME,
    NOTE_LINK_SCHEME,
    SITE_LINK_SCHEME,
    RenderedMarkdown,
    TocEntry,
    reading_minutes,
)
from weeknote_gen.content.parse import FRONT_MATTER, ParsedNote
from weeknote_gen.errors import Diagnostic, Location, error, warning
from weeknote_gen.errors import note as note_diagnostic
from weeknote_gen.urls import (
    SLUG_LIMIT,
    WeekId,
    alias_url,
    author_url,
    media_url,
    note_url,
    output_path,
    site_href,
    slugify,
    static_url,
    taxonomy_url,
    term_url,
    week_url,
)

RELATED_LIMIT = 3
_LEADING_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[-_ ]?")
_ONLY_A_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A written slug kept as it is: lower-case letters of any script, digits, hyphens and
# underscores, starting and ending with a letter or digit.
_SAFE_SLUG = re.compile(r"[^\W_A-Z](?:[\w-]*[^\W_])?")
_PATH_LIKE = re.compile(r"[/\\]|\.\.")


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

    def taxonomy_for(self, role: str) -> Taxonomy | None:
        """The taxonomy doing `role`'s job (`team`, `theme`, `learning`), whatever its name."""
        chosen = self.config.taxonomy_for(role)
        return self.taxonomies.get(chosen.name) if chosen else None


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
) -> tuple[Site, list[Diagnostic]]:
    """Join parsed notes into a `Site`, checking what only the whole set can reveal.

    `static` is the static folder's files by their path inside it (`images/a.png`).
    `find_passages` cuts the learning passages out of every note's final body at once (the
    build spreads that over its process pool); by default it is done here, note by note.
    `find_related` ranks related notes from every note's key and terms (`related_signature`);
    the build passes one that remembers the answer between builds."""
    problems: list[Diagnostic] = []
    published = [(p, r) for p, r in notes if _is_published(p, options)]
    drafts = sum(1 for p, _ in notes if p.draft and not options.include_drafts)
    future = len(notes) - len(published) - drafts
    all_paths = {p.path for p, _ in notes}
    author_names = _author_names(published, config, problems)
    term_names = {tax: _term_names(published, tax.name) for tax in config.taxonomies}

    # Every note's slug is checked, drafts too, so a draft is not broken when it goes live.
    published_paths = {p.path for p, _ in published}
    tidied: list[tuple[ParsedNote, str]] = []
    for parsed, _ in notes:
        if parsed.path not in published_paths:
            _note_slug(parsed, problems, tidied)
    placed: list[tuple[ParsedNote, RenderedMarkdown, str, str]] = []
    for parsed, rendered in published:
        slug = _note_slug(parsed, problems, tidied)
        if slug is None:
            continue
        authors = _unique(slugify(name) for name in parsed.authors)
        url = note_url(config.permalink, day=parsed.date, slug=slug, author=authors[0])
        placed.append((parsed, rendered, slug, url))
    placed = _separate_by_name(placed, config)
    _check_url_clashes(placed, config.permalink, problems)
    problems.extend(_inferred_summary([p for p, _ in notes], tidied))
    aliases = _aliases(notes, placed, published_paths, problems)

    urls_by_path = {parsed.path: url for parsed, _, _, url in placed}
    links = _LinkResolver(
        urls_by_path, all_paths, assets, config, problems, static=static, aliases=aliases
    )
    bodies = [links.resolve(parsed, rendered) for parsed, rendered, _, _ in placed]
    pages = [site_href(config, url) for _, _, _, url in placed]
    learnings = (find_passages or passages_here)(
        list(zip(bodies, pages, strict=True)), tuple(config.learning_headings)
    )
    built = [
        _make_note(parsed, rendered, slug, url, body, config, found)
        for (parsed, rendered, slug, url), body, found in zip(
            placed, bodies, learnings, strict=True
        )
    ]
    built.sort(key=lambda n: (n.date, n.published, n.key), reverse=True)
    ordered = MappingProxyType({n.key: n for n in built})

    site = Site(
        config=config,
        notes=ordered,
        authors=_index_authors(built, author_names, config),
        taxonomies=MappingProxyType(
            {
                tax.name: Taxonomy(
                    tax.name,
                    tax.singular,
                    tax.plural,
                    _index_terms(built, tax.name, term_names[tax]),
                )
                for tax in config.taxonomies
            }
        ),
        weeks=_index_weeks(built),
        related=MappingProxyType(dict((find_related or related_for)(related_signature(built)))),
        media=MappingProxyType(dict(sorted(links.media.items()))),
        skipped_drafts=drafts,
        skipped_future=future,
        aliases=MappingProxyType(dict(sorted(aliases.items()))),
        static_files=static,
    )
    return site, problems


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
    links = _LinkResolver(
        urls_by_path,
        all_paths,
        assets,
        site.config,
        problems,
        static=site.static_files,
        aliases=site.aliases,
    )
    body = links.resolve(parsed, rendered)
    if any(path not in site.media for path in links.media):
        return None
    new = _make_note(parsed, rendered, old.slug, old.url, body, site.config)
    text_only = replace(
        new,
        html=old.html,
        summary=old.summary,
        toc=old.toc,
        reading_minutes=old.reading_minutes,
        learnings=old.learnings,
    )
    if text_only != old:
        return None
    notes = MappingProxyType({key: new if key == old.key else n for key, n in site.notes.items()})
    return replace(site, notes=notes), problems


def _is_published(parsed: ParsedNote, options: AssembleOptions) -> bool:
    if parsed.draft and not options.include_drafts:
        return False
    return options.include_future or not is_scheduled(parsed, options.now)


def is_scheduled(parsed: ParsedNote, now: dt.datetime) -> bool:
    """Dated after `now`: to the minute when the note gives a time, else by calendar day."""
    if parsed.has_time:
        return parsed.published > now
    return parsed.date > now.date()


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _most_used(spellings: Counter[str]) -> str:
    """The spelling most notes use; ties go to the alphabetically first, for determinism."""
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]


def _author_names(
    notes: Sequence[tuple[ParsedNote, RenderedMarkdown]], config: Config, problems: list[Diagnostic]
) -> dict[str, str]:
    profiles = {slugify(p.name): p.name for p in config.authors}
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for parsed, _ in notes:
        for name in parsed.authors:
            slug = slugify(name)
            if not slug:
                problems.append(
                    error(
                        "front-matter.author",
                        f"author '{name}' has no letters or digits",
                        parsed.location("author"),
                    )
                )
                continue
            spellings[slug][name] += 1
            if profiles and slug not in profiles:
                field = "authors" if "authors" in parsed.field_lines else "author"
                problems.append(
                    warning(
                        "author.unknown",
                        f"author '{name}' is not in config.yaml",
                        parsed.location(field),
                        "add them under 'authors:' in config.yaml, or check the spelling",
                    )
                )
    return {slug: profiles.get(slug) or _most_used(counts) for slug, counts in spellings.items()}


def _term_names(
    notes: Sequence[tuple[ParsedNote, RenderedMarkdown]], taxonomy: str
) -> dict[str, str]:
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for parsed, _ in notes:
        for name in parsed.terms.get(taxonomy, ()):
            slug = slugify(name)
            if slug:
                spellings[slug][name] += 1
    return {slug: _most_used(counts) for slug, counts in spellings.items()}


def _note_slug(
    parsed: ParsedNote, problems: list[Diagnostic], tidied: list[tuple[ParsedNote, str]]
) -> str | None:
    """The note's slug: as written where it is safe in a URL; else tidied (other generators
    take `Week_3` or `My Week`, so a team's old slugs are never an error, only listed in
    `tidied` for one note); else made from the file name (a page bundle's folder, or the date
    when the name is only a date), else from the title."""
    if parsed.slug is not None:
        written = parsed.slug
        if _PATH_LIKE.search(written):
            clean = slugify(written)
            problems.append(
                error(
                    "front-matter.slug",
                    f"slug '{written}' can only hold lower-case letters, digits and hyphens",
                    parsed.location("slug"),
                    f"try: slug: {clean}" if clean else "remove the slug line to use the file name",
                )
            )
            return None
        safe = _SAFE_SLUG.fullmatch(written) is not None
        clean = written if safe else slugify(written.casefold())
        size = len(written.encode("utf-8"))
        if safe and size > SLUG_LIMIT:
            problems.append(
                error(
                    "front-matter.slug",
                    f"the slug is too long: {_size(written)}, and a slug can have at most"
                    f" {SLUG_LIMIT}",
                    parsed.location("slug"),
                    f"try: slug: {slugify(written)}",
                )
            )
            return None
        if not clean:
            problems.append(
                error(
                    "front-matter.slug",
                    f"slug '{written}' has no letters or digits to make a URL from",
                    parsed.location("slug"),
                    "remove the slug line to use the file name",
                )
            )
            return None
        if clean in WINDOWS_DEVICE_NAMES:
            problems.append(_device_name(clean, "slug", parsed.location("slug")))
            return None
        if clean != written:
            tidied.append((parsed, clean))
        return clean
    folder, name = posixpath.split(parsed.path)
    stem = posixpath.splitext(name)[0]
    if stem == "index" and folder.count("/") >= 1:  # a page bundle: `36/index.md`
        stem = posixpath.basename(folder)
    # `2019-10-18.md`: the date is all the name says, so it is the slug; so it is for a name
    # that is only the day in dated folders (`2019/10/18.md`, `2019/1018.md`, `2019/10/18/`).
    if _ONLY_A_DATE.fullmatch(stem):
        from_name = stem
    elif stem.isdigit() and parsed.date_source == FOLDERS:
        from_name = parsed.date.isoformat()
    else:
        from_name = slugify(_LEADING_DATE.sub("", stem))
    slug = from_name or slugify(parsed.title)
    if slug in WINDOWS_DEVICE_NAMES:
        made_from = "made from the file name" if from_name else "made from the title"
        problems.append(_device_name(slug, f"URL slug {made_from}", parsed.location("title")))
        return None
    if not slug:
        problems.append(
            error(
                "front-matter.slug",
                "cannot make a URL slug from the file name or title",
                parsed.location("title"),
                "add a line such as: slug: week-10",
            )
        )
        return None
    return slug


# What `slugify` makes, were there no limit on its length: words joined by single hyphens.
_SLUG_SHAPE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def _clean_but_for_length(slug: str) -> bool:
    """True when `slugify` would leave `slug` as it is, but for cutting it short."""
    folded = unicodedata.normalize("NFKC", slug).casefold()
    return folded == slug and _SLUG_SHAPE.fullmatch(slug) is not None


def _size(slug: str) -> str:
    """A slug's length as the limit counts it: characters, or bytes when some letters take
    more than one."""
    size = len(slug.encode("utf-8"))
    return f"{size} characters" if size == len(slug) else f"{size} bytes in UTF-8"


def _device_name(slug: str, what: str, where: Location) -> Diagnostic:
    return error(
        "front-matter.slug",
        f"the {what}, '{slug}', is a name Windows keeps for a device, so the note's folder"
        " could not be made on Windows",
        where,
        f"pick another slug, such as: slug: {slug}-notes",
    )


def _separate_by_name(
    placed: list[tuple[ParsedNote, RenderedMarkdown, str, str]], config: Config
) -> list[tuple[ParsedNote, RenderedMarkdown, str, str]]:
    """Notes whose made slugs share a URL, told apart as their file names tell them apart.

    Teams that name every file `2022-11-24-week-notes.md` get one slug, `week-notes`, from
    each once the date is dropped; those notes keep the date in their slug instead. A note
    kept in two languages under one name (`en/…` and `cy/…`) gets its language added to the
    slug of the copy that is not in the site's language. Slugs written in front matter are
    never changed.
    """

    def clashing(items: list[tuple[ParsedNote, RenderedMarkdown, str, str]]) -> set[str]:
        counts = Counter(url for _, _, _, url in items)
        return {url for url, count in counts.items() if count > 1}

    def moved(
        item: tuple[ParsedNote, RenderedMarkdown, str, str], slug: str
    ) -> tuple[ParsedNote, RenderedMarkdown, str, str]:
        parsed, rendered, _, _ = item
        author = slugify(parsed.authors[0])
        return (
            parsed,
            rendered,
            slug,
            note_url(config.permalink, day=parsed.date, slug=slug, author=author),
        )

    shared = clashing(placed)
    if not shared:
        return placed
    placed = [
        moved(item, dated) if item[3] in shared and (dated := _dated_slug(item[0])) else item
        for item in placed
    ]
    shared = clashing(placed)
    return [
        moved(item, f"{item[2]}-{slugify(item[0].language)}")
        if item[3] in shared
        and item[0].slug is None
        and item[0].language
        and _primary(item[0].language) != _primary(config.language)
        else item
        for item in placed
    ]


def _primary(tag: str) -> str:
    """A language tag's language, without its region: `en` and `en-GB` are both English."""
    return tag.split("-", 1)[0].casefold()


def _dated_slug(parsed: ParsedNote) -> str | None:
    """The slug with its file name's leading date kept, where the name had one."""
    if parsed.slug is not None:
        return None
    folder, name = posixpath.split(parsed.path)
    stem = posixpath.splitext(name)[0]
    if stem == "index" and folder.count("/") >= 1:
        stem = posixpath.basename(folder)
    if not _LEADING_DATE.match(stem) or _ONLY_A_DATE.fullmatch(stem):
        return None
    return slugify(stem) or None


def _check_url_clashes(
    notes: Sequence[tuple[ParsedNote, RenderedMarkdown, str, str]],
    permalink: str,
    problems: list[Diagnostic],
) -> None:
    seen: dict[str, str] = {}
    clashes: list[tuple[ParsedNote, str, str]] = []
    for parsed, _, _, url in notes:
        if url in seen:
            clashes.append((parsed, seen[url], url))
        else:
            seen[url] = parsed.path
    if not clashes:
        return
    separating = _separating_permalink(notes, permalink)
    hint = "give one of them a different 'slug:' in its front matter"
    if separating is not None:
        hint = (
            f'set permalink: "{separating}" in config.yaml, which gives every note its own'
            f" URL, or {hint}"
        )
    for parsed, other, url in clashes:
        problems.append(
            error(
                "url.clash",
                f"{parsed.path} and {other} both have the URL {unquote(url)}",
                parsed.location("slug" if parsed.slug else None),
                hint,
            )
        )


# Permalink patterns to propose when notes clash, most familiar first.
_SEPARATING_PERMALINKS = (
    "/{year}/{month}/{day}/{slug}/",
    "/{year}/{author}/{slug}/",
    "/{year}/{month}/{day}/{author}/{slug}/",
)


def _separating_permalink(
    notes: Sequence[tuple[ParsedNote, RenderedMarkdown, str, str]], current: str
) -> str | None:
    """The first familiar permalink under which no two of these notes share a URL: teams
    that name every file by its date, or write in parallel folders, need a pattern, not a
    slug in every note."""
    for pattern in _SEPARATING_PERMALINKS:
        if pattern == current:
            continue
        urls = {
            note_url(pattern, day=parsed.date, slug=slug, author=slugify(parsed.authors[0]))
            for parsed, _, slug, _ in notes
        }
        if len(urls) == len(notes):
            return pattern
    return None


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


def _alias_field(parsed: ParsedNote) -> str:
    """The front matter field a note's old addresses were read from (Jekyll's name, or
    Hugo's, which is also the one to point at when neither is written)."""
    return "redirect_from" if "redirect_from" in parsed.field_lines else "aliases"


def _aliases(
    notes: Sequence[tuple[ParsedNote, RenderedMarkdown]],
    placed: Sequence[tuple[ParsedNote, RenderedMarkdown, str, str]],
    published: set[str],
    problems: list[Diagnostic],
) -> dict[str, Redirect]:
    """The published notes' old addresses, by URL, each checked to be a plain
    path on this site (drafts' too, so a draft is not broken when it goes live) and to be
    nobody else's: not a note's URL, and not another note's old address."""
    owners = {output_path(url): (parsed.path, url) for parsed, _, _, url in placed}
    found: dict[str, Redirect] = {}
    for parsed, _ in notes:
        where = parsed.location(_alias_field(parsed))
        for alias in parsed.aliases:
            try:
                url = alias_url(alias)
            except ValueError as reason:
                problems.append(
                    error(
                        "alias.unsafe",
                        f"the old address '{alias}' {reason}",
                        where,
                        "write the path the note had on the old site, from the site's root,"
                        " such as /2019/10/18/week-notes/ or /old-page.html",
                    )
                )
                continue
            if parsed.path not in published:
                continue
            path = output_path(url)
            owner = owners.get(path)
            if owner is None:
                owners[path] = (parsed.path, url)
                found[url] = Redirect(parsed.path, where)
                continue
            other, other_url = owner
            if other == parsed.path:
                # The same address twice, or an old address the note keeps (a Hugo `url` that
                # the permalink gives again): nothing needs redirecting.
                continue
            kind = "an old address" if other_url in found else "the URL"
            what = f"is {kind} of {other}"
            problems.append(
                error(
                    "alias.clash",
                    f"the old address '{alias}' {what}",
                    where,
                    "remove it from this note, or from the other note, so that one page is"
                    " at that address",
                )
            )
    return found


_PLACEHOLDER = re.compile(
    rf'(href|src)="({re.escape(NOTE_LINK_SCHEME)}|{re.escape(ASSET_LINK_SCHEME)}'
    rf'|{re.escape(SITE_LINK_SCHEME)})(\d+)"'
)


class _LinkResolver:
    """Points `[text](other-note.md)` at the other note's page, `![](board.jpg)` at the
    published copy of the picture, and a path from the old site's root (`/images/a.png`,
    `/2019/10/18/week-notes/`) at the static file, note or old address it names, under the
    base path; reporting (not raising) what cannot be found."""

    def __init__(
        self,
        urls_by_path: Mapping[str, str],
        all_paths: set[str],
        assets: frozenset[str],
        config: Config,
        problems: list[Diagnostic],
        *,
        static: frozenset[str] = frozenset(),
        aliases: Mapping[str, Redirect] | None = None,
    ) -> None:
        self.urls_by_path = urls_by_path
        self.all_paths = all_paths
        self.assets = assets
        self.config = config
        self.problems = problems
        self.static = static
        self.media: dict[str, str] = {}  # asset path -> URL, for the assets notes use
        # Output file -> the URL of the note there, for its URL and each of its old ones.
        self.pages = {output_path(url): url for url in urls_by_path.values()}
        for alias, redirect in (aliases or {}).items():
            if redirect.note_key in urls_by_path:
                self.pages.setdefault(output_path(alias), urls_by_path[redirect.note_key])

    def resolve(self, parsed: ParsedNote, rendered: RenderedMarkdown) -> str:
        if not rendered.note_links and not rendered.asset_links and not rendered.site_links:
            return rendered.html

        def replace(match: re.Match[str]) -> str:
            attribute, scheme, index = match.group(1), match.group(2), int(match.group(3))
            if scheme == NOTE_LINK_SCHEME:
                value = self.note_link(parsed, rendered.note_links[index])
            elif scheme == SITE_LINK_SCHEME:
                value = self.site_link(parsed, rendered.site_links[index])
            else:
                value = self.asset_link(parsed, rendered.asset_links[index], attribute)
            return (
                'data-missing-link=""' if value is None else f'{attribute}="{html.escape(value)}"'
            )

        return _PLACEHOLDER.sub(replace, rendered.html)

    def target(self, parsed: ParsedNote, link: str) -> tuple[str, str]:
        """The site-relative path a link names ("/..." from the site folder), and its fragment."""
        parts = urlsplit(link)
        base = "" if parts.path.startswith("/") else posixpath.dirname(parsed.path)
        path = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/")))
        return path, parts.fragment

    def note_link(self, parsed: ParsedNote, link: str) -> str | None:
        path, fragment = self.target(parsed, link)
        url = self.urls_by_path.get(path)
        if url is not None:
            return site_href(self.config, url) + (f"#{fragment}" if fragment else "")
        unpublished = path in self.all_paths
        reason = "a draft or scheduled note" if unpublished else "a note that does not exist"
        message = f"link to '{link}' points at {reason}; the link was left out"
        self.warn("link.missing-note", parsed, link, message)
        return None

    def asset_link(self, parsed: ParsedNote, link: str, attribute: str) -> str | None:
        path, fragment = self.target(parsed, link)
        if path in self.assets:
            url = media_url(path.removeprefix(f"{CONTENT_DIR}/"))
            self.media[path] = url
            return site_href(self.config, url) + (f"#{fragment}" if fragment else "")
        static = path.removeprefix(f"{self.config.static_dir}/")
        if static != path and static in self.static:  # as GitHub's preview shows it
            return site_href(self.config, static_url(static)) + (f"#{fragment}" if fragment else "")
        kind = "picture" if attribute == "src" else "file"
        self.warn("link.missing-file", parsed, link, f"the {kind} '{link}' was not found")
        return link  # left as written: the page still shows the alt text or link text

    def site_link(self, parsed: ParsedNote, link: str) -> str:
        """A path from the site's root, under the base path when it names something here."""
        parts = urlsplit(link)
        url = self.site_target(unquote(parts.path))
        if url is None:
            folder = self.config.static_dir
            self.problems.append(
                warning(
                    "link.unresolved",
                    f"the link '{link}' is a path from the site's root, but no file in"
                    f" {folder}/, note or old address of a note is there; it was left as"
                    " written",
                    _line_of(parsed, f"]({link}", link),
                    f"put the file in {folder}/, link to the note's .md file, or add the"
                    " path to that note's aliases",
                )
            )
            return link
        query = f"?{parts.query}" if parts.query else ""
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return site_href(self.config, url) + query + fragment

    def site_target(self, path: str) -> str | None:
        """The URL a root-relative path names: a static file (also when written with the
        static folder's name, `/static/images/a.png`), a note by its URL, or a note by one
        of its old addresses (the note's URL then); None when it names nothing."""
        clean = "/" + posixpath.normpath(path).lstrip("/")
        if clean == "/":
            return "/"  # the home page
        relative = clean[1:]
        if path.endswith("/"):
            candidates = [f"{relative}/index.html"]
        else:
            candidates = [relative, f"{relative}/index.html"]
        folder = f"{self.config.static_dir}/"
        for candidate in candidates:
            for name in (candidate, candidate.removeprefix(folder)):
                if name in self.static:
                    return static_url(name)
            url = self.pages.get(candidate)
            if url is not None:
                return url
        return None

    def warn(self, code: str, parsed: ParsedNote, link: str, message: str) -> None:
        base = posixpath.dirname(parsed.path)
        self.problems.append(
            warning(
                code,
                message,
                _line_of(parsed, f"]({link}"),
                f"check the path: it is read relative to {base}/",
            )
        )


def _line_of(parsed: ParsedNote, needle: str, fallback: str = "") -> Location:
    """The file line where `needle` (else `fallback`) first appears in the body (the note's
    first line if neither does)."""
    index = parsed.body.find(needle)
    if index < 0 and fallback:
        index = parsed.body.find(fallback)
    if index < 0:
        return parsed.location()
    return Location(parsed.path, parsed.body_line + parsed.body.count("\n", 0, index))


# (final body, the note's page) for each note, and the learning headings -> passages, in order
PassageFinder = Callable[[list[tuple[str, str]], tuple[str, ...]], list[tuple[Passage, ...]]]


def passages_here(
    notes: list[tuple[str, str]], headings: tuple[str, ...]
) -> list[tuple[Passage, ...]]:
    """Each note's learning passages, in this process."""
    return [extract_passages(body, headings, page) for body, page in notes]


def _make_note(
    parsed: ParsedNote,
    rendered: RenderedMarkdown,
    slug: str,
    url: str,
    body: str,
    config: Config,
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
        summary=parsed.summary or rendered.summary,
        toc=rendered.toc,
        reading_minutes=reading_minutes(rendered.word_count),
        draft=parsed.draft,
        image=parsed.image,
        source=parsed.location(),
        language=parsed.language or config.language,
        learnings=extract_passages(body, config.learning_headings, site_href(config, url))
        if learnings is None
        else learnings,
    )


def _index_authors(
    notes: Sequence[Note], names: Mapping[str, str], config: Config
) -> Mapping[str, Author]:
    keys: defaultdict[str, list[str]] = defaultdict(list)
    for note in notes:
        for slug in note.author_slugs:
            keys[slug].append(note.key)
    profiles = {slugify(p.name): p for p in config.authors}
    authors = [
        Author(slug, names[slug], profiles.get(slug), tuple(note_keys))
        for slug, note_keys in keys.items()
    ]
    authors.sort(key=lambda a: (a.name.casefold(), a.slug))
    return MappingProxyType({a.slug: a for a in authors})


def _index_terms(
    notes: Sequence[Note], taxonomy: str, names: Mapping[str, str]
) -> Mapping[str, Term]:
    keys: defaultdict[str, list[str]] = defaultdict(list)
    for note in notes:
        for slug in note.terms.get(taxonomy, ()):
            keys[slug].append(note.key)
    terms = [Term(taxonomy, slug, names[slug], tuple(k)) for slug, k in keys.items()]
    terms.sort(key=lambda t: (t.name.casefold(), t.slug))
    return MappingProxyType({t.slug: t for t in terms})


def _index_weeks(notes: Sequence[Note]) -> Mapping[WeekId, Week]:
    keys: defaultdict[WeekId, list[str]] = defaultdict(list)
    for note in notes:
        keys[note.week].append(note.key)
    return MappingProxyType({w: Week(w, tuple(keys[w])) for w in sorted(keys, reverse=True)})


RelatedSignature = tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]
RelatedFinder = Callable[[RelatedSignature], tuple[tuple[str, tuple[str, ...]], ...]]


def related_signature(notes: Sequence[Note]) -> RelatedSignature:
    """All that related notes depend on: each note's key, position and terms. An edit that
    changes none of those (the usual edit: the text) leaves the answer as it was."""
    return tuple(
        (note.key, tuple((tax, slugs) for tax, slugs in note.terms.items())) for note in notes
    )


@functools.lru_cache(maxsize=2)
def related_for(signature: RelatedSignature) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Up to three notes sharing the most terms with each note, nearest in time first among
    equals (kept for the last two signatures: the dev server asks again after every edit)."""
    postings: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for index, (_, terms) in enumerate(signature):
        for taxonomy, slugs in terms:
            for slug in slugs:
                postings[(taxonomy, slug)].append(index)
    related = []
    for index, (key, terms) in enumerate(signature):
        shared: Counter[int] = Counter()
        for taxonomy, slugs in terms:
            for slug in slugs:
                shared.update(postings[(taxonomy, slug)])
        shared.pop(index, None)
        ranked = ((-count, abs(other - index), other) for other, count in shared.items())
        best = heapq.nsmallest(RELATED_LIMIT, ranked)
        related.append((key, tuple(signature[other][0] for _, _, other in best)))
    return tuple(related)
