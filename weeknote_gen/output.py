"""Writing the site: the only stage that touches the output folder.

Called only after every page was rendered in memory, so a broken note or template never
leaves a half-built site. Each file is replaced atomically, files whose bytes did not change
are left alone (deploy tools and browsers see them as unchanged), and only files this tool
wrote before are ever deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from weeknote_gen.errors import Diagnostic, Location, error

MANIFEST_VERSION = 1


class Artifact:
    """One output file, in memory: a path relative to the output folder and its bytes.

    A page reused from the render cache arrives compressed with its digest and size known
    (`Artifact.stored`): a rebuild compares it with the file on disk without decompressing
    it, and only pages that must be written are ever expanded.
    """

    __slots__ = ("_compressed", "_data", "_sha256", "_size", "path")

    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self._data: bytes | None = data
        self._compressed = b""
        self._sha256 = ""
        self._size = len(data)

    @classmethod
    def stored(cls, path: str, compressed: bytes, sha256: str, size: int) -> Artifact:
        artifact = cls(path, b"")
        artifact._data = None
        artifact._compressed, artifact._sha256, artifact._size = compressed, sha256, size
        return artifact

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = zlib.decompress(self._compressed)
        return self._data

    @property
    def size(self) -> int:
        return self._size

    @property
    def sha256(self) -> str:
        if not self._sha256:
            self._sha256 = hashlib.sha256(self.data).hexdigest()
        return self._sha256

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Artifact):
            return NotImplemented
        return (self.path, self.size, self.sha256) == (other.path, other.size, other.sha256)

    def __hash__(self) -> int:
        return hash((self.path, self.sha256))

    def __repr__(self) -> str:
        return f"Artifact({self.path!r}, {self.size} bytes)"


class Memo(Protocol):
    """Somewhere to keep rendered output by fingerprint between builds (`cache.Table`)."""

    def get(self, key: str) -> Any: ...

    def put(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    # The files written or removed, so the dev server reloads only pages that changed.
    changed: frozenset[str] = frozenset()


def check_artifacts(artifacts: Iterable[Artifact]) -> list[Diagnostic]:
    """Refuse paths that could land outside the output folder, and duplicates."""
    problems = []
    seen: set[str] = set()
    for artifact in artifacts:
        pure = PurePosixPath(artifact.path)
        bad = (
            not artifact.path
            or pure.is_absolute()
            or "\\" in artifact.path
            or any(part in ("", ".", "..") for part in artifact.path.split("/"))
            or ":" in pure.parts[0]
        )
        if bad:
            problems.append(
                error(
                    "output.unsafe-path",
                    f"refusing to write '{artifact.path}' outside the output folder",
                )
            )
        elif artifact.path in seen:
            problems.append(
                error("output.duplicate", f"two outputs want the file '{artifact.path}'")
            )
        seen.add(artifact.path)
    return problems


def write_site(
    artifacts: Iterable[Artifact], output_dir: Path, manifest_file: Path
) -> tuple[WriteReport | None, list[Diagnostic]]:
    """Bring `output_dir` to exactly the artifacts given, touching only what changed."""
    items = list(artifacts)
    problems = check_artifacts(items)
    if output_dir.is_symlink() or (output_dir.exists() and not output_dir.is_dir()):
        problems.append(
            error(
                "output.not-folder",
                f"the output folder {output_dir.name} is a file or a link",
                Location(output_dir.name),
                "remove it, or set output_dir in config.yaml",
            )
        )
    if problems:
        return None, problems
    if not output_dir.exists():
        return _write_fresh(items, output_dir, manifest_file), []
    root = output_dir.resolve()
    folders = {(root / a.path).parent for a in items}
    checked: dict[Path, bool] = {root: True}
    through_links = sorted(str(f) for f in folders if not _stays_inside(root, f, checked))
    if through_links:
        return None, [
            error("output.unsafe-path", f"refusing to write through a link: '{path}'")
            for path in through_links
        ]
    previous = _read_manifest(manifest_file, root)
    current: dict[str, str] = {}
    written: list[str] = []
    for artifact in items:
        digest = artifact.sha256
        current[artifact.path] = digest
        target = root / artifact.path
        if not _is_current(target, artifact, previous.get(artifact.path) == digest):
            _replace_file(target, artifact.data)
            written.append(artifact.path)
    removed = _prune(root, set(previous) - set(current))
    _write_manifest(manifest_file, root, current)
    unchanged = len(items) - len(written)
    changed = frozenset(written) | frozenset(removed)
    return WriteReport(len(written), unchanged, len(removed), changed), []


def replace_files(artifacts: Iterable[Artifact], output_dir: Path) -> list[Diagnostic]:
    """Replace a few files of a built site in place, each atomically, leaving the manifest
    to the full build that follows (the dev server's fast path for one edited note)."""
    items = list(artifacts)
    problems = check_artifacts(items)
    if problems:
        return problems
    if output_dir.is_symlink() or not output_dir.is_dir():
        return [error("output.not-folder", f"the output folder {output_dir.name} is missing")]
    root = output_dir.resolve()
    checked: dict[Path, bool] = {root: True}
    for artifact in items:
        target = root / artifact.path
        if not _stays_inside(root, target.parent, checked):
            return [error("output.unsafe-path", f"refusing to write through a link: '{target}'")]
        if not _is_current(target, artifact, manifest_agrees=False):
            _replace_file(target, artifact.data)
    return []


def _write_fresh(items: list[Artifact], output_dir: Path, manifest_file: Path) -> WriteReport:
    """A first build writes into a hidden sibling folder, renamed into place when complete:
    the output folder appears whole or not at all, without a rename per file."""
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = output_dir.with_name(f".{output_dir.name}.staging")
    if staging.exists():
        shutil.rmtree(staging)  # left by a build that was killed part way
    made: set[Path] = set()
    for artifact in items:
        target = staging / artifact.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(artifact.data)
    staging.rename(output_dir)
    root = output_dir.resolve()
    _write_manifest(manifest_file, root, {a.path: a.sha256 for a in items})
    return WriteReport(len(items), 0, 0, frozenset(a.path for a in items))


def output_intact(output_dir: Path, manifest_file: Path) -> bool:
    """Every file the last build wrote is still there (a quick check: names, not bytes)."""
    if not output_dir.is_dir() or output_dir.is_symlink():
        return False
    root = output_dir.resolve()
    files = _read_manifest(manifest_file, root)
    return bool(files) and all((root / path).is_file() for path in files)


def _stays_inside(root: Path, folder: Path, checked: dict[Path, bool]) -> bool:
    """Like `_inside`, one `lstat` per folder: a folder is inside if its parent is and it
    is not a link (or is a link that resolves inside). Thousands of folders share parents."""
    known = checked.get(folder)
    if known is not None:
        return known
    if folder == folder.parent:
        return False
    inside = _stays_inside(root, folder.parent, checked) and (
        not folder.is_symlink() or _inside(root, folder)
    )
    checked[folder] = inside
    return inside


def _inside(root: Path, folder: Path) -> bool:
    """True when `folder`, once any links in it are followed, is still under `root`."""
    real = Path(os.path.realpath(folder))
    return real == root or root in real.parents


def _is_current(target: Path, artifact: Artifact, manifest_agrees: bool) -> bool:
    try:
        stat = target.stat()
    except OSError:
        return False
    if stat.st_size != artifact.size:
        return False
    if manifest_agrees:
        return True
    return target.read_bytes() == artifact.data


def _replace_file(target: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: readers never see a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temp_name).chmod(0o644)
        Path(temp_name).replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _prune(root: Path, stale: set[str]) -> list[str]:
    removed = []
    for relative in sorted(stale, reverse=True):
        target = root / relative
        if not _inside(root, target.parent) or not target.is_file():
            continue
        target.unlink()
        removed.append(relative)
        parent = target.parent
        while parent != root and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed


def _read_manifest(manifest_file: Path, root: Path) -> Mapping[str, str]:
    """What we wrote last time into this same folder; anything else is not ours to prune."""
    try:
        data = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    if data.get("output") != str(root):
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _write_manifest(manifest_file: Path, root: Path, files: Mapping[str, str]) -> None:
    payload = {
        "version": MANIFEST_VERSION,
        "output": str(root),
        "files": dict(sorted(files.items())),
    }
    manifest_file.parent.mkdir(parents=True, exist_ok=True)
    _replace_file(manifest_file, json.dumps(payload, indent=1).encode("utf-8"))
