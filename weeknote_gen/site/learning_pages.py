"""The learning logs: the whole site's and each author's, paginated like other lists."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from weeknote_gen.site.page_spec import PageSpec, digest_of
from weeknote_gen.site.planner import PagePlanner
from weeknote_gen.site.views import Link, Pagination, page_meta
from weeknote_gen.urls import AUTHORS_URL, author_learning_url, learning_log_url, page_url


class LearningPages(PagePlanner):
    """Learning logs: each note's learning passages and learning tags, newest first."""

    def learning_pages(self) -> Iterator[PageSpec]:
        """The whole site's learning log, and each author's, paginated like other lists."""
        taxonomy = self.site.taxonomy_for("learning")
        section = taxonomy.url if taxonomy else "/"
        keys = tuple(self.site.notes)
        yield from self.learning_log_pages(
            learning_log_url(taxonomy.url if taxonomy else None),
            self.learning_log(keys),
            self.words.gettext("Learning log"),
            section,
            "the learning log",
            newest=keys[:1],
            description=self.words.gettext("What everyone writing here is learning, newest first."),
            intro=self.words.gettext(
                "What everyone writing here is learning, newest first: each note's"
                " learning section and learning tags."
            ),
            author=None,
        )
        for author in self.site.authors.values():
            entries = self.learning_log(author.note_keys)
            if not entries:
                continue
            yield from self.learning_log_pages(
                author_learning_url(author.url),
                entries,
                self.words.fill("What %(name)s is learning", name=author.name),
                AUTHORS_URL,
                f"the learning log of author '{author.name}'",
                newest=author.note_keys[:1],
                description=self.words.fill(
                    "What %(name)s is learning, newest first.", name=author.name
                ),
                intro=self.words.fill(
                    "The learning sections and learning tags of %(name)s's notes, newest first.",
                    name=author.name,
                ),
                author=Link(author.name, self.href(author.url)),
            )

    def entries_part(self, keys: Sequence[str]) -> Callable[[], Mapping[str, object]]:
        return lambda: {"entries": tuple(self.learning_entry(key) for key in keys)}

    def learning_log_pages(
        self,
        url: str,
        entries: Sequence[str],
        title: str,
        section: str,
        origin: str,
        *,
        newest: Sequence[str],
        description: str,
        **context: object,
    ) -> Iterator[PageSpec]:
        """The learning entries of the notes `entries` a page at a time (made when a page is
        rendered); `newest`: the note whose date is the log's date."""
        per_page = self.config.per_page
        # Which notes the log holds decides every page's share of it.
        held = digest_of(tuple(entries))
        total = max(1, -(-len(entries) // per_page))
        for number in range(1, total + 1):
            first = (number - 1) * per_page
            chunk = tuple(entries[first : first + per_page])
            pagination = Pagination(
                number=number,
                total=total,
                prev_href=self.href(page_url(url, number - 1)) if number > 1 else None,
                next_href=self.href(page_url(url, number + 1)) if number < total else None,
            )
            here = page_url(url, number)
            yield self.spec(
                here,
                "learning_log.html",
                title if number == 1 else self.page_of(title, number, total),
                section,
                origin,
                meta=page_meta(self.site, here, description, self.feeds),
                lastmod=self.newest(newest),
                reads=(),
                shows=(*newest, *chunk),
                token=held,
                heading=title,
                deferred=self.entries_part(chunk),
                start=len(entries) - first,  # the list counts down across the pages
                pagination=pagination,
                **context,
            )
