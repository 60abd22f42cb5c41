"""What goes in a digest: one week's notes, chosen and grouped by team as on the week page,
with every link and picture an absolute address under `base_url`.

The site is loaded as `build` loads it, from the build cache where it can be; the forms the
digest is written in (`commands.digest`) need nothing but the `Digest` made here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from weeknote_gen.config.site_languages import match_language
from weeknote_gen.content.model import Note, Site
from weeknote_gen.engine.build import BuildState
from weeknote_gen.engine.load import LoadOptions, load_site
from weeknote_gen.errors import Diagnostic
from weeknote_gen.output.atom import absolute_content
from weeknote_gen.urls import WeekId, absolute_url, week_url
from weeknote_gen.words import Words, words_for


class DigestError(Exception):
    """The week or team asked for cannot make a digest; the message says why, and `hint`
    (when not empty) what to do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True)
class DigestLearning:
    heading: str
    html: str  # every link absolute
    text: str


@dataclass(frozen=True, slots=True)
class DigestNote:
    title: str
    url: str
    authors: tuple[str, ...]
    date: str
    summary: str
    learnings: tuple[DigestLearning, ...]
    lang: str = ""  # the note's language tag when it is not the digest's, else ""


@dataclass(frozen=True, slots=True)
class DigestGroup:
    heading: str
    url: str  # the team's page, or "" for notes without a team
    notes: tuple[DigestNote, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    site_title: str
    home_url: str
    language: str
    week: WeekId
    url: str  # the week's page
    team: str  # the team's name when the digest is one team's, else ""
    groups: tuple[DigestGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(group.notes) for group in self.groups)

    words: Words = field(default_factory=lambda: words_for("en-GB"))  # the digest's language

    @property
    def label(self) -> str:
        """The week's name in the digest's words: "Week 28, 2026"."""
        return self.words.week_label(self.week.year, self.week.week)

    @property
    def span(self) -> str:
        return self.words.week_span(self.week.monday, self.week.sunday)

    @property
    def title(self) -> str:
        who = f"{self.team}, " if self.team else ""
        return f"{self.site_title}: {who}{self.label}"


def digest_site(
    site_dir: Path,
    now: dt.datetime,
    *,
    drafts: bool = False,
    future: bool = False,
    language: str | None = None,
) -> tuple[Site | None, list[Diagnostic]]:
    """The site as `build` sees it (`load.load_site`), without writing anything: None when
    it has errors. On a bilingual site, the part in `language` (default: the first).

    Parsed notes and rendered Markdown come from the build cache where it has them, so a
    digest of a big site costs seconds, not a cold build; nothing is written back."""
    options = LoadOptions(now=now, drafts=drafts, future=future)
    loaded = load_site(site_dir, options, BuildState.on_disk(site_dir).memo)
    errors = [d for d in loaded.problems.sorted() if d.is_error]
    if errors or language is None:
        return (None if errors else loaded.site), errors
    for part, site in loaded.sites:
        if part is not None and match_language(language, [part]) is not None:
            return site, []
    tags = [part.code for part, _ in loaded.sites if part is not None]
    raise DigestError(
        f"this site has no notes in '{language}'"
        + (f"; its languages are: {', '.join(tags)}" if tags else ""),
        "list the site's languages under 'languages' in config.yaml" if not tags else "",
    )


def make_digest(site: Site, week: WeekId | None = None, team: str | None = None) -> Digest:
    """The digest of `week` (default: the latest week with notes, or with the team's notes),
    for one team when `team` (a team's slug) is given. Raises DigestError."""
    config = site.config
    teams = site.taxonomy_for("team")
    chosen_team = None
    if team is not None:
        if teams is None:
            raise DigestError(
                "this site has no teams: no taxonomy in config.yaml has the team role",
                "give the taxonomy that names teams 'role: team' under taxonomies, such as"
                " '- {name: squad, role: team}', or call it team",
            )
        chosen_team = teams.terms.get(team)
        if chosen_team is None:
            known = ", ".join(teams.terms) or "none yet"
            raise DigestError(f"there is no team '{team}'; the teams are: {known}")
    keys = chosen_team.note_keys if chosen_team else tuple(site.notes)
    if not keys:
        raise DigestError("there are no published notes to make a digest from")
    notes = [site.notes[k] for k in keys]
    latest = notes[0].week
    week = week or latest
    in_week = [n for n in notes if n.week == week]
    if not in_week:
        whose = f" from {chosen_team.name}" if chosen_team else ""
        raise DigestError(
            f"there are no notes{whose} in {week.slug}; the latest week with notes{whose}"
            f" is {latest.slug}"
        )
    words = words_for(config.language, config.words)
    if chosen_team is not None:
        groups = [(chosen_team.name, chosen_team.url, in_week)]
    else:
        groups = _by_team(site, in_week, words)
    return Digest(
        site_title=config.title,
        home_url=absolute_url(config, "/"),
        language=config.language,
        week=week,
        url=absolute_url(config, week_url(week)),
        team=chosen_team.name if chosen_team else "",
        words=words,
        groups=tuple(
            DigestGroup(
                heading, absolute_url(config, url) if url else "", _notes(site, chosen, words)
            )
            for heading, url, chosen in groups
        ),
    )


def _by_team(site: Site, notes: Sequence[Note], words: Words) -> list[tuple[str, str, list[Note]]]:
    """As on the week page: teams alphabetically, a note under its first team, notes
    without a team last."""
    teams = site.taxonomy_for("team")
    if teams is None:
        return [(words.gettext("Notes from this week"), "", list(notes))]
    grouped: dict[str, list[Note]] = {}
    for note in notes:
        slugs = note.terms.get(teams.name, ())
        grouped.setdefault(slugs[0] if slugs else "", []).append(note)
    order = sorted(grouped, key=lambda s: (s == "", teams.terms[s].name.casefold() if s else ""))
    return [
        (teams.terms[s].name, teams.terms[s].url, grouped[s])
        if s
        else (words.fill("No %(what)s given", what=teams.singular.lower()), "", grouped[s])
        for s in order
    ]


def _notes(site: Site, notes: Sequence[Note], words: Words) -> tuple[DigestNote, ...]:
    config = site.config
    chosen = []
    for note in notes:
        page = absolute_url(config, note.url)
        chosen.append(
            DigestNote(
                title=note.title,
                url=page,
                authors=tuple(site.authors[s].name for s in note.author_slugs),
                date=words.format_date(note.date),
                summary=note.summary,
                learnings=tuple(
                    DigestLearning(p.heading, absolute_content(p.html, page), p.text)
                    for p in note.learnings
                ),
                lang="" if note.language == config.language else note.language,
            )
        )
    return tuple(chosen)
