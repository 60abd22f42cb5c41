"""Notes that are already in the folder `init` starts a site in: weeknote-gen's own
`weeknotes/`, a Jekyll `_posts/`, a Hugo `content/posts/` or `content/`, an Eleventy `posts/`.

weeknote-gen reads notes only from `weeknotes/` (config.yaml has no key naming another
folder), so a site moving here is not given a sample note: `init` prints the one command that
brings the notes into `weeknotes/` instead, and moves nothing itself. The command is `git mv`
when git tracks the notes, so their history follows them, and a copy otherwise, which leaves
the old site as it was.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from weeknote_gen.config import CONTENT_DIR

# Where each generator keeps its notes, most specific first: a Hugo site's posts are moved
# without its other pages (about.md, the section files) when they have a folder of their own.
_OTHER_LAYOUTS = (
    ("Jekyll", "_posts"),
    ("Hugo", "content/posts"),
    ("Hugo", "content"),
    ("Eleventy", "posts"),
)
_NOTE_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class ExistingNotes:
    generator: str  # "weeknote-gen", "Jekyll", "Hugo" or "Eleventy"
    folder: str  # where the notes are, relative to the site folder
    commands: tuple[str, ...]  # run in the site folder to bring them into weeknotes/

    @property
    def in_place(self) -> bool:
        return not self.commands


def find_existing_notes(site_dir: Path) -> ExistingNotes | None:
    """The notes already in `site_dir`, and how to bring them into `weeknotes/`; None for a
    folder with no notes, which gets a first note of its own."""
    if _holds_notes(site_dir / CONTENT_DIR):
        return ExistingNotes("weeknote-gen", CONTENT_DIR, ())
    for generator, folder in _OTHER_LAYOUTS:
        if _holds_notes(site_dir / folder):
            return ExistingNotes(generator, folder, _bring_in(site_dir, folder))
    return None


def _holds_notes(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    return any(  # Hugo's `_index.md` section pages are not notes, and neither are dotfiles
        path.suffix.lower() in _NOTE_SUFFIXES and path.name[:1] not in "_." and path.is_file()
        for path in folder.rglob("*")
    )


def _bring_in(site_dir: Path, folder: str) -> tuple[str, ...]:
    """The commands that put `folder` at `weeknotes/` (or, for a sub-folder such as
    `content/posts`, at `weeknotes/posts/`), keeping the notes' folders and names."""
    inside = folder.split("/", 1)[1] if "/" in folder else ""
    target = f"{CONTENT_DIR}/{inside}" if inside else CONTENT_DIR
    make_parent = (f"mkdir -p {shlex.quote(CONTENT_DIR)}",) if inside else ()
    source, destination = shlex.quote(folder), shlex.quote(target)
    if _tracked_by_git(site_dir, folder):
        return (*make_parent, f"git mv {source} {destination}")
    return (*make_parent, f"cp -R {source} {destination}")


def _tracked_by_git(site_dir: Path, folder: str) -> bool:
    try:
        result = subprocess.run(
            ["git", "-C", str(site_dir), "ls-files", "--", folder],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and bool(result.stdout.strip())
