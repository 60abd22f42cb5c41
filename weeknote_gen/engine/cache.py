"""The persistent cache in `.weeknote-cache/`: content-addressed, versioned, safe to delete.

Each table maps a key made from content hashes and a fingerprint of whatever else shaped the
value (package versions, options) to that value, so entries never need invalidating: a
changed input simply has a new key. Only entries used by the latest build are kept, which
bounds the size.

The cache lives in the site's working tree, where a pull request can add files, so reading it
never runs anything: each file is a header line naming the cache format and a fingerprint of
the code that wrote it, then plain data written and read by the codec for its kind of value
(`codec`): for a table, records of JSON text and raw bytes (`Table`), appended to as builds
add entries; for a single value, one JSON document. Anything unreadable, damaged, of another
shape or written by other code is ignored and rebuilt, and leaves a notice (`take_notices`)
for the command to print: a cache can only ever cost time, never a build, and can never run
code.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from weeknote_gen.engine.cache_version import (
    _MAGIC,
    OTHER_VERSION,
    UNREADABLE,
    _header,
    _notice,
    _remove_other_versions,
    read_cache_file,
)
from weeknote_gen.engine.codec_values import Codec, Json, pack, unpack
from weeknote_gen.engine.record_file import (
    FileIdentity,
    _RecordFile,
    append_records,
    read_record_at,
)
from weeknote_gen.output.artifact import Artifact

BUNDLE_SUFFIX = ".bundle"  # a search bundle: a listing of its files, then their bytes

T = TypeVar("T")


class Table(Generic[T]):
    """A dict kept in one record file, that records which keys this build used.

    Loading reads the file once and only indexes it: each entry is checked and decoded when a
    build first asks for it, so a build pays only for what it uses. Saving appends the entries
    this build added; the file is rewritten only when it holds more bytes of entries this
    build did not use than of entries it did, or when it could not be trusted. An entry that
    does not decode is a miss (and a notice), not a failed build.
    """

    def __init__(self, path: Path | None = None, codec: Codec[T] | None = None) -> None:
        if path is not None and codec is None:
            raise ValueError("a table kept on disk needs a codec")
        self.path = path  # None: in memory only (the dev server keeps its tables warm)
        self.codec = codec
        self._file: _RecordFile | None = None if path is not None else _RecordFile()
        self._values: dict[str, T] = {}
        self._fresh: dict[str, None] = {}  # put since the last save, in order: to be written
        self.used: set[str] = set()
        self.added = 0

    @property
    def _records(self) -> _RecordFile:
        """Read from disk on first use: a build that stops early never pays for it."""
        if self._file is None:
            assert self.path is not None and self.codec is not None
            self._file = _RecordFile.load(self.path, self.codec)
        return self._file

    def __len__(self) -> int:
        return len(self._records.index.keys() | self._values.keys())

    def start_build(self) -> None:
        self.used.clear()
        self.added = 0

    def get(self, key: str) -> T | None:
        value = self._values.get(key)
        if value is None and key in self._records.index:
            value = self._decode(key)
        if value is not None:
            self.used.add(key)
        return value

    @property
    def identity(self) -> FileIdentity | None:
        """The file's device, inode and size as this table last read or wrote it."""
        return self._file.identity if self._file is not None else None

    def offset(self, key: str) -> int | None:
        """Where `key`'s record starts in the file (after a save), for `read_at` later."""
        return self._file.offset(key) if self._file is not None else None

    def read_at(self, identity: FileIdentity, offset: int, key: str) -> T | None:
        """`key`'s value read alone from where `offset` said it was, without reading the rest
        of the file; None when it is not there as it was (read the table then)."""
        if self.path is None or self.codec is None:
            return None
        found = read_record_at(self.path, self.codec, identity, offset, key)
        if found is None:
            return None
        try:
            return unpack(self.codec, *found)
        except Exception:  # data of the wrong shape: decoders run no code but ours
            return None

    def append_at(
        self, identity: FileIdentity, entries: list[tuple[str, T]]
    ) -> tuple[FileIdentity, list[int]] | None:
        """`entries` added to the end of the file, if it is as `identity` says it was left,
        without reading it: its new identity and where each entry starts, or None."""
        if self.path is None or self.codec is None:
            return None
        codec = self.codec
        return append_records(self.path, identity, [(k, *pack(codec, v)) for k, v in entries])

    def has(self, key: str) -> bool:
        """Whether the table holds `key`, without decoding it or counting it as used."""
        return key in self._values or key in self._records.index

    def keep(self, keys: Iterable[str] | None = None) -> None:
        """Count `keys` (None: every entry) as used by this build, so that saving keeps
        them: a build that used only a few (the delta build's) must not drop the rest."""
        self.used.update(self._records.index.keys() | self._values.keys() if keys is None else keys)

    def _decode(self, key: str) -> T | None:
        assert self.codec is not None  # only tables read from disk have undecoded entries
        records = self._records
        try:
            value = unpack(self.codec, *records.body(key))
        except Exception:  # damaged, or data of the wrong shape: decoders run no code but ours
            _notice(UNREADABLE)
            del records.index[key]
            return None
        self._values[key] = value
        return value

    def put(self, key: str, value: T) -> None:
        self._records  # noqa: B018 (loaded now, so that `save` knows what the file holds)
        self._values[key] = value
        self._fresh[key] = None  # replaced, if it was on disk: the new record comes later
        self.used.add(key)
        self.added += 1

    def save(self) -> None:
        """Append what this build added, or rewrite the file when most of it would be entries
        this build did not use, or it was not to be trusted. Values this build did not use
        are dropped from memory (they stay on disk until the file is next rewritten)."""
        if self.path is None or self.codec is None or self._file is None:
            return
        codec, values = self.codec, self._values
        fresh = [(key, *pack(codec, values[key])) for key in self._fresh if key in values]
        wrote = self._file.save(self.path, self.used, fresh)
        self._fresh.clear()
        self._values = {k: v for k, v in values.items() if k in self.used}
        if wrote:
            _remove_other_versions(self.path.parent)


def load_value(path: Path, codec: Codec[T]) -> T | None:
    """One value (such as the record of the last build), or None."""
    data = _read(path, codec)
    if data is None:
        return None
    try:
        return codec.decode(data)
    except Exception:  # data of the wrong shape: decoders run no code but our own
        _notice(UNREADABLE)
        return None


def store_value(path: Path, value: T, codec: Codec[T]) -> None:
    _write(path, codec, codec.encode(value))


def _write(path: Path, codec: Codec[T], data: Json) -> None:
    document = {"codec": codec.name, "version": codec.version, "data": data}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_header())
                handle.write(text.encode("utf-8"))
            Path(temp).replace(path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a cache that cannot be written only costs time next build


def _read(path: Path, codec: Codec[Any]) -> Json:
    """The data in a file that `codec` wrote (undecoded); None, with a notice, for anything
    else (a missing file is simply a cold cache)."""
    found = read_cache_file(path)
    if found is None:
        return None
    header, _, body = found[0].partition(b"\n")
    if header + b"\n" != _header():
        _notice(OTHER_VERSION if header.startswith(_MAGIC + b" ") else UNREADABLE)
        return None
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):  # truncated, damaged, or nested beyond reason
        _notice(UNREADABLE)
        return None
    expected = {"codec": codec.name, "version": codec.version}
    if type(document) is not dict or document.keys() != {*expected, "data"}:
        _notice(UNREADABLE)
        return None
    if any(document[k] != v or type(document[k]) is not type(v) for k, v in expected.items()):
        _notice(OTHER_VERSION)
        return None
    return document["data"]


# Bundles: output files kept whole (the search index), by a key of their inputs, in one file
# that lists each file's size and digest, so that a damaged bundle is never used.


def read_bundle(cache: Path, key: str) -> list[Artifact] | None:
    """The bundle stored under `key`, or None when there is none or it cannot be trusted."""
    path = cache / f"{key}{BUNDLE_SUFFIX}"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        _notice(UNREADABLE)
        return None
    bundle = _unpack_bundle(data)
    if bundle is None:
        _notice(UNREADABLE)
    return bundle


def _unpack_bundle(data: bytes) -> list[Artifact] | None:
    """A bundle file: one line of JSON listing each file's path, size and SHA-256, then the
    files' bytes one after another. Every size and digest is checked, so a damaged or planted
    file is refused whole; reading it only ever slices bytes."""
    head, newline, body = data.partition(b"\n")
    if not newline:
        return None
    try:
        listing = json.loads(head)
    except (ValueError, RecursionError):
        return None
    if not isinstance(listing, list):
        return None
    bundle: list[Artifact] = []
    offset = 0
    for entry in listing:
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and isinstance(entry[1], int)
            and isinstance(entry[2], str)
            and 0 <= entry[1] <= len(body) - offset
        ):
            return None
        path, size, digest = entry
        artifact = Artifact(path, body[offset : offset + size])
        if artifact.sha256 != digest:
            return None
        bundle.append(artifact)
        offset += size
    return bundle if offset == len(body) else None


def read_latest_bundle(cache: Path) -> list[Artifact] | None:
    """Whatever bundle the cache holds (there is only ever one), whatever its inputs."""
    found = sorted(cache.glob(f"*{BUNDLE_SUFFIX}")) if cache.is_dir() else []
    return read_bundle(cache, found[0].name.removesuffix(BUNDLE_SUFFIX)) if found else None


def store_bundle(cache: Path, key: str, bundle: Sequence[Artifact]) -> None:
    """Keep only the newest bundle, as one file (a Pagefind bundle is thousands of small
    files, and writing each on its own cost seconds at 4,000 notes), written beside its final
    name and then renamed into place."""
    listing = json.dumps([[a.path, len(a.data), a.sha256] for a in bundle], separators=(",", ":"))
    try:
        if cache.exists() and not cache.is_dir():
            cache.unlink()
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.iterdir():  # the previous bundle, or an older layout's folders
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
        staging = cache / f".{key}{BUNDLE_SUFFIX}.tmp"
        with staging.open("wb") as handle:
            handle.write(listing.encode("utf-8") + b"\n")
            for artifact in bundle:
                handle.write(artifact.data)
        staging.replace(cache / f"{key}{BUNDLE_SUFFIX}")
    except OSError:
        pass  # a cache that cannot be written only costs time on the next build
