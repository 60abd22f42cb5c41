"""`weeknote-gen status`: who has written for a week, who has not yet, and writing streaks.

Everything is worked out from values (the parsed notes, the config and the week asked about),
so the command itself, `run_status`, only reads the notes and prints; the three formats are
plain functions of a `WeekStatus`, which keeps them easy to snapshot-test.

The rules, written out in docs/ci.md:

- People expected to write are the `authors` in config.yaml whose `active` dates cover the
  week (without `active.from`, from the week of their first note). Anyone else who wrote that
  week is listed among those who wrote, and never as missing.
- A week in someone's `away` list neither counts nor breaks their streak.
- A streak is the run of weeks with a note, going back from the week, and belongs to those who
  wrote for it; someone away that week keeps the run up to the week before, and someone with
  no note for it has none to show.
- A week that is over has "no note"; the current week (or one to come) has "no note yet".
- Drafts do not count as written, but are mentioned: someone has made a start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from weeknote_gen.commands.report import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, WEEK_HINT
from weeknote_gen.config import AuthorProfile, Config, load_config
from weeknote_gen.content.parse import ParsedNote
from weeknote_gen.engine.build import clock_from_environment
from weeknote_gen.engine.load import LoadedSite, LoadOptions, load_site
from weeknote_gen.errors import Diagnostic, format_report
from weeknote_gen.urls import WeekId, parse_week, slugify

NO_TEAM = "No team"


@dataclass(frozen=True, slots=True)
class PersonStatus:
    name: str
    team: str
    expected: bool  # listed in config and active this week
    away: bool
    written: bool
    draft: bool  # a draft dated this week, not yet published
    streak: int  # weeks in a row with a note, up to this week (when away, the week before)
    missed_two: bool  # no note this week nor the expected week before

    @property
    def missing(self) -> bool:
        return self.expected and not self.away and not self.written


@dataclass(frozen=True, slots=True)
class TeamStatus:
    team: str
    people: tuple[PersonStatus, ...]


@dataclass(frozen=True, slots=True)
class WeekStatus:
    week: WeekId
    teams: tuple[TeamStatus, ...]
    over: bool = False  # the week ended before the current one began: no "yet" about it

    @property
    def people(self) -> tuple[PersonStatus, ...]:
        return tuple(p for team in self.teams for p in team.people)

    @property
    def missing(self) -> tuple[PersonStatus, ...]:
        return tuple(p for p in self.people if p.missing)

    @property
    def written(self) -> tuple[PersonStatus, ...]:
        return tuple(p for p in self.people if p.written)

    @property
    def due(self) -> tuple[PersonStatus, ...]:
        """Everyone whose note counts this week: expected and not away, or who wrote anyway."""
        return tuple(p for p in self.people if p.written or (p.expected and not p.away))


# --------------------------------------------------------------------------- reading


def read_notes(site_dir: Path, config: Config) -> tuple[list[ParsedNote], list[Diagnostic]]:
    """Every note that parses, with drafts; the problems of those that do not (only counted:
    `check` is the place to read them). Loaded as every command loads a site, front matter
    only: who wrote when is all `status` reads."""
    loaded = LoadedSite(site_dir, config=config)
    options = LoadOptions(now=dt.datetime.now(dt.UTC), parse_only=True)
    load_site(site_dir, options, loaded=loaded)
    return loaded.parsed, list(loaded.problems)


# --------------------------------------------------------------------------- the rules


@dataclass
class _Record:
    """What the notes say about one person."""

    name: str
    weeks: set[WeekId]
    draft_weeks: set[WeekId]
    latest: ParsedNote | None = None


def week_status(
    config: Config, notes: Iterable[ParsedNote], week: WeekId, *, current: WeekId
) -> WeekStatus:
    """Who wrote for `week`, team by team; `current` is the week it is now, which says whether
    a missing note may yet come."""
    records = _records(notes)
    profiles = {slugify(p.name): p for p in config.authors}
    teams_taxonomy = config.taxonomy_for("team")
    team_field = teams_taxonomy.name if teams_taxonomy else ""
    people: list[PersonStatus] = []
    for key, profile in profiles.items():
        record = records.get(key) or _Record(profile.name, set(), set())
        person = _person(profile, record, week, team_field)
        if person.expected or person.written:
            people.append(person)
    for key, record in records.items():
        if key not in profiles and week in record.weeks:
            unlisted = AuthorProfile(record.name)
            people.append(_person(unlisted, record, week, team_field, listed=False))
    teams: dict[str, list[PersonStatus]] = {}
    for person in people:
        teams.setdefault(person.team, []).append(person)
    ordered = sorted(teams, key=lambda t: (t == NO_TEAM, t.casefold()))
    return WeekStatus(
        week,
        tuple(
            TeamStatus(t, tuple(sorted(teams[t], key=lambda p: p.name.casefold()))) for t in ordered
        ),
        over=_key(week) < _key(current),
    )


def _records(notes: Iterable[ParsedNote]) -> dict[str, _Record]:
    records: dict[str, _Record] = {}
    for note in notes:
        week = WeekId.of(note.date)
        for author in note.authors:
            record = records.setdefault(slugify(author), _Record(author, set(), set()))
            if note.draft:
                record.draft_weeks.add(week)
                continue
            record.weeks.add(week)
            if record.latest is None or (note.date, note.path) > (
                record.latest.date,
                record.latest.path,
            ):
                record.latest = note
    return records


def _person(
    profile: AuthorProfile, record: _Record, week: WeekId, team_field: str, *, listed: bool = True
) -> PersonStatus:
    """`team_field` is the front matter field of the taxonomy with the team role ("" if none),
    for people whose team config.yaml does not give."""
    first = _first_expected(profile, record, week)
    last = WeekId.of(profile.active_to) if profile.active_to else None

    def expected(w: WeekId) -> bool:
        return listed and first <= _key(w) and (last is None or _key(w) <= _key(last))

    def away(w: WeekId) -> bool:
        return any(start <= w.monday <= end for start, end in profile.away)

    written = week in record.weeks
    streak = 0
    probe = week if written else _previous(week)
    while (written or away(week)) and (_key(probe) >= first or probe in record.weeks):
        if probe in record.weeks:
            streak += 1
        elif not away(probe):
            break
        probe = _previous(probe)
    missed_two = False
    if expected(week) and not away(week) and not written:
        before = _previous(week)
        while expected(before) and away(before):
            before = _previous(before)
        missed_two = expected(before) and before not in record.weeks
    return PersonStatus(
        name=profile.name,
        team=profile.team or _team_from_notes(record, team_field) or NO_TEAM,
        expected=expected(week),
        away=away(week),
        written=written,
        draft=week in record.draft_weeks and not written,
        streak=streak,
        missed_two=missed_two,
    )


def _first_expected(profile: AuthorProfile, record: _Record, week: WeekId) -> tuple[int, int]:
    """The first week someone is expected to write: `active.from`, else the week of their
    first note, else (listed but yet to write) the week asked about."""
    if profile.active_from is not None:
        return _key(WeekId.of(profile.active_from))
    return min((_key(w) for w in record.weeks), default=_key(week))


def _key(week: WeekId) -> tuple[int, int]:
    return week.year, week.week


def _previous(week: WeekId) -> WeekId:
    return WeekId.of(week.monday - dt.timedelta(days=7))


def _team_from_notes(record: _Record, team_field: str) -> str:
    latest = record.latest
    if latest is None or not team_field:
        return ""
    teams = latest.terms.get(team_field, ())
    return " ".join(teams[0].split()) if teams else ""


# --------------------------------------------------------------------------- formats


def _weeks(n: int) -> str:
    return f"{n} week{'s' if n != 1 else ''}"


def _state(person: PersonStatus, status: WeekStatus) -> str:
    if person.written:
        return "written"
    if person.away:
        return "away"
    yet = "" if status.over else " yet"
    draft = "; a draft is started" if person.draft else ""
    return f"no note{yet} for week {status.week.week}{draft}"


def _streak(person: PersonStatus) -> str:
    if not person.streak:
        return ""
    return f"streak: {_weeks(person.streak)}"


def _tally(status: WeekStatus) -> str:
    due = len(status.due)
    written = len(status.written)
    people = "person has" if due == 1 else "people have"
    if not due:
        return f"Nobody is expected to write for week {status.week.week}."
    if written == due:
        return f"Everyone has written for week {status.week.week}. Thank you!"
    return f"{written} of {due} {people} written for week {status.week.week}."


def _missed_two_line(status: WeekStatus) -> str:
    names = [p.name for p in status.people if p.missed_two]
    if not names:
        return ""
    week = status.week.week
    earlier = _previous(status.week).week
    yet = "" if status.over else " yet"
    return (
        f"No note for week {earlier} or week {week}{yet}: {', '.join(names)}."
        " A friendly word may help, if they would like one."
    )


def format_text(status: WeekStatus) -> str:
    week = status.week
    lines = [f"Weeknotes for week {week.week}, {week.year} ({week.span})"]
    for team in status.teams:
        lines += ["", team.team]
        width = max(len(p.name) for p in team.people)
        for person in team.people:
            streak = _streak(person)
            extra = f" ({streak})" if streak else ""
            lines.append(f"  {person.name:<{width}}  {_state(person, status)}{extra}")
    lines += ["", _tally(status)]
    if line := _missed_two_line(status):
        lines.append(line)
    return "\n".join(lines)


def format_markdown(status: WeekStatus) -> str:
    """A GitHub job summary: a heading, a table of everyone, and the tally."""
    week = status.week
    lines = [f"### Weeknotes for week {week.week}, {week.year}", "", f"{week.span}", ""]
    if status.people:
        lines += ["| Team | Person | This week | Streak |", "| --- | --- | --- | --- |"]
        for team in status.teams:
            for person in team.people:
                cells = (team.team, person.name, _state(person, status), _streak(person) or "–")
                lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines.append("")
    lines.append(_tally(status))
    if line := _missed_two_line(status):
        lines += ["", line]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text that cannot break out of a Markdown table cell or start Markdown of its own."""
    escaped = "".join("\\" + c if c in "\\|*_`[]<>#~" else c for c in text)
    return " ".join(escaped.split())


def format_json(status: WeekStatus) -> str:
    week = status.week
    payload: Mapping[str, object] = {
        "week": week.slug,
        "monday": week.monday.isoformat(),
        "sunday": week.sunday.isoformat(),
        "written": len(status.written),
        "due": len(status.due),
        "missing": [p.name for p in status.missing],
        "teams": [
            {
                "team": team.team,
                "people": [
                    {
                        "name": p.name,
                        "expected": p.expected,
                        "away": p.away,
                        "written": p.written,
                        "draft": p.draft,
                        "streak": p.streak,
                        "missed_two_weeks": p.missed_two,
                    }
                    for p in team.people
                ],
            }
            for team in status.teams
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


# --------------------------------------------------------------------------- the command


def run_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config, problems = load_config(args.site)
    if config is None:
        print(format_report(problems, outcome="no status was worked out"), file=err)
        return EXIT_PROBLEMS
    if args.week is None:
        week = WeekId.of(clock_from_environment(os.environ).date())  # the current week
    else:
        try:
            week = parse_week(args.week)
        except ValueError as exc:
            print(f"weeknote-gen: error: {exc}\n  hint: {WEEK_HINT}", file=err)
            return EXIT_USAGE
    notes, problems = read_notes(args.site, config)
    unread = len({p.location.path for p in problems if p.is_error and p.location})
    if unread:
        print(
            f"note: {unread} file{'s' if unread != 1 else ''} could not be read and"
            f" {'are' if unread != 1 else 'is'} not counted; 'weeknote-gen check' says why",
            file=err,
        )
    today = clock_from_environment(os.environ).date()
    report = week_status(config, notes, week, current=WeekId.of(today))
    if args.format == "json":
        print(format_json(report), file=out)
    else:
        print(format_text(report), file=out)
    if args.format == "github":
        summary = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
        if summary:
            try:
                with Path(summary).open("a", encoding="utf-8") as handle:
                    handle.write(format_markdown(report))
            except OSError as exc:
                print(f"weeknote-gen: warning: cannot write {summary}: {exc.strerror}", file=err)
    if args.fail_on_missing and report.missing:
        return EXIT_PROBLEMS
    return EXIT_OK
