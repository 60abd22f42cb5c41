"""Each taxonomy's overview and term pages, and the theme × team pages behind the heat map."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace

from weeknote_gen.content.model import Taxonomy, Term
from weeknote_gen.site.charts import heat_map, theme_team_lists
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.planner import PagePlanner
from weeknote_gen.site.views import FeedLink, Link, OverviewEntry
from weeknote_gen.urls import feed_url, learning_log_url, team_weeks_url


class TaxonomyPages(PagePlanner):
    """A taxonomy's pages; which extra ones it gets depends on the role it does."""

    def overview_intro(self, taxonomy: Taxonomy, is_team: bool) -> str:
        if is_team:
            return self.words.fill(
                "Every %(name)s, with who writes for it and its latest note.",
                name=taxonomy.singular.lower(),
            )
        return self.words.fill(
            "Every %(name)s used in a note, with how many notes use it.",
            name=taxonomy.singular.lower(),
        )

    def team_entries(self, terms: Sequence[Term]) -> tuple[OverviewEntry, ...]:
        """The teams page's entries: each team's count, the people who write for it (most
        notes first) and its newest note, so the page says more than four links would."""
        entries = self.overview(terms, lambda t: (t.name, t.url, len(t.note_keys), ""))
        return tuple(
            replace(entry, members=self.members(term), latest=self.cards[term.note_keys[0]])
            if term.note_keys
            else entry
            for entry, term in zip(entries, terms, strict=True)
        )

    def members(self, term: Term) -> tuple[Link, ...]:
        written = Counter(
            slug for key in term.note_keys for slug in self.site.notes[key].author_slugs
        )
        ranked = sorted(written, key=lambda s: (-written[s], self.site.authors[s].name.casefold()))
        return tuple(
            Link(self.site.authors[s].name, self.href(self.site.authors[s].url)) for s in ranked
        )

    def has_role(self, taxonomy: Taxonomy, role: str) -> bool:
        """Whether `taxonomy` does `role`'s job, which decides the extra pages it gets."""
        chosen = self.config.taxonomy_for(role)
        return chosen is not None and chosen.name == taxonomy.name

    def taxonomy_pages(self, taxonomy: Taxonomy) -> Iterator[PageSpec]:
        terms = tuple(taxonomy.terms.values())
        is_team = self.has_role(taxonomy, "team")
        latest_keys = tuple(t.note_keys[0] for t in terms if t.note_keys) if is_team else ()
        yield self.spec(
            taxonomy.url,
            "overview.html",
            taxonomy.plural,
            taxonomy.url,
            f"the {taxonomy.name} overview",
            lastmod=self.newest(tuple(self.site.notes)),
            reads=(),
            # counts are structure; the date is the newest note's, and teams show their latest
            shows=tuple(dict.fromkeys((*tuple(self.site.notes)[:1], *latest_keys))),
            heading=taxonomy.plural,
            intro=self.overview_intro(taxonomy, is_team),
            entries=self.team_entries(terms)
            if is_team
            else self.overview(terms, lambda t: (t.name, t.url, len(t.note_keys), "")),
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
