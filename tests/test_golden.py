"""End to end: fixture sites built with a fixed clock, compared byte for byte.

`make golden` regenerates tests/golden/expected/ and every invalid case's expected.txt after a
deliberate change; review that diff like any other.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW
from tests.golden.regenerate import EXPECTED, INVALID, REPORT, SITES, build_golden
from tests.golden.regenerate import report_for_invalid as build_invalid


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", sorted(p.name for p in SITES.iterdir() if p.is_dir()))
def test_golden_site_matches_byte_for_byte(name: str, tmp_path: Path) -> None:
    build_golden(name, tmp_path / "out")
    built = tree(tmp_path / "out")
    expected = tree(EXPECTED / name)
    assert sorted(built) == sorted(expected)
    for path, data in expected.items():
        assert built[path] == data, f"{path} differs from the golden copy (run `make golden`?)"


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))


INVALID_CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def test_the_catalogue_covers_the_required_cases() -> None:
    required = {
        "invalid-yaml",
        "front-matter-not-mapping",
        "missing-title-and-date",
        "impossible-date",
        "term-is-mapping",
        "not-utf8",
        "url-clash",
        "unknown-config-key",
        "base-url-not-absolute",
        "slug-escapes-output",
    }
    assert required <= set(INVALID_CASES)


@pytest.mark.usefixtures("fixed_clock")
@pytest.mark.parametrize("case", INVALID_CASES)
def test_invalid_site_reports_exactly_and_writes_nothing(case: str) -> None:
    code, report, wrote_something = build_invalid(INVALID / case)
    assert code == 1
    assert report == (INVALID / case / REPORT).read_text(encoding="utf-8")
    assert "Traceback" not in report
    assert report.rstrip().endswith("nothing was written")
    assert not wrote_something
