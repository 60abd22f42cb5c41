"""A hostile `.weeknote-cache/` can cost a rebuild, never run code.

The cache sits in the site's working tree, so a pull request can add files to it. Here every
file name the cache has ever used (today's JSON tables and record, the pickles of earlier
versions, the search bundle's index, the output manifest) is replaced by a pickle whose
loading would create a marker file, or by crafted JSON, and builds run the ways the tool
runs them: `build` and `check` as commands, and the dev server's kind of build in process.
The marker must never appear, each command must print at most the one-line cache notice, and
the site must be exactly what a clean build makes.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_NOW, note, write_site
from weeknote_gen.engine.build import BuildOptions, BuildState, build
from weeknote_gen.engine.cache import read_bundle, store_bundle
from weeknote_gen.engine.cache_version import UNREADABLE, _header, cache_folder, take_notices
from weeknote_gen.engine.codec import CODECS
from weeknote_gen.engine.codec_values import Codec
from weeknote_gen.engine.record_file import _record, _RecordFile, _table_line
from weeknote_gen.output.artifact import Artifact

ENV = {**os.environ, "SOURCE_DATE_EPOCH": str(int(FIXED_NOW.timestamp()))}
OLD_NAMES = ("parsed.pickle", "markdown.pickle", "pages.pickle", "last-build.pickle")


class _Trap:
    """Unpickling this opens (so creates) the marker file: proof that a load ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def hostile_pickle(marker: Path) -> bytes:
    """The trap after the very header this code writes, as an earlier version would have
    trusted it, so that only the format itself stands between the file and the code."""
    return _header() + pickle.dumps({"key": _Trap(marker)}, protocol=pickle.HIGHEST_PROTOCOL)


def site_files(count: int = 12) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for i in range(count):
        files[f"weeknotes/n{i:02d}.md"] = note(
            f"Note {i}.\n\n## Done\n\n- item {i}, [next](n{(i + 1) % count:02d}.md)\n",
            title=f"Week {i}",
            date=f"2026-{1 + i % 9:02d}-{10 + i:02d}",
            tags=["cache", f"t{i % 3}"],
        )
    return files


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith("pagefind/")
    }


def run(site: Path, command: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "weeknote_gen", command, "--site", str(site)]
    return subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=120)


def cache_files(site: Path) -> list[Path]:
    """Every file the cache holds after a build, and every name an earlier version used."""
    cache = site / ".weeknote-cache"
    found = [p for p in cache.rglob("*") if p.is_file()]
    folder = cache_folder(cache)
    old = [folder / name for name in OLD_NAMES]
    old += [cache / "v2-0.1.0-py311" / name for name in OLD_NAMES]
    return sorted({*found, *old})


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    site = write_site(tmp_path_factory.mktemp("clean") / "site", site_files())
    assert run(site, "build").returncode == 0
    return tree(site / "_site")


def assert_one_notice_at_most(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) <= 1, result.stderr
    assert all(line.startswith("note: the build cache ") for line in lines), result.stderr


def build_like_serve(site: Path) -> list[str]:
    """What `serve` does: a state warmed from the cache on disk, builds with search deferred;
    the notices it would print."""
    take_notices()
    state = BuildState.on_disk(site)
    result = build(site, BuildOptions(now=FIXED_NOW, defer_search=True), state)
    assert result.ok, result.diagnostics
    state.memo.save()
    return take_notices()


def check_every_way(
    site: Path, plant: Callable[[], None], marker: Path, clean: dict[str, bytes]
) -> None:
    """Plant, then build; plant, then check; plant, then build as `serve` does."""
    plant()
    result = run(site, "build")
    assert_one_notice_at_most(result)
    assert "note: the build cache" in result.stderr  # the damage was noticed and said
    assert not marker.exists(), "loading the cache ran code"
    assert tree(site / "_site") == clean

    plant()
    assert_one_notice_at_most(run(site, "check"))  # (checking keeps no cache: reads none)
    assert not marker.exists(), "loading the cache ran code"

    plant()
    (site / "_site" / "index.html").unlink()
    notices = build_like_serve(site)
    assert len(notices) == 1 and notices[0].startswith("the build cache "), notices
    assert not marker.exists(), "loading the cache ran code"
    assert tree(site / "_site") == clean

    assert_one_notice_at_most(run(site, "build"))  # (serve keeps no record of its builds)
    again = run(site, "build")
    assert again.returncode == 0 and again.stderr == ""  # rebuilt, then trusted again
    assert tree(site / "_site") == clean


@pytest.mark.parametrize("built_first", [True, False], ids=["over a real cache", "cold"])
def test_a_planted_pickle_under_every_cache_name_runs_nothing(
    built_first: bool, clean: dict[str, bytes], tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    reference = write_site(tmp_path / "reference", site_files())
    assert run(reference, "build").returncode == 0
    names = [path.relative_to(reference) for path in cache_files(reference)]
    assert {name.name for name in names} >= {
        "parsed.records",
        "markdown.records",
        "pages.records",
        "last-build.json",
        "output-manifest.json",
        *OLD_NAMES,
    }
    assert any(name.name.endswith(".bundle") for name in names)  # the search bundle
    site = write_site(tmp_path / "site", site_files())
    if built_first:
        assert run(site, "build").returncode == 0
        (site / "_site" / "index.html").unlink()  # so that the next build must do work

    def plant() -> None:
        for name in names:
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_bytes(hostile_pickle(marker))

    check_every_way(site, plant, marker, clean)


def _crafted(codec: str, real: dict[str, object]) -> object:
    """Data shaped to mislead: the real keys, with class names and callables where values
    belong, or the right fields with the wrong types."""
    if codec == "parsed":
        return {key: [{"__class__": "os.system", "args": ["touch marker"]}, []] for key in real}
    if codec == "markdown":
        return {key: {**value, "word_count": "1e9"} for key, value in real.items()}  # type: ignore[dict-item]
    if codec == "pages":
        return {key: ["page", "@@not a digest@@", 1] for key in real}
    if codec == "passages":
        return {key: [[{"__class__": "os.system"}, "", "", ""]] for key in real}
    if codec == "related":
        return {key: [["a", {"py/object": "os.system"}]] for key in real}
    return {**real, "counts": {"notes": {"py/object": "os.system"}}}


def table_records(path: Path) -> tuple[Codec[Any], dict[str, tuple[bytes, bytes]]]:
    """A table file's codec and its records (JSON text and bytes, by key), as written."""
    codec = CODECS[path.stem]
    loaded = _RecordFile.load(path, codec)
    assert loaded.trusted
    return codec, {key: loaded.body(key) for key in loaded.index}


def table_file(codec: Codec[Any], records: dict[str, tuple[bytes, bytes]]) -> bytes:
    """A table file holding these records, each with its CRCs right: only the data lies."""
    body = b"".join(_record(key, text, blob) for key, (text, blob) in records.items())
    return _header() + _table_line(codec) + body


@pytest.mark.parametrize("shape", ["field by field", "nested too deep", "numbers too long"])
def test_crafted_json_in_the_cache_is_a_notice_and_a_rebuild(
    shape: str, clean: dict[str, bytes], tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    site = write_site(tmp_path / "site", site_files())
    assert run(site, "build").returncode == 0
    (site / "_site" / "index.html").unlink()
    folder = cache_folder(site / ".weeknote-cache")
    files = sorted([*folder.glob("*.json"), *folder.glob("*.records")])
    assert {p.name for p in files} == {
        "parsed.records",
        "markdown.records",
        "passages.records",
        "related.records",
        "pages.records",
        "last-build.json",
    }
    originals = {path: path.read_bytes() for path in files}
    tables = {path: table_records(path) for path in files if path.stem in TABLES}
    index = next((site / ".weeknote-cache" / "search").glob("*.bundle"))

    def crafted_table(codec: Codec[Any], real: dict[str, tuple[bytes, bytes]]) -> bytes:
        if shape == "field by field":
            data = {key: json.loads(text) for key, (text, _) in real.items()}
            if codec.name == "pages":
                data = {key: ["page", *value[1:]] for key, value in data.items()}
            lies = _crafted(codec.name, data)
            assert isinstance(lies, dict)
            texts = {key: json.dumps(value).encode() for key, value in lies.items()}
        elif shape == "nested too deep":
            texts = dict.fromkeys(real, b"[" * 200_000 + b"]" * 200_000)
        else:
            texts = dict.fromkeys(real, b"9" * 50_000)
        return table_file(codec, {key: (texts[key], blob) for key, (_, blob) in real.items()})

    def plant() -> None:
        for path, original in originals.items():
            if path in tables:
                path.write_bytes(crafted_table(*tables[path]))
                continue
            header, _, body = original.partition(b"\n")
            document = json.loads(body)
            assert document["codec"] in CODECS
            if shape == "field by field":
                document["data"] = _crafted(document["codec"], document["data"])
                text = json.dumps(document)
            elif shape == "nested too deep":
                data = "[" * 200_000 + "]" * 200_000
                text = f'{{"codec": "{document["codec"]}", "version": 1, "data": {data}}}'
            else:
                data = "9" * 50_000
                text = f'{{"codec": "{document["codec"]}", "version": 1, "data": {data}}}'
            path.write_bytes(header + b"\n" + text.encode())
        index.write_text("[" * 200_000 + "]" * 200_000)

    check_every_way(site, plant, marker, clean)


TABLES = ("parsed", "markdown", "passages", "related", "pages")


def _damage_truncated_record(data: bytes) -> bytes:
    return data[:-7]  # the last record cut short, as a build killed while appending leaves it


def _damage_lying_length(data: bytes, header: int) -> bytes:
    """The first record's text length one byte longer than its text."""
    text_length = int.from_bytes(data[header + 4 : header + 8], "little")
    return data[: header + 4] + (text_length + 1).to_bytes(4, "little") + data[header + 8 :]


@pytest.mark.parametrize(
    "damage", ["a truncated record", "a record whose length lies", "garbage after the header"]
)
def test_a_damaged_record_file_runs_nothing_and_is_rebuilt(
    damage: str, clean: dict[str, bytes], tmp_path: Path
) -> None:
    """Each table file of the record format, damaged in a way that format can be: a build
    uses what is whole (a cut-short last record is what a killed build leaves) and rebuilds
    the rest; anything else is a notice and a cold table."""
    marker = tmp_path / "marker"
    site = write_site(tmp_path / "site", site_files())
    assert run(site, "build").returncode == 0
    folder = cache_folder(site / ".weeknote-cache")
    originals = {name: (folder / f"{name}.records").read_bytes() for name in TABLES}

    def plant() -> None:
        for name, original in originals.items():
            header = len(_header() + _table_line(CODECS[name]))
            if damage == "a truncated record":
                data = _damage_truncated_record(original)
            elif damage == "a record whose length lies":
                data = _damage_lying_length(original, header)
            else:
                data = original[:header] + hostile_pickle(marker) + original[header:]
            (folder / f"{name}.records").write_bytes(data)
        (site / "_site" / "index.html").unlink()  # so that the build must do work

    plant()
    result = run(site, "build")
    assert_one_notice_at_most(result)
    if damage == "a truncated record":  # not damage: what a killed build leaves
        assert result.stderr == ""
    else:
        assert "note: the build cache" in result.stderr
    assert not marker.exists(), "loading the cache ran code"
    assert tree(site / "_site") == clean
    for name in TABLES:  # rewritten whole, and trusted again
        assert _RecordFile.load(folder / f"{name}.records", CODECS[name]).trusted
    again = run(site, "build")
    assert again.returncode == 0 and again.stderr == ""
    assert tree(site / "_site") == clean


def test_the_trap_is_real(tmp_path: Path) -> None:
    """The planted pickle does what it claims when something does unpickle it."""
    marker = tmp_path / "marker"
    pickle.loads(hostile_pickle(marker).partition(b"\n")[2])["key"].close()
    assert marker.exists()


def test_a_record_of_the_right_shape_from_another_codec_version_is_not_read(
    tmp_path: Path,
) -> None:
    site = write_site(tmp_path / "site", site_files(3))
    assert run(site, "build").returncode == 0
    record = cache_folder(site / ".weeknote-cache") / "last-build.json"
    header, _, body = record.read_bytes().partition(b"\n")
    document = json.loads(body)
    record.write_bytes(header + b"\n" + json.dumps({**document, "version": 0}).encode())
    result = run(site, "build")
    assert result.returncode == 0
    assert result.stderr.strip() == (
        "note: the build cache was made by another version of weeknote-gen and was rebuilt"
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1],  # cut short
        lambda data: data + b"x",  # more bytes than listed
        lambda data: data.replace(b'"', b"'", 1),  # a listing that is not JSON
        lambda data: b'[["../../escape", 0, ""]]\n',  # a digest that does not match
        lambda data: b'{"a": 1}\n',  # not a listing
    ],
)
def test_a_damaged_search_bundle_is_never_used(
    damage: Callable[[bytes], bytes], tmp_path: Path
) -> None:
    files = [Artifact("pagefind/a.js", b"one"), Artifact("pagefind/b/c.pf", b"\x00two")]
    store_bundle(tmp_path / "search", "k", files)
    path = tmp_path / "search" / "k.bundle"
    assert read_bundle(tmp_path / "search", "k") == files
    path.write_bytes(damage(path.read_bytes()))
    take_notices()

    assert read_bundle(tmp_path / "search", "k") is None
    assert take_notices() == [UNREADABLE]


@pytest.mark.parametrize("lie", ["bytes that do not expand", "a size that is not theirs"])
def test_a_cached_page_that_does_not_expand_is_a_notice_and_a_rebuild(
    lie: str, clean: dict[str, bytes], tmp_path: Path
) -> None:
    """Page records whose framing and checksums are right but whose compressed bytes are
    garbage (or expand to another size): they are found only when a page must be written,
    so the build drops the cached pages, says so once, and makes every page again."""
    site = write_site(tmp_path / "site", site_files())
    assert run(site, "build").returncode == 0
    path = cache_folder(site / ".weeknote-cache") / "pages.records"
    codec, records = table_records(path)
    if lie == "bytes that do not expand":
        lies = {key: (text, b"\x78\x01not zlib at all") for key, (text, _) in records.items()}
    else:
        lies = {}
        for key, (text, blob) in records.items():
            kind, digest, size = json.loads(text)
            lies[key] = (json.dumps([kind, digest, size + 1]).encode(), blob)
    path.write_bytes(table_file(codec, lies))
    shutil.rmtree(site / "_site")  # every page must be written, so every record is used
    result = run(site, "build")
    assert_one_notice_at_most(result)
    assert "note: the build cache" in result.stderr
    assert tree(site / "_site") == clean
    assert run(site, "build").stderr == ""  # the damaged records are gone
