"""The dev server's fast path: an edited note's page shown before the full rebuild, only
when nothing but its text changed, and always exactly what the full rebuild then writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BASIC_CONFIG, FIXED_NOW, build_site, note
from weeknote_gen.engine.build import BuildOptions, BuildState, build
from weeknote_gen.engine.preview import preview_notes

ONE = "weeknotes/2026/2026-01-09-one.md"
TWO = "weeknotes/2026/2026-01-16-two.md"
PAGE = "2026/one/index.html"
NOTES = {
    ONE: note("Before the edit. See [two](2026-01-16-two.md).\n", title="One", team="Apps"),
    TWO: note(title="Two", date="2026-01-16", team="Apps"),
    "weeknotes/2026/board.png": b"\x89PNG fake",
    "weeknotes/2026/2026-01-23-draft.md": note(title="Draft", date="2026-01-23", draft=True),
}


@pytest.fixture
def warm(make_site: Callable[..., Path]) -> tuple[Path, BuildState]:
    site = make_site(NOTES)
    state = BuildState()
    assert build(site, BuildOptions(now=FIXED_NOW), state).ok
    return site, state


def rebuild(site: Path, state: BuildState) -> None:
    assert build(site, BuildOptions(now=FIXED_NOW), state).ok


def test_a_text_edit_shows_the_page_exactly_as_the_full_build_writes_it(
    warm: tuple[Path, BuildState],
) -> None:
    site, state = warm
    home_before = (site / "_site/index.html").read_bytes()
    edited = NOTES[ONE].replace("Before the edit.", "After the *edit*.")  # type: ignore[union-attr]
    (site / ONE).write_text(edited, encoding="utf-8")

    written = preview_notes(site, {site / ONE}, state)

    assert written == [PAGE]
    shown = (site / "_site" / PAGE).read_bytes()
    assert b"After the <em>edit</em>." in shown
    assert b'href="/2026/two/"' in shown  # links between notes still resolved
    assert (site / "_site/index.html").read_bytes() == home_before  # the rest waits
    rebuild(site, state)
    assert (site / "_site" / PAGE).read_bytes() == shown
    assert (site / "_site/index.html").read_bytes() != home_before  # the summary changed


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda t: t.replace("title: One", "title: One again"), id="title"),
        pytest.param(lambda t: t.replace("team: Apps", "team: Web"), id="terms"),
        pytest.param(lambda t: t.replace("2026-01-09", "2026-01-10"), id="date"),
        pytest.param(lambda t: t.replace("title: One", "title: One\nslug: uno"), id="slug"),
        pytest.param(lambda t: t.replace("title: One", "title: [One"), id="broken-yaml"),
        pytest.param(lambda t: t + "\n![board](board.png)\n", id="new-picture"),
        pytest.param(lambda t: t.replace("title: One", "title: One\ndraft: true"), id="to-draft"),
    ],
)
def test_an_edit_that_reaches_other_pages_is_left_to_the_full_build(
    warm: tuple[Path, BuildState], change: Callable[[str], str]
) -> None:
    site, state = warm
    before = (site / "_site" / PAGE).read_bytes()
    (site / ONE).write_text(change(NOTES[ONE]), encoding="utf-8")  # type: ignore[arg-type]

    assert preview_notes(site, {site / ONE}, state) is None
    assert (site / "_site" / PAGE).read_bytes() == before


def test_only_notes_the_last_build_published_are_previewed(
    warm: tuple[Path, BuildState],
) -> None:
    site, state = warm
    draft = site / "weeknotes/2026/2026-01-23-draft.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
    new = site / "weeknotes/2026/2026-01-30-new.md"
    new.write_text(note(title="New", date="2026-01-30"), encoding="utf-8")
    for changed in (draft, new, site / "config.yaml", site / "site_templates/note.html"):
        assert preview_notes(site, {changed}, state) is None, changed
    (site / TWO).unlink()
    assert preview_notes(site, {site / TWO}, state) is None


def test_nothing_is_previewed_after_a_failed_build_or_before_any(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(NOTES)
    state = BuildState()
    assert preview_notes(site, {site / ONE}, state) is None
    assert build(site, BuildOptions(now=FIXED_NOW), state).ok
    (site / TWO).write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    assert not build(site, BuildOptions(now=FIXED_NOW), state).ok
    edited = NOTES[ONE].replace("Before", "Later")  # type: ignore[union-attr]
    (site / ONE).write_text(edited, encoding="utf-8")
    assert preview_notes(site, {site / ONE}, state) is None


def test_a_previewed_page_is_never_mistaken_for_unchanged_later(
    warm: tuple[Path, BuildState],
) -> None:
    """The fast path writes behind the manifest's back; builds after it must compare the
    bytes of what it wrote, even when a rebuild failed in between and the text goes back to
    an earlier version of the same size."""
    site, state = warm
    before = (site / "_site" / PAGE).read_bytes()
    original = (site / ONE).read_text(encoding="utf-8")
    (site / ONE).write_text(original.replace("Before", "Behold"), encoding="utf-8")
    assert preview_notes(site, {site / ONE}, state) == [PAGE]
    assert b"Behold" in (site / "_site" / PAGE).read_bytes()
    (site / TWO).write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    assert not build(site, BuildOptions(now=FIXED_NOW), state).ok

    (site / ONE).write_text(original, encoding="utf-8")  # back to the same size as before
    (site / TWO).write_text(NOTES[TWO], encoding="utf-8")  # type: ignore[arg-type]
    for _ in range(3):  # and through the spare folder the writer swaps with
        assert build_site(site).ok
        assert (site / "_site" / PAGE).read_bytes() == before


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def clean_build_of(site: Path, scratch: Path) -> dict[str, bytes]:
    """The output a fresh copy of the site's sources builds, with no cache or old output."""
    copy = scratch / "clean"
    for path in site.rglob("*"):
        relative = path.relative_to(site)
        if path.is_file() and relative.parts[0] not in ("_site", ".weeknote-cache"):
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            (copy / relative).write_bytes(path.read_bytes())
    assert build_site(copy).ok
    return files_under(copy / "_site")


@pytest.mark.parametrize("switch", ["exchange", "in-place"])
def test_a_previewed_page_is_removed_once_its_note_is_deleted(
    make_site: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    switch: str,
) -> None:
    """The fast path replaces a page in the served folder; the rebuild then swaps that folder
    out to be the spare. The page is still ours there, so once its note is gone the next
    rebuild must leave it out, not carry it over as a file someone else put there."""
    # Without search: Pagefind's bundle differs from run to run, so could not be compared.
    site = make_site(NOTES, {**BASIC_CONFIG, "search": False})
    state = BuildState()
    rebuild(site, state)
    if switch == "in-place":  # an output folder that is a mount point is updated file by file
        monkeypatch.setattr("weeknote_gen.output.write.site.os.path.ismount", lambda path: True)
    edited = NOTES[ONE].replace("Before the edit.", "Shorter.")  # type: ignore[union-attr]
    (site / ONE).write_text(edited, encoding="utf-8")
    assert preview_notes(site, {site / ONE}, state) == [PAGE]
    rebuild(site, state)
    (site / ONE).unlink()
    rebuild(site, state)

    assert not (site / "_site" / PAGE).exists()
    expected = clean_build_of(site, tmp_path)
    assert files_under(site / "_site") == expected
    for _ in range(2):  # and again with each of the two folders in front
        (site / TWO).write_text(NOTES[TWO] + "More.\n", encoding="utf-8")  # type: ignore[operator]
        rebuild(site, state)
        (site / TWO).write_text(NOTES[TWO], encoding="utf-8")  # type: ignore[arg-type]
        rebuild(site, state)
        assert files_under(site / "_site") == expected


def test_a_build_after_a_preview_whose_rebuild_never_ran_checks_the_page(
    make_site: Callable[..., Path],
) -> None:
    """`build` skips writing when its inputs are those of the last build and the output
    folder is intact; a page the fast path wrote since (the server stopped before its
    rebuild, then the text went back) means the folder is not known to be intact."""
    site = make_site(NOTES)
    assert build_site(site).ok  # remembers its inputs for the next `build`
    before = (site / "_site" / PAGE).read_bytes()
    state = BuildState()
    assert build(site, BuildOptions(now=FIXED_NOW), state).ok  # `serve` starts
    edited = NOTES[ONE].replace("Before the edit.", "Shorter.")  # type: ignore[union-attr]
    (site / ONE).write_text(edited, encoding="utf-8")
    assert preview_notes(site, {site / ONE}, state) == [PAGE]
    assert (site / "_site" / PAGE).read_bytes() != before
    (site / ONE).write_text(NOTES[ONE], encoding="utf-8")  # type: ignore[arg-type]

    result = build_site(site)

    assert result.ok
    assert (site / "_site" / PAGE).read_bytes() == before
    assert result.report is not None
    assert PAGE in result.report.changed
