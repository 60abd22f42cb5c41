"""Rebuild the golden sites' expected output after a deliberate change (`make golden`).

Review the diff of tests/golden/expected/ before committing it: it is the change readers see.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import FIXED_NOW
from weeknote_gen.build import BuildOptions, build
from weeknote_gen.cli import main as cli_main

HERE = Path(__file__).resolve().parent
SITES = HERE / "sites"
EXPECTED = HERE / "expected"
INVALID = HERE / "invalid"
REPORT = "expected.txt"


def build_golden(name: str, destination: Path) -> None:
    """Build the golden site `name` from a copy, with the fixed clock, into `destination`."""
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / name
        shutil.copytree(SITES / name, site)
        result = build(site, BuildOptions(now=FIXED_NOW))
        if not result.ok:
            raise SystemExit("\n".join(d.format() for d in result.diagnostics))
        if destination.exists():
            shutil.rmtree(destination)
        # The theme's static files change with every restyle; pages are what we pin down.
        shutil.copytree(site / "_site", destination, ignore=_top_level_static)


def report_for_invalid(case: Path) -> tuple[int, str, bool]:
    """Build a copy of an invalid case: (exit code, report, whether any file appeared)."""
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / case.name
        shutil.copytree(case, site, ignore=shutil.ignore_patterns(REPORT))
        before = sorted(p.relative_to(site) for p in site.rglob("*"))
        err = io.StringIO()
        code = cli_main(["build", "--site", str(site)], stdout=io.StringIO(), stderr=err)
        after = sorted(p.relative_to(site) for p in site.rglob("*"))
        return code, err.getvalue(), before != after


def _top_level_static(folder: str, names: list[str]) -> list[str]:
    """Leave out the theme's static files and Pagefind's search bundle (its filter files
    differ from run to run; the search tests check the bundle instead)."""
    return ["static", "pagefind"] if Path(folder).name == "_site" else []


@contextlib.contextmanager
def _fixed_clock() -> Iterator[None]:
    """The CLI reads its clock from SOURCE_DATE_EPOCH; pin it to the tests' clock."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(FIXED_NOW.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def main() -> int:
    for site in sorted(p for p in SITES.iterdir() if p.is_dir()):
        build_golden(site.name, EXPECTED / site.name)
        print(f"regenerated {EXPECTED / site.name}")
    with _fixed_clock():
        for case in sorted(p for p in INVALID.iterdir() if p.is_dir()):
            _, report, _ = report_for_invalid(case)
            (case / REPORT).write_text(report, encoding="utf-8")
            print(f"regenerated {case / REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
