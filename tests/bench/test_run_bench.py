"""The bench's own logic, on made-up samples and tiny real processes: the full bench takes
minutes, and a bench whose table or memory figure is wrong misleads every decision after it."""

from __future__ import annotations

import sys
from pathlib import Path

import run_bench
from run_bench import Case, Corpus, Sample

REPO = Path(__file__).resolve().parents[2]


def corpus(size: int, cases: dict[str, Case], blocks: dict[str, list[float]]) -> Corpus:
    made = Corpus(size, {}, Path(), "n.md", "a.md", "", blocks=blocks, cases=cases)
    made.extra = {"markdown": Sample(3.14, 0), "markdown_bare": Sample(2.0, 0)}
    return made


def parse(table: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]


def test_the_template_case_edits_an_element_every_note_page_has() -> None:
    template = (REPO / "site_templates" / "note.html").read_text(encoding="utf-8")
    assert template.count(run_bench.TEMPLATE_ANCHOR) == 1


def test_table_rows_line_up_and_show_medians_ratios_peaks_and_runs() -> None:
    cold = Case(
        samples=[Sample(30.0, 500), Sample(50.0, 700), Sample(40.0, 600)],
        ratios=[6.0, 9.0, 7.0],
        cache_mb=[100.0, 101.5, 101.0],
    )
    ci = Case(samples=[Sample(12.0, 400)], ratios=[2.5], cache_mb=[101.5])
    hugo = Case(samples=[Sample(5.0, 540), Sample(4.0, 550)])
    small = corpus(4000, {"hugo": hugo, "cold/off": cold, "ci/off": ci}, {"off": [70.0]})
    large = corpus(10000, {"hugo": hugo}, {"off": [200.0]})
    rows = parse(run_bench.table([small, large]))
    sizes = ["4,000 notes", "× Hugo", "peak memory", "10,000 notes", "× Hugo", "peak memory"]
    assert rows[0] == ["case", "search", *sizes]
    assert all(len(row) == 8 for row in rows)
    by_label = {(row[0], row[1]): row[2:] for row in rows[2:]}
    assert by_label[("cold build", "off")] == ["40.00 s [3]", "7.00", "700 MB", "—", "—", "—"]
    assert by_label[("Hugo cold build", "—")][:3] == ["4.50 s [2]", "1", "550 MB"]
    assert by_label[("`.weeknote-cache/` after cold / CI", "off")][0] == "101.5 / 101.5 MB"
    assert by_label[("`.weeknote-cache/` after cold / CI", "on")][0] == "—"
    # Search-on rows appear only once a size has run them; the search-off ones always do.
    assert ("cold build", "on") not in by_label
    assert by_label[("one template edited, every note page changes", "off")][0] == "—"
    markdown = by_label[("Markdown, ms per note (bare Python-Markdown)", "")]
    assert markdown[0] == "3.1 ms (2.0 ms)"


def test_blocks_are_estimated_from_their_own_runs_then_other_sizes() -> None:
    small = corpus(4000, {}, {"off": [70.0], "on": [80.0, 90.0]})
    large = corpus(10000, {}, {"off": [200.0]})
    assert run_bench.estimate([small, large], small, "on") == 90.0 * 1.1
    assert run_bench.estimate([small, large], large, "on") == 90.0 * 2.5 * 1.3
    assert run_bench.estimate([small, large], large, "comment") == 200.0 * 0.25
    assert run_bench.estimate([large], large, "on") == 200.0 * 1.4


def test_blocks_come_most_wanted_first() -> None:
    """Search on once (a run always reports both), then medians with search off, which the
    issue's targets are judged on, at each size; then the rest."""
    small, large = corpus(4000, {}, {}), corpus(10000, {}, {})
    order = [(b, n, c.size) for b, n, c in run_bench.optional_blocks([small, large], 3)]
    assert order == [
        ("on", 1, 4000),
        ("off", 2, 4000),
        ("off", 3, 4000),
        ("off", 2, 10000),
        ("off", 3, 10000),
        ("on", 1, 10000),
        ("comment", 1, 4000),
        ("comment", 1, 10000),
        ("on", 2, 4000),
        ("on", 2, 10000),
        ("on", 3, 4000),
        ("on", 3, 10000),
    ]


def test_peak_memory_adds_up_processes_running_together(tmp_path: Path) -> None:
    """Two children holding 200 MB each at once: the kernel's peak (wait4) is that of the
    largest single process, 200 MB; the build needed 400 MB, and the sampled tree says so."""
    child = "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); "
    child += "import time; time.sleep(3.0)"
    parent = (
        "import subprocess, sys; "
        f"children = [subprocess.Popen([sys.executable, '-c', {child!r}]) for _ in range(2)]; "
        "[c.wait() for c in children]"
    )
    sample = run_bench.run([sys.executable, "-c", parent], tmp_path)
    assert sample.peak_mb >= 400, sample
    alone = run_bench.run([sys.executable, "-c", "pass"], tmp_path)
    assert alone.peak_mb < 100, alone
