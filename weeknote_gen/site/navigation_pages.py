"""The pages that help a reader find their way: the archive, search and the 404 page."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from weeknote_gen.content.model import Week
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.planner import PagePlanner
from weeknote_gen.site.views import NoteGroup, PageMeta
from weeknote_gen.urls import ARCHIVE_URL, NOT_FOUND_URL, SEARCH_URL, WEEKS_URL, year_url


class NavigationPages(PagePlanner):
    """Pages of the whole site that list no notes of their own but the archive's."""

    def archive(self) -> PageSpec:
        return self.spec(
            ARCHIVE_URL,
            "archive.html",
            self.words.gettext("Archive"),
            WEEKS_URL,
            "the archive",
            lastmod=self.newest(tuple(self.site.notes)),
            reads=(),
            shows=None,  # every note's card
            deferred=lambda: {
                "years": self.years(tuple(self.site.weeks.values()), with_notes=True),
                "year_hrefs": self.year_hrefs(),
            },
        )

    def year_pages(self) -> Iterator[PageSpec]:
        """A page per year at `/2026/`, when notes' addresses start with their year: every
        note dated that year, week by week."""
        if year_url(self.config.permalink, 2000) is None:
            return
        by_year: dict[int, list[str]] = {}
        for key, note in self.site.notes.items():
            by_year.setdefault(note.date.year, []).append(key)
        for year, keys in by_year.items():
            url = year_url(self.config.permalink, year)
            assert url is not None
            yield self.spec(
                url,
                "year.html",
                str(year),
                WEEKS_URL,
                f"the notes of {year}",
                lastmod=self.newest(tuple(keys)),
                reads=(),
                shows=tuple(keys),
                year=year,
                archive_href=self.href(ARCHIVE_URL),
                deferred=functools.partial(self.year_context, frozenset(keys)),
            )

    def year_hrefs(self) -> dict[int, str]:
        """The hrefs of the years' own pages, by year, for the archive to link its years to."""
        hrefs = {}
        for note in self.site.notes.values():
            url = year_url(self.config.permalink, note.date.year)
            if url is not None:
                hrefs[note.date.year] = self.href(url)
        return hrefs

    def year_context(self, keys: frozenset[str]) -> dict[str, object]:
        """The weeks holding these notes, newest first, each with only these notes."""
        return {"weeks": self.weeks_of(keys)}

    def weeks_of(self, keys: frozenset[str]) -> tuple[NoteGroup, ...]:
        weeks = [
            Week(week.id, tuple(k for k in week.note_keys if k in keys))
            for week in self.site.weeks.values()
            if any(k in keys for k in week.note_keys)
        ]
        return tuple(group for year in self.years(weeks, with_notes=True) for group in year.groups)

    def search(self) -> Iterator[PageSpec]:
        if self.config.search:
            names = [
                self.words.gettext("author"),
                *(t.singular.lower() for t in self.site.taxonomies.values()),
            ]
            filters = (
                self.words.fill(
                    "%(first)s or %(last)s", first=", ".join(names[:-1]), last=names[-1]
                )
                if len(names) > 1
                else names[0]
            )
            yield self.spec(
                SEARCH_URL,
                "search.html",
                self.words.gettext("Search"),
                SEARCH_URL,
                "the search page",
                reads=(),
                filters=filters,
            )

    def not_found(self) -> PageSpec:
        meta = PageMeta(description=self.config.description, url="", feeds=self.feeds)
        return self.spec(
            NOT_FOUND_URL,
            "404.html",
            self.words.gettext("Page not found"),
            "",
            "the 404 page",
            meta=meta,
            reads=(),
        )
