"""Which pages of a bilingual site are the same page in another language.

A note's translations are the notes of the other languages that share its translation key
(written in front matter, or its path without the language's folder or suffix). Every other
page (home, archive, weeks, authors, terms, learning log, search, 404) is the same page in
another language when that language's part of the site has a page at the same address. Each
page then lists itself and its counterparts, in the order of `languages`, for the language
switch, `<link rel="alternate" hreflang>` and the sitemap. A page with no counterpart lists
nothing, so it says nothing about translations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from weeknote_gen.config.site_languages import SiteLanguage
from weeknote_gen.content.model import Note, Site
from weeknote_gen.site.page_spec import Alternate, PageSpec
from weeknote_gen.urls import absolute_url, site_href

NOTE_TEMPLATE = "note.html"


@dataclass(frozen=True, slots=True)
class LanguagePart:
    """One language's part of the site, as planned."""

    language: SiteLanguage
    site: Site
    specs: tuple[PageSpec, ...]


def with_alternates(
    parts: Sequence[LanguagePart], translation_keys: Mapping[str, str | None]
) -> list[tuple[PageSpec, ...]]:
    """Each part's pages, each given its `alternates` (`translation_keys`: each note's key by
    its source path)."""
    translations: dict[str, dict[str, Note]] = {}
    for part in parts:
        for note in part.site.notes.values():
            shared = translation_keys.get(note.key)
            if shared:
                translations.setdefault(shared, {}).setdefault(part.language.code, note)
    by_url = [{spec.url: spec for spec in part.specs} for part in parts]
    result = []
    for part in parts:
        notes = {note.url: note for note in part.site.notes.values()}
        specs = []
        for spec in part.specs:
            shown = notes.get(spec.url) if spec.template == NOTE_TEMPLATE else None
            if shown is not None:
                shared = translation_keys.get(shown.key)
                found = translations.get(shared, {}) if shared else {}
                pages = [
                    (other, (found[other.language.code].url, found[other.language.code].title))
                    for other in parts
                    if other.language.code in found
                ]
            else:
                pages = [
                    (other, (spec.url, by_url[at][spec.url].title))
                    for at, other in enumerate(parts)
                    if spec.url in by_url[at] and by_url[at][spec.url].template == spec.template
                ]
            if len(pages) > 1:
                spec = replace(spec, alternates=_alternates(pages, part))
            specs.append(spec)
        result.append(tuple(specs))
    return result


def _alternates(
    pages: list[tuple[LanguagePart, tuple[str, str]]], current: LanguagePart
) -> tuple[Alternate, ...]:
    return tuple(
        Alternate(
            code=other.language.code,
            read_in=other.language.read_in,
            href=site_href(other.site.config, url),
            url=absolute_url(other.site.config, url),
            title=title,
            current=other is current,
        )
        for other, (url, title) in pages
    )
