"""Live reload as an author sees it: save a note, and the open page changes by itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import FIXED_NOW, note, write_site
from weeknote_gen.commands.serve import DevServer, Rebuilt
from weeknote_gen.engine.build import BuildOptions, BuildState, build

pytestmark = pytest.mark.browser
NOTE = "weeknotes/2026/2026-01-09-one.md"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site = write_site(tmp_path / "site", {NOTE: note(title="First title")})
    state = BuildState()

    def rebuild() -> Rebuilt:
        result = build(site, BuildOptions(now=FIXED_NOW), state)
        if not result.ok:
            return Rebuilt(tuple(d for d in result.diagnostics if d.is_error))
        return Rebuilt((), result.report.changed if result.report else None)

    server = DevServer(site, site / "_site", base_path="/", builder=rebuild, port=0)
    server.start(rebuild().problems)
    yield site, server.address
    server.stop()


def test_an_open_page_reloads_itself_after_a_save(page: Page, served: tuple[Path, str]) -> None:
    site, address = served
    page.goto(f"{address}2026/one/")
    expect(page.locator("h1")).to_have_text("First title")
    (site / NOTE).write_text(note(title="Second title"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Second title", timeout=10_000)


def test_an_open_page_shows_problems_and_clears_them(page: Page, served: tuple[Path, str]) -> None:
    site, address = served
    page.goto(f"{address}2026/one/")
    (site / NOTE).write_text("---\ntitle: Week 1\ndate: 2026-02-30\n---\n", encoding="utf-8")
    overlay = page.locator("#weeknote-overlay")
    expect(overlay).to_be_visible(timeout=10_000)
    expect(overlay).to_contain_text("weeknotes/2026/2026-01-09-one.md:3:7:")
    expect(overlay).to_contain_text("date '2026-02-30' is not a real date")
    expect(page.locator("h1")).to_have_text("First title")
    (site / NOTE).write_text(note(title="Fixed title"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Fixed title", timeout=10_000)
    expect(overlay).to_have_count(0)


def test_a_page_the_rebuild_did_not_change_stays_as_it_is(
    page: Page, served: tuple[Path, str]
) -> None:
    site, address = served
    page.goto(f"{address}search/")
    page.evaluate("window.stillHere = true")
    (site / NOTE).write_text(note("Another week.\n", title="First title"), encoding="utf-8")
    note_page = site / "_site/2026/one/index.html"
    expect(page.locator("h1")).to_have_text("Search")
    page.wait_for_function(
        "() => fetch('/2026/one/').then(r => r.text()).then(t => t.includes('Another week'))",
        timeout=10_000,
    )
    page.wait_for_timeout(500)  # time enough for a reload to have started
    assert page.evaluate("window.stillHere") is True
    assert "Another week" in note_page.read_text(encoding="utf-8")
