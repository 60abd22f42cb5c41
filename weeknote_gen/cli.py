"""`weeknote-gen build | serve | check | new`: the terminal side of the pipeline.

Library code returns values; this module turns them into words and exit codes:
0 all is well, 1 problems with the content or config, 2 the command itself was misused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from weeknote_gen import __version__
from weeknote_gen.config import load_config
from weeknote_gen.engine.build import (
    BuildOptions,
    BuildResult,
    BuildState,
    build,
    clock_from_environment,
)
from weeknote_gen.engine.cache import take_notices
from weeknote_gen.errors import (
    NOTHING_WRITTEN,
    PARTLY_WRITTEN,
    Diagnostic,
    Location,
    format_github,
    format_json,
    format_report,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
WEEK_HINT = "write an ISO week such as 2026-W28, or a date in it such as 2026-07-08"
NO_NOTE = "no note was created"
WOULD_NOT_BUILD = "the site would not build"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="weeknote-gen",
        description="Build a static website from a folder of weeknotes.",
        epilog="Run 'weeknote-gen COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"weeknote-gen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build_cmd = commands.add_parser(
        "build",
        help="build the site into the output folder (default _site/)",
        description="Build the site. Nothing is written unless every note and template is fine.",
    )
    _add_build_options(build_cmd)
    build_cmd.add_argument("--verbose", action="store_true", help="print how long each step took")

    serve_cmd = commands.add_parser(
        "serve",
        help="build, preview at http://127.0.0.1:8000, and rebuild as you edit",
        description="Build the site and serve it; pages reload by themselves when you save a "
        "note, a template or config.yaml. Problems are shown on the page until fixed.",
    )
    _add_build_options(serve_cmd)
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port to listen on; 0 picks a free one (default 8000)",
    )

    check_cmd = commands.add_parser(
        "check",
        help="check the config and every note, writing nothing",
        description="Check config.yaml and every note exactly as 'build' would, and report every "
        "problem at once. Nothing is written. Exit code 0 when clean, 1 when there are problems.",
    )
    _add_build_options(check_cmd)
    check_cmd.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text for people (default), github for GitHub Actions annotations, json for tools",
    )

    new_cmd = commands.add_parser(
        "new",
        help="start this week's note from the site's template",
        description="Create weeknotes/<year>/<date>-<slug>.md with front matter filled in, and "
        "print its path. An existing file is never overwritten.",
    )
    new_cmd.add_argument("title", nargs="?", help='the title (default "Week NN")')
    new_cmd.add_argument(
        "--author", help="your name (default: default_author, then git's user.name)"
    )
    new_cmd.add_argument("--team", help="your team (default: your team in config.yaml)")
    new_cmd.add_argument(
        "--date", help="the note's date, YYYY-MM-DD (default: this week's week_ends_on day)"
    )
    new_cmd.add_argument("--site", type=Path, default=Path(), metavar="DIR", help="the site folder")
    _add_status_and_import(commands)
    _add_digest(commands)
    return parser


def _add_build_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--site",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the site folder (default: the current folder)",
    )
    command.add_argument("--drafts", action="store_true", help="include notes marked 'draft: true'")
    command.add_argument("--future", action="store_true", help="include notes dated after today")
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    command.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="processes for rendering many notes at once (default: one per CPU)",
    )


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 for --help/--version
        return int(exc.code or 0)
    if not args.site.is_dir():
        print(f"weeknote-gen: error: {args.site} is not a folder", file=err)
        return EXIT_USAGE
    command = {
        "build": _build,
        "serve": _serve,
        "check": _check,
        "new": _new,
        "status": _status,
        "import": _import,
        "digest": _digest,
    }[args.command]
    return command(args, out, err)


def _options(args: argparse.Namespace, *, write: bool = True) -> BuildOptions:
    return BuildOptions(
        now=clock_from_environment(os.environ),
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
        write=write,
        jobs=max(0, args.jobs),
    )


def _build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    result = build(args.site, _options(args))
    _report(result, args, out, err)
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def _report(result: BuildResult, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    for notice in take_notices():  # the cache was damaged or old: the build went ahead
        print(f"note: {notice}", file=err)
    if result.diagnostics:
        outcome = PARTLY_WRITTEN if result.partly_written else NOTHING_WRITTEN
        print(format_report(result.diagnostics, strict=args.strict, outcome=outcome), file=err)
    if not result.ok:
        return
    if getattr(args, "verbose", False):
        for name, seconds in result.timings:
            print(f"  {name:<10} {seconds * 1000:8.1f} ms", file=out)
    print(summary_line(result), file=out)


def summary_line(result: BuildResult) -> str:
    report = result.report
    changes = (
        f" ({report.written} written, {report.unchanged} unchanged, {report.removed} removed)"
        if report
        else ""
    )
    skipped = []
    if result.skipped_drafts:
        skipped.append(f"{result.skipped_drafts} draft{'s' if result.skipped_drafts != 1 else ''}")
    if result.skipped_future:
        skipped.append(f"{result.skipped_future} scheduled")
    skipped_text = f", skipping {' and '.join(skipped)}" if skipped else ""
    where = f" into {result.output_dir}" if result.output_dir else ""
    notes = f"{result.notes} note{'s' if result.notes != 1 else ''}"
    timing = f" in {result.seconds:.2f} s"
    return f"Built {result.pages} files{changes} from {notes}{skipped_text}{where}{timing}"


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    result = build(args.site, _options(args, write=False))
    problems = result.diagnostics
    if args.format == "github":
        # Annotations name files from the repository root, where CI runs, not the site folder.
        problems = tuple(_from_working_folder(d, args.site) for d in problems)
        if problems:
            print(format_github(problems, strict=args.strict), file=out)
    elif args.format == "json":
        print(format_json(problems, strict=args.strict), file=out)
    elif problems:
        print(format_report(problems, strict=args.strict, outcome=WOULD_NOT_BUILD), file=out)
    if args.format != "json" and result.ok:
        count = result.notes + result.skipped_drafts + result.skipped_future
        notes = f"{count} note{'s' if count != 1 else ''}"
        clean = all(problem.is_note for problem in problems)
        print(f"Checked {notes}: {'no problems' if clean else 'no errors'} found.", file=out)
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def _from_working_folder(problem: Diagnostic, site: Path) -> Diagnostic:
    location = problem.location
    if location is None or site.resolve() == Path.cwd().resolve():
        return problem
    path = os.path.relpath(site / location.path)
    return replace(problem, location=Location(path, location.line, location.column))


def _serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from weeknote_gen.commands.serve import DevServer, Rebuilt, crash_report
    from weeknote_gen.engine.preview import preview_notes

    # Warm from the build cache: a site of thousands of notes starts in seconds, not minutes.
    state = BuildState.on_disk(args.site)
    lock = threading.Lock()
    refresh = _IdleTimer(SEARCH_REFRESH_SECONDS, lambda: refresh_search())
    good_builds = 0

    def rebuild() -> Rebuilt:
        nonlocal good_builds
        refresh.cancel()
        with lock:
            try:
                result = build(args.site, replace(_options(args), defer_search=True), state)
            except Exception as exc:  # report it here too; the server shows it and carries on
                print(f"[{_now()}] The build stopped unexpectedly: {exc!r}", file=err)
                raise
        print(f"[{_now()}] {'Rebuilt' if good_builds else 'Built'} the site:", file=out)
        out.flush()
        _report(result, args, out, err)
        if result.ok:
            if not good_builds:  # and leave it warm for the next `build` or `serve`
                state.memo.save()
            good_builds += 1
            if result.search_stale:
                refresh.start()
        elif good_builds:
            print("Still serving the last good version; fix the problems and save.", file=out)
        else:
            print("Nothing to serve yet; fix the problems and save.", file=out)
        out.flush()
        if not result.ok:
            return Rebuilt(
                tuple(d for d in result.diagnostics if d.counts_as_error(strict=args.strict))
            )
        return Rebuilt((), result.report.changed if result.report else None)

    def preview(changed: frozenset[Path]) -> list[str] | None:
        """An edited note's own page first, when only its text changed (see `preview`)."""
        with lock:
            started = time.perf_counter()
            try:
                written = preview_notes(args.site, changed, state)
            except Exception as exc:  # a bug: say so, though the full rebuild follows anyway
                print(f"[{_now()}] The quick preview stopped unexpectedly: {exc!r}", file=err)
                raise
        if written is None:
            return None
        took = time.perf_counter() - started
        pages = f"{len(written)} page{'s' if len(written) != 1 else ''}"
        print(f"[{_now()}] Showing the edit first ({pages} in {took:.2f} s)", file=out)
        out.flush()
        return written

    def refresh_search() -> None:
        """The edit is on screen; once the author pauses, bring the search index up to date."""
        with lock:
            build(args.site, _options(args), state)

    config, _ = load_config(args.site)
    output_dir = args.site / (config.output_dir if config else "_site")
    base_path = config.base_path if config else "/"
    try:  # claim the port before building, so a busy port costs no build
        server = DevServer(
            args.site,
            output_dir,
            base_path=base_path,
            builder=rebuild,
            previewer=preview,
            host=args.host,
            port=args.port,
            static_dir=config.static_dir if config else "static",
        )
    except OSError as exc:
        print(
            f"weeknote-gen: error: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=err,
        )
        return EXIT_USAGE
    signal.signal(signal.SIGTERM, _interrupt)  # stop as cleanly when a process manager asks
    try:  # Ctrl-C at any moment from here, even mid-build, stops cleanly
        try:
            first = rebuild().problems
        except Exception as exc:  # a bug must not stop the preview: show it, await a save
            first = (crash_report(exc),)
        server.start(first)
        print(f"Serving at {server.address} (Ctrl-C to stop)", file=out)
        out.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nStopping.", file=out)
    finally:
        refresh.cancel()
        server.stop()
    return EXIT_OK


SEARCH_REFRESH_SECONDS = 3.0  # of quiet after an edit before the search index is rebuilt


def _now() -> str:
    return dt.datetime.now().strftime("%H:%M:%S")


class _IdleTimer:
    """Runs an action once things have been quiet for a while; each restart pushes it back."""

    def __init__(self, seconds: float, action: Callable[[], None]) -> None:
        self.seconds = seconds
        self.action = action
        self.timer: threading.Timer | None = None

    def start(self) -> None:
        self.cancel()
        self.timer = threading.Timer(self.seconds, self.action)
        self.timer.daemon = True
        self.timer.start()

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from weeknote_gen.commands.new import NewNoteRequest, plan_new_note  # Jinja: only for `new`

    config, problems = load_config(args.site)
    if config is None:
        print(format_report(problems, outcome=NO_NOTE), file=err)
        return EXIT_PROBLEMS
    request = NewNoteRequest(title=args.title, author=args.author, team=args.team, date=args.date)
    today = clock_from_environment(os.environ).date()
    note, problems = plan_new_note(
        args.site, config, request, today=today, git_name=_git_user_name()
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
    if problems:  # advice only: the note is written
        print(format_report(problems), file=err)
    print(note.path, file=out)
    return EXIT_OK


def _git_user_name() -> str:
    try:
        result = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


# --------------------------------------------------------------------------- status and import


def _add_status_and_import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status_cmd = commands.add_parser(
        "status",
        help="who has written this week's note, who has not yet, and writing streaks",
        description="Show, team by team, who has written for the week and who has not yet, "
        "with each person's streak. Exit code 0, or with --fail-on-missing 1 while anyone "
        "expected has no note for the week.",
    )
    status_cmd.add_argument(
        "--week", help="an ISO week such as 2026-W28, or a date in it (default: this week)"
    )
    status_cmd.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text (default); github also appends a table to $GITHUB_STEP_SUMMARY; json",
    )
    status_cmd.add_argument(
        "--fail-on-missing",
        action="store_true",
        help="exit with 1 when anyone expected, and not away, has no note for the week",
    )
    status_cmd.add_argument(
        "--site", type=Path, default=Path(), metavar="DIR", help="the site folder"
    )

    import_cmd = commands.add_parser(
        "import",
        help="turn a WordPress export or an RSS/Atom file into weeknotes",
        description="Write one note per post under weeknotes/<year>/, never over an existing "
        "file, and print what was imported and what was skipped, with the reason.",
    )
    sources = import_cmd.add_subparsers(dest="source", metavar="SOURCE", required=True)
    wordpress = sources.add_parser(
        "wordpress",
        help="a WordPress export (Tools → Export, a WXR .xml file)",
        description="Import the posts of a WordPress export; drafts become 'draft: true', "
        "pages, attachments and menu items are skipped.",
    )
    feed = sources.add_parser(
        "feed",
        help="an RSS 2.0 or Atom file (such as a Medium or Blogger export)",
        description="Import the entries of an RSS 2.0 or Atom file.",
    )
    for command, categories, tags in ((wordpress, "team", "theme"), (feed, "theme", None)):
        command.add_argument("file", type=Path, metavar="FILE", help="the file to import")
        command.add_argument(
            "--author-map",
            type=Path,
            metavar="FILE",
            help="a YAML file mapping each login or name in the export to an author's name",
        )
        # The defaults are roles, resolved against config.yaml: `team` is whichever
        # taxonomy has the team role, named team unless the site says otherwise.
        command.add_argument(
            "--categories-to",
            default=None,
            metavar="TAXONOMY",
            help=f"the taxonomy categories become (default: the one with the {categories}"
            f" role, usually {categories}; 'none' drops them)",
        )
        command.set_defaults(categories_role=categories, tags_role=tags)
        if tags:
            command.add_argument(
                "--tags-to",
                default=None,
                metavar="TAXONOMY",
                help=f"the taxonomy tags become (default: the one with the {tags} role,"
                f" usually {tags}; 'none' drops them)",
            )
        command.add_argument("--dry-run", action="store_true", help="show what would be written")
        command.add_argument(
            "--site", type=Path, default=Path(), metavar="DIR", help="the site folder"
        )


def _status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from weeknote_gen.commands import status
    from weeknote_gen.urls import WeekId, parse_week

    config, problems = load_config(args.site)
    if config is None:
        print(format_report(problems, outcome="no status was worked out"), file=err)
        return EXIT_PROBLEMS
    if args.week is None:
        week = WeekId.of(clock_from_environment(os.environ).date())
    else:
        try:
            week = parse_week(args.week)
        except ValueError as exc:
            print(f"weeknote-gen: error: {exc}\n  hint: {WEEK_HINT}", file=err)
            return EXIT_USAGE
    notes, problems = status.read_notes(args.site, config)
    unread = len({p.location.path for p in problems if p.is_error and p.location})
    if unread:
        print(
            f"note: {unread} file{'s' if unread != 1 else ''} could not be read and"
            f" {'are' if unread != 1 else 'is'} not counted; 'weeknote-gen check' says why",
            file=err,
        )
    report = status.week_status(config, notes, week)
    if args.format == "json":
        print(status.format_json(report), file=out)
    else:
        print(status.format_text(report), file=out)
    if args.format == "github":
        summary = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
        if summary:
            try:
                with Path(summary).open("a", encoding="utf-8") as handle:
                    handle.write(status.format_markdown(report))
            except OSError as exc:
                print(f"weeknote-gen: warning: cannot write {summary}: {exc.strerror}", file=err)
    if args.fail_on_missing and report.missing:
        return EXIT_PROBLEMS
    return EXIT_OK


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from weeknote_gen.commands import importer
    from weeknote_gen.urls import slugify
    from weeknote_gen.yamldoc import load_yaml

    config, problems = load_config(args.site)
    if config is None:
        print(format_report(problems, outcome="nothing was imported"), file=err)
        return EXIT_PROBLEMS
    targets = {"categories": args.categories_to, "tags": getattr(args, "tags_to", "none")}
    roles = {"categories": args.categories_role, "tags": args.tags_role}
    for what, taxonomy in targets.items():
        if taxonomy is None:  # not given: the taxonomy with the role, as `new` finds the team
            holder = config.taxonomy_for(roles[what])
            if holder is None:
                option = f"--{what}-to"
                print(
                    f"weeknote-gen: error: no taxonomy has the {roles[what]} role, so {what}"
                    f" have nowhere to go\n  hint: name one with {option} (the site's"
                    f" taxonomies: {', '.join(config.taxonomy_names) or 'none'}), or"
                    f" {option} none to drop them; or give a taxonomy 'role: {roles[what]}'"
                    " in config.yaml",
                    file=err,
                )
                return EXIT_USAGE
            taxonomy = targets[what] = holder.name
        if taxonomy != "none" and taxonomy not in config.taxonomy_names:
            names = ", ".join(config.taxonomy_names) or "none configured"
            print(
                f"weeknote-gen: error: '{taxonomy}' is not one of the site's taxonomies, so"
                f" {what} cannot go there\n  hint: choose one of: {names}, or 'none'",
                file=err,
            )
            return EXIT_USAGE
    author_map: dict[str, str] = {}
    if args.author_map is not None:
        try:
            text = args.author_map.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"weeknote-gen: error: cannot read {args.author_map}: {exc}", file=err)
            return EXIT_USAGE
        doc, problems = load_yaml(text, str(args.author_map))
        value = doc.value if doc is not None else None
        if (
            doc is None
            or not isinstance(value, dict)
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        ):
            shown = format_report(problems, outcome="nothing was imported") if problems else ""
            print(
                (shown + "\n" if shown else "")
                + f"weeknote-gen: error: {args.author_map} must map each login to a name\n"
                "  hint: one line per person, such as: ada: Ada Lovelace",
                file=err,
            )
            return EXIT_USAGE
        author_map = {k.strip(): " ".join(v.split()) for k, v in value.items()}
    if not args.file.is_file():
        print(f"weeknote-gen: error: {args.file} is not a file", file=err)
        return EXIT_USAGE
    mapping = importer.TermMapping(
        categories="" if targets["categories"] == "none" else targets["categories"],
        tags="" if targets["tags"] == "none" else targets["tags"],
    )
    reader = importer.read_wordpress if args.source == "wordpress" else importer.read_feed
    try:
        read = reader(args.file, author_map, mapping)
    except importer.UnreadableExportError as exc:
        print(f"weeknote-gen: error: cannot import {args.file}: {exc}", file=err)
        return EXIT_PROBLEMS
    plan = importer.plan_import(args.site, read.posts)
    if not args.dry_run:
        plan = importer.write_plan(args.site, plan)
    print(importer.format_summary(plan, read.skipped, dry_run=args.dry_run), file=out)
    known = {slugify(p.name) for p in config.authors}
    strangers = sorted({n.post.author for n in plan.notes if slugify(n.post.author) not in known})
    if known and strangers:
        print(
            f"note: not in config.yaml yet: {', '.join(strangers)}; add them under 'authors:'"
            " (or map them with --author-map) to avoid a warning for each note",
            file=err,
        )
    return EXIT_PROBLEMS if plan.failed else EXIT_OK


# --------------------------------------------------------------------------- digest


def _add_digest(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    digest_cmd = commands.add_parser(
        "digest",
        help="one week's notes as an email: HTML, plain text or Markdown",
        description="Print (or write to --output) a digest of one week's notes, grouped by "
        "team with each note's summary and learnings, ready to paste into an email. Links "
        "are full addresses under base_url.",
    )
    digest_cmd.add_argument(
        "--week", help="an ISO week such as 2026-W28 (default: the latest week with notes)"
    )
    digest_cmd.add_argument("--team", metavar="SLUG", help="only this team's notes, such as ict")
    digest_cmd.add_argument(
        "--format",
        choices=("html", "text", "markdown"),
        default="html",
        help="html for email (default), text, or markdown",
    )
    digest_cmd.add_argument(
        "--output", type=Path, metavar="FILE", help="write the digest here instead of printing it"
    )
    digest_cmd.add_argument(
        "--site", type=Path, default=Path(), metavar="DIR", help="the site folder"
    )


def _digest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from weeknote_gen.commands import digest  # the whole pipeline: only for `digest`
    from weeknote_gen.urls import parse_week

    week = None
    if args.week is not None:
        try:
            week = parse_week(args.week)
        except ValueError as exc:
            print(f"weeknote-gen: error: {exc}\n  hint: {WEEK_HINT}", file=err)
            return EXIT_USAGE
    site, problems = digest.digest_site(args.site, clock_from_environment(os.environ))
    if site is None:
        print(format_report(problems, outcome="no digest was made"), file=err)
        return EXIT_PROBLEMS
    try:
        made = digest.make_digest(site, week, args.team)
    except digest.DigestError as exc:
        hint = f"\n  hint: {exc.hint}" if exc.hint else ""
        print(f"weeknote-gen: error: {exc}{hint}", file=err)
        return EXIT_USAGE if args.week is not None or args.team is not None else EXIT_PROBLEMS
    text = digest.render(made, args.format)
    if args.output is None:
        out.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"weeknote-gen: error: cannot write {args.output}: {exc.strerror}", file=err)
        return EXIT_PROBLEMS
    print(f"Wrote the digest of {made.week.label} to {args.output}", file=out)
    return EXIT_OK
