"""`weeknote-gen build` and `weeknote-gen check`: the engine's build, written or not, reported.

`check` runs exactly the build `build` would, writing nothing, and reports its problems in
the format asked for: text for people, GitHub Actions annotations, or JSON for tools.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from weeknote_gen.commands.report import EXIT_OK, EXIT_PROBLEMS, report_build
from weeknote_gen.engine.build import BuildOptions, build, clock_from_environment
from weeknote_gen.errors import Diagnostic, Location, format_github, format_json, format_report

WOULD_NOT_BUILD = "the site would not build"


def build_options(args: argparse.Namespace, *, write: bool = True) -> BuildOptions:
    return BuildOptions(
        now=clock_from_environment(os.environ),
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
        write=write,
        jobs=max(0, args.jobs),
    )


def run_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    result = build(args.site, build_options(args))
    report_build(result, args, out, err)
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    result = build(args.site, build_options(args, write=False))
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
