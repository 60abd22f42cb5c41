"""Notes' slugs and URLs: a written slug kept when it is safe in a URL, else tidied; a slug
made from the file name or the title when none is written; notes whose made slugs share a URL
told apart by their file names or languages; and the URL clashes left, with a permalink that
would separate them.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from urllib.parse import unquote

from weeknote_gen.config import WINDOWS_DEVICE_NAMES, Config
from weeknote_gen.config.languages import primary_subtag, read_language_tag
from weeknote_gen.content.dating import FOLDERS
from weeknote_gen.content.markdown import RenderedMarkdown
from weeknote_gen.content.parse import ParsedNote
from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.urls import SLUG_LIMIT, note_url, slugify

_LEADING_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[-_ ]?")
_ONLY_A_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A written slug kept as it is: lower-case letters of any script, digits, hyphens and
# underscores, starting and ending with a letter or digit.
_SAFE_SLUG = re.compile(r"[^\W_A-Z](?:[\w-]*[^\W_])?")
_PATH_LIKE = re.compile(r"[/\\]|\.\.")


def note_slug(
    parsed: ParsedNote, problems: list[Diagnostic], tidied: list[tuple[ParsedNote, str]]
) -> str | None:
    """The note's slug: as written where it is safe in a URL; else tidied (other generators
    take `Week_3` or `My Week`, so a team's old slugs are never an error, only listed in
    `tidied` for one note); else made from the file name (a page bundle's folder, or the date
    when the name is only a date), else from the title."""
    if parsed.slug is not None:
        return _written_slug(parsed, parsed.slug, problems, tidied)
    return _made_slug(parsed, problems)


def _written_slug(
    parsed: ParsedNote,
    written: str,
    problems: list[Diagnostic],
    tidied: list[tuple[ParsedNote, str]],
) -> str | None:
    """A slug written in front matter: kept where it is safe in a URL, else tidied (and
    listed in `tidied`); None, after reporting it, when no URL can be made from it."""
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
                f"the slug is too long: {_size(written)}, and a slug can have at most {SLUG_LIMIT}",
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


def _made_slug(parsed: ParsedNote, problems: list[Diagnostic]) -> str | None:
    """A slug made from the file name (a page bundle's folder, or the date when the name is
    only a date), else from the title; None, after reporting it, when neither gives one."""
    folder, stem = _file_stem(parsed)
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


def separate_by_name(
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
        and primary_subtag(item[0].language) != primary_subtag(config.language)
        else item
        for item in placed
    ]


def _file_stem(parsed: ParsedNote) -> tuple[str, str]:
    """The note's folder and file name without its extension, and, on a site with
    `languages` (where notes have a translation key), without a language suffix: the Welsh
    `review.cy.md` is at `…/review/` under the Welsh prefix, as `review.md` is in English."""
    folder, name = posixpath.split(parsed.path)
    stem = posixpath.splitext(name)[0]
    if parsed.translation_key is not None:
        base, suffix = posixpath.splitext(stem)
        if base and suffix and read_language_tag(suffix[1:])[0] is not None:
            stem = base
    return folder, stem


def _dated_slug(parsed: ParsedNote) -> str | None:
    """The slug with its file name's leading date kept, where the name had one."""
    if parsed.slug is not None:
        return None
    folder, stem = _file_stem(parsed)
    if stem == "index" and folder.count("/") >= 1:
        stem = posixpath.basename(folder)
    if not _LEADING_DATE.match(stem) or _ONLY_A_DATE.fullmatch(stem):
        return None
    return slugify(stem) or None


def check_url_clashes(
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
