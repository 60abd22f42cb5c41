"""The weeks overview, each week's page grouped by team, and each team's weeks."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from weeknote_gen.content.model import Week
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.planner import PagePlanner
from weeknote_gen.site.views import (
    Learning,
    Link,
    NoteGroup,
    learnings,
    page_meta,
    week_label,
    week_span,
)
from weeknote_gen.urls import WEEKS_URL, WeekId, team_weeks_url, week_url


class WeekPages(PagePlanner):
    """Pages by ISO week: the site's weeks, and each team's."""

    def week_pages(self) -> Iterator[PageSpec]:
        weeks = tuple(self.site.weeks.values())
        yield self.spec(
            WEEKS_URL,
            "weeks.html",
            self.words.gettext("Weeks"),
            WEEKS_URL,
            "the weeks overview",
            lastmod=self.newest(tuple(self.site.notes)),
            reads=(),
            shows=tuple(self.site.notes)[:1],  # counts are structure; the date, the newest's
            years=self.years(weeks, with_notes=False),
        )
        for index, week in enumerate(weeks):
            later = weeks[index - 1] if index > 0 else None
            earlier = weeks[index + 1] if index + 1 < len(weeks) else None
            yield self.spec(
                week.url,
                "week.html",
                week_label(self.words, week.id),
                WEEKS_URL,
                f"the page for {week.id.label}",
                lastmod=self.newest(week.note_keys),
                reads=(),
                shows=week.note_keys,
                deferred=self.week_part(week),
                span=week_span(self.words, week.id),
                count=len(week.note_keys),
                later=self.week_link(later),
                earlier=self.week_link(earlier),
            )

    def week_link(self, week: Week | None) -> Link | None:
        return Link(week_label(self.words, week.id), self.href(week.url)) if week else None

    def week_part(self, week: Week) -> Callable[[], Mapping[str, object]]:
        """A week page's cards and learnings, made when the page is rendered."""
        return lambda: {
            "groups": self.team_groups(week),
            "learnings": self.learnings_by_href(week.note_keys),
        }

    def learnings_by_href(self, keys: Sequence[str]) -> Mapping[str, tuple[Learning, ...]]:
        """Each note's learning passages, by the href of its card, for notes with any."""
        notes = (self.site.notes[k] for k in keys)
        return {self.cards[n.key].href: learnings(self.site, n) for n in notes if n.learnings}

    def team_week_pages(self) -> Iterator[PageSpec]:
        """Each team's weeks, newest first, with the team's notes in each."""
        teams = self.site.taxonomy_for("team")
        if teams is None:
            return
        for term in teams.terms.values():
            url = team_weeks_url(term.url)
            yield self.spec(
                url,
                "team_weeks.html",
                self.words.fill(
                    "%(taxonomy)s: %(name)s, week by week", taxonomy=teams.singular, name=term.name
                ),
                teams.url,
                f"the weeks of {teams.name} '{term.name}'",
                meta=page_meta(
                    self.site,
                    url,
                    self.words.fill(
                        "Every week %(name)s wrote weeknotes, newest first.", name=term.name
                    ),
                    (*self.feeds, self.digest_feed(term)),
                ),
                lastmod=self.newest(term.note_keys),
                reads=(),
                shows=term.note_keys,
                deferred=self.team_weeks_part(term.note_keys),
                team=Link(term.name, self.href(term.url)),
                subscribe=self.digest_feed(term),
            )

    def team_weeks_part(self, keys: Sequence[str]) -> Callable[[], Mapping[str, object]]:
        """A team's weeks as cards, made when the page is rendered."""
        return lambda: {"weeks": self.team_weeks(keys)}

    def team_weeks(self, keys: Sequence[str]) -> tuple[NoteGroup, ...]:
        """A team's notes grouped by week, newest first, as cards."""
        by_week: dict[WeekId, list[str]] = {}
        for key in keys:
            by_week.setdefault(self.site.notes[key].week, []).append(key)
        weeks = []
        for week, chosen in by_week.items():
            detail = self.week_detail(week, len(chosen))
            cards = tuple(self.cards[k] for k in chosen)
            weeks.append(
                NoteGroup(week_label(self.words, week), self.href(week_url(week)), detail, cards)
            )
        return tuple(weeks)

    def team_groups(self, week: Week) -> tuple[NoteGroup, ...]:
        teams = self.site.taxonomy_for("team")
        if teams is None:
            return (
                NoteGroup(
                    self.words.gettext("Notes from this week"),
                    None,
                    "",
                    tuple(self.cards[k] for k in week.note_keys),
                ),
            )
        grouped: dict[str, list[str]] = {}
        for key in week.note_keys:
            slugs = self.site.notes[key].terms.get(teams.name, ())
            grouped.setdefault(slugs[0] if slugs else "", []).append(key)
        groups = []
        for slug in sorted(
            grouped, key=lambda s: (s == "", teams.terms[s].name.casefold() if s else "")
        ):
            cards = tuple(self.cards[k] for k in grouped[slug])
            if slug:
                term = teams.terms[slug]
                groups.append(NoteGroup(term.name, self.href(term.url), "", cards))
            else:
                none_given = self.words.fill("No %(name)s given", name=teams.singular.lower())
                groups.append(NoteGroup(none_given, None, "", cards))
        return tuple(groups)
