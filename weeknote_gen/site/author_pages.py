"""The authors overview and each author's page: their notes, profile and activity strip."""

from __future__ import annotations

from collections.abc import Iterator

from weeknote_gen.content.model import Author
from weeknote_gen.site.charts import activity_strip
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.planner import PagePlanner
from weeknote_gen.site.views import FeedLink
from weeknote_gen.urls import AUTHORS_URL, author_learning_url, clean_link, feed_url


class AuthorPages(PagePlanner):
    """A page listing every author, and a list of each one's notes."""

    def author_pages(self) -> Iterator[PageSpec]:
        authors = tuple(self.site.authors.values())
        yield self.spec(
            AUTHORS_URL,
            "overview.html",
            self.words.gettext("Authors"),
            AUTHORS_URL,
            "the authors overview",
            lastmod=self.newest(tuple(self.site.notes)),
            reads=(),
            shows=tuple(self.site.notes)[:1],  # counts are structure; the date, the newest's
            heading=self.words.gettext("Authors"),
            intro=self.words.gettext(
                "Everyone who has written a weeknote here, with how many they have written."
            ),
            entries=self.overview(
                authors, lambda a: (a.name, a.url, len(a.note_keys), _author_detail(a))
            ),
            more=(),
        )
        for author in authors:
            profile = author.profile
            yield from self.paginated(
                author.url,
                author.note_keys,
                author.name,
                AUTHORS_URL,
                f"the page for author '{author.name}'",
                feed=FeedLink(
                    self.words.fill("Notes by %(name)s", name=author.name),
                    self.href(feed_url(author.url)),
                ),
                description=self.words.fill(
                    "Weeknotes by %(name)s, %(role)s.", name=author.name, role=profile.role
                )
                if profile and profile.role
                else self.words.fill("Weeknotes by %(name)s.", name=author.name),
                kind="author",
                also_reads=author.note_keys,
                activity=activity_strip(self.site, author),
                weeks_href="",
                learning_href=self.href(author_learning_url(author.url))
                if self.has_learnings(author.note_keys)
                else "",
                role=profile.role if profile else "",
                bio=profile.bio if profile else "",
                website=_web_address(profile.url) if profile else "",
                email=profile.email if profile else "",
                email_href=clean_link(f"mailto:{profile.email}")
                if profile and profile.email
                else "",
            )


def _web_address(link: str) -> str:
    """Only a web address becomes the author's website link, encoded so that spaces, quotes
    or invisible characters typed into config.yaml cannot break or disguise it."""
    clean = clean_link(link)
    return clean if clean.lower().startswith(("https://", "http://")) else ""


def _author_detail(author: Author) -> str:
    return author.profile.role if author.profile else ""
