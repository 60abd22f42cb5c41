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

import contextlib
import functools
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from weeknote_gen import __version__
from weeknote_gen.engine.codec import CacheDataError, Codec, Json, pack, unpack
from weeknote_gen.output.artifact import Artifact

FORMAT = 4  # 4: tables as record files; 3: JSON through `codec`; 2 and before: pickles
_MAGIC = b"weeknote-gen cache"
BUNDLE_SUFFIX = ".bundle"  # a search bundle: a listing of its files, then their bytes

UNREADABLE = "the build cache could not be read and was rebuilt"
OTHER_VERSION = "the build cache was made by another version of weeknote-gen and was rebuilt"

T = TypeVar("T")

_notices: list[str] = []
_notices_lock = threading.Lock()


def take_notices() -> list[str]:
    """What went wrong with the cache since the last call, each told once (for the CLI to
    print as a one-line note: the build itself went ahead)."""
    with _notices_lock:
        found = list(dict.fromkeys(_notices))
        _notices.clear()
    return found


def note_damaged_cache() -> None:
    """A cached value turned out damaged only when used (a page that does not expand)."""
    _notice(UNREADABLE)


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
    between releases, say) is not trusted, since what it computed may differ."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}".encode())
    package = Path(__file__).resolve().parent.parent
    for source in sorted(package.rglob("*.py")):
        digest.update(f"\0{source.relative_to(package).as_posix()}\0".encode())
        with contextlib.suppress(OSError):
            digest.update(source.read_bytes())
    return digest.hexdigest()


def _header() -> bytes:
    return _MAGIC + b" " + code_fingerprint().encode() + b"\n"


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


# A table's file: the header line (`_header`), a line naming the table's codec and its
# version, then records one after another. Each record is a fixed head (`_RECORD`: the
# lengths of its key, JSON text and bytes, a CRC-32 of those lengths and the key, and a CRC-32
# of the text and bytes), then the key (UTF-8), the text and the bytes. A later record for a
# key replaces an earlier one, so a save appends what changed rather than rewriting the lot.
#
# Loading checks every head and key, so a length that lies is found at once (its head does not
# check out, or the next one does not), and each record's text and bytes when first asked for.
# A last record cut short, as a build killed while appending leaves it, is ignored and the
# file rewritten on the next save. Reading a record only ever slices bytes and parses JSON:
# nothing in a file can choose what code runs.
_RECORD = struct.Struct("<IIIII")
_LENGTHS = 12  # the first three fields of the head, which its key CRC covers
_KEY_LIMIT = 4096  # keys are digests and paths: a longer one is damage
_TABLE_LINE = b"records"

# Where one record is: (chunk of bytes read or written, start of its head, start of its text,
# length of its text, length of its bytes, CRC-32 of text and bytes). Plain tuples: there are
# tens of thousands, made at every load.
_Place = tuple[int, int, int, int, int, int]


def _table_line(codec: Codec[Any]) -> bytes:
    return b"%s %s %d\n" % (_TABLE_LINE, codec.name.encode(), codec.version)


def _record(key: str, text: bytes, blob: bytes) -> bytes:
    name = key.encode("utf-8", "surrogatepass")
    lengths = _RECORD.pack(len(name), len(text), len(blob), 0, 0)[:_LENGTHS]
    head = lengths + struct.pack(
        "<II", zlib.crc32(name, zlib.crc32(lengths)), zlib.crc32(blob, zlib.crc32(text))
    )
    return head + name + text + blob


def _index_records(data: bytes, position: int, chunk: int, index: dict[str, _Place]) -> int | None:
    """Index the records in `data` from `position` on; where the last whole one ends, or None
    if a record is damaged (a last record cut short is not damage: it is left out)."""
    size, head_size, unpack_head, crc32 = len(data), _RECORD.size, _RECORD.unpack_from, zlib.crc32
    while size - position >= head_size:
        key_length, text_length, blob_length, key_crc, body_crc = unpack_head(data, position)
        key_start = position + head_size
        text_start = key_start + key_length
        if key_length > _KEY_LIMIT:
            return None
        if text_start > size:
            break  # cut short
        name = data[key_start:text_start]
        if crc32(name, crc32(data[position : position + _LENGTHS])) != key_crc:
            return None
        end = text_start + text_length + blob_length
        if end > size:
            break  # cut short
        try:
            key = name.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None
        index[key] = (chunk, position, text_start, text_length, blob_length, body_crc)
        position = end
    return position


class _RecordFile:
    """A table's records as read from disk (and appended since), indexed by key and not
    decoded, with what it takes to choose between appending and rewriting."""

    def __init__(self, header: bytes = b"") -> None:
        self.header = header  # what starts the file: `_header()` and the codec's line
        self.chunks: list[bytes] = []  # the file as read, then each batch appended
        self.index: dict[str, _Place] = {}
        self.records = 0  # bytes of records in the file, dead or alive
        self.trusted = False  # a file of ours, whole: else rewritten whole at the next save
        self.identity: tuple[int, int, int] | None = None  # device, inode, size as we left it

    @classmethod
    def load(cls, path: Path, codec: Codec[Any]) -> _RecordFile:
        loaded = cls(_header() + _table_line(codec))
        try:
            with path.open("rb") as handle:
                status = os.fstat(handle.fileno())
                data = handle.read()
        except FileNotFoundError:
            if _other_versions(path.parent):
                _notice(OTHER_VERSION)
            return loaded
        except OSError:
            _notice(UNREADABLE)
            return loaded
        if not data.startswith(loaded.header):
            first, _, rest = data.partition(b"\n")
            ours = first.startswith(_MAGIC + b" ") and rest.startswith(_TABLE_LINE + b" ")
            _notice(OTHER_VERSION if ours else UNREADABLE)
            return loaded
        end = _index_records(data, len(loaded.header), 0, loaded.index)
        if end is None:
            _notice(UNREADABLE)
            loaded.index.clear()
            return loaded
        loaded.chunks.append(data)
        loaded.records = end - len(loaded.header)
        loaded.trusted = end == len(data)  # a last record cut short: rewrite, never append
        loaded.identity = (status.st_dev, status.st_ino, len(data))
        return loaded

    def body(self, key: str) -> tuple[bytes, bytes]:
        """A record's text and bytes, checked against their CRC."""
        chunk, _, start, text_length, blob_length, crc = self.index[key]
        data = self.chunks[chunk]
        middle = start + text_length
        text, blob = data[start:middle], data[middle : middle + blob_length]
        if zlib.crc32(blob, zlib.crc32(text)) != crc:
            raise CacheDataError("record: damaged")
        return text, blob

    def save(self, path: Path, used: set[str], fresh: list[tuple[str, bytes, bytes]]) -> bool:
        """Append `fresh`; or, once records no build uses (of keys this one did not ask for,
        and replaced ones) would outweigh the rest, or the file was not to be trusted, rewrite
        it with the records `used` names. Whether the file was written."""
        batch = [_record(key, text, blob) for key, text, blob in fresh]
        added = sum(map(len, batch))
        replaced = {key for key, _, _ in fresh}
        live = added
        for key in used:
            place = self.index.get(key)
            if place is not None and key not in replaced:
                live += _size(place)
        dead = self.records + added - live
        try:
            if self.trusted and dead <= live:
                if not batch:
                    return False
                if self._append(path, batch):
                    return True
            elif not used and self.identity is None and not self.chunks and not path.exists():
                return False  # nothing to keep, and no file to tidy
            self._rewrite(path, used, replaced, batch)
        except OSError:
            return False  # a cache that cannot be written only costs time next build
        return True

    def _append(self, path: Path, batch: list[bytes]) -> bool:
        """Add the records at the end of the file, if it is still the file as we left it."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
        except FileNotFoundError:
            return False
        data = b"".join(batch)
        try:
            status = os.fstat(fd)
            if (status.st_dev, status.st_ino, status.st_size) != self.identity:
                return False  # changed by another build since: rewrite it instead
            self.identity = None  # until the write is whole
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        self.identity = (status.st_dev, status.st_ino, status.st_size + len(data))
        self.chunks.append(data)
        _index_records(data, 0, len(self.chunks) - 1, self.index)
        self.records += len(data)
        return True

    def _rewrite(self, path: Path, used: set[str], replaced: set[str], batch: list[bytes]) -> None:
        """A new file of the records `used` names and the new ones, renamed into place."""
        pieces = [self.header]
        for key, place in self.index.items():
            if key in used and key not in replaced:
                chunk, head, start, text_length, blob_length, _ = place
                pieces.append(self.chunks[chunk][head : start + text_length + blob_length])
        pieces += batch
        data = b"".join(pieces)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                status = os.fstat(handle.fileno())
            Path(temp).replace(path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self.chunks = [data]
        self.index = {}
        _index_records(data, len(self.header), 0, self.index)
        self.records = len(data) - len(self.header)
        self.trusted = True
        self.identity = (status.st_dev, status.st_ino, len(data))


def _size(place: _Place) -> int:
    _, head, start, text_length, blob_length, _ = place
    return start + text_length + blob_length - head


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
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        if _other_versions(path.parent):
            _notice(OTHER_VERSION)
        return None
    except OSError:
        _notice(UNREADABLE)
        return None
    header, _, body = content.partition(b"\n")
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


def _other_versions(folder: Path) -> list[Path]:
    """Cache folders beside `folder` made by other versions (of the tool, format or Python)."""
    parent = folder.parent
    if not folder.name.startswith("v") or not parent.is_dir():
        return []
    return [p for p in parent.iterdir() if p.is_dir() and p.name.startswith("v") and p != folder]


def _remove_other_versions(folder: Path) -> None:
    for other in _other_versions(folder):
        shutil.rmtree(other, ignore_errors=True)


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
