"""Which pages exist, as data: a `PageSpec` per URL with the view its template will see.

Planning is pure: the same `Site` always gives the same pages in the same order, and clashes
between pages (a note whose URL is also a list page's) are found before anything renders.
Each family of pages is planned by its own module; `_Planner` joins them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload
from urllib.parse import unquote

from weeknote_gen.content.model import Note, Site
from weeknote_gen.errors import Diagnostic, error
from weeknote_gen.site.author_pages import AuthorPages
from weeknote_gen.site.learning_pages import LearningPages
from weeknote_gen.site.navigation_pages import NavigationPages
from weeknote_gen.site.note_pages import NotePages
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.taxonomy_pages import TaxonomyPages
from weeknote_gen.site.week_pages import WeekPages


class _Planner(NotePages, AuthorPages, TaxonomyPages, WeekPages, LearningPages, NavigationPages):
    """Every page family's planner for one site."""


def plan_pages(site: Site) -> tuple[tuple[PageSpec, ...], list[Diagnostic]]:
    """Every page of the site, in a stable order, with a check that no two share a URL."""
    planner = _Planner(site)
    specs = [
        *planner.home(),
        *planner.note_pages(),
        *planner.author_pages(),
        *(spec for tax in site.taxonomies.values() for spec in planner.taxonomy_pages(tax)),
        *planner.week_pages(),
        *planner.team_week_pages(),
        *planner.learning_pages(),
        planner.archive(),
        *planner.year_pages(),
        *planner.search(),
        planner.not_found(),
    ]
    problems = _check_clashes(specs)
    return tuple(specs), problems


def plan_note_pages(site: Site, keys: Sequence[str]) -> tuple[PageSpec, ...]:
    """Just the pages of these notes, exactly as `plan_pages` would give them: the dev
    server shows an edited note this way before the rest of the site catches up."""
    planner = _Planner(site)
    notes = _NotesInOrder(site)
    return tuple(planner.note_page(notes, notes.position[key]) for key in keys)


class _NotesInOrder(Sequence[Note]):
    """The site's notes in order, each looked up only when asked for (a note's page reads
    itself and its neighbours): the delta build's site reads its notes one at a time."""

    def __init__(self, site: Site) -> None:
        self.notes = site.notes
        self.keys = tuple(site.notes)
        self.position = {key: index for index, key in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Note: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Note]: ...
    def __getitem__(self, index: int | slice) -> Note | Sequence[Note]:
        if isinstance(index, slice):
            return tuple(self.notes[key] for key in self.keys[index])
        return self.notes[self.keys[index]]


def _check_clashes(specs: Sequence[PageSpec]) -> list[Diagnostic]:
    seen: dict[str, PageSpec] = {}
    problems = []
    for spec in specs:
        first = seen.setdefault(spec.url, spec)
        if first is not spec:
            problems.append(
                error(
                    "url.clash",
                    f"{spec.origin} and {first.origin} both want the URL {unquote(spec.url)}",
                    None,
                    "change the note's slug or the permalink pattern in config.yaml",
                )
            )
    return problems
