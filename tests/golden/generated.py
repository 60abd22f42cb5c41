"""Inputs of invalid cases that are too big or too odd to commit, made at test time.

Each function takes the copy of its case's folder (already holding `config.yaml` and any small
files) and adds what git should not hold: a 20 MB note, NUL bytes, UTF-16, deep nesting,
symbolic links. The key is the case's folder name under tests/golden/invalid/.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

FRONT = "---\ntitle: Week 1\ndate: 2026-01-09\nauthor: Ada Byron\n"
# Planted outside the site by the symbolic link cases: it must never reach the built site.
SECRET = "SECRET-OUTSIDE-THE-SITE"


def _note(site: Path, name: str, data: bytes) -> None:
    path = site / "weeknotes" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _good_note(site: Path) -> None:
    _note(site, "good.md", f"{FRONT}---\nA week of work.\n".encode())


def utf16_with_bom(site: Path) -> None:
    """Saved as "Unicode" by an old Windows editor: UTF-16, little-endian, with a BOM."""
    _note(site, "utf16.md", f"{FRONT}---\nA week of work.\n".encode("utf-16"))


def nul_bytes(site: Path) -> None:
    """A stray NUL in the middle of a line of the body, as a corrupt copy leaves."""
    _note(site, "nul.md", f"{FRONT}---\nA week\n of work.\x00 And more.\n".encode())


def note_of_20_mb(site: Path) -> None:
    """A 20 MB note: a pasted log, far beyond any weeknote."""
    line = b"The same line of a pasted log file, over and over again, for megabytes.\n"
    body = line * (20 * 1024 * 1024 // len(line) + 1)
    _note(site, "huge.md", f"{FRONT}---\n".encode() + body)


def ten_thousand_terms(site: Path) -> None:
    """10,000 themes on one note, as a script gone wrong writes."""
    terms = "".join(f"  - theme {i:05d}\n" for i in range(10_000))
    _note(site, "tags.md", f"{FRONT}theme:\n{terms}---\nA week of work.\n".encode())


def deeply_nested_lists(site: Path) -> None:
    """A team nested 10,000 lists deep: too deep to read, but it must not crash."""
    depth = 10_000
    value = "[" * depth + "ICT" + "]" * depth
    _note(site, "deep.md", f"{FRONT}team: {value}\n---\nA week of work.\n".encode())


def symlink_loop(site: Path) -> None:
    """A folder linking to itself and a note linking to itself: neither is followed."""
    _good_note(site)
    weeknotes = site / "weeknotes"
    (weeknotes / "again").symlink_to(".", target_is_directory=True)
    (weeknotes / "self.md").symlink_to("self.md")


def symlink_outside_site(site: Path) -> None:
    """A note linking to a private file outside the site: skipped, never published."""
    _good_note(site)
    secret = site.parent / "private.md"
    secret.write_text(f"{FRONT}---\n{SECRET}\n", encoding="utf-8")
    (site / "weeknotes" / "private.md").symlink_to(os.path.relpath(secret, site / "weeknotes"))


GENERATORS: dict[str, Callable[[Path], None]] = {
    "utf16-with-bom": utf16_with_bom,
    "nul-bytes": nul_bytes,
    "note-of-20-mb": note_of_20_mb,
    "ten-thousand-terms": ten_thousand_terms,
    "deeply-nested-lists": deeply_nested_lists,
    "symlink-loop": symlink_loop,
    "symlink-outside-site": symlink_outside_site,
}
