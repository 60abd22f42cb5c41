"""The pages that help a reader find their way: the archive, search and the 404 page."""

from __future__ import annotations

from collections.abc import Iterator

from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.planner import PagePlanner
from weeknote_gen.site.views import PageMeta
from weeknote_gen.urls import ARCHIVE_URL, NOT_FOUND_URL, SEARCH_URL, WEEKS_URL


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
                "years": self.years(tuple(self.site.weeks.values()), with_notes=True)
            },
        )

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
