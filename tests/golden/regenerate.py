"""Rebuild the golden sites' expected output after a deliberate change (`make golden`).

Review the diff of tests/golden/expected/ before committing it: it is the change readers see.

The bad-input catalogue, tests/golden/invalid/<case>/, holds one tiny site per case (a
`config.yaml`, `weeknotes/`, perhaps `site_templates/`) and `expected.txt`, the exact standard
error of `weeknote-gen build`. Each case is built from a copy (symbolic links copied as links):

- The expected exit code is 1, unless the case has a file `exit-code` holding another one: `0`
  for input that is valid but deserves a warning. `make golden` never writes `exit-code`.
- Inputs too big or too odd for git (a 20 MB note, NUL bytes, UTF-16, symbolic links) are
  added to the copy at test time by the function for the case in `generated.GENERATORS`.
- A case expected to fail is built over a previous site (`_site/index.html` holding
  `PREVIOUS_SITE`), and nothing anywhere in the copy may appear, change or disappear.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import FIXED_NOW
from tests.golden.generated import GENERATORS
from weeknote_gen.cli import main as cli_main
from weeknote_gen.engine.build import BuildOptions, build

HERE = Path(__file__).resolve().parent
SITES = HERE / "sites"
EXPECTED = HERE / "expected"
INVALID = HERE / "invalid"
REPORT = "expected.txt"
EXIT_CODE = "exit-code"
PREVIOUS_SITE = b"<!doctype html><title>previous</title><p>The site from the last good build.\n"


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


def expected_exit_code(case: Path) -> int:
    """1 for a case that must fail; the number in the case's `exit-code` file otherwise."""
    marker = case / EXIT_CODE
    return int(marker.read_text(encoding="utf-8")) if marker.exists() else 1


@dataclass(frozen=True, slots=True)
class CaseRun:
    """What building one invalid case did."""

    code: int
    report: str  # standard error, exactly
    changed: list[str]  # paths in the copy that appeared, changed or disappeared
    built: dict[str, bytes] = field(default_factory=dict)  # the output folder afterwards


def report_for_invalid(case: Path) -> CaseRun:
    """Build a copy of an invalid case (over a previous site when it is expected to fail)."""
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / case.name
        shutil.copytree(case, site, symlinks=True, ignore=shutil.ignore_patterns(REPORT, EXIT_CODE))
        generate = GENERATORS.get(case.name)
        if generate is not None:
            generate(site)
        if expected_exit_code(case) != 0:
            (site / "_site").mkdir()
            (site / "_site" / "index.html").write_bytes(PREVIOUS_SITE)
        before = snapshot(site)
        err = io.StringIO()
        code = cli_main(["build", "--site", str(site)], stdout=io.StringIO(), stderr=err)
        after = snapshot(site)
        changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        output = site / "_site"
        built = {
            p.relative_to(output).as_posix(): p.read_bytes()
            for p in output.rglob("*")
            if p.is_file() and not p.is_symlink()
        }
        return CaseRun(code, err.getvalue(), changed, built)


def snapshot(root: Path) -> dict[str, object]:
    """Every path under `root` with its bytes (a link: its target), never following links."""
    found: dict[str, object] = {}
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in [*dirnames, *filenames]:
            path = here / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[relative] = ("link", str(path.readlink()))
            elif path.is_dir():
                found[relative] = "folder"
            else:
                found[relative] = path.read_bytes()
    return found


def _top_level_static(folder: str, names: list[str]) -> list[str]:
    """Leave out the theme's static files and Pagefind's search bundle (its filter files
    differ from run to run; the search tests check the bundle instead), at the site's root
    and at the root of each language's part of a bilingual site (a folder just below with a
    sitemap of its own)."""
    here = Path(folder)
    part = here.parent.name == "_site" and "sitemap.xml" in names
    return ["static", "pagefind"] if here.name == "_site" or part else []


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
            run = report_for_invalid(case)
            (case / REPORT).write_text(run.report, encoding="utf-8")
            print(f"regenerated {case / REPORT}")
            if run.code != expected_exit_code(case):
                print(f"  but it exited {run.code}, not {expected_exit_code(case)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
