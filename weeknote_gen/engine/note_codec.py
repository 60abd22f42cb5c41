"""The snapshot's notes: each `Note` of the last good build as a record of its own.

The delta build reads a few notes of thousands (an edited note's neighbours, related notes and
the notes its feeds carry), so each is a record in a table by its digest (`engine.snapshot`),
decoded only when read: plain JSON, checked field by field, like every cache format.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from weeknote_gen.engine.codec_values import (
    Codec,
    Json,
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_optional_int,
    as_optional_str,
    as_str,
    as_str_tuple,
    decode_date,
    decode_datetime,
    encode_date,
    encode_datetime,
)
from weeknote_gen.engine.snapshot_codec import sized

if TYPE_CHECKING:  # `model` loads Markdown's modules: only once a note is read or written
    from weeknote_gen.content.model import Note


_NOTE_FIELDS = 19


def encode_note(note: Note) -> Json:
    where = note.source
    return [
        note.key,
        note.title,
        encode_date(note.date),
        encode_datetime(note.published),
        note.has_time,
        [note.week.year, note.week.week],
        note.slug,
        list(note.author_slugs),
        {name: list(slugs) for name, slugs in note.terms.items()},
        note.url,
        note.html,
        note.summary,
        [[entry.level, entry.anchor, entry.text] for entry in note.toc],
        note.reading_minutes,
        note.draft,
        note.image,
        [where.path, where.line, where.column],
        note.language,
        [[p.heading, p.anchor, p.html, p.text] for p in note.learnings],
    ]


def decode_note(value: Json) -> Note:
    from weeknote_gen.content.learning import Passage
    from weeknote_gen.content.markdown_headings import TocEntry
    from weeknote_gen.content.model import Note
    from weeknote_gen.errors import Location
    from weeknote_gen.urls import WeekId

    items = sized(value, _NOTE_FIELDS, "note")
    year, week = (as_int(part) for part in sized(items[5], 2, "week"))
    where = sized(items[16], 3, "location")
    return Note(
        key=as_str(items[0]),
        title=as_str(items[1]),
        date=decode_date(items[2]),
        published=decode_datetime(items[3]),
        has_time=as_bool(items[4]),
        week=WeekId(year, week),
        slug=as_str(items[6]),
        author_slugs=as_str_tuple(items[7]),
        terms=MappingProxyType(
            {name: as_str_tuple(slugs) for name, slugs in as_dict(items[8]).items()}
        ),
        url=as_str(items[9]),
        html=as_str(items[10]),
        summary=as_str(items[11]),
        toc=tuple(
            TocEntry(as_int(level), as_str(anchor), as_str(text))
            for level, anchor, text in (sized(entry, 3, "contents") for entry in as_list(items[12]))
        ),
        reading_minutes=as_int(items[13]),
        draft=as_bool(items[14]),
        image=as_optional_str(items[15]),
        source=Location(as_str(where[0]), as_optional_int(where[1]), as_optional_int(where[2])),
        language=as_str(items[17]),
        learnings=tuple(
            Passage(*(as_str(part) for part in sized(passage, 4, "passage")))
            for passage in as_list(items[18])
        ),
    )


NOTE: Codec[Note] = Codec("snapshot-notes", 1, encode_note, decode_note)
