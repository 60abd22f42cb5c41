"""Output: atomic writes, unchanged files left alone, only our own stale files pruned."""

from __future__ import annotations

import os
from pathlib import Path

from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.write import write_site


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_writes_every_artifact(tmp_path: Path) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "cache" / "m.json"
    report, problems = write_site(
        [Artifact("index.html", b"home"), Artifact("a/b/index.html", b"deep")], out, manifest
    )
    assert problems == []
    assert report is not None
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    assert files_under(out) == {"index.html": b"home", "a/b/index.html": b"deep"}


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    write_site([Artifact("index.html", b"home"), Artifact("x.html", b"x")], out, manifest)
    os.utime(out / "index.html", (1, 1))
    report, _ = write_site(
        [Artifact("index.html", b"home"), Artifact("x.html", b"y")], out, manifest
    )
    assert report is not None
    assert (report.written, report.unchanged) == (1, 1)
    assert (out / "index.html").stat().st_mtime == 1
    assert (out / "x.html").read_bytes() == b"y"


def test_a_file_changed_by_hand_is_restored_even_if_the_manifest_agrees(tmp_path: Path) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    write_site([Artifact("index.html", b"home")], out, manifest)
    (out / "index.html").write_bytes(b"hacked!")
    write_site([Artifact("index.html", b"home")], out, manifest)
    assert (out / "index.html").read_bytes() == b"home"


def test_stale_files_we_wrote_are_pruned_and_others_are_kept(tmp_path: Path) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    write_site([Artifact("old/index.html", b"old"), Artifact("keep.html", b"k")], out, manifest)
    (out / "CNAME").write_text("notes.example.org", encoding="utf-8")
    report, _ = write_site([Artifact("keep.html", b"k")], out, manifest)
    assert report is not None
    assert report.removed == 1
    assert files_under(out) == {"keep.html": b"k", "CNAME": b"notes.example.org"}
    assert not (out / "old").exists()


def test_unsafe_paths_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    for bad in ("../escape.html", "/etc/passwd", "a/../../b", "C:/x", "a\\b", ""):
        report, problems = write_site(
            [Artifact("ok.html", b"ok"), Artifact(bad, b"x")], out, manifest
        )
        assert report is None
        assert [p.code for p in problems] == ["output.unsafe-path"]
    assert not out.exists()
    assert not (tmp_path / "escape.html").exists()


def test_writing_through_a_symlinked_folder_is_refused(tmp_path: Path) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    outside = tmp_path / "outside"
    outside.mkdir()
    out.mkdir()
    (out / "linked").symlink_to(outside)
    report, problems = write_site([Artifact("linked/index.html", b"x")], out, manifest)
    assert report is None
    assert [p.code for p in problems] == ["output.unsafe-path"]
    assert list(outside.iterdir()) == []


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    write_site([Artifact(f"p{i}/index.html", b"x" * i) for i in range(20)], out, manifest)
    assert not list(out.rglob(".tmp-*"))
