"""Finding the weeknotes: the only stage that reads the content tree.

Everything after this works on `SourceFile` values, so the rest of the pipeline is pure and a
content hash identifies a file's text for caching.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from weeknote_gen.config import CONTENT_DIR
from weeknote_gen.errors import Diagnostic, Location, decode_text, error, note, warning


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One note's text, decoded and with line endings normalised to `\\n`."""

    path: str  # relative to the site folder, with forward slashes: "weeknotes/2024/w10.md"
    text: str
    sha256: str


@dataclass(frozen=True, slots=True)
class AssetFile:
    """A file beside the notes (a picture, a PDF) that notes may link to."""

    path: str  # relative to the site folder: "weeknotes/2024/board.jpg"
    data: bytes


@dataclass(frozen=True, slots=True)
class Content:
    notes: tuple[SourceFile, ...]
    assets: tuple[AssetFile, ...]
    skipped: tuple[str, ...] = ()  # Markdown files in `_` folders that do not look like notes
    # Files of the site's static folder (config's `static_dir`), published as they are.
    static: tuple[AssetFile, ...] = ()


# What the last discovery read, by path, with the file's identity then: (inode, size,
# modified, changed) in nanoseconds. Editors replace or rewrite a file on save, which changes
# at least one of these, so a file whose identity is unchanged need not be read again.
FileMemo = dict[str, tuple[tuple[int, int, int, int], "SourceFile | AssetFile"]]


def is_ignored(name: str) -> bool:
    """File names starting with `.` or `_` are drafts-in-progress, editor files, partials or
    section pages (Hugo's `_index.md`), and names ending in `~` are editor backups."""
    return name.startswith((".", "_")) or name.endswith("~")


def is_ignored_folder(name: str) -> bool:
    """Folders starting with `.` (version control, editors) are never read. Folders starting
    with `_` are: Jekyll keeps its posts in `_posts/`, and a team that copies that folder in
    expects its notes to build. Only files in them that look like notes count, though
    (`looks_like_note`), since the same convention also names partials and layouts."""
    return name.startswith(".") or name.endswith("~")


_DATE_IN_NAME = re.compile(r"(?<!\d)(?:\d{4}([-_.])\d{2}\1\d{2}|\d{8})(?!\d)")
_FRONT_MATTER_OPENERS = ("---\n", "+++\n", "{")
# The first line of a Pelican or MultiMarkdown header: `Title: …` or `Date: …`.
_HEADER_OPENER = re.compile(r"(?:title|date)[ \t]*:", re.IGNORECASE)


def looks_like_note(name: str, text: str) -> bool:
    """A Markdown file in a `_` folder is a note when it opens with front matter (YAML, TOML,
    JSON, or a `Title:`/`Date:` header) or is named by its date (`2019-10-18`, `2019_10_18`,
    `20191018`), as Jekyll's posts are; a partial or an include has neither, and is left
    alone."""
    opening = text.lstrip("\ufeff")
    return (
        _DATE_IN_NAME.search(name) is not None
        or opening.startswith(_FRONT_MATTER_OPENERS)
        or _HEADER_OPENER.match(opening) is not None
    )


def discover(site_dir: Path) -> tuple[tuple[SourceFile, ...], list[Diagnostic]]:
    """Every `*.md` under `weeknotes/`, sorted by path so the build is deterministic."""
    content, problems = discover_content(site_dir)
    return content.notes, problems


def discover_content(
    site_dir: Path, memo: FileMemo | None = None, static_dir: str | None = None
) -> tuple[Content, list[Diagnostic]]:
    """The notes and the other files beside them, sorted by path, and with a `static_dir`
    every file of that folder (a missing one has none).

    Symbolic links are not followed: a link could point outside the site (leaking a private
    file into the published output) or loop forever. With a `memo` (the dev server keeps
    one), files unchanged since the last call are not read again.
    """
    root = site_dir / CONTENT_DIR
    problems: list[Diagnostic] = []
    if not root.is_dir():
        problems.append(
            error(
                "content.missing",
                f"no {CONTENT_DIR}/ folder in {site_dir}",
                Location(CONTENT_DIR),
                f"create {CONTENT_DIR}/ and put one Markdown file per weeknote in it",
            )
        )
        return Content((), ()), problems
    ignored: list[str] = []
    known = dict(memo) if memo is not None else {}
    seen: FileMemo = {}
    files, assets, skipped = _read_notes_folder(root, site_dir, known, seen, problems, ignored)
    static: list[AssetFile] = []
    if static_dir is not None:
        static = _read_static_folder(site_dir, static_dir, known, seen, problems)
    if memo is not None:
        memo.clear()
        memo.update(seen)
    problems.extend(_skipped_report(files, skipped, ignored))
    return Content(tuple(files), tuple(assets), tuple(skipped), tuple(static)), problems


def _read_notes_folder(
    root: Path,
    site_dir: Path,
    known: FileMemo,
    seen: FileMemo,
    problems: list[Diagnostic],
    ignored: list[str],
) -> tuple[list[SourceFile], list[AssetFile], list[str]]:
    """The notes, the files beside them and the Markdown files in `_` folders skipped as not
    notes; files unchanged since `known` was filled are not read again, and every file read
    is recorded in `seen` for the next call."""
    files: list[SourceFile] = []
    assets: list[AssetFile] = []
    skipped: list[str] = []
    for path in _walk(root, site_dir, problems, ignored):
        relative = path.relative_to(site_dir).as_posix()
        identity = _identity(path)
        kept = known.get(relative)
        read: SourceFile | AssetFile | None
        if identity is not None and kept is not None and kept[0] == identity:
            read = kept[1]
        elif path.suffix == ".md":
            read = read_source(site_dir, path, problems)
        else:
            read = _read_asset(relative, path, problems)
        if isinstance(read, SourceFile):
            in_underscore_folder = any(part.startswith("_") for part in relative.split("/")[1:-1])
            if in_underscore_folder and not looks_like_note(path.name, read.text):
                skipped.append(relative)
            else:
                files.append(read)
        elif read is not None:
            assets.append(read)
        if read is not None and identity is not None:
            seen[relative] = (identity, read)
    return files, assets, skipped


def _read_static_folder(
    site_dir: Path, static_dir: str, known: FileMemo, seen: FileMemo, problems: list[Diagnostic]
) -> list[AssetFile]:
    """Every file of the static folder, reused from `known` when unchanged and recorded in
    `seen`."""
    static: list[AssetFile] = []
    for path in _walk_static(site_dir, static_dir, problems):
        relative = path.relative_to(site_dir).as_posix()
        identity = _identity(path)
        kept = known.get(relative)
        if identity is not None and kept is not None and isinstance(kept[1], AssetFile):
            found = kept[1] if kept[0] == identity else _read_asset(relative, path, problems)
        else:
            found = _read_asset(relative, path, problems)
        if found is not None:
            static.append(found)
            if identity is not None:
                seen[relative] = (identity, found)
    return static


def _skipped_report(
    notes: list[SourceFile], skipped: list[str], ignored: list[str]
) -> list[Diagnostic]:
    """What discovery left out, said once: an error when it left out every Markdown file (a
    build of zero notes from a folder full of them is never a success), else a note."""
    if not notes and (skipped or ignored):
        reasons = []
        if ignored:
            reasons.append(
                f"{_files(len(ignored))} named with a leading '_' or '.' (such as"
                f" {ignored[0]}), which marks partials, section pages and editor files"
            )
        if skipped:
            reasons.append(
                f"{_files(len(skipped))} in folders starting with '_' that neither open with"
                f" front matter nor have a date in their name (such as {skipped[0]})"
            )
        return [
            error(
                "content.no-notes",
                f"found no notes in {CONTENT_DIR}/ although it holds Markdown: skipped "
                + "; and ".join(reasons),
                Location(CONTENT_DIR),
                "give each note front matter (--- title and date ---) or a name starting with"
                " its date (2019-10-18-week-notes.md), and no leading '_' in the file name",
            )
        ]
    if skipped:
        return [
            note(
                "content.skipped",
                f"skipped {_files(len(skipped))} in folders starting with '_' that do not look"
                f" like notes (no front matter, no date in the name), such as {skipped[0]}",
                Location(skipped[0]),
                "if one is a note, give it front matter or a name starting with its date",
            )
        ]
    return []


def _files(count: int) -> str:
    return f"{count} Markdown file{'s' if count != 1 else ''}"


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _read_asset(relative: str, path: Path, problems: list[Diagnostic]) -> AssetFile | None:
    try:
        return AssetFile(relative, path.read_bytes())
    except OSError as exc:
        problems.append(
            error("content.unreadable", f"cannot read the file: {exc.strerror}", Location(relative))
        )
        return None


def _walk_static(site_dir: Path, static_dir: str, problems: list[Diagnostic]) -> list[Path]:
    """Every file of the static folder, hidden ones too (`.well-known/`, `.nojekyll`): the
    folder is published exactly as it is. Links are skipped, like links among the notes."""
    root = site_dir / static_dir
    # The folder and every folder on the way to it: a link anywhere on the path (`assets` ->
    # somewhere else, with `static_dir: assets/inner`) would publish files from outside.
    step = site_dir
    for part in Path(static_dir).parts:
        step = step / part
        if step.is_symlink():
            problems.append(_symlink_warning(step, site_dir, static_dir))
            return []
    if not root.is_dir():
        return []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                problems.append(_symlink_warning(here / name, site_dir, static_dir))
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            candidate = here / name
            if candidate.is_symlink():
                problems.append(_symlink_warning(candidate, site_dir, static_dir))
            else:
                found.append(candidate)
    return sorted(found, key=lambda p: p.relative_to(site_dir).as_posix())


def _walk(root: Path, site_dir: Path, problems: list[Diagnostic], ignored: list[str]) -> list[Path]:
    """Every file to read, sorted; Markdown files left out by name are added to `ignored`."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if is_ignored_folder(name):
                continue
            if (here / name).is_symlink():
                problems.append(_symlink_warning(here / name, site_dir))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if is_ignored(name):
                if name.endswith(".md") and not name.startswith("."):
                    ignored.append((here / name).relative_to(site_dir).as_posix())
                continue
            candidate = here / name
            if candidate.is_symlink():
                problems.append(_symlink_warning(candidate, site_dir))
                continue
            found.append(candidate)
    return sorted(found, key=lambda p: p.relative_to(site_dir).as_posix())


def _symlink_warning(path: Path, site_dir: Path, folder: str = CONTENT_DIR) -> Diagnostic:
    try:
        target = f" (to {path.readlink()})"
    except OSError:
        target = ""
    return warning(
        "content.symlink",
        f"this is a symbolic link{target}; links are not followed, so it was skipped",
        Location(path.relative_to(site_dir).as_posix()),
        f"copy the file or folder into {folder}/ instead of linking to it",
    )


MAX_NOTE_BYTES = 2 * 1024 * 1024  # 2 MB: a long weeknote is 20 kB; more is a paste gone wrong


def read_source(site_dir: Path, path: Path, problems: list[Diagnostic]) -> SourceFile | None:
    """Read and decode one file, reporting (not raising) anything that stops us reading it."""
    relative = path.relative_to(site_dir).as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_NOTE_BYTES:
            problems.append(_too_large(relative, size))
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(
            error("content.unreadable", f"cannot read the file: {exc.strerror}", Location(relative))
        )
        return None
    text, problem = decode_text(data, relative, "content.encoding")
    if text is None:
        if problem is not None:
            problems.append(problem)
        return None
    return SourceFile(relative, text, hashlib.sha256(data).hexdigest())


def _too_large(relative: str, size: int) -> Diagnostic:
    megabytes = MAX_NOTE_BYTES // (1024 * 1024)
    return error(
        "content.too-large",
        f"the note is {size / (1024 * 1024):.1f} MB, more than the {megabytes} MB a note can be",
        Location(relative),
        "a note this big usually holds a pasted log or picture: save that as a file beside "
        "the note and link to it",
    )
