"""`weeknote-gen build | serve`: turns a `BuildResult` into words and an exit code.

Exit codes: 0 built, 1 problems with content or config, 2 the command itself was misused.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from weeknote_gen import __version__
from weeknote_gen.build import BuildOptions, BuildResult, build, clock_from_environment
from weeknote_gen.config import load_config
from weeknote_gen.errors import format_report

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


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
        help="build the site, then preview it at http://127.0.0.1:8000",
        description="Build the site, then serve the output folder for preview in a browser.",
    )
    _add_build_options(serve_cmd)
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default 8000)"
    )
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
    options = BuildOptions(
        now=clock_from_environment(os.environ),
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
    )
    result = build(args.site, options)
    _report(result, args, out, err)
    if not result.ok:
        return EXIT_PROBLEMS
    if args.command == "serve":
        return _serve(args, result, out, err)
    return EXIT_OK


def _report(result: BuildResult, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    if result.diagnostics:
        report = format_report(
            result.diagnostics, strict=args.strict, partly_written=result.partly_written
        )
        print(report, file=err)
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


def _serve(args: argparse.Namespace, result: BuildResult, out: TextIO, err: TextIO) -> int:
    from weeknote_gen.serve import make_server

    config, _ = load_config(args.site)
    assert config is not None and result.output_dir is not None
    try:
        server = make_server(
            result.output_dir, host=args.host, port=args.port, base_path=config.base_path
        )
    except OSError as exc:
        print(
            f"weeknote-gen: error: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=err,
        )
        return EXIT_USAGE
    print(
        f"Serving {result.output_dir} at http://{args.host}:{args.port}{config.base_path}"
        " (Ctrl-C to stop)",
        file=out,
    )
    out.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.", file=out)
    finally:
        server.server_close()
    return EXIT_OK
