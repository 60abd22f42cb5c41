"""The cache's tables as record files: read once and decoded entry by entry, saved by
appending what a build added, rewritten only when mostly dead or not to be trusted, and any
damage a notice and a miss, never a failed build."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from weeknote_gen.engine.cache import Table
from weeknote_gen.engine.cache_version import OTHER_VERSION, UNREADABLE, _header, take_notices
from weeknote_gen.engine.codec import MARKDOWN, PAGES
from weeknote_gen.engine.codec_values import Codec, as_str

TEXT: Codec[str] = Codec("text", 1, lambda value: value, as_str)


def counting(codec: Codec[Any]) -> tuple[Codec[Any], list[Any]]:
    """`codec`, with a list of what it decoded."""
    decoded: list[Any] = []

    def decode(value: Any) -> Any:
        decoded.append(value)
        return codec.decode(value)

    return Codec(codec.name, codec.version, codec.encode, decode), decoded


def filled(path: Path, count: int, codec: Codec[str] = TEXT) -> Table[str]:
    table = Table(path, codec)
    table.start_build()
    for i in range(count):
        table.put(f"k{i}", f"value {i}")
    table.save()
    return table


def rebuild_with(path: Path, keys: list[str], new: dict[str, str]) -> Table[str]:
    """A build that asks for `keys` and adds `new`, then saves."""
    table = Table(path, TEXT)
    table.start_build()
    for key in keys:
        assert table.get(key) is not None
    for key, value in new.items():
        table.put(key, value)
    table.save()
    return table


@pytest.fixture(autouse=True)
def _no_notices_left() -> None:
    take_notices()


def test_values_come_back_and_bytes_are_kept_as_bytes(tmp_path: Path) -> None:
    page = (b"\x78\x01compressed\x00\xff" * 50, "a" * 64, 1234)
    table: Table[Any] = Table(tmp_path / "pages.json", PAGES)
    table.put("page", page)
    table.save()
    again: Table[Any] = Table(tmp_path / "pages.json", PAGES)
    assert again.get("page") == page
    assert page[0] in (tmp_path / "pages.json").read_bytes()  # as they are, not base64
    assert take_notices() == []


def test_loading_decodes_only_the_entries_asked_for(tmp_path: Path) -> None:
    filled(tmp_path / "t", 100)
    codec, decoded = counting(TEXT)
    table = Table(tmp_path / "t", codec)
    assert len(table) == 100
    assert decoded == []
    assert table.get("k7") == "value 7"
    assert table.get("k7") == "value 7"
    assert decoded == ["value 7"]


def test_a_build_that_adds_one_entry_appends_one_record(tmp_path: Path) -> None:
    path = tmp_path / "t"
    filled(path, 50)
    before, identity = path.read_bytes(), path.stat().st_ino
    rebuild_with(path, [f"k{i}" for i in range(50)], {"new": "fresh value"})
    after = path.read_bytes()
    assert path.stat().st_ino == identity  # the same file, added to
    assert after.startswith(before) and b"fresh value" in after[len(before) :]
    assert len(after) - len(before) < 100
    table = Table(path, TEXT)
    assert table.get("new") == "fresh value" and table.get("k49") == "value 49"


def test_a_build_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t"
    filled(path, 10)
    os.utime(path, ns=(1, 1))
    rebuild_with(path, [f"k{i}" for i in range(10)], {})
    assert path.stat().st_mtime_ns == 1


def test_the_file_is_rewritten_once_unused_records_outweigh_used_ones(tmp_path: Path) -> None:
    path = tmp_path / "t"
    filled(path, 10)
    rebuild_with(path, [f"k{i}" for i in range(6)], {})  # 4 of 10 unused: kept for now
    assert Table(path, TEXT).get("k9") == "value 9"
    rebuild_with(path, ["k0", "k1"], {"k2": "replaced"})  # 8 of 11 records dead: rewritten
    table = Table(path, TEXT)
    assert len(table) == 3
    assert table.get("k2") == "replaced" and table.get("k9") is None
    assert path.read_bytes().count(b"value") == 2
    assert take_notices() == []


def test_a_replaced_entry_reads_as_its_latest_record(tmp_path: Path) -> None:
    path = tmp_path / "t"
    filled(path, 10)
    rebuild_with(path, [f"k{i}" for i in range(10)], {"k3": "second"})
    assert Table(path, TEXT).get("k3") == "second"


def test_a_table_kept_across_builds_appends_each_time(tmp_path: Path) -> None:
    """As the dev server keeps one: saved after each build, never rereading the file."""
    path = tmp_path / "t"
    table = filled(path, 10)
    for build in range(3):
        table.start_build()
        for i in range(10):
            assert table.get(f"k{i}") is not None
        table.put(f"new{build}", f"value {build}")
        table.save()
    again = Table(path, TEXT)
    assert [again.get(f"new{b}") for b in range(3)] == ["value 0", "value 1", "value 2"]
    assert again.get("k0") == "value 0" and take_notices() == []


def test_a_file_changed_by_another_build_is_rewritten_not_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "t"
    filled(path, 10)
    table = Table(path, TEXT)
    table.start_build()
    assert table.get("k1") == "value 1"
    filled(path, 3)  # another process rewrote the file meanwhile
    for i in range(10):
        table.get(f"k{i}")
    table.put("mine", "my value")
    table.save()
    again = Table(path, TEXT)
    assert again.get("mine") == "my value" and again.get("k9") == "value 9"
    assert take_notices() == []


def _cut_last_record(data: bytes) -> bytes:
    return data[:-3]


def test_a_last_record_cut_short_is_left_out_and_the_file_rewritten(tmp_path: Path) -> None:
    """What a build killed while appending leaves: the records before it are used, silently,
    and the next save rewrites the file rather than appending after the torn record."""
    path = tmp_path / "t"
    filled(path, 5)
    path.write_bytes(_cut_last_record(path.read_bytes()))
    table = Table(path, TEXT)
    table.start_build()
    assert [table.get(f"k{i}") for i in range(5)] == [f"value {i}" for i in range(4)] + [None]
    assert take_notices() == []
    table.put("k4", "value 4")
    table.save()
    again = Table(path, TEXT)
    assert [again.get(f"k{i}") for i in range(5)] == [f"value {i}" for i in range(5)]
    assert take_notices() == []


def _lie_about_a_length(data: bytes) -> bytes:
    header = len(_header() + b"records text 1\n")
    length = int.from_bytes(data[header + 4 : header + 8], "little")
    return data[: header + 4] + (length + 2).to_bytes(4, "little") + data[header + 8 :]


def _flip_a_value_byte(data: bytes) -> bytes:
    at = data.index(b"value 2")
    return data[:at] + b"V" + data[at + 1 :]


@pytest.mark.parametrize(
    ("damage", "notice"),
    [
        (_lie_about_a_length, UNREADABLE),
        (lambda data: data[:30], UNREADABLE),  # cut inside the header
        (lambda data: b"\x00\xff garbage " * 40, UNREADABLE),
        (lambda data: data.replace(b"records text 1", b"records text 9", 1), OTHER_VERSION),
        (
            lambda data: data.replace(b"cache ", b"cache 0", 1),
            OTHER_VERSION,
        ),  # other code's fingerprint
        (lambda data: data.replace(b"records text 1", b"{records text", 1), UNREADABLE),
    ],
    ids=["length lies", "cut in header", "garbage", "codec version", "other code", "not ours"],
)
def test_a_damaged_or_foreign_file_is_a_notice_and_a_cold_table(
    damage: Callable[[bytes], bytes], notice: str, tmp_path: Path
) -> None:
    path = tmp_path / "t"
    filled(path, 5)
    path.write_bytes(damage(path.read_bytes()))
    table = Table(path, TEXT)
    table.start_build()
    assert all(table.get(f"k{i}") is None for i in range(5))
    assert take_notices() == [notice]
    table.put("k0", "again")
    table.save()  # rewritten whole: trusted again
    assert Table(path, TEXT).get("k0") == "again"
    assert take_notices() == []


def test_a_damaged_value_is_a_miss_and_a_notice_and_the_rest_is_used(tmp_path: Path) -> None:
    path = tmp_path / "t"
    filled(path, 5)
    path.write_bytes(_flip_a_value_byte(path.read_bytes()))
    table = Table(path, TEXT)
    assert table.get("k2") is None
    assert take_notices() == [UNREADABLE]
    assert table.get("k1") == "value 1" and table.get("k3") == "value 3"


@pytest.mark.parametrize(
    "text",
    [b"[" * 100_000 + b"]" * 100_000, b"9" * 50_000, b"\xff\xfe", b'{"html": 1}'],
    ids=["nested", "long number", "not UTF-8", "wrong shape"],
)
def test_a_record_of_data_that_is_not_the_codec_s_is_a_miss(text: bytes, tmp_path: Path) -> None:
    from weeknote_gen.engine.record_file import _record, _table_line

    path = tmp_path / "markdown.json"
    path.write_bytes(_header() + _table_line(MARKDOWN) + _record("k", text, b""))
    assert Table(path, MARKDOWN).get("k") is None
    assert take_notices() == [UNREADABLE]


def test_a_table_in_memory_only_never_touches_disk(tmp_path: Path) -> None:
    table: Table[str] = Table()
    table.put("k", "v")
    table.save()
    assert table.get("k") == "v" and list(tmp_path.iterdir()) == []
