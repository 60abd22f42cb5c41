"""`languages:`: the languages a bilingual (or multilingual) site publishes in.

Public bodies in Wales publish in Welsh and English, and keep each note twice. Each language
gets its own home page, archive, lists, feeds and search under its own URL prefix; the first
language listed is the default and keeps the addresses a one-language site has. A site that
sets no `languages` is a one-language site in `language`, exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from weeknote_gen.config.checker import Checker
from weeknote_gen.config.languages import native_name, primary_subtag, read_language_tag
from weeknote_gen.config.site_words import read_words
from weeknote_gen.words import Override

_PREFIX = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LANGUAGE_KEYS = ("code", "name", "title", "description", "prefix", "read_in", "terms", "words")
# The link to a page's translation is written in the language it leads to; these are the
# languages whose phrase is built in (others get the language's own name unless `read_in`).
READ_IN = {"en": "Read in English", "cy": "Darllen yn Gymraeg"}


@dataclass(frozen=True, slots=True)
class SiteLanguage:
    """One language the site publishes in, with what the site is called in it."""

    code: str  # a canonical language tag: `en-GB`, `cy`
    name: str  # as its speakers write it: "English", "Cymraeg"
    title: str  # the site's title in this language
    description: str
    prefix: str  # the URL folder of its pages ("cy"), or "" for the default's own addresses
    read_in: str  # the link to a page in this language, in it: "Darllen yn Gymraeg"
    # Each term's name in this language, by taxonomy and the term as written (matched by its
    # slug): the term's address stays the same in every language
    terms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    words: Mapping[str, Override] = field(default_factory=dict)  # the theme's words, as `words`

    @property
    def primary(self) -> str:
        """The language without its region: `en` for `en-GB`."""
        return primary_subtag(self.code)


def match_language(tag: str, languages: Sequence[SiteLanguage]) -> SiteLanguage | None:
    """The site's language a note's tag belongs to: the same tag, else the only one of the
    site's languages with the same language (`cy-GB` is Welsh on a site in `cy`)."""
    lowered = tag.lower()
    for language in languages:
        if language.code.lower() == lowered:
            return language
    same = [lang for lang in languages if lang.primary == primary_subtag(tag)]
    return same[0] if len(same) == 1 else None


def read_site_languages(
    raw: object, title: str, description: str, check: Checker
) -> tuple[SiteLanguage, ...]:
    """The `languages` list, each checked; () for a one-language site."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        check.fail(
            "config.languages",
            "'languages' must be a list of the site's languages, the default first",
            ("languages",),
            "for example: languages: [{code: en-GB, name: English}, {code: cy, name: Cymraeg}]",
        )
        return ()
    languages: list[SiteLanguage] = []
    for index, entry in enumerate(raw):
        language = _read_language(entry, index, title, description, check)
        if language is not None:
            languages.append(language)
    _check_unique(languages, check)
    return tuple(languages)


def _read_language(
    entry: object, index: int, title: str, description: str, check: Checker
) -> SiteLanguage | None:
    where: tuple[str | int, ...] = ("languages", index)
    if isinstance(entry, str):
        entry = {"code": entry}
    if not isinstance(entry, Mapping):
        check.fail(
            "config.languages",
            "each language must be a mapping with at least a 'code'",
            where,
            "for example: {code: cy, name: Cymraeg, title: Ein wythnodiadau}",
        )
        return None
    values: Mapping[str, Any] = entry
    check.unknown_keys(values, _LANGUAGE_KEYS, where)
    written = check.text(values, "code", where)
    if not written:
        check.fail("config.languages", "each language needs a 'code'", where, "such as cy or en-GB")
        return None
    code, problem = read_language_tag(written)
    if code is None:
        check.fail("config.languages", problem or "", (*where, "code"), "for example: cy")
        return None
    default_prefix = "" if index == 0 else primary_subtag(code)
    prefix = check.text(values, "prefix", where, default_prefix).strip("/")
    if prefix and not _PREFIX.fullmatch(prefix):
        check.fail(
            "config.languages",
            f"the prefix '{prefix}' must be one URL folder of lower-case letters, digits and '-'",
            (*where, "prefix"),
            f"such as {primary_subtag(code)}",
        )
        prefix = default_prefix
    name = check.text(values, "name", where) or native_name(code)
    return SiteLanguage(
        code=code,
        name=name,
        title=check.text(values, "title", where) or title,
        description=check.text(values, "description", where) or description,
        prefix=prefix,
        read_in=check.text(values, "read_in", where) or READ_IN.get(primary_subtag(code), name),
        terms=_read_term_names(values.get("terms"), (*where, "terms"), check),
        words=read_words(values.get("words"), check, (*where, "words")),
    )


def _read_term_names(
    raw: object, where: tuple[str | int, ...], check: Checker
) -> Mapping[str, Mapping[str, str]]:
    """`terms: {theme: {waste: Gwastraff}}`: a term's name in this language, by the
    taxonomy's name and the term as notes write it (matched by its slug)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not all(isinstance(v, Mapping) for v in raw.values()):
        check.fail(
            "config.languages",
            "'terms' must map each taxonomy to its terms' names in this language",
            where,
            "for example: terms: {theme: {waste: Gwastraff}}",
        )
        return {}
    names: dict[str, dict[str, str]] = {}
    for taxonomy, terms in raw.items():
        for term in terms:
            name = check.text(terms, term, (*where, str(taxonomy)))
            if name:
                names.setdefault(str(taxonomy), {})[str(term)] = name
    return names


def _check_unique(languages: Sequence[SiteLanguage], check: Checker) -> None:
    """Two languages cannot share a code or an address, and only the default may have none."""
    codes: set[str] = set()
    prefixes: set[str] = set()
    for index, language in enumerate(languages):
        where: tuple[str | int, ...] = ("languages", index)
        if language.code.lower() in codes:
            check.fail("config.languages", f"'{language.code}' is listed twice", where)
        if language.prefix in prefixes:
            shown = f"the prefix '{language.prefix}'" if language.prefix else "no prefix"
            check.fail(
                "config.languages",
                f"'{language.code}' has {shown}, like a language before it",
                (*where, "prefix"),
                "give each language but the first its own prefix, such as its code",
            )
        codes.add(language.code.lower())
        prefixes.add(language.prefix)
