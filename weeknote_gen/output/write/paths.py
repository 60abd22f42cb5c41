"""Which paths may be written: inside the output folder, each once, never through a link.

The checks on every path run once for each file of the site, so they are plain string checks;
the checks for links read the disk once a folder, as thousands of files share folders.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from weeknote_gen.errors import Diagnostic, error
from weeknote_gen.output.artifact import Artifact


def check_artifacts(artifacts: Iterable[Artifact]) -> list[Diagnostic]:
    """Refuse paths that could land outside the output folder, and duplicates."""
    seen: set[str] = set()
    return [problem for a in artifacts if (problem := path_problem(a.path, seen)) is not None]


def path_problem(path: str, seen: set[str]) -> Diagnostic | None:
    """Why `path` may not be written (outside the output folder, or a second time), if so;
    plain string checks, as this runs once for every file of the site."""
    parts = path.split("/")
    if (
        not path
        or "\\" in path
        or ":" in parts[0]
        or any(part in ("", ".", "..") for part in parts)  # an absolute path starts with ""
    ):
        seen.add(path)
        return error("output.unsafe-path", f"refusing to write '{path}' outside the output folder")
    if path in seen:
        return error("output.duplicate", f"two outputs want the file '{path}'")
    seen.add(path)
    return None


def links_on_the_way(items: list[Artifact], root: Path) -> list[Diagnostic]:
    """Files that would be written through a link to a folder (for the in-place update)."""
    folders = {(root / a.path).parent for a in items}
    checked: dict[Path, bool] = {root: True}
    return [
        error("output.unsafe-path", f"refusing to write through a link: '{path}'")
        for path in sorted(str(f) for f in folders if not stays_inside(root, f, checked))
    ]


def stays_inside(root: Path, folder: Path, checked: dict[Path, bool]) -> bool:
    """Like `resolves_inside`, one `lstat` per folder: a folder is inside if its parent is and it
    is not a link (or is a link that resolves inside). Thousands of folders share parents."""
    known = checked.get(folder)
    if known is not None:
        return known
    if folder == folder.parent:
        return False
    inside = stays_inside(root, folder.parent, checked) and (
        not folder.is_symlink() or resolves_inside(root, folder)
    )
    checked[folder] = inside
    return inside


def resolves_inside(root: Path, folder: Path) -> bool:
    """True when `folder`, once any links in it are followed, is still under `root`."""
    real = Path(os.path.realpath(folder))
    return real == root or root in real.parents
