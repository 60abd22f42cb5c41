"""The cache's file formats: a `Codec` for each kind of value, and the plain values in them.

`.weeknote-cache/` sits in the site's working tree, so anyone who can open a pull request can
put a file there, and a publishing job may build with it. Loading must therefore never run
anything: every value is written as JSON (strings, numbers, lists, objects) by a hand-written
encoder for one known dataclass (each kind's is in `codec`), and read back by its decoder,
which checks every field's type and builds only that dataclass. There is no "make the class
named here": a file can say nothing but data, and data of the wrong shape raises
`CacheDataError`, which the cache turns into a one-line notice and a rebuild.

Each codec has a name and a version, written into its files: change a codec's shape and bump
its version, and old files are ignored rather than misread. A codec for values that are mostly
bytes (compressed pages) may also split a value into JSON data and raw bytes (`split`, `join`),
so that the cache's record files keep those bytes as they are rather than as base64 text.
Dates, datetimes (with their UTC offset, zone name and fold), tuples and mappings (in order)
come back exactly as they went in.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from weeknote_gen.errors import Diagnostic, Location, Severity

T = TypeVar("T")
Json = Any  # what `json.loads` gives; decoders check it field by field


class CacheDataError(ValueError):
    """A cache file holds data of a shape this version never writes."""


@dataclass(frozen=True, slots=True)
class Codec(Generic[T]):
    """How one kind of cached value becomes JSON data and back."""

    name: str
    version: int
    encode: Callable[[T], Json]
    decode: Callable[[Json], T]
    # For a record file: the value as JSON data and raw bytes beside it, and back. Without
    # them a record holds `encode`'s data and no bytes.
    split: Callable[[T], tuple[Json, bytes]] | None = None
    join: Callable[[Json, bytes], T] | None = None


def pack(codec: Codec[T], value: T) -> tuple[bytes, bytes]:
    """A value as a record's two parts: JSON text (UTF-8) and raw bytes."""
    if codec.split is not None:
        data, blob = codec.split(value)
    else:
        data, blob = codec.encode(value), b""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass"), blob  # (a file name may hold a surrogate)


def unpack(codec: Codec[T], text: bytes, blob: bytes) -> T:
    """The value `pack` made, checked field by field; `CacheDataError` for anything else."""
    try:
        data = json.loads(text.decode("utf-8", "surrogatepass"))
    except (ValueError, RecursionError) as exc:  # damaged, nested or numbered beyond reason
        raise CacheDataError("record: not JSON") from exc
    if codec.join is not None:
        return codec.join(data, blob)
    if blob:
        raise CacheDataError("record: bytes where none belong")
    return codec.decode(data)


# --------------------------------------------------------------------------- plain values


def _fail(what: str, value: object) -> CacheDataError:
    return CacheDataError(f"{what}: unexpected {type(value).__name__}")


def as_str(value: Json) -> str:
    if type(value) is not str:
        raise _fail("text", value)
    return value


def as_int(value: Json) -> int:
    if type(value) is not int:  # not a bool, which JSON keeps apart anyway
        raise _fail("whole number", value)
    return value


def as_bool(value: Json) -> bool:
    if type(value) is not bool:
        raise _fail("true/false", value)
    return value


def as_optional_str(value: Json) -> str | None:
    return None if value is None else as_str(value)


def as_optional_int(value: Json) -> int | None:
    return None if value is None else as_int(value)


def as_list(value: Json) -> list[Json]:
    if type(value) is not list:
        raise _fail("list", value)
    return value


def as_str_tuple(value: Json) -> tuple[str, ...]:
    return tuple(as_str(item) for item in as_list(value))


def as_dict(value: Json) -> dict[str, Json]:
    if type(value) is not dict:  # JSON objects' keys are always text
        raise _fail("object", value)
    return value


def as_object(value: Json, keys: frozenset[str]) -> dict[str, Json]:
    """A JSON object with exactly these keys: a file of another shape is not half-read."""
    data = as_dict(value)
    if data.keys() != keys:
        raise CacheDataError(f"fields {sorted(data)} are not {sorted(keys)}")
    return data


def encode_bytes(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode_bytes(value: Json) -> bytes:
    try:
        return base64.b64decode(as_str(value), validate=True)
    except binascii.Error as exc:
        raise CacheDataError("bytes: not base64") from exc


def encode_date(day: dt.date) -> str:
    if type(day) is not dt.date:
        raise TypeError(f"not a date: {day!r}")
    return day.isoformat()


def decode_date(value: Json) -> dt.date:
    text = as_str(value)
    if len(text) != 10:  # only our own YYYY-MM-DD, not every form fromisoformat takes
        raise CacheDataError("date: not YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CacheDataError("date: not a real day") from exc


def encode_datetime(stamp: dt.datetime) -> list[Json]:
    """[wall-clock ISO text, UTC offset in microseconds or null, zone name or null, fold]:
    the offset and name apart from the text, which `fromisoformat` does not read back
    exactly for every offset, and the name (`UTC`, or one given to `dt.timezone`) and fold,
    which ISO text would lose."""
    zone = stamp.tzinfo
    if zone is None:
        return [stamp.isoformat(), None, None, stamp.fold]
    if type(zone) is not dt.timezone:
        raise TypeError(f"only fixed-offset zones are cached, not {zone!r}")
    offset = zone.utcoffset(None)
    micros = (offset.days * 86_400 + offset.seconds) * 1_000_000 + offset.microseconds
    return [stamp.replace(tzinfo=None).isoformat(), micros, zone.tzname(None), stamp.fold]


def decode_datetime(value: Json) -> dt.datetime:
    try:
        return _decode_datetime(value)
    except CacheDataError:
        raise
    except (ValueError, OverflowError) as exc:  # no such time, or an offset past a day
        raise CacheDataError("datetime: out of range") from exc


def _decode_datetime(value: Json) -> dt.datetime:
    items = as_list(value)
    if len(items) != 4:
        raise CacheDataError("datetime: not [text, offset, zone, fold]")
    text, micros = as_str(items[0]), as_optional_int(items[1])
    name, fold = as_optional_str(items[2]), as_int(items[3])
    stamp = dt.datetime.fromisoformat(text)
    if fold not in (0, 1) or stamp.tzinfo is not None or (name is None) != (micros is None):
        raise CacheDataError("datetime: not our shape")
    if micros is not None and name is not None:
        offset = dt.timedelta(microseconds=micros)  # dt.timezone refuses a day or more
        zone = dt.timezone(offset)  # dt.UTC itself for a zero offset
        stamp = stamp.replace(
            tzinfo=zone if zone.tzname(None) == name else dt.timezone(offset, name)
        )
    return stamp.replace(fold=fold)


def encode_optional_datetime(stamp: dt.datetime | None) -> Json:
    return None if stamp is None else encode_datetime(stamp)


def decode_optional_datetime(value: Json) -> dt.datetime | None:
    return None if value is None else decode_datetime(value)


# --------------------------------------------------------------------------- diagnostics

_SEVERITIES = {severity.value: severity for severity in Severity}
_DIAGNOSTIC_KEYS = frozenset({"severity", "code", "message", "location", "hint"})


def encode_diagnostic(problem: Diagnostic) -> Json:
    where = problem.location
    return {
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
        "location": None if where is None else [where.path, where.line, where.column],
        "hint": problem.hint,
    }


def decode_diagnostic(value: Json) -> Diagnostic:
    data = as_object(value, _DIAGNOSTIC_KEYS)
    severity = _SEVERITIES.get(as_str(data["severity"]))
    if severity is None:
        raise CacheDataError("diagnostic: unknown severity")
    where = data["location"]
    location = None
    if where is not None:
        parts = as_list(where)
        if len(parts) != 3:
            raise CacheDataError("location: not [path, line, column]")
        location = Location(as_str(parts[0]), as_optional_int(parts[1]), as_optional_int(parts[2]))
    return Diagnostic(
        severity,
        as_str(data["code"]),
        as_str(data["message"]),
        location,
        as_optional_str(data["hint"]),
    )


def decode_diagnostics(value: Json) -> tuple[Diagnostic, ...]:
    return tuple(decode_diagnostic(item) for item in as_list(value))
