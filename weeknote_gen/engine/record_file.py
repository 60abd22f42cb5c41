"""A cache table's file on disk: records appended to as builds add entries.

Reading a record file only ever slices bytes and checks CRCs; its records' text is parsed as
JSON by the table's codec (`codec`) only when a build asks for an entry. Damage is found, not
trusted: a file that does not check out is ignored (with a notice) and rewritten whole.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from pathlib import Path
from typing import Any

from weeknote_gen.engine.cache_version import (
    _MAGIC,
    OTHER_VERSION,
    UNREADABLE,
    _header,
    _notice,
    read_cache_file,
)
from weeknote_gen.engine.codec_values import CacheDataError, Codec

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
        self.starts: list[int] = []  # where each chunk starts in the file
        self.index: dict[str, _Place] = {}
        self.records = 0  # bytes of records in the file, dead or alive
        self.trusted = False  # a file of ours, whole: else rewritten whole at the next save
        self.identity: tuple[int, int, int] | None = None  # device, inode, size as we left it

    @classmethod
    def load(cls, path: Path, codec: Codec[Any]) -> _RecordFile:
        loaded = cls(_header() + _table_line(codec))
        found = read_cache_file(path)
        if found is None:
            return loaded
        data, status = found
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
        loaded.starts.append(0)
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
        self.starts.append(status.st_size)
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
        self.starts = [0]
        self.index = {}
        _index_records(data, len(self.header), 0, self.index)
        self.records = len(data) - len(self.header)
        self.trusted = True
        self.identity = (status.st_dev, status.st_ino, len(data))

    def offset(self, key: str) -> int | None:
        """Where `key`'s record starts in the file as last read or written, if it is there."""
        place = self.index.get(key)
        if place is None or self.identity is None:
            return None
        return self.starts[place[0]] + place[1]


# One record read alone, without indexing the file: the delta build reads a few records of
# tables of thousands. The file must be the very one (device and inode) whose records were
# placed, still start with this code's header, and the record found there must have the key
# asked for and check out against its CRCs: anything else is None, and the caller reads the
# table the usual way. Appending alone is allowed only to a file exactly as it was left.
FileIdentity = tuple[int, int, int]  # device, inode, size


def read_record_at(
    path: Path, codec: Codec[Any], identity: FileIdentity, offset: int, key: str
) -> tuple[bytes, bytes] | None:
    """The text and bytes of `key`'s record at `offset`, checked; None if they are not there."""
    header = _header() + _table_line(codec)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if (status.st_dev, status.st_ino) != identity[:2] or offset < len(header):
            return None
        head = os.pread(fd, _RECORD.size, offset)
        if len(head) != _RECORD.size or os.pread(fd, len(header), 0) != header:
            return None
        key_length, text_length, blob_length, key_crc, body_crc = _RECORD.unpack(head)
        name = key.encode("utf-8", "surrogatepass")
        if key_length != len(name):
            return None
        rest = os.pread(fd, key_length + text_length + blob_length, offset + _RECORD.size)
    except OSError:
        return None
    finally:
        os.close(fd)
    text, blob = rest[key_length : key_length + text_length], rest[key_length + text_length :]
    if (
        rest[:key_length] != name
        or zlib.crc32(name, zlib.crc32(head[:_LENGTHS])) != key_crc
        or len(blob) != blob_length
        or zlib.crc32(blob, zlib.crc32(text)) != body_crc
    ):
        return None
    return text, blob


def append_records(
    path: Path, identity: FileIdentity, records: list[tuple[str, bytes, bytes]]
) -> tuple[FileIdentity, list[int]] | None:
    """Add records at the end of the file, if it is exactly as `identity` says it was left:
    its new identity and where each record starts; None (nothing written) otherwise."""
    batch = [_record(key, text, blob) for key, text, blob in records]
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if (status.st_dev, status.st_ino, status.st_size) != identity:
            return None
        view = memoryview(b"".join(batch))
        while view:
            view = view[os.write(fd, view) :]
    except OSError:
        return None
    finally:
        os.close(fd)
    offsets = [status.st_size + sum(map(len, batch[:index])) for index in range(len(batch))]
    return (status.st_dev, status.st_ino, status.st_size + sum(map(len, batch))), offsets


def _size(place: _Place) -> int:
    _, head, start, text_length, blob_length, _ = place
    return start + text_length + blob_length - head
