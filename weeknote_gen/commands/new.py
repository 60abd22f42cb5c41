"""`weeknote-gen new`: the path and text of this week's note, ready to write.

Everything is decided by `plan_new_note` from values (the clock and the git user name come in
as arguments), so `run_new`, the command itself, only has to write the file, and never over
another one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from weeknote_gen.commands.report import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from weeknote_gen.config import CONTENT_DIR, WEEKDAYS, Config, load_config
from weeknote_gen.config.site_languages import SiteLanguage, match_language
from weeknote_gen.content.date_text import parse_date
from weeknote_gen.engine.build import clock_from_environment
from weeknote_gen.errors import Diagnostic, error, format_report, warning
from weeknote_gen.output.note_prompts import NEW_NOTE_TEMPLATE
from weeknote_gen.output.render import render_text
from weeknote_gen.urls import WeekId, slugify
from weeknote_gen.words import words_for
from weeknote_gen.yamldoc import dump_front_matter

TEMPLATE = NEW_NOTE_TEMPLATE
NO_NOTE = "no note was created"


@dataclass(frozen=True, slots=True)
class NewNoteRequest:
    title: str | None = None
    author: str | None = None
    team: str | None = None
    date: str | None = None  # YYYY-MM-DD, as typed
    lang: str | None = None  # on a site with `languages`: the note's language, as typed


@dataclass(frozen=True, slots=True)
class NewNote:
    path: str  # relative to the site folder
    text: str
    author_reason: str = ""  # one line for stderr: whose name the note carries, and why


def week_end(today: dt.date, weekday: str) -> dt.date:
    """This ISO week's day called `weekday`: the Friday of the week by default."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday + dt.timedelta(days=WEEKDAYS.index(weekday))


def plan_new_note(
    site_dir: Path, config: Config, request: NewNoteRequest, *, today: dt.date, git_name: str
) -> tuple[NewNote | None, list[Diagnostic]]:
    day = week_end(today, config.week_ends_on)
    if request.date is not None:
        parsed = parse_date(request.date.strip())
        if parsed is None or parsed[2]:
            return None, [
                error("new.date", f"'{request.date}' is not a date", None, "write it as YYYY-MM-DD")
            ]
        day = parsed[0]
    author, reason = choose_author(config, request.author, git_name)
    if not author:
        return None, [
            error(
                "new.author",
                "who is writing? No --author was given, config.yaml has no default_author,"
                " and git has no user.name",
                None,
                'run again with --author "Your Name"',
            )
        ]
    placed = _placed(site_dir, config, request.lang)
    if isinstance(placed, Diagnostic):
        return None, [placed]
    language, folder, lang_field = placed
    week = WeekId.of(day)
    week_word = words_for(language.code if language else config.language).gettext("Week")
    title = " ".join((request.title or f"{week_word} {week.week}").split())
    slug = slugify(title)
    if not request.title:
        slug = f"{slug}-{slugify(author)}"  # every author writes "Week 28" in the same week
    if not slug:
        return None, [error("new.title", f"cannot make a file name from '{title}'", None)]
    fields: dict[str, object] = {"title": title, "date": day, "author": author}
    if lang_field:
        fields["lang"] = lang_field
    team = request.team or _team_of(config, author)
    teams = config.taxonomy_for("team")
    advice: list[Diagnostic] = []
    if team and teams is not None:
        fields[teams.name] = team  # `team:`, or `squad:` where squad has the team role
    elif request.team:
        advice.append(
            warning(
                "new.no-team-role",
                f"the team '{request.team}' is left out: no taxonomy in config.yaml has the"
                " team role",
                None,
                "give the taxonomy that names teams 'role: team' under taxonomies, or call it team",
            )
        )
    context: dict[str, object] = {"title": title, "author": author, "week": week, "date": day}
    settings = config.in_language(language) if language else config  # its prompts' language
    body, problems = render_text(site_dir, settings, TEMPLATE, context)
    if body is None:
        return None, problems
    body = body if body.endswith("\n") else body + "\n"
    path = f"{CONTENT_DIR}/{folder}{day.year}/{day.isoformat()}-{slug}.md"
    return NewNote(path, dump_front_matter(fields) + body, reason), advice


def choose_author(config: Config, typed: str | None, git_name: str) -> tuple[str, str]:
    """The note's author and a line saying why it is that name, so nobody on a shared site
    writes as someone else without noticing: `--author`; else git's user.name when it names
    a configured author (matched by slug, as notes' authors are, and written as config spells
    it); else `default_author`; else git's user.name. The name is empty when there is none."""
    typed_name = (typed or "").strip()
    if typed_name:
        return typed_name, f"Writing as {typed_name} (--author)"
    git = git_name.strip()
    configured = _configured_author(config, git)
    if configured:
        return configured, f"Writing as {configured} (git's user.name, a configured author)"
    default = config.default_author.strip()
    if default:
        if not git:
            why = "git has no user.name"
        elif config.authors:
            why = f"git's user.name '{git}' is not a configured author"
        else:
            why = "config.yaml lists no authors to match git's user.name against"
        return default, (
            f"Writing as {default} (default_author in config.yaml; {why}: pass --author to choose)"
        )
    if git:
        return git, f"Writing as {git} (git's user.name)"
    return "", ""


def _configured_author(config: Config, name: str) -> str:
    wanted = slugify(name)
    if not wanted:
        return ""
    return next((p.name for p in config.authors if slugify(p.name) == wanted), "")


def _placed(
    site_dir: Path, config: Config, lang: str | None
) -> tuple[SiteLanguage | None, str, str] | Diagnostic:
    """For `--lang`: the note's language, the folder it goes in under `weeknotes/` (the
    language's folder where the site keeps one, as `weeknotes/cy/`) and the `lang` to write
    when there is no such folder; a problem when the site has no such language."""
    if lang is None:
        return None, "", ""
    language = match_language(lang, config.languages)
    if language is None:
        codes = ", ".join(language.code for language in config.languages)
        return error(
            "new.lang",
            f"this site has no language '{lang}'"
            + (f"; its languages are: {codes}" if codes else ""),
            None,
            "list the site's languages under 'languages' in config.yaml"
            if not codes
            else f"use one of: {codes}",
        )
    if language == config.languages[0]:
        return language, "", ""
    for name in (language.code, language.prefix, language.primary):
        if name and (site_dir / CONTENT_DIR / name).is_dir():
            return language, f"{name}/", ""
    return language, "", language.code


def _team_of(config: Config, author: str) -> str:
    wanted = slugify(author)
    return next((p.team for p in config.authors if slugify(p.name) == wanted), "")


def run_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config, problems = load_config(args.site)
    if config is None:
        print(format_report(problems, outcome=NO_NOTE), file=err)
        return EXIT_PROBLEMS
    request = NewNoteRequest(
        title=args.title, author=args.author, team=args.team, date=args.date, lang=args.lang
    )
    today = clock_from_environment(os.environ).date()
    note, problems = plan_new_note(
        args.site, config, request, today=today, git_name=git_user_name()
    )
    if note is None:
        print(format_report(problems, outcome=NO_NOTE), file=err)
        return EXIT_USAGE if any(p.code.startswith("new.") for p in problems) else EXIT_PROBLEMS
    target = args.site / note.path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(note.text)
    except FileExistsError:
        print(
            f"weeknote-gen: error: {note.path} already exists, so nothing was changed\n"
            "  hint: give the note a different title, or edit the existing file",
            file=err,
        )
        return EXIT_PROBLEMS
    print(note.author_reason, file=err)
    if problems:  # advice only: the note is written
        print(format_report(problems), file=err)
    print(note.path, file=out)
    return EXIT_OK


def git_user_name() -> str:
    try:
        result = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""
