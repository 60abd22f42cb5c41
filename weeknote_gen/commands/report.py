"""How every command speaks to the terminal: exit codes, and a build's report.

Library code returns values; the commands turn them into words and exit codes: 0 all is
well, 1 problems with the content or config, 2 the command itself was misused. `build`,
`check` and `serve` share one way of reporting a build, so it lives here.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from weeknote_gen.engine.build import BuildResult
from weeknote_gen.engine.cache_version import take_notices
from weeknote_gen.errors import NOTHING_WRITTEN, PARTLY_WRITTEN, format_report

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
WEEK_HINT = "write an ISO week such as 2026-W28, or a date in it such as 2026-07-08"


def report_build(result: BuildResult, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
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
