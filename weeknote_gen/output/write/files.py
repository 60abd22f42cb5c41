"""The file operations writing is made of: listing, comparing, linking, creating, replacing
and removing files, each never writing through a file that may be linked to the served site."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.write.paths import resolves_inside


def files_under(root: Path | str) -> dict[str, bool]:
    """Every file and link under `root` (relative path -> is a link), links not followed;
    our own temporary files left by a crash are not included."""
    found: dict[str, bool] = {}
    pending = [("", str(root))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_symlink():
                    found[relative] = True
                elif entry.is_dir():
                    pending.append((relative + "/", entry.path))
                elif not entry.name.startswith(".tmp-"):
                    found[relative] = False
    return found


def link_file(source: str, target: str, fresh: bool = False) -> None:
    """`target` becomes the same file as `source` (a hard link, or a copy where the file
    system has none). Never written through: files in the spare may be linked to the site."""
    if not fresh:
        _unlink(target)
    try:
        os.link(source, target)
    except FileExistsError:
        if not fresh:
            raise
        link_file(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(source, target)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def create_file(target: str, data: bytes, fresh: bool = False) -> None:
    """A new file, never a write into one that may be linked to the site (in a spare made
    this build there is nothing to remove first)."""
    if not fresh:
        _unlink(target)
    try:
        fd = os.open(target, _CREATE, 0o644)
    except FileExistsError:
        if not fresh:
            raise
        create_file(target, data)
        return
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _unlink(target: Path | str) -> None:
    try:
        os.unlink(target)  # noqa: PTH108 (a str or a Path: hot loop)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        message = "a folder is where a file must go"
        raise FileExistsError(errno.EEXIST, message, str(target)) from None


def carry_foreign(source: Path, target: Path, make_folder: Callable[[], None]) -> None:
    """A file someone else put in the output folder (a `CNAME`, say) goes into the new site."""
    if target.is_dir() and not target.is_symlink():
        raise FileExistsError(
            errno.EEXIST,
            "a file that weeknote-gen did not write is where a folder must go",
            str(source),
        )
    if source.is_symlink():
        _unlink(target)
        make_folder()
        target.symlink_to(source.readlink())
        return
    with contextlib.suppress(OSError):
        if source.samefile(target):
            return
    make_folder()
    link_file(str(source), str(target))


def remove_file(top: Path, relative: str) -> None:
    target = top / relative
    try:
        target.unlink()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return
    parent = target.parent
    while parent != top and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def remove_tree(folder: Path) -> None:
    if folder.is_symlink() or not folder.is_dir():
        folder.unlink()
    else:
        shutil.rmtree(folder)


def is_current(target: Path | str, artifact: Artifact, manifest_agrees: bool) -> bool:
    try:
        stat_result = os.stat(target)  # noqa: PTH116 (a str or a Path: hot loop)
    except OSError:
        return False
    if stat_result.st_size != artifact.size:
        return False
    if manifest_agrees:
        return True
    try:
        with open(target, "rb") as handle:  # noqa: PTH123 (a str or a Path)
            return handle.read() == artifact.data
    except OSError:
        return False


def replace_file(target: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: readers never see a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = stage_file(target, data)
    try:
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def stage_file(target: Path, data: bytes) -> Path:
    """`data` written into a new file beside `target` (readable by all, as the site's files
    are), for renaming over it; nothing is left behind if writing fails."""
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temp_name).chmod(0o644)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return Path(temp_name)


def prune(root: Path, stale: set[str]) -> list[str]:
    removed = []
    for relative in sorted(stale, reverse=True):
        target = root / relative
        if not resolves_inside(root, target.parent) or not target.is_file():
            continue
        target.unlink()
        removed.append(relative)
        parent = target.parent
        while parent != root and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed
