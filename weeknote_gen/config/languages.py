"""Language tags (BCP 47), as written in a note's front matter or in config.yaml.

A tag ends up in `<html lang>`, in `lang` attributes, in Atom's `xml:lang` and in JSON Feed,
where screen readers and browsers choose a voice, hyphenation and spelling by it: a tag that
is well formed but names no language (`lang: welsh`, `lang: en-UK`) silently gets the wrong
voice. So each subtag is checked against real lists, taken from Babel's copy of the Unicode
CLDR data (the ISO 639 languages and ISO 3166 regions CLDR knows), and the tag is returned in
its canonical case (`EN_gb` becomes `en-GB`).

Everything here is pure and cached; the lists load on first use (a few milliseconds), and the
names used for "did you mean" only when a tag is wrong.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_global

# The shapes of BCP 47 subtags (RFC 5646, section 2.1), one subtag each.
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_SCRIPT = re.compile(r"[a-z]{4}")
_REGION = re.compile(r"[a-z]{2}|[0-9]{3}")
_VARIANT = re.compile(r"[a-z0-9]{5,8}|[0-9][a-z0-9]{3}")
_SINGLETON = re.compile(r"[0-9a-wyz]")
_EXTENSION = re.compile(r"[a-z0-9]{2,8}")
_PRIVATE = re.compile(r"[a-z0-9]{1,8}")
# What a POSIX locale adds after the tag: `en_GB.UTF-8`, `de_DE@euro`.
_POSIX_TAIL = re.compile(r"[.@].*$")
# Two-letter codes that ISO 639 withdrew (the registry of tags marks them deprecated); CLDR
# maps each to the code that replaced it. Its other two-letter aliases (tl, sh) are still valid.
_DEPRECATED = frozenset({"in", "iw", "ji", "jw", "mo"})
MAX_LENGTH = 64  # longer than any real tag; a longer value is a paste gone wrong


def read_language_tag(text: str) -> tuple[str | None, str | None]:
    """`text` as a canonical language tag, or what is wrong with it: `(tag, None)` or
    `(None, message)`.

    The message starts by quoting the value (`'welsh' is not a language tag: did you mean
    'cy' (Welsh)?`), so a caller can use it as a diagnostic's message as it is. Underscores
    are read as hyphens and case is corrected without complaint, since `en_gb` can only mean
    `en-GB`; codes that are real but not used in tags (ISO 639-2's `wel`, the deprecated
    `iw`) and language names (`English`, `Cymraeg`) are refused with the right tag
    suggested, because the author should see and fix what they wrote.
    """
    written = text.strip()
    if not written:
        return None, "the language is empty"
    quoted = _quote(written)
    if len(written) > MAX_LENGTH:
        return None, f"{quoted} is too long to be a language tag"
    if not written.isascii():
        return None, _with_suggestion(f"{quoted} is not a language tag", _by_name(written))
    posix = _POSIX_TAIL.sub("", written)
    if posix != written:
        fixed, _ = read_language_tag(posix) if posix else (None, None)
        return None, _with_suggestion(f"{quoted} is not a language tag", fixed)
    subtags = written.replace("_", "-").split("-")
    if any(not part for part in subtags):
        return None, f"{quoted} is not a language tag: it has an empty part"
    problem, tag = _check(subtags)
    if problem is None:
        return tag, None
    return None, f"{quoted} {problem}"


def primary_subtag(tag: str) -> str:
    """A language tag's language, without its script or region: `en` for `en-GB`."""
    return tag.split("-", 1)[0].lower()


def language_name(tag: str) -> str:
    """The English name of a tag's language (`cy-GB` gives "Welsh"), or the tag itself."""
    primary = primary_subtag(tag)
    return _english_names().get(primary, tag)


def native_name(tag: str) -> str:
    """A language's name as its speakers write it ("Cymraeg" for `cy`), from CLDR."""
    try:
        locale = Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return tag
    name = locale.get_language_name(locale) or tag
    return name[:1].upper() + name[1:]


def _quote(text: str) -> str:
    shown = text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"
    return f"'{shown}'"


def _with_suggestion(message: str, suggestion: str | None) -> str:
    if suggestion is None:
        return message
    return f"{message}: did you mean '{suggestion}' ({language_name(suggestion)})?"


def _check(subtags: list[str]) -> tuple[str | None, str]:
    """What is wrong with the tag (None when nothing is), and the tag in canonical case."""
    lowered = [part.lower() for part in subtags]
    primary = lowered[0]
    whole = "-".join(subtags)
    if not _LANGUAGE.fullmatch(primary):
        suggestion = _by_name(whole)
        if suggestion is None and primary == "x":
            return None, "-".join(lowered)  # wholly private use, such as x-klingon: allowed
        return _with_suggestion("is not a language tag", suggestion), whole
    rest, problem = _canonical_rest(lowered[1:], subtags[1:])
    if primary not in _languages() or primary in _DEPRECATED:
        replacement = _replacement(primary)
        if replacement is not None:
            return (
                f"is not a language tag: '{subtags[0]}' is a code for"
                f" {language_name(replacement)} that web pages do not use;"
                f" write '{'-'.join([replacement, *rest])}'",
                whole,
            )
        return _with_suggestion(
            f"is not a language tag: '{subtags[0]}' is not the code of a language",
            _by_name(whole) or _by_name(subtags[0]),
        ), whole
    if problem is not None:
        return problem, whole
    return None, "-".join([primary, *rest])


def _canonical_rest(lowered: list[str], written: list[str]) -> tuple[list[str], str | None]:
    """The subtags after the language, in canonical case, and the first problem among them.

    Order matters in a tag: script, then region, then variants, then extensions and private
    use, each at most once where the grammar says so.
    """
    out: list[str] = []
    stage = 0  # 1 after a script, 2 after a region, 3 in variants
    index = 0
    while index < len(lowered):
        part, original = lowered[index], written[index]
        if part == "x" or (_SINGLETON.fullmatch(part) and len(part) == 1):
            return out + lowered[index:], _check_extensions(lowered[index:])
        if stage < 1 and _SCRIPT.fullmatch(part):
            script = part.title()
            if script not in _scripts():
                return out, f"is not a language tag: '{original}' is not the code of a script"
            out.append(script)
            stage = 1
        elif stage < 2 and _REGION.fullmatch(part):
            region = part.upper()
            if region not in _regions():
                return out, _region_problem(original, region)
            out.append(region)
            stage = 2
        elif _VARIANT.fullmatch(part):
            if part.upper() not in _variants():
                return out, f"is not a language tag: '{original}' is not a known variant"
            out.append(part)
            stage = 3
        else:
            return out, (
                f"is not a language tag: '{original}' is not a script, region or variant"
                " in the right place (the order is language-Script-REGION, as in sr-Latn-RS)"
            )
        index += 1
    return out, None


def _check_extensions(lowered: list[str]) -> str | None:
    """Extension and private-use subtags: only their shape can be checked."""
    index = 0
    while index < len(lowered):
        singleton = lowered[index]
        shape = _PRIVATE if singleton == "x" else _EXTENSION
        index += 1
        start = index
        while index < len(lowered) and (singleton == "x" or len(lowered[index]) > 1):
            if not shape.fullmatch(lowered[index]):
                return f"is not a language tag: '{lowered[index]}' is not a valid subtag"
            index += 1
        if index == start:
            return f"is not a language tag: '-{singleton}' must be followed by a subtag"
    return None


def _region_problem(written: str, region: str) -> str:
    replaced = get_global("territory_aliases").get(region)
    if replaced and len(replaced) == 1:
        return (
            f"is not a language tag: '{written}' is not the code of a region;"
            f" the code is '{replaced[0]}'"
        )
    return f"is not a language tag: '{written}' is not the code of a region or country"


def _replacement(code: str) -> str | None:
    """The tag to use instead of a real code that tags do not use: `wel` or `cym` (ISO 639-2
    and 639-3 codes for Welsh; a tag must use the shortest code, `cy`), or withdrawn `iw`."""
    target = get_global("language_aliases").get(code)
    if not isinstance(target, str):
        return None
    return target.replace("_", "-")


@functools.cache
def _languages() -> frozenset[str]:
    """The language subtags CLDR knows: its named languages and those it has data on."""
    names = (code for code in _english_names())
    likely = (code.split("_", 1)[0] for code in get_global("likely_subtags"))
    return frozenset(code for code in (*names, *likely) if _LANGUAGE.fullmatch(code))


@functools.cache
def _regions() -> frozenset[str]:
    return frozenset(Locale("en").territories)


@functools.cache
def _scripts() -> frozenset[str]:
    return frozenset(Locale("en").scripts)


@functools.cache
def _variants() -> frozenset[str]:
    return frozenset(Locale("en").variants)


@functools.cache
def _english_names() -> Mapping[str, str]:
    return {code: name for code, name in Locale("en").languages.items() if "_" not in code}


@functools.cache
def _names() -> Mapping[str, str]:
    """Language names, folded, to their codes: the English names ("welsh") and each
    language's own name for itself ("cymraeg"), for suggestions only."""
    found: dict[str, str] = {}
    for identifier in sorted(localedata.locale_identifiers()):
        if "_" in identifier:
            continue
        own = Locale.parse(identifier).get_display_name(identifier)
        if own:
            found.setdefault(own.casefold(), identifier)
    for code, name in sorted(Locale("en").languages.items()):
        # English names win over another language's own name; "British English" is en-GB.
        found[name.casefold()] = code.replace("_", "-")
    return found


def _by_name(text: str) -> str | None:
    """The tag for a language written as its name, such as "English" or "Cymraeg"."""
    folded = " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()
    return _names().get(folded)
