"""Results of pure stages kept by the content hash of their inputs, wrapped around the stages.

A stage never knows whether it runs cold: the engine asks the memo for each input's key, and
hands the stage only the inputs whose results it does not have, in one batch (so a batch can
still be spread over the process pool). A one-off build keeps the memo in `.weeknote-cache/`
(one table per kind of result, read lazily, written back with only what the build used); the
dev server keeps one in memory between builds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from weeknote_gen.engine.cache import Table
from weeknote_gen.engine.cache_version import cache_folder
from weeknote_gen.engine.codec_values import Codec

T = TypeVar("T")


def key_of(*parts: str) -> str:
    """One memo key from the texts a result depends on, told apart by a separator no text
    holds."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class Memo:
    """A table per kind of result (by codec name), made on first use."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = cache_folder(folder) if folder is not None else None
        self.tables: dict[str, Table[Any]] = {}

    def table(self, codec: Codec[T]) -> Table[T]:
        found = self.tables.get(codec.name)
        if found is None:
            path = self.folder / f"{codec.name}.records" if self.folder is not None else None
            found = Table(path, codec) if path is not None else Table()
            self.tables[codec.name] = found
        return found

    def forget(self, codec: Codec[Any]) -> None:
        """Drop one kind of result, its file too: what it held cannot be trusted."""
        table = self.tables.pop(codec.name, None)
        if table is not None and table.path is not None:
            table.path.unlink(missing_ok=True)

    def start_build(self) -> None:
        for table in self.tables.values():
            table.start_build()

    def save(self) -> None:
        """Write every table back (for a memo on disk), as a one-off build does once it
        succeeded: a failed build writes nothing, its partial results included."""
        for table in self.tables.values():
            table.save()

    def map(
        self,
        codec: Codec[T],
        keys: Sequence[str],
        compute: Callable[[list[int]], Sequence[T]],
    ) -> list[T]:
        """The result for each key: remembered ones as they are, the others from one call of
        `compute` with their positions (each distinct key computed once), then remembered."""
        table = self.table(codec)
        found: dict[str, T] = {}
        missing: dict[str, int] = {}
        for index, key in enumerate(keys):
            if key in found or key in missing:
                continue
            value = table.get(key)
            if value is None:
                missing[key] = index
            else:
                found[key] = value
        if missing:
            fresh = compute(list(missing.values()))
            for key, value in zip(missing, fresh, strict=True):
                table.put(key, value)
                found[key] = value
        return [found[key] for key in keys]

    def one(self, codec: Codec[T], key: str, compute: Callable[[], T]) -> T:
        """One remembered result, computed when the memo does not have it."""
        return self.map(codec, [key], lambda _: [compute()])[0]
