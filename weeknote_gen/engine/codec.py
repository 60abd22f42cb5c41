"""The cache's file formats: each kind of value the cache keeps, as plain JSON data.

`.weeknote-cache/` sits in the site's working tree, so anyone who can open a pull request can
put a file there, and a publishing job may build with it. Loading must therefore never run
anything: every value is written as JSON (strings, numbers, lists, objects) by a hand-written
encoder for one known dataclass, and read back by its decoder, which checks every field's
type and builds only that dataclass. There is no "make the class named here": a file can say
nothing but data, and data of the wrong shape raises `CacheDataError`, which the cache turns
into a one-line notice and a rebuild.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from weeknote_gen.errors import Diagnostic, Location, Severity

if TYPE_CHECKING:  # `markdown` and `parse` load only when a table of theirs is read or written
    from weeknote_gen.content.learning import Passage
    from weeknote_gen.content.markdown import RenderedMarkdown
    from weeknote_gen.content.parse import ParsedNote

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


# --------------------------------------------------------------------------- parsed notes

ParsedEntry = tuple["ParsedNote | None", list[Diagnostic]]  # what `parse_note` returns

_NOTE_KEYS = frozenset(
    {
        "path",
        "title",
        "date",
        "published",
        "has_time",
        "authors",
        "terms",
        "summary",
        "slug",
        "draft",
        "image",
        "body",
        "body_line",
        "field_lines",
        "language",
        "aliases",
        "date_source",
    }
)


def encode_note(note: ParsedNote) -> Json:
    return {
        "path": note.path,
        "title": note.title,
        "date": encode_date(note.date),
        "published": encode_datetime(note.published),
        "has_time": note.has_time,
        "authors": list(note.authors),
        "terms": {name: list(terms) for name, terms in note.terms.items()},
        "summary": note.summary,
        "slug": note.slug,
        "draft": note.draft,
        "image": note.image,
        "body": note.body,
        "body_line": note.body_line,
        "field_lines": dict(note.field_lines),
        "language": note.language,
        "aliases": list(note.aliases),
        "date_source": note.date_source,
    }


def decode_note(value: Json) -> ParsedNote:
    from weeknote_gen.content.parse import ParsedNote

    data = as_object(value, _NOTE_KEYS)
    return ParsedNote(
        path=as_str(data["path"]),
        title=as_str(data["title"]),
        date=decode_date(data["date"]),
        published=decode_datetime(data["published"]),
        has_time=as_bool(data["has_time"]),
        authors=as_str_tuple(data["authors"]),
        terms={name: as_str_tuple(names) for name, names in as_dict(data["terms"]).items()},
        summary=as_optional_str(data["summary"]),
        slug=as_optional_str(data["slug"]),
        draft=as_bool(data["draft"]),
        image=as_optional_str(data["image"]),
        body=as_str(data["body"]),
        body_line=as_int(data["body_line"]),
        field_lines={name: as_int(line) for name, line in as_dict(data["field_lines"]).items()},
        language=as_optional_str(data["language"]),
        aliases=as_str_tuple(data["aliases"]),
        date_source=as_str(data["date_source"]),
    )


def _encode_parsed(entry: ParsedEntry) -> Json:
    note, problems = entry
    return [None if note is None else encode_note(note), [encode_diagnostic(p) for p in problems]]


def _decode_parsed(value: Json) -> ParsedEntry:
    items = as_list(value)
    if len(items) != 2:
        raise CacheDataError("parsed note: not [note, problems]")
    note = None if items[0] is None else decode_note(items[0])
    return note, list(decode_diagnostics(items[1]))


PARSED: Codec[ParsedEntry] = Codec("parsed", 1, _encode_parsed, _decode_parsed)


# --------------------------------------------------------------------------- rendered Markdown

_MARKDOWN_KEYS = frozenset(
    {"html", "summary", "toc", "note_links", "asset_links", "word_count", "site_links"}
)


def _encode_markdown(rendered: RenderedMarkdown) -> Json:
    return {
        "html": rendered.html,
        "summary": rendered.summary,
        "toc": [[entry.level, entry.anchor, entry.text] for entry in rendered.toc],
        "note_links": list(rendered.note_links),
        "asset_links": list(rendered.asset_links),
        "word_count": rendered.word_count,
        "site_links": list(rendered.site_links),
    }


def _decode_toc_entry(value: Json) -> tuple[int, str, str]:
    items = as_list(value)
    if len(items) != 3:
        raise CacheDataError("contents entry: not [level, anchor, text]")
    return as_int(items[0]), as_str(items[1]), as_str(items[2])


def _decode_markdown(value: Json) -> RenderedMarkdown:
    from weeknote_gen.content.markdown import RenderedMarkdown
    from weeknote_gen.content.markdown_headings import TocEntry

    data = as_object(value, _MARKDOWN_KEYS)
    return RenderedMarkdown(
        html=as_str(data["html"]),
        summary=as_str(data["summary"]),
        toc=tuple(TocEntry(*_decode_toc_entry(entry)) for entry in as_list(data["toc"])),
        note_links=as_str_tuple(data["note_links"]),
        asset_links=as_str_tuple(data["asset_links"]),
        word_count=as_int(data["word_count"]),
        site_links=as_str_tuple(data["site_links"]),
    )


MARKDOWN: Codec[RenderedMarkdown] = Codec("markdown", 1, _encode_markdown, _decode_markdown)


# --------------------------------------------------------------------------- learning passages


def _encode_passages(passages: tuple[Passage, ...]) -> Json:
    return [[p.heading, p.anchor, p.html, p.text] for p in passages]


def _decode_passages(value: Json) -> tuple[Passage, ...]:
    from weeknote_gen.content.learning import Passage  # loaded only when a passage is read back

    passages = []
    for item in as_list(value):
        parts = as_list(item)
        if len(parts) != 4:
            raise CacheDataError("passage: wrong length")
        heading, anchor, html, text = (as_str(part) for part in parts)
        passages.append(Passage(heading, anchor, html, text))
    return tuple(passages)


PASSAGES: Codec[tuple[Passage, ...]] = Codec("passages", 1, _encode_passages, _decode_passages)


# --------------------------------------------------------------------------- related notes

Related = tuple[tuple[str, tuple[str, ...]], ...]  # each note's key and its related notes' keys


def _encode_related(related: Related) -> Json:
    return [[key, list(others)] for key, others in related]


def _decode_related(value: Json) -> Related:
    pairs = []
    for item in as_list(value):
        parts = as_list(item)
        if len(parts) != 2:
            raise CacheDataError("related: wrong length")
        pairs.append((as_str(parts[0]), as_str_tuple(parts[1])))
    return tuple(pairs)


RELATED: Codec[Related] = Codec("related", 1, _encode_related, _decode_related)


# --------------------------------------------------------------------------- pages and feeds

# A rendered page, compressed, with its digest and size (`render.render_pages`), or a
# compressed feed (`feeds`): the two share one table, so each entry says which it is.
PageEntry = tuple[bytes, str, int] | bytes


def _encode_page(entry: PageEntry) -> Json:
    if isinstance(entry, bytes):
        return ["feed", encode_bytes(entry)]
    compressed, sha256, size = entry
    return ["page", encode_bytes(compressed), sha256, size]


def _decode_page(value: Json) -> PageEntry:
    items = as_list(value)
    if items == [] or items[0] not in ("page", "feed"):
        raise CacheDataError("page: unknown kind")
    if items[0] == "feed" and len(items) == 2:
        return decode_bytes(items[1])
    if items[0] == "page" and len(items) == 4:
        sha256, size = as_str(items[2]), as_int(items[3])
        if len(sha256) != 64 or size < 0:
            raise CacheDataError("page: bad digest or size")
        return decode_bytes(items[1]), sha256, size
    raise CacheDataError("page: wrong length")


def _split_page(entry: PageEntry) -> tuple[Json, bytes]:
    if isinstance(entry, bytes):
        return ["feed"], entry
    compressed, sha256, size = entry
    return ["page", sha256, size], compressed


def _join_page(value: Json, blob: bytes) -> PageEntry:
    items = as_list(value)
    if items == ["feed"]:
        return blob
    if len(items) == 3 and items[0] == "page":
        sha256, size = as_str(items[1]), as_int(items[2])
        if len(sha256) != 64 or size < 0:
            raise CacheDataError("page: bad digest or size")
        return blob, sha256, size
    raise CacheDataError("page: unknown kind or wrong length")


PAGES: Codec[PageEntry] = Codec(
    "pages", 1, _encode_page, _decode_page, split=_split_page, join=_join_page
)


# --------------------------------------------------------------------------- the last build


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What a successful build leaves behind so that an identical rebuild can stop early."""

    inputs: str  # fingerprint of everything the build read
    quick: str  # the same from file identities, not contents ("" when not to be trusted)
    next_change: dt.datetime | None  # when a scheduled note becomes due, if any
    pages: int
    counts: Mapping[str, object]  # the `BuildResult` counts to report again: ints, bools
    diagnostics: tuple[Diagnostic, ...]


_LAST_BUILD_KEYS = frozenset({"inputs", "quick", "next_change", "pages", "counts", "diagnostics"})


def _encode_last_build(record: LastBuild) -> Json:
    for name, count in record.counts.items():
        if type(count) not in (int, bool):
            raise TypeError(f"count {name} is not a number: {count!r}")
    return {
        "inputs": record.inputs,
        "quick": record.quick,
        "next_change": encode_optional_datetime(record.next_change),
        "pages": record.pages,
        "counts": dict(record.counts),
        "diagnostics": [encode_diagnostic(p) for p in record.diagnostics],
    }


def _decode_count(value: Json) -> int | bool:
    return as_bool(value) if type(value) is bool else as_int(value)


def _decode_last_build(value: Json) -> LastBuild:
    data = as_object(value, _LAST_BUILD_KEYS)
    counts = as_dict(data["counts"])
    return LastBuild(
        inputs=as_str(data["inputs"]),
        quick=as_str(data["quick"]),
        next_change=decode_optional_datetime(data["next_change"]),
        pages=as_int(data["pages"]),
        counts={name: _decode_count(count) for name, count in counts.items()},
        diagnostics=decode_diagnostics(data["diagnostics"]),
    )


LAST_BUILD: Codec[LastBuild] = Codec("last-build", 1, _encode_last_build, _decode_last_build)

# Every codec the cache knows, by the name its files carry.
CODECS: Mapping[str, Codec[Any]] = {
    codec.name: codec for codec in (PARSED, MARKDOWN, PASSAGES, RELATED, PAGES, LAST_BUILD)
}
