"""The delta build: an edit of a note's text alone makes only the outputs that read the note,
from the last build's snapshot, and anything else falls back to the full build. Either way
the output and the report equal a clean build's, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, build_site, note, write_site
from tests.test_cache_safety import hostile_pickle
from tests.test_output import files_under
from weeknote_gen.engine.build import BuildOptions, BuildResult, build
from weeknote_gen.engine.cache_version import _header, cache_folder, take_notices
from weeknote_gen.engine.note_codec import NOTE
from weeknote_gen.engine.record_file import _record, _RecordFile, _table_line
from weeknote_gen.engine.snapshot_codec import SNAPSHOT
from weeknote_gen.output.feeds import plan_feeds

CONFIG = {"title": "T", "base_url": "https://e.org/", "search": False, "feed_entries": 2}
AUTHORS = ["Ada Byron", "Bo Li"]


def body(index: int, later: str = "Then more.") -> str:
    return f"First paragraph of week {index}.\n\n{later} See [the next](n{(index + 1) % 6}.md).\n"


def note_text(index: int, later: str = "Then more.", **fields: object) -> str:
    front = {
        "title": f"Week {index}",
        "date": f"2026-03-{10 + index:02d}",
        "author": AUTHORS[index % 2],
        **fields,
    }
    return note(body(index, later), **front)


@pytest.fixture(autouse=True)
def _no_notice_left_behind() -> Iterator[None]:
    """A planted or damaged snapshot leaves the one-line cache notice for the command to
    print; these tests build in process, so they take it, lest a later test's command
    print it."""
    take_notices()
    yield
    take_notices()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files = {f"weeknotes/n{i}.md": note_text(i) for i in range(6)}
    made = write_site(tmp_path / "site", files, CONFIG)
    assert build_site(made).ok
    return made


def steps(result: BuildResult) -> set[str]:
    return {name for name, _ in result.timings}


def clean_build(site: Path, **options: object) -> tuple[BuildResult, dict[str, bytes]]:
    """A fresh build of the same files, with no output folder and no cache."""
    clean = site.parent / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("_site", ".weeknote-cache"))
    result = build(clean, BuildOptions(now=options.get("now", FIXED_NOW)))  # type: ignore[arg-type]
    return result, files_under(clean / "_site")


def assert_as_clean(site: Path, result: BuildResult, **options: object) -> None:
    clean, files = clean_build(site, **options)
    assert result.ok == clean.ok
    assert [d.format() for d in result.diagnostics] == [d.format() for d in clean.diagnostics]
    assert files_under(site / "_site") == files
    assert (result.pages, result.notes, result.skipped_drafts) == (
        clean.pages,
        clean.notes,
        clean.skipped_drafts,
    )


def edit_later(site: Path, index: int, later: str) -> None:
    (site / "weeknotes" / f"n{index}.md").write_text(note_text(index, later), encoding="utf-8")


def test_a_text_edit_takes_the_delta_path_and_writes_only_the_notes_page(site: Path) -> None:
    edit_later(site, 0, "Something else happened, at length.")  # the oldest: in no feed
    result = build_site(site)
    assert result.ok
    assert "delta" in steps(result)
    assert "render" not in steps(result)  # nothing was rendered the full way
    assert result.report is not None
    assert result.report.written == 1 and result.report.removed == 0
    assert result.report.unchanged == result.pages - 1
    (page,) = result.report.changed
    assert page.endswith("index.html") and "n0" in page
    assert b"Something else happened" in (site / "_site" / page).read_bytes()
    assert_as_clean(site, result)
    again = build_site(site)  # and the next build is a no-op
    assert again.report is not None and again.report.written == 0
    assert "delta" not in steps(again)


def test_a_text_edit_of_a_note_in_feeds_rewrites_those_feeds_too(site: Path) -> None:
    edit_later(site, 5, "The newest note, edited.")
    result = build_site(site)
    assert "delta" in steps(result)
    assert result.report is not None
    changed = set(result.report.changed)
    assert {"feed.xml", "feed.json"} <= changed  # the site's feeds carry the newest note
    assert "sitemap.xml" not in changed  # it lists addresses and dates, which did not change
    assert_as_clean(site, result)


def test_delta_builds_in_a_row_each_equal_a_clean_build(site: Path) -> None:
    for round_, index in enumerate([1, 3, 1, 5, 0]):
        edit_later(site, index, f"Round {round_}.")
        result = build_site(site)
        assert "delta" in steps(result), round_
        assert_as_clean(site, result)


def _write(site: Path, name: str, text: str) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


FALLBACKS: dict[str, Callable[[Path], object]] = {
    "title": lambda s: _write(s, "weeknotes/n2.md", note_text(2, title="Renamed")),
    "date": lambda s: _write(s, "weeknotes/n2.md", note_text(2, date="2026-03-13")),
    "tag": lambda s: _write(s, "weeknotes/n2.md", note_text(2, tags=["maps"])),
    "summary": lambda s: _write(
        s, "weeknotes/n2.md", note_text(2).replace("First paragraph", "Opening words")
    ),
    "learning passage": lambda s: edit_later(s, 2, "## Something I'm learning\n\nPatience."),
    "new note": lambda s: _write(s, "weeknotes/n9.md", note_text(9)),
    "deleted note": lambda s: (s / "weeknotes" / "n3.md").unlink(),
    "config": lambda s: _write(s, "config.yaml", json.dumps({**CONFIG, "title": "New"})),
    "template": lambda s: _write(
        s, "site_templates/404.html", "{% extends 'base.html' %}{% block main %}x{% endblock %}"
    ),
    "a draft edited": lambda s: _write(s, "weeknotes/n2.md", note_text(2, draft=True)),
    "a picture added": lambda s: (s / "weeknotes" / "board.png").write_bytes(b"png"),
    "a link to a missing note": lambda s: edit_later(s, 2, "See [gone](gone.md)."),
}


@pytest.mark.parametrize("change", list(FALLBACKS))
def test_other_changes_fall_back_to_the_full_build(site: Path, change: str) -> None:
    edit_later(site, 1, "A text edit beside it.")
    FALLBACKS[change](site)
    result = build_site(site)
    assert "delta" not in steps(result)
    assert_as_clean(site, result)


def test_a_scheduled_note_falling_due_falls_back(tmp_path: Path) -> None:
    files = {f"weeknotes/n{i}.md": note_text(i) for i in range(3)}
    files["weeknotes/later.md"] = note_text(7, date="2026-11-25", title="Later")
    site = write_site(tmp_path / "site", files, CONFIG)
    assert build_site(site).ok  # FIXED_NOW is 2026-11-20: the note is scheduled
    edit_later(site, 1, "Edited once due.")
    due = FIXED_NOW + dt.timedelta(days=10)
    result = build(site, BuildOptions(now=due))
    assert "delta" not in steps(result)
    assert result.notes == 4
    assert_as_clean(site, result, now=due)


def test_diagnostics_after_a_delta_build_equal_a_clean_builds(tmp_path: Path) -> None:
    files = {f"weeknotes/n{i}.md": note_text(i) for i in range(4)}
    files["weeknotes/n1.md"] = note_text(1, "Left as written: {{< youtube abc >}}.")
    site = write_site(tmp_path / "site", files, CONFIG)
    first = build_site(site)
    assert any(d.code == "body.template-code" for d in first.diagnostics)
    _write(site, "weeknotes/n1.md", note_text(1, "Left as written: {{< youtube abc >}}. More."))
    result = build_site(site)
    assert "delta" in steps(result)
    assert_as_clean(site, result)
    # A new warning in the text: the full build says it.
    _write(site, "weeknotes/n2.md", note_text(2, "Now {% include x %} here."))
    result = build_site(site)
    assert "delta" not in steps(result)
    assert any(d.location and d.location.path == "weeknotes/n2.md" for d in result.diagnostics)
    assert_as_clean(site, result)


def test_a_touched_note_is_a_no_op_not_a_delta_build(site: Path) -> None:
    path = site / "weeknotes" / "n2.md"
    path.write_bytes(path.read_bytes())
    result = build_site(site)
    assert "delta" not in steps(result)
    assert "unchanged" in steps(result) and "discover" not in steps(result)  # read one file
    assert result.report is not None and result.report.written == 0
    assert_as_clean(site, result)


def test_the_sitemap_reads_cards_not_notes_text(site: Path) -> None:
    """The sitemap lists each page's address and date: a note's text cannot move it, so it
    declares the notes' cards (which hold the dates) and no note read whole."""
    from weeknote_gen.engine.load import LoadOptions, load_site

    loaded = load_site(site, LoadOptions(now=FIXED_NOW, jobs=1))
    assert loaded.site is not None
    (sitemap,) = [feed for feed in plan_feeds(loaded.site) if feed.task == ("sitemap",)]
    assert sitemap.reads == () and sitemap.shows is None
    before = (site / "_site" / "sitemap.xml").read_bytes()
    edit_later(site, 3, "Text only.")
    assert build_site(site).ok
    assert (site / "_site" / "sitemap.xml").read_bytes() == before
    _write(site, "weeknotes/n3.md", note_text(3, date="2026-03-01"))  # a date: it moves
    result = build_site(site)
    assert result.report is not None and "sitemap.xml" in result.report.changed


# --------------------------------------------------------------------------- hostile snapshots


def snapshot_file(site: Path, name: str = "snapshot.records") -> Path:
    return cache_folder(site / ".weeknote-cache") / name


def _crafted_head(site: Path) -> bytes:
    """The real head with its data made to mislead (class names and callables where values
    belong, places out of range), every CRC right: only the data lies."""
    path = snapshot_file(site)
    loaded = _RecordFile.load(path, SNAPSHOT)
    text, _ = loaded.body("head")
    data = json.loads(text)
    data["outputs"]["readers"] = [[10**9]] * len(data["outputs"]["readers"])
    data["site"]["authors"] = [["ada-byron", {"py/object": "os.system"}, [0]]]
    crafted = json.dumps(data).encode()
    return _header() + _table_line(SNAPSHOT) + _record("head", crafted, b"")


PLANTS: dict[str, Callable[[Path, Path], object]] = {
    "pickles": lambda site, marker: (
        [
            snapshot_file(site, name).write_bytes(hostile_pickle(marker))
            for name in ("snapshot.records", "snapshot-notes.records", "snapshot-overlay.records")
        ]
        and None
    ),
    "damaged": lambda site, _: snapshot_file(site).write_bytes(
        snapshot_file(site).read_bytes()[:-40] + b"x" * 40
    ),
    "crafted": lambda site, _: snapshot_file(site).write_bytes(_crafted_head(site)),
    "foreign": lambda site, _: shutil.copy(
        snapshot_file(site.parent / "other"), snapshot_file(site)
    ),
    "notes crafted": lambda site, _: snapshot_file(site, "snapshot-notes.records").write_bytes(
        _RecordFile.load(snapshot_file(site, "snapshot-notes.records"), NOTE).header
    ),
}


@pytest.mark.parametrize("plant", list(PLANTS))
def test_a_planted_foreign_or_damaged_snapshot_falls_back_and_runs_nothing(
    site: Path, plant: str, tmp_path: Path
) -> None:
    other = write_site(tmp_path / "other", {"weeknotes/a.md": note_text(1)}, CONFIG)
    assert build_site(other).ok
    marker = tmp_path / "marker"
    take_notices()
    PLANTS[plant](site, marker)
    edit_later(site, 0, "Edited over a planted snapshot.")
    result = build_site(site)
    assert not marker.exists(), "loading the snapshot ran code"
    assert "delta" not in steps(result)
    assert_as_clean(site, result)
    take_notices()
    edit_later(site, 0, "And the snapshot is trusted again.")
    again = build_site(site)
    assert "delta" in steps(again)
    assert_as_clean(site, again)


def test_no_pickle_is_ever_loaded_from_the_snapshot() -> None:
    """The snapshot's modules never import pickle (its files are plain data)."""
    for name in ("snapshot", "snapshot_codec", "note_codec", "snapshot_taking", "delta"):
        source = (
            Path(__file__).parent.parent / "weeknote_gen" / "engine" / f"{name}.py"
        ).read_text()
        assert "pickle" not in source and "eval(" not in source, name
    assert pickle  # (the tests use it to plant traps)


def test_the_snapshot_after_delta_builds_equals_a_full_builds(site: Path) -> None:
    """Each output's key and the notes' digests, as the delta build leaves the snapshot, are
    those a full build of the same files would leave."""
    from weeknote_gen.engine.snapshot import SnapshotFiles

    for round_, index in enumerate((0, 5, 0)):
        edit_later(site, index, f"Edited {index} in round {round_}.")
        assert "delta" in steps(build_site(site))
    found = SnapshotFiles.of(site).load()
    clean_build(site)
    full = SnapshotFiles.of(site.parent / "clean").load()
    assert found is not None and full is not None
    (delta, _), (clean, _) = found, full
    assert delta.inputs == clean.inputs
    assert delta.site.whole == clean.site.whole and delta.sources == clean.sources
    assert delta.outputs.paths == clean.outputs.paths
    places = range(len(clean.outputs.paths))
    assert [delta.outputs.key(p) for p in places] == [clean.outputs.key(p) for p in places]
    assert [delta.outputs.page_shows(p) for p in places] == [
        clean.outputs.page_shows(p) for p in places
    ]


def test_a_snapshot_whose_digests_are_not_hexadecimal_is_refused(site: Path) -> None:
    """Every digest the snapshot holds is checked before it is used: a file's digest that is
    not a SHA-256 is damage, and the build is a full one."""
    path = snapshot_file(site)
    loaded = _RecordFile.load(path, SNAPSHOT)
    text, blob = loaded.body("head")
    data = json.loads(text)
    data["sources"][1] = "zz" + data["sources"][1][2:]
    crafted = json.dumps(data).encode()
    path.write_bytes(_header() + _table_line(SNAPSHOT) + _record("head", crafted, blob))
    edit_later(site, 0, "Edited over a snapshot with a bad digest.")
    result = build_site(site)
    assert "delta" not in steps(result)
    assert_as_clean(site, result)
