"""The site's words: the theme's text in the language of the site, with the site's overrides.

The theme is written in British English, and those English texts are the message ids of the
catalogues in `weeknote_gen/locale/<language>/LC_MESSAGES/weeknote_gen.po` (English, whose
translations are the ids themselves, and Welsh). A site's `language` picks the catalogue by its
primary subtag (`cy-GB` reads Welsh); a language with no catalogue gets the English words, and
`Words.tag` says so, so pages can mark those words `lang="en-GB"` rather than claim they are in
the page's language. A site's `words:` overrides win over either catalogue.

Catalogues are read from their `.po` text with Babel when first used (no compiled `.mo` is kept
in the repository) and cached, so each is read once per process. Dates and week labels are
formatted for the words' language with Babel's copy of the Unicode CLDR data.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "weeknote_gen"
# The language of the theme as written: its words, and the tag they carry on a page whose own
# language has no catalogue.
SOURCE_TAG = "en-GB"
# Each catalogue: the primary language subtag it serves, and the tag its words are in.
CATALOGUES: Mapping[str, str] = {"en": SOURCE_TAG, "cy": "cy"}
# Dates as people write them: "12 July 2019", "24 Tachwedd 2022".
DATE_PATTERN = "d MMMM y"
DAY_MONTH_PATTERN = "d MMMM"

# An override: one text for every count, or one text for each plural form of the language.
Override = str | tuple[str, ...]


def catalogue_path(language: str) -> Path:
    """Where the catalogue for a primary language subtag (`cy`) is kept in the package."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def read_catalogue(language: str) -> Catalog:
    """The catalogue for a primary language subtag, read from its `.po` file once (Babel's
    reader is imported here, so commands that show no page never pay for it)."""
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


@functools.cache
def message_ids() -> frozenset[str]:
    """Every text the theme shows, as written in English: what a site's `words:` may override."""
    return frozenset(
        str(message.id if isinstance(message.id, str) else message.id[0])
        for message in read_catalogue("en")
        if message.id
    )


class CatalogueTranslations(gettext.NullTranslations):
    """gettext's interface over a catalogue read in memory, with a site's overrides on top.

    A message with no translation (or an empty one) falls back to the English id, as gettext
    does, so a half-done catalogue shows English rather than nothing."""

    def __init__(self, catalogue: Catalog | None, overrides: Mapping[str, Override]) -> None:
        super().__init__()
        self._singles: dict[str, str] = {}
        self._plurals: dict[str, tuple[str, ...]] = {}
        self._plural_of = _plural_rule(catalogue)
        if catalogue is not None:
            for message in catalogue:
                if not message.id:
                    continue
                if isinstance(message.id, str):
                    if isinstance(message.string, str) and message.string:
                        self._singles[message.id] = message.string
                elif isinstance(message.string, (tuple, list)) and all(message.string):
                    self._plurals[message.id[0]] = tuple(message.string)
        for text, override in overrides.items():
            forms = (override,) if isinstance(override, str) else tuple(override)
            self._singles[text] = forms[0]
            self._plurals[text] = forms

    def gettext(self, message: str) -> str:
        return self._singles.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._plurals.get(msgid1)
        if forms is None:
            return msgid1 if n == 1 else msgid2
        return forms[min(self._plural_of(n), len(forms) - 1)]

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(msgid1, msgid2, n)


def _plural_rule(catalogue: Catalog | None) -> Callable[[int], int]:
    """Which plural form a count takes, from the catalogue's `Plural-Forms` header."""
    if catalogue is None:
        return lambda n: 0 if n == 1 else 1
    rule: Callable[[int], int] = gettext.c2py(catalogue.plural_expr)
    return rule


@dataclass(frozen=True, eq=False)
class Words:
    """The theme's words for one language and one site's overrides."""

    tag: str  # the language the words are really in: `cy`, `en-GB`, or the site's `en-*` tag
    locale: Locale  # for Babel's dates and numbers, in the words' language
    translations: CatalogueTranslations
    overridden: frozenset[str]  # the ids a site overrides (their text is the site's, unescaped)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        """The form for `count`, with `%(num)d` and any other placeholders filled in, as
        Jinja's `ngettext` does."""
        return self.translations.ngettext(singular, plural, count) % {"num": count, **values}

    def fill(self, message: str, **values: object) -> str:
        """A message with `%(name)s` placeholders, filled in."""
        return self.gettext(message) % values

    @functools.cache  # noqa: B019 (Words are made once per language and kept)
    def format_date(self, day: dt.date) -> str:
        """A date as people write it in the words' language: "12 July 2019"."""
        from babel.dates import format_date

        return format_date(day, DATE_PATTERN, locale=self.locale)

    @functools.cache  # noqa: B019 (Words are made once per language and kept)
    def format_day_month(self, day: dt.date) -> str:
        from babel.dates import format_date

        return format_date(day, DAY_MONTH_PATTERN, locale=self.locale)

    @functools.cache  # noqa: B019 (Words are made once per language and kept)
    def number(self, value: int) -> str:
        """A count as the words' language writes it (no grouping: years and counts alike)."""
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale, group_separator=False)

    @functools.cache  # noqa: B019 (Words are made once per language and kept)
    def week_label(self, year: int, week: int) -> str:
        """An ISO week's name: "Week 24, 2026"."""
        return self.fill("Week %(week)s, %(year)s", week=self.number(week), year=str(year))

    @functools.cache  # noqa: B019 (Words are made once per language and kept)
    def week_span(self, monday: dt.date, sunday: dt.date) -> str:
        """ "Monday 8 – Sunday 14 July 2019", naming months and years only where they change."""
        if monday.year != sunday.year:
            first = self.format_date(monday)
        elif monday.month != sunday.month:
            first = self.format_day_month(monday)
        else:
            first = self.number(monday.day)
        return self.fill(
            "Monday %(start)s – Sunday %(end)s", start=first, end=self.format_date(sunday)
        )


def catalogue_language(tag: str) -> str | None:
    """The catalogue (`en`, `cy`) for a language tag, by its primary subtag, or None."""
    primary = tag.split("-", 1)[0].casefold()
    return primary if primary in CATALOGUES else None


def words_for(tag: str, overrides: Mapping[str, Override] | None = None) -> Words:
    """The words for a site in language `tag` with its `words:` overrides."""
    return _words(tag, tuple(sorted((overrides or {}).items())))


@functools.cache
def _words(tag: str, overrides: tuple[tuple[str, Override], ...]) -> Words:
    language = catalogue_language(tag)
    if language is None:
        # English words, unless the site has given its own for every one of them.
        translated = bool(overrides) and message_ids() <= {text for text, _ in overrides}
        words_tag = tag if translated else SOURCE_TAG
        locale_tag, catalogue = SOURCE_TAG, None
    elif language == "en":
        # English words carry the site's own English tag, so an `en-US` site does not mark its
        # every word `en-GB`.
        words_tag, locale_tag, catalogue = tag, SOURCE_TAG, read_catalogue(language)
    else:
        words_tag = locale_tag = CATALOGUES[language]
        catalogue = read_catalogue(language)
    return Words(
        tag=words_tag,
        locale=Locale.parse(locale_tag, sep="-"),
        translations=CatalogueTranslations(catalogue, dict(overrides)),
        overridden=frozenset(text for text, _ in overrides),
    )


def same_language(page: str, words: str) -> bool:
    """Whether words tagged `words` need no `lang` of their own on a page in `page`: the same
    tag, or a page tag that narrows it (`cy-GB` words are `cy`)."""
    page, words = page.casefold(), words.casefold()
    return page == words or page.startswith(words + "-")


def plural_count(language: str) -> int:
    """How many plural forms the catalogue for a primary subtag has (English: 2, Welsh: 6)."""
    return read_catalogue(language).num_plurals


def known_languages() -> Iterable[str]:
    return CATALOGUES.keys()
