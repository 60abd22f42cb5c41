"""Which of a bilingual site's languages a note is in, and which notes translate each other.

Teams keep the two copies of a note in sibling folders (`weeknotes/en/…` and
`weeknotes/cy/…`), or side by side with a suffix (`note.md` and `note.cy.md`), or anywhere
with a shared key in front matter (`translation_key`, or Jekyll sites' `ref`). So a note's
language is its `lang`, else a folder named by one of the site's languages, else its file
name's suffix, else the site's default; and its translations are the notes of other
languages with the same key, which is the written key, else its path with the language's
folder or suffix taken out. Only a site with `languages` reads notes this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from weeknote_gen.config.site_languages import SiteLanguage


def _named_language(name: str, languages: Sequence[SiteLanguage]) -> SiteLanguage | None:
    """The site's language a folder or suffix names: by its code, its prefix, or (when only
    one has it) its language without the region (`en` for `en-GB`)."""
    lowered = name.lower()
    for language in languages:
        if lowered in (language.code.lower(), language.prefix):
            return language
    same = [language for language in languages if language.primary == lowered]
    return same[0] if len(same) == 1 else None


def language_from_path(path: str, languages: Sequence[SiteLanguage]) -> SiteLanguage | None:
    """The language a note's folders (the nearest first) or its suffix name, if any."""
    pure = PurePosixPath(path)
    for folder in reversed(pure.parent.parts[1:]):  # below the notes folder
        found = _named_language(folder, languages)
        if found is not None:
            return found
    stem = PurePosixPath(pure.stem)
    if stem.suffix:
        return _named_language(stem.suffix[1:], languages)
    return None


def path_translation_key(path: str, languages: Sequence[SiteLanguage]) -> str:
    """The key a note's translations share when none is written: its path without the
    folder or suffix that names its language, and without the extension."""
    pure = PurePosixPath(path)
    folders = [part for part in pure.parent.parts[1:] if _named_language(part, languages) is None]
    stem = PurePosixPath(pure.stem)
    name = stem.stem if stem.suffix and _named_language(stem.suffix[1:], languages) else stem.name
    return "/".join([*folders, name])
