"""Build: the whole pipeline on disk — determinism, nothing lost on failure, sub-paths."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BASIC_CONFIG, FIXED_NOW, build_site, note, write_site
from tests.test_output import files_under
from tests.test_sample_site import broken_links
from weeknote_gen.engine.build import BuildOptions, BuildState, build
from weeknote_gen.errors import NOTHING_WRITTEN, format_report

NOTES = {
    "weeknotes/2026/2026-01-09-one.md": note(title="One", theme=["agile"], team="Data"),
    "weeknotes/2026/2026-01-16-two.md": note(
        title="Two", date="2026-01-16", body="See [one](2026-01-09-one.md).\n"
    ),
}


def test_building_twice_gives_byte_identical_output(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    first = make_site(NOTES, name="first")
    second = make_site(NOTES, name="second")
    assert build_site(first).ok
    assert build_site(second).ok
    one, two = files_under(first / "_site"), files_under(second / "_site")
    assert _only_search_index_names_differ(one, two)
    assert _without_search_index(one) == _without_search_index(two)
    assert "pagefind/pagefind.js" in _without_search_index(one)


# Pagefind writes its filter and metadata indexes in a different order on each run (the
# fragments and word index are stable). A site rebuilt from a cache reuses its bundle, so it
# is byte-identical (tests/test_search.py); two fresh builds differ only in these files.
def _unstable_search_file(path: str) -> bool:
    return (
        path.startswith("pagefind/filter/")
        or path.endswith(".pf_meta")
        or path == "pagefind/pagefind-entry.json"
    )


def _without_search_index(files: dict[str, bytes]) -> dict[str, bytes]:
    return {p: d for p, d in files.items() if not _unstable_search_file(p)}


def _only_search_index_names_differ(one: dict[str, bytes], two: dict[str, bytes]) -> bool:
    return all(_unstable_search_file(p) for p in one.keys() ^ two.keys())


def test_a_rebuild_rewrites_nothing_when_nothing_changed(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    first = build_site(site)
    again = build_site(site)
    assert first.report is not None
    assert again.report is not None
    assert first.report.written == first.pages
    assert (again.report.written, again.report.unchanged) == (0, again.pages)


def test_a_failed_build_leaves_the_previous_site_exactly_as_it_was(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(NOTES)
    assert build_site(site).ok
    before = files_under(site / "_site")
    (site / "weeknotes" / "2026" / "2026-01-16-two.md").write_text(
        "---\ntitle: [broken\n---\n", encoding="utf-8"
    )
    (site / "weeknotes" / "new.md").write_text(note(title="New"), encoding="utf-8")
    result = build_site(site)
    assert not result.ok
    assert files_under(site / "_site") == before


def test_removed_notes_disappear_from_the_output(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    assert build_site(site).ok
    assert (site / "_site" / "2026" / "two" / "index.html").is_file()
    (site / "weeknotes" / "2026" / "2026-01-16-two.md").unlink()
    result = build_site(site)
    assert result.ok
    assert not (site / "_site" / "2026" / "two").exists()


def test_every_link_works_under_a_sub_path(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES, config={"title": "T", "base_url": "https://example.org/a/b/"})
    assert build_site(site).ok
    mounted = site / "mounted"
    (mounted / "a").mkdir(parents=True)
    (site / "_site").rename(mounted / "a" / "b")
    assert broken_links(mounted) == []
    home = (mounted / "a" / "b" / "index.html").read_text(encoding="utf-8")
    assert 'href="/a/b/static/style.css"' in home


def test_drafts_and_future_notes_are_built_only_when_asked(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "weeknotes/d.md": note(title="D", draft=True),
            "weeknotes/f.md": note(title="F", date="2027-01-01"),
        }
    )
    result = build_site(site)
    assert (result.notes, result.skipped_drafts, result.skipped_future) == (0, 1, 1)
    result = build_site(site, drafts=True, future=True)
    assert result.notes == 2
    assert (site / "_site" / "2027" / "f" / "index.html").is_file()


def test_strict_turns_warnings_into_failure(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": note(tittle="typo")})
    assert build_site(site).ok
    result = build_site(site, strict=True)
    assert not result.ok
    assert [d.code for d in result.diagnostics] == ["front-matter.unknown-key"]


def test_check_mode_writes_nothing(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    result = build_site(site, write=False)
    assert result.ok
    assert result.pages > 0
    assert not (site / "_site").exists()
    assert not (site / ".weeknote-cache").exists()


def test_a_failure_while_writing_leaves_the_output_folder_as_it_was(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(NOTES)
    (site / "_site").mkdir()
    (site / "_site" / "2026").write_text("a file where a folder must go", encoding="utf-8")
    result = build_site(site)
    assert not result.ok
    assert not result.partly_written
    assert [d.code for d in result.diagnostics] == ["output.io"]
    report = format_report(result.diagnostics, outcome=NOTHING_WRITTEN)
    assert report.endswith("1 error; nothing was written")
    assert [p.name for p in (site / "_site").iterdir()] == ["2026"]


def test_pictures_and_files_beside_notes_are_published_under_media(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            "weeknotes/2026/a.md": note(
                body="![The board](pics/board.png) and [the slides](deck.pdf) and ![x](gone.png)\n"
            ),
            "weeknotes/2026/pics/board.png": b"\x89PNG fake",
            "weeknotes/2026/deck.pdf": b"%PDF fake",
            "weeknotes/2026/unused.pdf": b"%PDF private",
            "weeknotes/d.md": note(title="D", draft=True, body="![secret](secret.png)\n"),
            "weeknotes/secret.png": b"draft picture",
        },
        config={"title": "T", "base_url": "https://e.org/sub/"},
    )
    result = build_site(site)
    assert result.ok
    assert [(d.code, str(d.location)) for d in result.diagnostics] == [
        ("link.missing-file", "weeknotes/2026/a.md:6")
    ]
    out = site / "_site"
    assert (out / "media" / "2026" / "pics" / "board.png").read_bytes() == b"\x89PNG fake"
    assert (out / "media" / "2026" / "deck.pdf").is_file()
    assert not (out / "media" / "2026" / "unused.pdf").exists()
    assert not (out / "media" / "secret.png").exists()
    page = (out / "2026" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<img alt="The board" src="/sub/media/2026/pics/board.png">' in page
    assert '<a href="/sub/media/2026/deck.pdf">the slides</a>' in page
    assert '<img alt="x" src="gone.png">' in page


def test_warm_state_notices_config_changes_that_affect_parsing(
    make_site: Callable[..., Path],
) -> None:
    config = {"title": "T", "base_url": "https://e.org/", "default_author": "Ada Byron"}
    site = make_site({"weeknotes/a.md": note(author=...)}, config=config)
    state = BuildState()
    assert build(site, BuildOptions(now=FIXED_NOW), state).ok
    assert (site / "_site" / "authors" / "ada-byron" / "index.html").is_file()
    write_site(site, {}, {**config, "default_author": "Bo Li"})
    assert build(site, BuildOptions(now=FIXED_NOW), state).ok
    assert (site / "_site" / "authors" / "bo-li" / "index.html").is_file()
    assert not (site / "_site" / "authors" / "ada-byron").exists()


def test_an_identical_rebuild_stops_early_but_still_reports_warnings(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({**NOTES, "weeknotes/w.md": note(title="W", tittle="typo")})
    first = build_site(site)
    again = build_site(site)
    assert [d.code for d in again.diagnostics] == [d.code for d in first.diagnostics]
    assert "render" not in dict(again.timings)
    assert (again.notes, again.pages) == (first.notes, first.pages)


def test_an_early_stop_never_hides_a_change(make_site: Callable[..., Path]) -> None:
    site = make_site({**NOTES, "weeknotes/later.md": note(title="Later", date="2026-12-01")})
    assert build_site(site).ok
    (site / "_site" / "2026" / "one" / "index.html").unlink()
    assert "render" in dict(build_site(site).timings)
    assert (site / "_site" / "2026" / "one" / "index.html").is_file()
    (site / "site_templates" / "static").mkdir(parents=True)
    (site / "site_templates" / "static" / "extra.css").write_text("p{}", encoding="utf-8")
    assert build_site(site).ok
    assert (site / "_site" / "static" / "extra.css").is_file()
    december = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert build(site, BuildOptions(now=december)).ok
    assert (site / "_site" / "2026" / "later" / "index.html").is_file()


def test_parallel_and_serial_builds_give_the_same_bytes(make_site: Callable[..., Path]) -> None:
    notes = {
        f"weeknotes/n{i:03d}.md": note(
            title=f"Note {i}",
            date=f"2026-01-{i % 28 + 1:02d}",
            theme=[f"t{i % 5}"],
            body=f"# Part {i}\n\nText with `code` and a [link](n{(i + 1) % 70:03d}.md).\n",
        )
        for i in range(70)  # above the threshold at which Markdown goes to a process pool
    }
    trees = []
    for jobs in ("1", "2"):
        site = make_site(notes, config={**BASIC_CONFIG, "search": False}, name=f"jobs{jobs}")
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(FIXED_NOW.timestamp()))}
        command = [
            sys.executable,
            "-m",
            "weeknote_gen",
            "build",
            "--jobs",
            jobs,
            "--site",
            str(site),
        ]
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        assert result.returncode == 0, result.stderr
        trees.append(files_under(site / "_site"))
    assert trees[0] == trees[1]


def test_a_warm_state_from_the_disk_cache_renders_no_markdown_again(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` starts from `.weeknote-cache/`: a big site must not be rendered from scratch."""
    site = make_site(NOTES)
    assert build_site(site).ok  # a one-off build fills the cache
    shutil.rmtree(site / "_site")

    def refuse(*args: object) -> object:
        raise AssertionError("Markdown was rendered again")

    monkeypatch.setattr("weeknote_gen.engine.stages.render_markdown", refuse)
    state = BuildState.on_disk(site)
    assert build(site, BuildOptions(now=FIXED_NOW), state).ok
    state.memo.save()
    assert build_site(site).ok  # and what serve saved serves the next one-off build
