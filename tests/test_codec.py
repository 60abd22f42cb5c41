"""The cache's codecs: every cached value comes back from JSON text exactly as it went in,
and data of any other shape is refused with `CacheDataError`, never another exception."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weeknote_gen.content.markdown import RenderedMarkdown
from weeknote_gen.content.markdown_headings import TocEntry
from weeknote_gen.content.parse import ParsedNote
from weeknote_gen.engine.codec import CODECS, LAST_BUILD, MARKDOWN, PAGES, PARSED, LastBuild
from weeknote_gen.engine.codec_values import (
    CacheDataError,
    Codec,
    decode_datetime,
    encode_datetime,
)
from weeknote_gen.errors import Diagnostic, Location, Severity

text = st.text(max_size=20)
texts = st.lists(text, max_size=4).map(tuple)
small = st.integers(min_value=-(2**40), max_value=2**40)

zones = st.one_of(
    st.just(dt.UTC),
    st.timedeltas(
        min_value=-dt.timedelta(hours=23, minutes=59), max_value=dt.timedelta(hours=23, minutes=59)
    ).map(dt.timezone),
    st.builds(
        dt.timezone,
        st.timedeltas(min_value=-dt.timedelta(hours=23), max_value=dt.timedelta(hours=23)),
        text,
    ),
)
# Generating these values (time zones especially) is slow on a busy machine, which is no fault
# of the code under test.
ROOMY = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
stamps = st.one_of(st.datetimes(), st.datetimes(timezones=zones)).flatmap(
    lambda stamp: st.sampled_from([stamp, stamp.replace(fold=1)])
)
locations = st.builds(Location, text, st.none() | small, st.none() | small)
diagnostics = st.builds(
    Diagnostic, st.sampled_from(Severity), text, text, st.none() | locations, st.none() | text
)
notes = st.builds(
    ParsedNote,
    path=text,
    title=text,
    date=st.dates(),
    published=stamps,
    has_time=st.booleans(),
    authors=texts,
    terms=st.dictionaries(text, texts, max_size=3),
    summary=st.none() | text,
    slug=st.none() | text,
    draft=st.booleans(),
    image=st.none() | text,
    body=st.text(max_size=200),
    body_line=small,
    field_lines=st.dictionaries(text, small, max_size=4),
    language=st.none() | text,
    aliases=texts,
    date_source=text,
)
rendered = st.builds(
    RenderedMarkdown,
    html=st.text(max_size=200),
    summary=text,
    toc=st.lists(st.builds(TocEntry, small, text, text), max_size=3).map(tuple),
    note_links=texts,
    asset_links=texts,
    word_count=small,
    site_links=texts,
)
pages = st.tuples(
    st.binary(max_size=64),
    st.text("0123456789abcdef", min_size=64, max_size=64),
    small.map(abs),
)
records = st.builds(
    LastBuild,
    inputs=text,
    quick=text,
    next_change=st.none() | stamps,
    pages=small,
    counts=st.dictionaries(text, st.booleans() | small, max_size=4),
    diagnostics=st.lists(diagnostics, max_size=3).map(tuple),
)


def through_json(codec: Codec[Any], value: object) -> object:
    return codec.decode(json.loads(json.dumps(codec.encode(value))))


def same_stamp(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    """Equal, and equal in what `==` ignores: the zone's name and the fold."""
    if a is None or b is None:
        return a is b
    return (a, a.tzname(), a.utcoffset(), a.fold, type(a)) == (
        b,
        b.tzname(),
        b.utcoffset(),
        b.fold,
        type(b),
    )


@ROOMY
@given(stamps)
def test_datetimes_round_trip_with_zone_name_and_fold(stamp: dt.datetime) -> None:
    back = decode_datetime(json.loads(json.dumps(encode_datetime(stamp))))
    assert same_stamp(back, stamp)


@ROOMY
@given(st.lists(diagnostics, max_size=3), st.none() | notes)
def test_parsed_notes_round_trip(problems: list[Diagnostic], note: ParsedNote | None) -> None:
    back = through_json(PARSED, (note, problems))
    assert back == (note, problems)
    back_note, _ = back  # type: ignore[misc]
    if note is not None:
        assert type(back_note.date) is dt.date
        assert same_stamp(back_note.published, note.published)
        assert list(back_note.terms.items()) == list(note.terms.items())  # order too
        assert list(back_note.field_lines.items()) == list(note.field_lines.items())
        assert all(type(v) is tuple for v in back_note.terms.values())


@ROOMY
@given(rendered)
def test_rendered_markdown_round_trips(value: RenderedMarkdown) -> None:
    assert through_json(MARKDOWN, value) == value


@ROOMY
@given(pages)
def test_pages_and_feeds_round_trip(value: tuple[bytes, str, int]) -> None:
    back = through_json(PAGES, value)
    assert back == value and type(back) is type(value)


@ROOMY
@given(records)
def test_the_last_build_record_round_trips(record: LastBuild) -> None:
    back = through_json(LAST_BUILD, record)
    assert back == record
    assert isinstance(back, LastBuild) and same_stamp(back.next_change, record.next_change)
    assert [type(v) for v in back.counts.values()] == [type(v) for v in record.counts.values()]


json_values = st.recursive(
    st.none() | st.booleans() | small | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.parametrize("name", sorted(CODECS))
@ROOMY
@given(value=json_values)
def test_any_other_data_is_refused_as_cache_data(name: str, value: object) -> None:
    with contextlib.suppress(CacheDataError):  # the only way a decoder may fail
        CODECS[name].decode(value)


@pytest.mark.parametrize(
    ("codec", "data"),
    [
        (PARSED, [{"__class__": "os.system"}, []]),
        (MARKDOWN, {"html": 1}),
        (PAGES, ["page", "not base64!", "0" * 64, 3]),
        (PAGES, ["pickle", "gASV"]),
        (LAST_BUILD, {"inputs": "", "quick": "", "next_change": None, "pages": 1}),
    ],
)
def test_known_bad_shapes_are_refused(codec: Codec[Any], data: object) -> None:
    with pytest.raises(CacheDataError):
        codec.decode(data)
