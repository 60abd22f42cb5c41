"""Markdown, pages and feeds made in forked processes: the same bytes, caches and views as
one process makes, and one process whenever a pool would be unsafe or breaks."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import BASIC_CONFIG, FIXED_NOW, note, write_site
from tests.test_output import files_under
from weeknote_gen.engine.build import BuildOptions, BuildState, build
from weeknote_gen.engine.codec import PAGES
from weeknote_gen.output import feeds, render
from weeknote_gen.output import render as pool  # the process pool lives with page rendering

AUTHORS = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra")


def _notes(count: int) -> dict[str, str]:
    """Notes with everything the pool's work touches: code, links between notes, learning
    passages, several authors, teams (for digest feeds) and themes."""
    notes = {}
    for i in range(count):
        body = (
            f"# Week {i}\n\nSome *text* with `code` and a [link](n{(i + 1) % count:03d}.md).\n\n"
            "```python\nprint('hello')\n```\n\n"
            f"## Something I'm learning\n\nHow to pace week {i} <and> escape it.\n"
        )
        notes[f"weeknotes/n{i:03d}.md"] = note(
            body,
            title=f"Note {i} & more",
            date=f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
            authors=[AUTHORS[i % 4], AUTHORS[(i + 1) % 4]],
            team=[f"team-{i % 3}"],
            theme=[f"theme-{i % 7}"],
        )
    return notes


INNER = "WEEKNOTE_TEST_POOL_IN_A_PROCESS_OF_ITS_OWN"


@pytest.fixture
def quiet_process() -> None:
    """Forking is refused while other threads run (they could hold a lock the child would
    wait on forever), and earlier tests in the same run leave some behind (the browser tests'
    server and Playwright, Pagefind's event loop). Then the test is run again, alone, by
    `test_the_pool_tests_pass_in_a_process_of_their_own`, and skipped here."""
    if threading.active_count() > 1 and not os.environ.get(INNER):
        pytest.skip("other threads run in this process; run in a process of its own instead")


def test_the_pool_tests_pass_in_a_process_of_their_own() -> None:
    """The tests that need a pool, in a fresh process with no other threads, so that they
    always run in a full test run too."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            __file__,
            "-k",
            "not in_a_process_of_their_own",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, INNER: "1"},
        cwd=Path(__file__).resolve().parent.parent,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped" not in result.stdout, result.stdout


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test-sized site goes to the pool for every stage, not only for Markdown."""
    monkeypatch.setattr(render, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(feeds, "PARALLEL_FEEDS", 2)


def _build(site: Path, jobs: int) -> tuple[BuildState, dict[str, bytes]]:
    state = BuildState()
    result = build(site, BuildOptions(now=FIXED_NOW, jobs=jobs), state)
    assert result.ok, [d.format() for d in result.diagnostics]
    return state, files_under(site / "_site")


def test_two_processes_build_the_same_bytes_and_memo_as_one(
    tmp_path: Path, small_thresholds: None, quiet_process: None
) -> None:
    notes = _notes(70)  # above the number of notes at which Markdown goes to the pool
    config = {**BASIC_CONFIG, "search": False}
    before = pool.pools_run
    serial_state, serial = _build(write_site(tmp_path / "one", notes, config), jobs=1)
    assert pool.pools_run == before
    parallel_state, parallel = _build(write_site(tmp_path / "two", notes, config), jobs=2)
    assert pool.pools_run == before + 4  # Markdown, learning passages, pages and feeds

    assert sorted(parallel) == sorted(serial)
    for path, data in serial.items():
        assert parallel[path] == data, path
    assert any(path.endswith("digest.xml") for path in serial)  # feeds of every kind

    # The caches a dev server keeps between builds end up the same, entry for entry.
    assert parallel_state.memo.table(PAGES).used == serial_state.memo.table(PAGES).used
    for key in serial_state.memo.table(PAGES).used:
        assert parallel_state.memo.table(PAGES).get(key) == serial_state.memo.table(PAGES).get(key)
    # Every other memo table too: parsed notes, Markdown, learning passages, related notes.
    assert parallel_state.memo.tables.keys() == serial_state.memo.tables.keys()
    assert len(serial_state.memo.tables) >= 5
    for name, table in serial_state.memo.tables.items():
        assert parallel_state.memo.tables[name].used == table.used, name
        for key in table.used:
            assert parallel_state.memo.tables[name].get(key) == table.get(key), name
    assert len(serial_state.memo.table(PAGES).used) > len(notes)  # a page for every note, and lists


def test_a_second_build_from_a_parallel_builds_state_reuses_every_page(
    tmp_path: Path, small_thresholds: None, quiet_process: None
) -> None:
    """The fingerprints a pool's workers report are the ones the next build looks up."""
    site = write_site(tmp_path / "site", _notes(70), {**BASIC_CONFIG, "search": False})
    state, first = _build(site, jobs=2)
    added = state.memo.table(PAGES).added
    assert build(site, BuildOptions(now=FIXED_NOW, jobs=2), state).ok
    assert state.memo.table(PAGES).added == 0 < added  # nothing rendered again
    assert files_under(site / "_site") == first


def _square(offset: int, task: int) -> int:
    return task * task + offset


def test_fork_map_keeps_input_order_and_uses_processes(quiet_process: None) -> None:
    before = pool.pools_run
    assert pool.fork_map(_square, 1, list(range(50)), 2) == [i * i + 1 for i in range(50)]
    assert pool.pools_run == before + 1


def test_fork_map_works_here_while_another_thread_runs() -> None:
    """Forking a process with threads can deadlock (the dev server has some)."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        before = pool.pools_run
        assert pool.fork_map(_square, 0, [3, 4, 5], 2) == [9, 16, 25]
        assert pool.pools_run == before
    finally:
        stop.set()
        thread.join()


def test_fork_map_without_fork_works_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    before = pool.pools_run
    assert pool.fork_map(_square, 0, [1, 2], 2) == [1, 4]
    assert pool.pools_run == before


def _die_in_a_worker(parent: int, task: int) -> int:
    if os.getpid() != parent:
        os._exit(3)  # a worker killed part way (out of memory, say)
    return task + 1


def test_a_broken_pool_falls_back_to_this_process() -> None:
    before = pool.pools_run
    assert pool.fork_map(_die_in_a_worker, os.getpid(), [1, 2, 3], 2) == [2, 3, 4]
    assert pool.pools_run == before


def test_spans_cover_every_task_once_in_order() -> None:
    for count in (0, 1, 7, 64, 1000):
        for jobs in (1, 2, 16):
            cut = pool.spans(count, jobs, 8, 8)
            assert [i for span in cut for i in span] == list(range(count))
            assert all(len(span) >= 1 for span in cut)
