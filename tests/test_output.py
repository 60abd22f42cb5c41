"""Output: atomic writes, unchanged files left alone, only our own stale files pruned."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.write.site import write_site


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


# --------------------------------------------------------------------------- streaming


def _site_then(failure: Exception | None, bad: str | None = None) -> Iterator[Artifact]:
    """A generator of a site's files that raises, or yields an unsafe path, part way."""
    for i in range(30):
        if i == 20 and failure is not None:
            raise failure
        if i == 20 and bad is not None:
            yield Artifact(bad, b"x")
        yield Artifact(f"p{i}/index.html", b"new %d" % i)


def _state(out: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_ino)
        for p in out.rglob("*")
        if p.is_file()
    }


def test_a_generator_is_written_as_it_arrives(tmp_path: Path) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    report, problems = write_site(_site_then(None), out, manifest)
    assert problems == [] and report is not None and report.written == 30
    assert files_under(out) == {f"p{i}/index.html": b"new %d" % i for i in range(30)}


@pytest.mark.parametrize("built_before", [False, True], ids=["first build", "rebuild"])
def test_a_generator_that_raises_midway_leaves_the_output_untouched(
    built_before: bool, tmp_path: Path
) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    if built_before:
        for _ in range(2):  # twice, so that a spare folder is kept between builds
            write_site(
                [Artifact("index.html", b"old"), Artifact("p1/index.html", b"1")], out, manifest
            )
    before = _state(out) if built_before else None
    with pytest.raises(RuntimeError, match="renderer broke"):
        write_site(_site_then(RuntimeError("renderer broke")), out, manifest)
    assert (_state(out) if out.exists() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["_site", "m.json"] if built_before else []
    )
    report, problems = write_site(_site_then(None), out, manifest)  # and the next build is fine
    assert problems == [] and report is not None
    assert files_under(out) == {f"p{i}/index.html": b"new %d" % i for i in range(30)}


@pytest.mark.parametrize("bad", ["../escape.html", "p3/index.html"], ids=["unsafe", "duplicate"])
def test_a_bad_path_arriving_late_leaves_the_output_untouched(bad: str, tmp_path: Path) -> None:
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    write_site([Artifact("index.html", b"old")], out, manifest)
    write_site([Artifact("index.html", b"old")], out, manifest)
    before = _state(out)
    report, problems = write_site(_site_then(None, bad), out, manifest)
    assert report is None
    assert [p.code for p in problems] == [
        "output.unsafe-path" if bad.startswith("..") else "output.duplicate"
    ]
    assert _state(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "m.json"]
    assert not (tmp_path / "escape.html").exists()


def test_a_file_added_by_hand_to_an_unchanged_folder_is_carried_over(tmp_path: Path) -> None:
    """Files added by hand deep in the tree, one in a folder of its own, are kept by every
    later build."""
    out, manifest = tmp_path / "_site", tmp_path / "m.json"
    site = [Artifact(f"a/b{i}/index.html", b"%d" % i) for i in range(5)]
    write_site(site, out, manifest)
    write_site(site, out, manifest)
    (out / "a" / "b3" / "notes.txt").write_bytes(b"mine")
    (out / "a" / "b4" / "extra").mkdir()
    (out / "a" / "b4" / "extra" / "deep.txt").write_bytes(b"deep")
    for _ in range(2):
        write_site(site, out, manifest)
        assert files_under(out) == {
            **{f"a/b{i}/index.html": b"%d" % i for i in range(5)},
            "a/b3/notes.txt": b"mine",
            "a/b4/extra/deep.txt": b"deep",
        }
