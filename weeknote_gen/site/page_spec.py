"""A planned page as data: `PageSpec`, and the lazily made context of the pages that cost most.

Kept apart from the planners so that rendering, feeds and the engine can name a page without
importing how pages are planned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One output page: its URL, its template, and the data the template sees."""

    url: str
    template: str
    title: str
    section: str  # nav href this page belongs under, for aria-current
    context: Mapping[str, object] = field(default_factory=dict)
    origin: str = ""  # what asked for this page, for clash reports
    lastmod: dt.date | None = None  # newest content shown, for the sitemap
    # The notes whose whole content the page shows (a note's own page: its body), by key;
    # None when it may show any note. With `shows` and the site's structure (`Site` but its
    # notes' content), they are all a page reads: the engine renders a page again only when
    # one of them, or the structure, changed.
    reads: tuple[str, ...] | None = None
    # What else decides the page, as a digest (which notes a learning log holds, say).
    token: str = ""
    # The notes the page shows as cards or links (everything but the body and its table of
    # contents: title, date, tags, summary, reading time, learning passages); None for any.
    shows: tuple[str, ...] | None = ()
    # On a bilingual site: the page in every language it exists in, itself included (empty
    # when it exists in one language only), for the language switch and `hreflang` links.
    alternates: tuple[Alternate, ...] = ()


@dataclass(frozen=True, slots=True)
class Alternate:
    """The same page (or a note's translation) in one of the site's languages."""

    code: str  # the language tag, for `hreflang` and `lang`
    read_in: str  # the link's words, in that language: "Darllen yn Gymraeg"
    href: str  # as a link from the site
    url: str  # absolute, for `hreflang` and the sitemap
    title: str  # the page's title in that language
    current: bool  # the page itself


class LazyContext(Mapping[str, object]):
    """A page's template context, made on first use: planning every page of a big site is
    then cheap, and only the pages that are rendered pay for their cards and links."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], dict[str, object]]) -> None:
        self._make = make
        self._made: dict[str, object] | None = None

    def _context(self) -> dict[str, object]:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key: str) -> object:
        return self._context()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._context())

    def __len__(self) -> int:
        return len(self._context())

    def __repr__(self) -> str:
        return repr(self._context())


def digest_of(keys: Sequence[str]) -> str:
    """A short digest of a list of note keys, for a page whose share of a list depends on
    the whole list."""
    return hashlib.sha256("\0".join(keys).encode("utf-8", "surrogatepass")).hexdigest()
