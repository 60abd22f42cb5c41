"""The site's indexes, made once the notes are built: authors and terms by slug (each under
the spelling most notes use, or the author's profile name), weeks newest first, and the notes
related to each note by the terms they share.
"""

from __future__ import annotations

import functools
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from weeknote_gen.config import Config
from weeknote_gen.content.markdown import RenderedMarkdown
from weeknote_gen.content.model import Author, Note, Term, Week
from weeknote_gen.content.parse import ParsedNote
from weeknote_gen.errors import Diagnostic, error, warning
from weeknote_gen.urls import WeekId, slugify

RELATED_LIMIT = 3


def _most_used(spellings: Counter[str]) -> str:
    """The spelling most notes use; ties go to the alphabetically first, for determinism."""
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]


def choose_author_names(
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


def choose_term_names(
    notes: Sequence[tuple[ParsedNote, RenderedMarkdown]], taxonomy: str
) -> dict[str, str]:
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for parsed, _ in notes:
        for name in parsed.terms.get(taxonomy, ()):
            slug = slugify(name)
            if slug:
                spellings[slug][name] += 1
    return {slug: _most_used(counts) for slug, counts in spellings.items()}


def index_authors(
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


def index_terms(
    notes: Sequence[Note], taxonomy: str, names: Mapping[str, str]
) -> Mapping[str, Term]:
    keys: defaultdict[str, list[str]] = defaultdict(list)
    for note in notes:
        for slug in note.terms.get(taxonomy, ()):
            keys[slug].append(note.key)
    terms = [Term(taxonomy, slug, names[slug], tuple(k)) for slug, k in keys.items()]
    terms.sort(key=lambda t: (t.name.casefold(), t.slug))
    return MappingProxyType({t.slug: t for t in terms})


def index_weeks(notes: Sequence[Note]) -> Mapping[WeekId, Week]:
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
