"""End to end: fixture sites built with a fixed clock, compared byte for byte.

`make golden` regenerates tests/golden/expected/ and every invalid case's expected.txt after a
deliberate change; review that diff like any other.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW
from tests.golden.generated import GENERATORS, SECRET
from tests.golden.regenerate import (
    EXPECTED,
    INVALID,
    PREVIOUS_SITE,
    REPORT,
    SITES,
    build_golden,
    expected_exit_code,
)
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
        # YAML that cannot be read
        "invalid-yaml",
        "yaml-tab-indent",
        "yaml-unclosed-quote",
        "yaml-unclosed-bracket",
        "duplicate-key",
        "yaml-python-tag",
        "yaml-anchors-and-aliases",
        "deeply-nested-lists",
        # front matter of the wrong shape
        "front-matter-not-mapping",
        "front-matter-scalar",
        "front-matter-empty",
        "unclosed-front-matter",
        "empty-file",
        "only-front-matter",
        # files that are not UTF-8 text, or are far too big
        "not-utf8",
        "utf16-with-bom",
        "nul-bytes",
        "note-of-20-mb",
        "ten-thousand-terms",
        # fields of the wrong type, and dates
        "missing-title-and-date",
        "fields-are-numbers",
        "fields-are-booleans",
        "fields-are-mappings",
        "fields-are-null",
        "term-is-mapping",
        "impossible-date",
        "dates-out-of-range",
        "date-bad-offset",
        # templates, config and the site as a whole
        "template-syntax-error",
        "template-undefined-variable",
        "config-every-key-mistyped",
        "unknown-config-key",
        "base-url-not-absolute",
        "url-clash",
        "slug-escapes-output",
        "symlink-loop",
        "symlink-outside-site",
    }
    assert required <= set(INVALID_CASES)
    assert len(INVALID_CASES) >= 40
    assert set(GENERATORS) <= set(INVALID_CASES), "a generator without its case folder"


@pytest.mark.usefixtures("fixed_clock")
@pytest.mark.parametrize("case", INVALID_CASES)
def test_invalid_site_reports_exactly_and_leaves_the_site_alone(case: str) -> None:
    run = build_invalid(INVALID / case)
    expected_code = expected_exit_code(INVALID / case)
    assert run.report == (INVALID / case / REPORT).read_text(encoding="utf-8")
    assert run.code == expected_code
    assert "Traceback" not in run.report
    assert run.report.strip(), "every case deserves at least a warning"
    for line in run.report.splitlines()[:-1]:
        # every problem names its file (or is a site-wide one), and ends with its code
        assert line.startswith("  ") or re.search(r" \[[a-z-]+\.[a-z-]+\]$", line), line
    if expected_code == 0:
        assert re.fullmatch(r"\d+ warnings?", run.report.splitlines()[-1])
        assert "index.html" in run.built, "a valid case builds the site"
        assert not any(SECRET.encode() in data for data in run.built.values())
    else:
        assert run.report.rstrip().endswith("nothing was written")
        assert run.changed == [], "the previous site and the sources must be untouched"
        assert run.built == {"index.html": PREVIOUS_SITE}


def test_the_harness_notices_a_changed_previous_site(tmp_path: Path) -> None:
    """The "untouched" check can fail: a case that builds is caught changing `_site/`."""
    case = tmp_path / "valid-but-marked-invalid"
    (case / "weeknotes").mkdir(parents=True)
    (case / "config.yaml").write_text(
        "title: T\nbase_url: https://example.org/\nsearch: false\n", encoding="utf-8"
    )
    (case / "weeknotes" / "a.md").write_text(
        "---\ntitle: Week 1\ndate: 2026-01-09\nauthor: Ada\n---\nText.\n", encoding="utf-8"
    )
    run = build_invalid(case)
    assert run.code == 0
    assert "_site/index.html" in run.changed
    assert run.built["index.html"] != PREVIOUS_SITE
