"""The persistent cache in `.weeknote-cache/`: content-addressed, versioned, safe to delete.

Each table maps a key made from content hashes and a fingerprint of whatever else shaped the
value (package versions, options) to that value, so entries never need invalidating: a
changed input simply has a new key. Only entries used by the latest build are kept, which
bounds the size. The files are pickles written by this tool for this tool, each after a
header naming the cache format and a fingerprint of the code that wrote it. Anything
unreadable, truncated or written by other code is ignored and rebuilt, and leaves a notice
(`take_notices`) for the command to print: a cache can only ever cost time, never a build.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import shutil
import sys
import tempfile
import threading
from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import Any

from weeknote_gen import __version__
from weeknote_gen.output import Artifact

FORMAT = 2
_MAGIC = b"weeknote-gen cache"
BUNDLE_INDEX = ".index.json"  # beside each bundle folder: its files' digests

UNREADABLE = "the build cache could not be read and was rebuilt"
OTHER_VERSION = "the build cache was made by another version of weeknote-gen and was rebuilt"

_notices: list[str] = []
_notices_lock = threading.Lock()


def take_notices() -> list[str]:
    """What went wrong with the cache since the last call, each told once (for the CLI to
    print as a one-line note: the build itself went ahead)."""
    with _notices_lock:
        found = list(dict.fromkeys(_notices))
        _notices.clear()
    return found


def _notice(text: str) -> None:
    with _notices_lock:
        _notices.append(text)


def cache_folder(root: Path) -> Path:
    """One folder per cache format, tool and Python version: a new one starts empty."""
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    return root / f"v{FORMAT}-{__version__}-{python}"


@functools.cache
def code_fingerprint() -> str:
    """The tool's own source: a cache written by any other code (a development checkout
    between releases, say) is not trusted, since its pickled classes may differ."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.glob("*.py")):
        digest.update(f"\0{source.name}\0".encode())
        with contextlib.suppress(OSError):
            digest.update(source.read_bytes())
    return digest.hexdigest()


def _header() -> bytes:
    return _MAGIC + b" " + code_fingerprint().encode() + b"\n"


class Table:
    """A dict loaded from one file, that records which keys this build used."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path  # None: in memory only (the dev server keeps its tables warm)
        self._entries: dict[str, Any] | None = None if path is not None else {}
        self.used: set[str] = set()
        self.added = 0

    @property
    def entries(self) -> dict[str, Any]:
        """Read from disk on first use: a build that stops early never pays for it."""
        if self._entries is None:
            self._entries = _load(self.path) if self.path is not None else {}
        return self._entries

    def __len__(self) -> int:
        return len(self.entries)

    def start_build(self) -> None:
        self.used.clear()
        self.added = 0

    def get(self, key: str) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.added += 1

    def save(self) -> None:
        """Write back only what this build used, and only if anything changed."""
        if self.path is None or self._entries is None:
            return
        kept = {k: v for k, v in self._entries.items() if k in self.used}
        if not self.added and len(kept) == len(self._entries):
            return
        self._entries = kept
        _store(self.path, kept)
        _remove_other_versions(self.path.parent)


def load_value(path: Path) -> Any:
    """One pickled value (such as the record of the last build), or None."""
    return _read(path)


def store_value(path: Path, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_header())
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            Path(temp).replace(path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a cache that cannot be written only costs time next build


def _read(path: Path) -> Any:
    """The value in a file written by `store_value`; None, with a notice, for anything else
    (a missing file is simply a cold cache)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        if _other_versions(path.parent):
            _notice(OTHER_VERSION)
        return None
    except OSError:
        _notice(UNREADABLE)
        return None
    with handle:
        try:
            header = handle.readline()
            if header != _header():
                _notice(OTHER_VERSION if header.startswith(_MAGIC) else UNREADABLE)
                return None
            return pickle.load(handle)  # our own file, written by this very code
        except Exception:  # truncated or damaged: unpickling can fail in many ways
            _notice(UNREADABLE)
            return None


def _other_versions(folder: Path) -> list[Path]:
    """Cache folders beside `folder` made by other versions (of the tool, format or Python)."""
    parent = folder.parent
    if not folder.name.startswith("v") or not parent.is_dir():
        return []
    return [p for p in parent.iterdir() if p.is_dir() and p.name.startswith("v") and p != folder]


def _remove_other_versions(folder: Path) -> None:
    for other in _other_versions(folder):
        shutil.rmtree(other, ignore_errors=True)


def _load(path: Path) -> dict[str, Any]:
    data = _read(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        _notice(UNREADABLE)
        return {}
    return data


def _store(path: Path, entries: MutableMapping[str, Any]) -> None:
    store_value(path, dict(entries))


# Bundles: folders of output files kept whole (the search index), by a key of their inputs,
# each with an index of its files' digests beside it so that a damaged bundle is never used.


def read_bundle(cache: Path, key: str) -> list[Artifact] | None:
    folder = cache / key
    if not folder.is_dir():
        return None
    try:
        index = json.loads((cache / f"{key}{BUNDLE_INDEX}").read_text(encoding="utf-8"))
        bundle = [
            Artifact(path.relative_to(folder).as_posix(), path.read_bytes())
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        ]
    except (OSError, ValueError):
        _notice(UNREADABLE)
        return None
    found = {artifact.path: artifact.sha256 for artifact in bundle}
    if found != index:
        _notice(UNREADABLE)
        return None
    return bundle


def read_latest_bundle(cache: Path) -> list[Artifact] | None:
    """Whatever bundle the cache holds (there is only ever one), whatever its inputs."""
    folders = sorted(p for p in cache.iterdir() if p.is_dir()) if cache.is_dir() else []
    return read_bundle(cache, folders[0].name) if folders else None


def store_bundle(cache: Path, key: str, bundle: Sequence[Artifact]) -> None:
    """Keep only the newest bundle; written beside its final name, then renamed into place."""
    try:
        if cache.is_dir():
            shutil.rmtree(cache)
        staging = cache.with_name(f"{cache.name}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for artifact in bundle:
            target = staging / key / artifact.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(artifact.data)
        index = {artifact.path: artifact.sha256 for artifact in bundle}
        (staging / f"{key}{BUNDLE_INDEX}").write_text(json.dumps(index), encoding="utf-8")
        staging.rename(cache)
    except OSError:
        pass  # a cache that cannot be written only costs time on the next build
