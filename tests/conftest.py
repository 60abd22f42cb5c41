"""Shared fixtures: small sites written to a temporary folder, built with a fixed clock."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import yaml

from weeknote_gen.engine.build import BuildOptions, BuildResult, build

FIXED_NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
BASIC_CONFIG = {"title": "Test weeknotes", "base_url": "https://notes.example.org/"}

SiteFiles = Mapping[str, str | bytes]


def note(body: str = "A week of work.\n", **front_matter: object) -> str:
    """A note's text from keyword front matter (dates given as strings stay strings).

    Defaults fill in title, date and author; pass `authors=[...]` to replace the author, or a
    field as `...` to leave it out.
    """
    defaults = {"title": "Week 1", "date": "2026-01-09", "author": "Ada Lovelace"}
    if "authors" in front_matter:
        del defaults["author"]
    fields = {k: v for k, v in {**defaults, **front_matter}.items() if v is not ...}
    block = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
    return f"---\n{block}---\n{textwrap.dedent(body)}"


def write_site(root: Path, files: SiteFiles, config: Mapping[str, object] | None = None) -> Path:
    """Write `files` (path -> text or bytes) under `root`, with a config.yaml unless given."""
    root.mkdir(parents=True, exist_ok=True)
    all_files: dict[str, str | bytes] = {
        "config.yaml": yaml.safe_dump(dict(config or BASIC_CONFIG))
    }
    all_files.update(files)
    for relative, content in all_files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def build_site(root: Path, **options: object) -> BuildResult:
    return build(root, BuildOptions(now=FIXED_NOW, **options))  # type: ignore[arg-type]


REPO = Path(__file__).resolve().parent.parent


def build_sample_site(scratch: Path) -> Path:
    """Copy the repository's own sample site into `scratch`, build it, return its output."""
    site = scratch / "site"
    site.mkdir()
    for name in ("weeknotes", "site_templates"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "config.yaml", site / "config.yaml")
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    return site / "_site"


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """`make_site({"weeknotes/a.md": note(...)}, config={...})` -> the site folder."""

    def make(
        files: SiteFiles, config: Mapping[str, object] | None = None, name: str = "site"
    ) -> Path:
        return write_site(tmp_path / name, files, config)

    return make
