"""Whether anything under `weeknotes/` (and the static folder) changed since the last build,
told from `lstat` alone without reading a file, so an unchanged site is recognised in
milliseconds.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from weeknote_gen.config import CONTENT_DIR


@dataclass(frozen=True, slots=True)
class TreeIdentity:
    """Every entry under `weeknotes/` by name and identity, hashed: equal digests mean no
    file was added, removed, renamed, linked or written since (see `tree_identity`)."""

    digest: str
    newest_ns: int  # the latest modified or changed time of any entry


# Each entry's identity, for the delta build to tell which files changed: (mode, inode, size,
# modified time, changed time), times in nanoseconds; listed as the walk finds them, a folder
# at a time (its path from the site folder, with a slash, and its entries' names), so that a
# no-op build, which never needs them by path, pays next to nothing for them (`by_path`).
Identity = tuple[int, int, int, int, int]
Entries = list[tuple[str, list[tuple[str, Identity]]]]


def by_path(entries: Entries) -> dict[str, Identity]:
    """Each entry's identity by its path from the site folder."""
    return {f"{folder}{name}": fields for folder, found in entries for name, fields in found}


def tree_identity(
    site_dir: Path, static_dir: str | None = None, entries: Entries | None = None
) -> TreeIdentity | None:
    """The identity of the whole content tree (and the static folder, if named) from
    `lstat` alone, without reading a file: what lets an unchanged site be recognised in
    milliseconds. Every entry counts, even ones discovery ignores or skips, so nothing that
    could change the build goes unseen. Each entry's identity goes into `entries` too, when
    given."""
    root = site_dir / CONTENT_DIR
    if not root.is_dir() or root.is_symlink():
        return None
    digest = hashlib.sha256()
    newest = 0
    pending = [("", str(root), f"{CONTENT_DIR}/")]
    if static_dir is not None:
        static = site_dir / static_dir
        try:
            info = static.lstat()
        except FileNotFoundError:
            digest.update(b"no static folder\0")
        except OSError:
            return None
        else:  # the folder's own entry, then (a real folder) everything in it
            newest = max(info.st_mtime_ns, info.st_ctime_ns)
            digest.update(f"static\0{info.st_mode}\0{info.st_ino}\0".encode())
            if static.is_dir() and not static.is_symlink():
                pending.append(("\0static/", str(static), f"{static_dir}/"))
    try:
        while pending:
            prefix, folder, shown = pending.pop()
            with os.scandir(folder) as found:
                listed = sorted(found, key=lambda entry: entry.name)
            here: list[tuple[str, Identity]] = []
            if entries is not None:
                entries.append((shown, here))
            for entry in listed:
                info = entry.stat(follow_symlinks=False)
                newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
                fields = (
                    info.st_mode,
                    info.st_ino,
                    info.st_size,
                    info.st_mtime_ns,
                    info.st_ctime_ns,
                )
                digest.update(f"{prefix}{entry.name}\0{fields}\0".encode())
                here.append((entry.name, fields))
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path, f"{shown}{entry.name}/"))
    except OSError:
        return None
    return TreeIdentity(digest.hexdigest(), newest)
