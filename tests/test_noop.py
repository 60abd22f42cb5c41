"""A rebuild of an unchanged site stops after a walk of the content tree, and never when
anything changed: file identities vouch for contents only once they have settled."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import build_site, note
from weeknote_gen.config import CACHE_DIR
from weeknote_gen.content.tree_identity import tree_identity
from weeknote_gen.engine import load as load_module
from weeknote_gen.engine import noop as noop_module
from weeknote_gen.engine.cache import load_value
from weeknote_gen.engine.cache_version import cache_folder
from weeknote_gen.engine.codec import LAST_BUILD, LastBuild
from weeknote_gen.engine.noop import LAST_BUILD_FILE

NOTES = {
    "weeknotes/a.md": note(title="A", body="First text.\n"),
    "weeknotes/b.md": note(title="B", date="2026-01-16"),
    "weeknotes/pic.png": b"picture",
}


def record(site: Path) -> LastBuild:
    value = load_value(cache_folder(site / CACHE_DIR) / LAST_BUILD_FILE, LAST_BUILD)
    assert isinstance(value, LastBuild)
    return value


def forbid_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the content was read")

    monkeypatch.setattr(load_module, "discover_content", refuse)


def test_a_settled_unchanged_site_is_recognised_without_reading_a_file(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(NOTES)
    first = build_site(site)
    assert record(site).quick == ""  # files written a moment ago
    monkeypatch.setattr(noop_module, "RACY_NS", 0)  # as if they had long settled
    time.sleep(0.01)
    assert build_site(site).ok
    assert record(site).quick  # the rebuild read the files, found them unchanged, trusts them
    forbid_reading(monkeypatch)

    again = build_site(site)

    assert again.ok and [name for name, _ in again.timings] == ["config"]
    assert (again.notes, again.pages) == (first.notes, first.pages)


def test_files_written_just_before_a_build_are_not_trusted_by_identity(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(NOTES)  # written a moment ago: a same-sized rewrite could go unseen
    assert build_site(site).ok
    assert record(site).quick == ""
    same_size = note(title="A", body="Other text.\n")
    stat = (site / "weeknotes/a.md").stat()
    (site / "weeknotes/a.md").write_text(same_size, encoding="utf-8")
    os.utime(site / "weeknotes/a.md", ns=(stat.st_atime_ns, stat.st_mtime_ns))

    assert build_site(site).ok
    assert "Other text." in (site / "_site/2026/a/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: (s / "weeknotes/a.md").write_text(note(title="A2")), id="edit"),
        pytest.param(lambda s: (s / "weeknotes/b.md").unlink(), id="delete"),
        pytest.param(lambda s: (s / "weeknotes/c.md").write_text(note(title="C")), id="add"),
        pytest.param(lambda s: (s / "weeknotes/pic.png").write_bytes(b"other"), id="picture"),
        pytest.param(lambda s: (s / "weeknotes/a.md").rename(s / "weeknotes/z.md"), id="rename"),
        pytest.param(lambda s: (s / "weeknotes/.hidden.md").write_text("x"), id="ignored-file"),
    ],
)
def test_any_change_to_the_tree_changes_its_identity(
    make_site: Callable[..., Path], change: Callable[[Path], object]
) -> None:
    site = make_site(NOTES)
    before = tree_identity(site)
    change(site)
    assert tree_identity(site) != before
