"""`weeknote-gen init [DIR]`: start a site. The answers (`init_answers`) and the files' text
(`init_files`) are decided first, so nothing is written when an option is wrong; then each
file is written whole or not at all, and never over one that is there.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from weeknote_gen.commands.init_answers import (
    PLACEHOLDER_BASE_URL,
    InitCancelledError,
    InitOptions,
    Prompter,
    SiteAnswers,
    gather_answers,
)
from weeknote_gen.commands.init_existing import ExistingNotes, find_existing_notes
from weeknote_gen.commands.init_files import (
    WORKFLOW_PATH,
    config_text,
    gitignore_text,
    readme_text,
    workflow_text,
)
from weeknote_gen.commands.new import NewNoteRequest, git_user_name, plan_new_note, week_end
from weeknote_gen.commands.report import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from weeknote_gen.config import CONFIG_FILE, Config, load_config
from weeknote_gen.config.checker import Checker
from weeknote_gen.config.schema import read_config
from weeknote_gen.engine.build import clock_from_environment
from weeknote_gen.errors import Diagnostic, format_report
from weeknote_gen.yamldoc import load_yaml

NOTHING_WRITTEN = "nothing was written"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    path: str  # relative to the site folder, with /
    text: str


def run_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    site_dir: Path = args.dir
    if site_dir.exists() and not site_dir.is_dir():
        print(f"weeknote-gen: error: {site_dir} is a file, not a folder", file=err)
        return EXIT_USAGE
    options = InitOptions(args.title, args.base_url, args.language, args.author, args.team)
    interactive = not args.yes and sys.stdin.isatty()
    git_name = git_user_name()
    if interactive:
        print(
            f"Starting a weeknotes site in {site_dir}. Press Enter to take the answer in"
            " [brackets]; Ctrl-C stops without writing anything.",
            file=out,
        )
    try:
        answers, problems = gather_answers(
            site_dir, options, Prompter(sys.stdin, out) if interactive else None, git_name=git_name
        )
    except InitCancelledError:
        print(f"\nweeknote-gen: init stopped, so {NOTHING_WRITTEN}", file=err)
        return EXIT_USAGE
    if answers is None:
        print(format_report(problems, outcome=NOTHING_WRITTEN), file=err)
        return EXIT_USAGE
    existing = find_existing_notes(site_dir) if site_dir.is_dir() else None
    planned, problems = _plan(site_dir, answers, existing, git_name)
    if problems:
        print(format_report(problems, outcome=NOTHING_WRITTEN), file=err)
        return EXIT_PROBLEMS
    site_dir.mkdir(parents=True, exist_ok=True)
    failed, wrote_config = False, False
    for item in planned:
        try:
            written = _write_new(site_dir / item.path, item.text)
        except OSError as exc:
            print(f"weeknote-gen: error: could not write {item.path}: {exc.strerror}", file=err)
            failed = True
            continue
        print(f"wrote {item.path}" if written else f"kept {item.path}, which exists", file=out)
        wrote_config = wrote_config or (written and item.path == CONFIG_FILE)
    placeholder = wrote_config and answers.base_url == PLACEHOLDER_BASE_URL
    _say_what_next(site_dir, existing, out, placeholder=placeholder)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _plan(
    site_dir: Path, answers: SiteAnswers, existing: ExistingNotes | None, git_name: str
) -> tuple[list[PlannedFile], list[Diagnostic]]:
    """Every file's text, in the order they are reported; the first note is planned from the
    config.yaml the site will have (the one already there, if there is one)."""
    config_yaml = PlannedFile(CONFIG_FILE, config_text(answers))
    config, problems = _config_of(site_dir, config_yaml.text)
    if config is None:
        return [], problems
    planned = [config_yaml]
    if existing is None:
        first = answers.authors[0]
        today = clock_from_environment(os.environ).date()
        # Dated today while this week's day is still ahead, as `new --date` would date it,
        # so that the new site has a published note at once rather than a scheduled one.
        dated = today.isoformat() if week_end(today, config.week_ends_on) > today else None
        request = NewNoteRequest(author=first.name, team=first.team or None, date=dated)
        note, problems = plan_new_note(site_dir, config, request, today=today, git_name=git_name)
        if note is None:
            return [], problems
        planned.append(PlannedFile(note.path, note.text))
    planned += [
        PlannedFile(".gitignore", gitignore_text()),
        PlannedFile(WORKFLOW_PATH, workflow_text()),
        PlannedFile("README.md", readme_text(answers)),
    ]
    return planned, []


def _config_of(site_dir: Path, text: str) -> tuple[Config | None, list[Diagnostic]]:
    """The site's settings: from its own config.yaml where one is kept, else from the text
    about to be written, read exactly as `load_config` will read it."""
    if (site_dir / CONFIG_FILE).exists():
        return load_config(site_dir)
    doc, problems = load_yaml(text, CONFIG_FILE)
    if doc is None or not isinstance(doc.value, dict):
        return None, problems
    checker = Checker(doc, CONFIG_FILE)
    config = read_config(doc.value, checker)
    return (None, checker.problems) if checker.problems else (config, [])


def _write_new(target: Path, text: str) -> bool:
    """Write `target` whole, unless something is already there: False when it is. The text
    goes to a file beside it first, then is linked into place, so a failure half-way (a full
    disk) leaves no half-written file behind, and a file that appears meanwhile is kept."""
    if target.exists() or target.is_symlink():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.link(temporary, target)
    except FileExistsError:
        return False
    finally:
        Path(temporary).unlink(missing_ok=True)
    return True


def _say_what_next(
    site_dir: Path, existing: ExistingNotes | None, out: TextIO, *, placeholder: bool
) -> None:
    here = site_dir.resolve() == Path.cwd().resolve()
    site = "" if here else f" --site {shlex.quote(str(site_dir))}"
    if existing is not None and existing.in_place:
        print(
            f"\nThe notes already in {existing.folder}/ are the site's: no sample note.", file=out
        )
    elif existing is not None:
        where = "" if here else f" (in {shlex.quote(str(site_dir))})"
        print(
            f"\nFound notes in {existing.folder}/ ({existing.generator}), so no sample note was"
            " written. weeknote-gen reads notes only from weeknotes/ (config.yaml has no key"
            f" for another folder); to bring them in, run{where}:",
            file=out,
        )
        for command in existing.commands:
            print(f"  {command}", file=out)
        print("Moving your weeknotes here (docs/moving-here.md) says what else to check.", file=out)
    if placeholder:
        print(
            f"\nbase_url is a placeholder ({PLACEHOLDER_BASE_URL}): set it in config.yaml to"
            " the address the site will be published at.",
            file=out,
        )
    print(
        f"\nNext:\n  weeknote-gen serve{site}   to look at the site as you write\n"
        f"  weeknote-gen new{site}     to start this week's note",
        file=out,
    )
