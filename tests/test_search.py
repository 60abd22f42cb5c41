"""Search: a Pagefind bundle of the note pages only, reused while the notes are unchanged."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import build_site, note
from tests.test_output import files_under

NOTES = {
    "weeknotes/a.md": note(title="Allotments", body="We talked about allotment waiting lists.\n"),
    "weeknotes/b.md": note(title="Bins", date="2026-01-10", author="Bo Li", team="Waste"),
}


def test_the_bundle_indexes_each_note_page(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    result = build_site(site)
    assert result.ok
    bundle = site / "_site" / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 2
    assert (site / "_site" / "search" / "index.html").is_file()


def test_notes_are_marked_for_indexing_with_filters(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    assert build_site(site).ok
    page = (site / "_site" / "2026" / "b" / "index.html").read_text(encoding="utf-8")
    assert '<article class="note" data-pagefind-body data-pagefind-sort="date:2026-01-10">' in page
    assert 'data-pagefind-filter="author">Bo Li</a>' in page
    assert 'data-pagefind-filter="team">Waste</a>' in page
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in home


def test_the_header_search_box_submits_to_the_search_page(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    assert build_site(site).ok
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert '<form class="site-search" role="search" action="/search/" method="get">' in home
    assert '<input id="site-search-query" name="q" type="search"' in home


def test_search_false_builds_no_bundle_page_or_box(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES, config={"title": "T", "base_url": "https://e.org/", "search": False})
    assert build_site(site).ok
    out = site / "_site"
    assert not (out / "pagefind").exists()
    assert not (out / "search").exists()
    assert "site-search" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_missing_indexer_is_a_warning_and_strict_makes_it_fatal(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    site = make_site(NOTES)
    result = build_site(site)
    assert result.ok
    assert [d.code for d in result.diagnostics] == ["search.unavailable"]
    assert (site / "_site" / "index.html").is_file()
    assert not (site / "_site" / "pagefind").exists()
    strict = make_site(NOTES, name="strict")
    result = build_site(strict, strict=True)
    assert not result.ok
    assert not (strict / "_site").exists()


def test_an_unchanged_site_reuses_its_bundle_byte_for_byte(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    assert build_site(site).ok
    first = files_under(site / "_site")
    again = build_site(site)
    assert again.report is not None
    assert again.report.written == 0
    assert files_under(site / "_site") == first


def test_a_changed_note_rebuilds_the_bundle(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    assert build_site(site).ok
    (site / "weeknotes" / "c.md").write_text(note(title="C", date="2026-01-11"), encoding="utf-8")
    assert build_site(site).ok
    entry = json.loads((site / "_site" / "pagefind" / "pagefind-entry.json").read_bytes())
    assert entry["languages"]["en"]["page_count"] == 3


def test_a_deferred_search_reuses_the_last_index_until_refreshed(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(NOTES)
    assert build_site(site).ok
    entry = site / "_site" / "pagefind" / "pagefind-entry.json"
    (site / "weeknotes" / "c.md").write_text(note(title="C", date="2026-01-11"), encoding="utf-8")
    quick = build_site(site, defer_search=True)
    assert quick.ok
    assert quick.search_stale
    assert json.loads(entry.read_bytes())["languages"]["en"]["page_count"] == 2
    assert (site / "_site" / "2026" / "c" / "index.html").is_file()
    fresh = build_site(site)
    assert not fresh.search_stale
    assert json.loads(entry.read_bytes())["languages"]["en"]["page_count"] == 3


def test_a_build_that_cannot_write_caches_no_search_bundle(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({"weeknotes/a.md": note(title="Kept out")})
    (site / "_site").write_text("a file where the output folder should be", encoding="utf-8")

    result = build_site(site)

    assert not result.ok
    assert [d.code for d in result.diagnostics if d.is_error] == ["output.not-folder"]
    assert not (site / ".weeknote-cache" / "search").exists()


def test_a_note_in_another_language_is_in_the_site_s_one_index(
    make_site: Callable[..., Path],
) -> None:
    """Pagefind would put a `<html lang="cy">` page in an index of its own, which the English
    search page never loads; the site's language is forced, so there is one index."""
    notes = {
        **NOTES,
        "weeknotes/c.md": note(
            title="Llyfrgelloedd", date="2026-01-11", lang="cy", body="Gliniaduron newydd.\n"
        ),
    }
    site = make_site(notes)
    assert build_site(site).ok
    page = (site / "_site" / "2026" / "c" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="cy">' in page
    entry = json.loads((site / "_site" / "pagefind" / "pagefind-entry.json").read_bytes())
    assert set(entry["languages"]) == {"en"}
    assert entry["languages"]["en"]["page_count"] == 3


def test_a_site_under_a_sub_path_indexes_its_notes_below_it(
    make_site: Callable[..., Path],
) -> None:
    """Pagefind's UI puts the folder its bundle is served from (/team/notes/) before every
    result URL, so the index holds each note's path below it; the full path came out doubled."""
    config = {"title": "T", "base_url": "https://e.org/team/notes/"}
    site = make_site(NOTES, config=config)
    assert build_site(site).ok
    urls = sorted(indexed_urls(site / "_site" / "pagefind"))
    assert urls == ["/2026/a/", "/2026/b/"]


def indexed_urls(bundle: Path) -> list[str]:
    """The page URL each of a Pagefind bundle's fragments (gzipped, tagged JSON) holds."""
    tag = b"pagefind_dcd"
    urls = []
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(tag), fragment
        urls.append(json.loads(data[len(tag) :])["url"])
    return urls
