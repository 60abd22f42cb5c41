"""Each taxonomy's overview and term pages, and the theme × team pages behind the heat map."""

from __future__ import annotations

from collections.abc import Iterator

from weeknote_gen.content.model import Taxonomy
from weeknote_gen.site.charts import heat_map, theme_team_lists
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.planner import PagePlanner
from weeknote_gen.site.views import FeedLink, Link
from weeknote_gen.urls import feed_url, learning_log_url, team_weeks_url


class TaxonomyPages(PagePlanner):
    """A taxonomy's pages; which extra ones it gets depends on the role it does."""

    def has_role(self, taxonomy: Taxonomy, role: str) -> bool:
        """Whether `taxonomy` does `role`'s job, which decides the extra pages it gets."""
        chosen = self.config.taxonomy_for(role)
        return chosen is not None and chosen.name == taxonomy.name

    def taxonomy_pages(self, taxonomy: Taxonomy) -> Iterator[PageSpec]:
        terms = tuple(taxonomy.terms.values())
        is_team = self.has_role(taxonomy, "team")
        yield self.spec(
            taxonomy.url,
            "overview.html",
            taxonomy.plural,
            taxonomy.url,
            f"the {taxonomy.name} overview",
            lastmod=self.newest(tuple(self.site.notes)),
            reads=(),
            shows=tuple(self.site.notes)[:1],  # counts are structure; the date, the newest's
            heading=taxonomy.plural,
            intro=self.words.fill(
                "Every %(name)s used in a note, with how many notes use it.",
                name=taxonomy.singular.lower(),
            ),
            entries=self.overview(terms, lambda t: (t.name, t.url, len(t.note_keys), "")),
            heat_map=heat_map(self.site) if self.has_role(taxonomy, "theme") else None,
            more=(
                Link(
                    self.words.gettext("Read the learning log"),
                    self.href(learning_log_url(taxonomy.url)),
                ),
            )
            if self.has_role(taxonomy, "learning")
            else (),
        )
        for term in terms:
            yield from self.paginated(
                term.url,
                term.note_keys,
                f"{taxonomy.singular}: {term.name}",
                taxonomy.url,
                f"the page for {taxonomy.name} '{term.name}'",
                feed=FeedLink(f"{taxonomy.singular}: {term.name}", self.href(feed_url(term.url))),
                description=self.words.fill(
                    "Weeknotes tagged with the %(taxonomy)s %(name)s.",
                    taxonomy=taxonomy.singular.lower(),
                    name=term.name,
                ),
                kind="term",
                learning_href="",
                digest=self.digest_feed(term) if is_team else None,
                weeks_href=self.href(team_weeks_url(term.url)) if is_team else "",
            )
        for pair in theme_team_lists(self.site) if self.has_role(taxonomy, "theme") else ():
            yield from self.paginated(
                pair.url,
                pair.note_keys,
                pair.title,
                taxonomy.url,
                f"the page for {pair.title}",
                description=pair.description,
                kind="term",
                weeks_href="",
                learning_href="",
            )
