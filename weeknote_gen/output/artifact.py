"""What rendering produces and writing consumes: an output file held in memory.

Kept apart from `write` so that rendering, feeds, search and the cache can make and reuse
`Artifact` values without importing the code that touches the output folder.
"""

from __future__ import annotations

import hashlib
import zlib


class DamagedFileError(ValueError):
    """A file kept compressed (a page from the build cache) does not expand to what it was
    said to be: the cache was damaged, or planted. Nothing of it may be written."""


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
    def stored(
        cls, path: str, compressed: bytes, sha256: str, size: int, data: bytes | None = None
    ) -> Artifact:
        """A file known by its compressed bytes, digest and size; with `data` too when the
        caller has it already (a page from a worker process), so it is never expanded."""
        artifact = cls(path, b"")
        artifact._data = data
        artifact._compressed, artifact._sha256, artifact._size = compressed, sha256, size
        return artifact

    @property
    def data(self) -> bytes:
        if self._data is None:
            try:
                data = zlib.decompress(self._compressed)
            except zlib.error:
                raise DamagedFileError(self.path) from None
            if len(data) != self._size:
                raise DamagedFileError(self.path)
            self._data = data
        return self._data

    @property
    def size(self) -> int:
        return self._size

    @property
    def sha256(self) -> str:
        if not self._sha256:
            self._sha256 = hashlib.sha256(self.data).hexdigest()
        return self._sha256

    def moved(self, folder: str) -> Artifact:
        """The same file inside `folder` (a language's part of a bilingual site); no bytes
        are expanded or copied."""
        if not folder:
            return self
        artifact = Artifact(f"{folder}/{self.path}", b"")
        artifact._data, artifact._compressed = self._data, self._compressed
        artifact._sha256, artifact._size = self._sha256, self._size
        return artifact

    def packed(self) -> tuple[bytes, str, int]:
        """Compressed bytes, digest and size: how the engine remembers a page."""
        if not self._compressed:
            self._compressed = zlib.compress(self.data, 1)
        return self._compressed, self.sha256, self._size

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Artifact):
            return NotImplemented
        return (self.path, self.size, self.sha256) == (other.path, other.size, other.sha256)

    def __hash__(self) -> int:
        return hash((self.path, self.sha256))

    def __repr__(self) -> str:
        return f"Artifact({self.path!r}, {self.size} bytes)"
