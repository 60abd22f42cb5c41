"""`weeknote-gen init | build | serve | check | new | status | import | digest`: the command line.

This module only reads the arguments and hands them to the command asked for; each command's
body, its words and its exit code (0 all is well, 1 problems with the content or config, 2 the
command itself was misused) are in `weeknote_gen/commands/`. Commands are imported only when
asked for, so that `build` never pays for Jinja, watchdog or BeautifulSoup.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from weeknote_gen import __version__
from weeknote_gen.commands.report import EXIT_USAGE

if TYPE_CHECKING:  # argparse's class is generic only to type checkers
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 for --help/--version
        return int(exc.code or 0)
    site = getattr(args, "site", None)  # `init` makes its folder, so has no --site
    if site is not None and not site.is_dir():
        print(f"weeknote-gen: error: {site} is not a folder", file=err)
        return EXIT_USAGE
    return _run(args, out, err)


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The command asked for, imported only now."""
    if args.command == "init":
        from weeknote_gen.commands.init import run_init

        return run_init(args, out, err)
    if args.command == "build":
        from weeknote_gen.commands.build import run_build

        return run_build(args, out, err)
    if args.command == "check":
        from weeknote_gen.commands.build import run_check

        return run_check(args, out, err)
    if args.command == "serve":
        from weeknote_gen.commands.serve import run_serve

        return run_serve(args, out, err)
    if args.command == "new":
        from weeknote_gen.commands.new import run_new  # Jinja: only for `new`

        return run_new(args, out, err)
    if args.command == "status":
        from weeknote_gen.commands.status import run_status

        return run_status(args, out, err)
    if args.command == "import":
        from weeknote_gen.commands.importer.command import run_import

        return run_import(args, out, err)
    from weeknote_gen.commands.digest import run_digest  # the whole pipeline: only for `digest`

    return run_digest(args, out, err)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="weeknote-gen",
        description="Build a static website from a folder of weeknotes.",
        epilog="Run 'weeknote-gen COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"weeknote-gen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_init(commands)
    _add_build(commands)
    _add_serve(commands)
    _add_check(commands)
    _add_new(commands)
    _add_status(commands)
    _add_import(commands)
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


def _add_site_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--site", type=Path, default=Path(), metavar="DIR", help="the site folder")


def _add_init(commands: SubParsers) -> None:
    init_cmd = commands.add_parser(
        "init",
        help="start a new site: config.yaml, a first note, the GitHub workflow and a README",
        description="Start a site in DIR: config.yaml, a first note in weeknotes/, .gitignore, "
        "the GitHub workflow that publishes it and a README for its authors. Asks for what "
        "the options leave out when run at a terminal. An existing file is never overwritten; "
        "where notes already exist (Jekyll's _posts/, Hugo's content/), no sample note is "
        "added and the command that brings them into weeknotes/ is printed.",
    )
    init_cmd.add_argument(
        "dir",
        type=Path,
        nargs="?",
        default=Path(),
        metavar="DIR",
        help="the site folder, made if needed (default: the current folder)",
    )
    init_cmd.add_argument("--title", help="the site's name")
    init_cmd.add_argument(
        "--base-url", metavar="URL", help="the full address the site will be published at"
    )
    init_cmd.add_argument(
        "--language", metavar="TAG", help="the notes' language tag, such as en-GB or cy"
    )
    init_cmd.add_argument(
        "--author",
        action="append",
        default=[],
        metavar="NAME",
        help='a first author, with a team in brackets if you like: "Maya Okonjo (ICT)";'
        " repeat for each",
    )
    init_cmd.add_argument(
        "--team", action="append", default=[], metavar="NAME", help="a team; repeat for each"
    )
    init_cmd.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="ask nothing: take the defaults for anything not given (as when not at a terminal)",
    )


def _add_build(commands: SubParsers) -> None:
    build_cmd = commands.add_parser(
        "build",
        help="build the site into the output folder (default _site/)",
        description="Build the site. Nothing is written unless every note and template is fine.",
    )
    _add_build_options(build_cmd)
    build_cmd.add_argument("--verbose", action="store_true", help="print how long each step took")


def _add_serve(commands: SubParsers) -> None:
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


def _add_check(commands: SubParsers) -> None:
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


def _add_new(commands: SubParsers) -> None:
    new_cmd = commands.add_parser(
        "new",
        help="start this week's note from the site's template",
        description="Create weeknotes/<year>/<date>-<slug>.md with front matter filled in, and "
        "print its path. An existing file is never overwritten.",
    )
    new_cmd.add_argument("title", nargs="?", help='the title (default "Week NN")')
    new_cmd.add_argument(
        "--author",
        help="your name (default: git's user.name when it is one of the configured authors, "
        "else default_author, else git's user.name)",
    )
    new_cmd.add_argument("--team", help="your team (default: your team in config.yaml)")
    new_cmd.add_argument(
        "--date", help="the note's date, YYYY-MM-DD (default: this week's week_ends_on day)"
    )
    new_cmd.add_argument(
        "--lang",
        metavar="CODE",
        help="on a site with languages: the note's language, such as cy (default: the first)",
    )
    _add_site_option(new_cmd)


def _add_status(commands: SubParsers) -> None:
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
    _add_site_option(status_cmd)


def _add_import(commands: SubParsers) -> None:
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
    _add_import_options(wordpress, categories="team", tags="theme")
    _add_import_options(feed, categories="theme", tags=None)


def _add_import_options(
    command: argparse.ArgumentParser, *, categories: str, tags: str | None
) -> None:
    """The options both sources share; `categories` and `tags` are the roles whose taxonomy
    each goes to by default (None: the source has no tags)."""
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
    _add_site_option(command)


def _add_digest(commands: SubParsers) -> None:
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
        "--lang",
        metavar="CODE",
        help="on a site with languages: the notes in this one, such as cy (default: the first)",
    )
    digest_cmd.add_argument(
        "--format",
        choices=("html", "text", "markdown"),
        default="html",
        help="html for email (default), text, or markdown",
    )
    digest_cmd.add_argument(
        "--output", type=Path, metavar="FILE", help="write the digest here instead of printing it"
    )
    _add_site_option(digest_cmd)
