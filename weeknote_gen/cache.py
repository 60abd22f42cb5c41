"""The persistent cache in `.weeknote-cache/`: content-addressed, versioned, safe to delete.

Each table maps a key made from content hashes and a fingerprint of whatever else shaped the
value (package versions, options) to that value, so entries never need invalidating: a
changed input simply has a new key. Only entries used by the latest build are kept, which
bounds the size. The files are pickles written by this tool for this tool; anything unreadable
or from another version is ignored and rebuilt.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import Any

from weeknote_gen import __version__
from weeknote_gen.output import Artifact

FORMAT = 1


def cache_folder(root: Path) -> Path:
    """One folder per cache format, tool and Python version: a new one starts empty."""
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    return root / f"v{FORMAT}-{__version__}-{python}"


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


def load_value(path: Path) -> Any:
    """One pickled value (such as the record of the last build), or None."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # our own file, written by store_value
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None


def store_value(path: Path, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        Path(temp).replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time next build


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)  # our own file, written by _store below
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _store(path: Path, entries: MutableMapping[str, Any]) -> None:
    store_value(path, dict(entries))


# Bundles: folders of output files kept whole (the search index), by a key of their inputs.


def read_bundle(cache: Path, key: str) -> list[Artifact] | None:
    folder = cache / key
    if not folder.is_dir():
        return None
    try:
        return [
            Artifact(path.relative_to(folder).as_posix(), path.read_bytes())
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        ]
    except OSError:
        return None


def read_latest_bundle(cache: Path) -> list[Artifact] | None:
    """Whatever bundle the cache holds (there is only ever one), whatever its inputs."""
    folders = sorted(cache.iterdir()) if cache.is_dir() else []
    return read_bundle(cache, folders[0].name) if folders else None


def store_bundle(cache: Path, key: str, bundle: Sequence[Artifact]) -> None:
    """Keep only the newest bundle; written beside its final name, then renamed into place."""
    try:
        if cache.is_dir():
            shutil.rmtree(cache)
        staging = cache.with_name(f"{cache.name}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        for artifact in bundle:
            target = staging / key / artifact.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(artifact.data)
        staging.rename(cache)
    except OSError:
        pass  # a cache that cannot be written only costs time on the next build
