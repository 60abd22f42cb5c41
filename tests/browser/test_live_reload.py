"""Live reload as an author sees it: save a note, and the open page changes by itself."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import FIXED_NOW, note, write_site
from weeknote_gen.build import BuildOptions, BuildState, build
from weeknote_gen.errors import Diagnostic
from weeknote_gen.serve import DevServer

pytestmark = pytest.mark.browser
NOTE = "weeknotes/2026/2026-01-09-one.md"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site = write_site(tmp_path / "site", {NOTE: note(title="First title")})
    state = BuildState()

    def rebuild() -> Sequence[Diagnostic]:
        result = build(site, BuildOptions(now=FIXED_NOW), state)
        return () if result.ok else tuple(d for d in result.diagnostics if d.is_error)

    server = DevServer(site, site / "_site", base_path="/", builder=rebuild, port=0)
    server.start(rebuild())
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
    expect(overlay).to_contain_text("date '2026-02-30' is not a valid date")
    expect(page.locator("h1")).to_have_text("First title")
    (site / NOTE).write_text(note(title="Fixed title"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Fixed title", timeout=10_000)
    expect(overlay).to_have_count(0)
