"""What an import reads: posts with Markdown bodies, and the entries skipped, with the reason.

Both readers (`feeds` and `wordpress`) produce these, so the rest of the import does not care
which kind of file the posts came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


class UnreadableExportError(Exception):
    """The file cannot be imported at all (not XML, not the kind expected, unsafe)."""


@dataclass(frozen=True, slots=True)
class Post:
    """One post as read from an export, its body already Markdown."""

    title: str
    date: dt.date
    author: str
    slug: str
    body: str
    terms: Mapping[str, tuple[str, ...]]  # taxonomy name -> terms
    summary: str = ""
    draft: bool = False
    dropped: tuple[str, ...] = ()  # what was left out of the body, such as "[gallery]"


@dataclass(frozen=True, slots=True)
class Skipped:
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class TermMapping:
    """Which taxonomy categories and tags go to; "" leaves them out."""

    categories: str
    tags: str = ""


@dataclass
class Read:
    posts: list[Post] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def clean_text(text: str) -> str:
    return " ".join(text.split())


def merge_terms(by_taxonomy: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    terms: dict[str, tuple[str, ...]] = {}
    for taxonomy, items in by_taxonomy.items():
        if not taxonomy:
            continue
        merged = [*terms.get(taxonomy, ()), *items]
        unique = list(dict.fromkeys(merged))
        if unique:
            terms[taxonomy] = tuple(unique)
    return terms
