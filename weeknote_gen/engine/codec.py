"""The codec of each kind of value the cache keeps, and `CODECS`, every one by name.

Each encoder writes one known dataclass as plain JSON data, and its decoder checks every field
and builds only that dataclass, from the checked plain values of `codec_values`: a file can
say nothing but data. Change a codec's shape and bump its version, so that old files are
ignored rather than misread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from weeknote_gen.engine.codec_values import (
    CacheDataError,
    Codec,
    Json,
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_object,
    as_optional_str,
    as_str,
    as_str_tuple,
    decode_bytes,
    decode_date,
    decode_datetime,
    decode_diagnostics,
    decode_optional_datetime,
    encode_bytes,
    encode_date,
    encode_datetime,
    encode_diagnostic,
    encode_optional_datetime,
)
from weeknote_gen.errors import Diagnostic

if TYPE_CHECKING:  # `markdown` and `parse` load only when a table of theirs is read or written
    from weeknote_gen.content.learning import Passage
    from weeknote_gen.content.markdown import RenderedMarkdown
    from weeknote_gen.content.parse import ParsedNote


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
        "translation_key",
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
        "translation_key": note.translation_key,
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
        translation_key=as_optional_str(data["translation_key"]),
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


PARSED: Codec[ParsedEntry] = Codec("parsed", 2, _encode_parsed, _decode_parsed)


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

# A rendered page or feed, compressed, with its digest and size (`Artifact.packed`).
PageEntry = tuple[bytes, str, int]


def _checked_page(blob: bytes, sha256: Json, size: Json) -> PageEntry:
    digest, length = as_str(sha256), as_int(size)
    if len(digest) != 64 or length < 0:
        raise CacheDataError("page: bad digest or size")
    return blob, digest, length


def _encode_page(entry: PageEntry) -> Json:
    compressed, sha256, size = entry
    return ["page", encode_bytes(compressed), sha256, size]


def _decode_page(value: Json) -> PageEntry:
    items = as_list(value)
    if len(items) != 4 or items[0] != "page":
        raise CacheDataError("page: unknown kind or wrong length")
    return _checked_page(decode_bytes(items[1]), items[2], items[3])


def _split_page(entry: PageEntry) -> tuple[Json, bytes]:
    compressed, sha256, size = entry
    return ["page", sha256, size], compressed


def _join_page(value: Json, blob: bytes) -> PageEntry:
    items = as_list(value)
    if len(items) != 3 or items[0] != "page":
        raise CacheDataError("page: unknown kind or wrong length")
    return _checked_page(blob, items[1], items[2])


PAGES: Codec[PageEntry] = Codec(
    "pages", 2, _encode_page, _decode_page, split=_split_page, join=_join_page
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
