"""The snapshot's file formats: the last good build's site and outputs as plain data.

A one-off build leaves a snapshot in `.weeknote-cache/` (`engine.snapshot`) so that the next
build, when only notes' text changed, can make just the outputs that read those notes without
assembling the site again (`engine.delta`). It is read through codecs like the memo's, so that
loading runs no code: the head (`Snapshot`: the site but its notes, each output and what it
reads, the files the build read), what delta builds changed since (`Overlay`), and the notes
as records of their own (`engine.note_codec`), each decoded only when the delta build reads
it. Notes are named in the head by their place in the site's order (a list of keys).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from weeknote_gen.engine.codec_values import (
    CacheDataError,
    Codec,
    Json,
    as_dict,
    as_int,
    as_list,
    as_object,
    as_optional_int,
    as_str,
    as_str_tuple,
)

# --------------------------------------------------------------------------- the head


def sized(value: Json, length: int, what: str) -> list[Json]:
    items = as_list(value)
    if len(items) != length:
        raise CacheDataError(f"{what}: wrong length")
    return items


# The head is read on every build that is not a no-op, so it is written to be read fast: lists
# of texts as one text joined by NUL (which no path, key or address holds), digests of one
# length run together, and the lists of note places that say which notes each index and each
# output names kept as JSON and checked only when used (`places`), since a build uses few.
_SEP = "\0"
_HEX = "0123456789abcdef"
Places = Json  # a list of note places, as read: checked by `places` before use


def places(value: Places, limit: int) -> tuple[int, ...]:
    """A list of places below `limit`, or `CacheDataError`."""
    items = as_list(value)
    for item in items:
        if type(item) is not int or not 0 <= item < limit:
            raise CacheDataError("snapshot: a place out of range")
    return tuple(items)


@dataclass(frozen=True, slots=True)
class SiteSkeleton:
    """`Site` but its config and its notes' content: the notes by key in order, with each
    note's address and digests (whole and card), and every index of the site by note place."""

    keys: tuple[str, ...]
    urls: tuple[str, ...]
    whole: tuple[str, ...]  # `SiteDigests.notes`, in order
    cards: tuple[str, ...]  # `SiteDigests.cards`, in order
    related: list[Places]  # each note's
    authors: tuple[tuple[str, str, Places], ...]  # slug, name, notes
    # name, singular, plural, terms: slug, name, notes
    taxonomies: tuple[tuple[str, str, str, tuple[tuple[str, str, Places], ...]], ...]
    weeks: tuple[tuple[int, int, Places], ...]  # ISO year, week, notes
    media: tuple[tuple[str, str], ...]  # asset path, URL
    aliases: tuple[tuple[str, str, str, int | None, int | None], ...]  # URL, note, where
    static_files: tuple[str, ...]
    skipped: tuple[int, int]  # drafts, scheduled notes
    structure: str  # `SiteDigests.structure`
    every_card: str
    prompts: tuple[str, ...]  # `Site.prompts`, sorted


@dataclass(frozen=True, slots=True)
class Outputs:
    """Every output of the last build, pages in plan order then feeds, by place: its file,
    what it is (a feed's task; pages have none), which notes it reads whole, which notes a
    feed shows as cards (None: any), and for each note the outputs that read it whole.

    Each output's key and the notes each page shows as cards are `detail`: JSON kept as
    bytes beside the head's and parsed only when asked for (`key`, `page_shows`), since
    they are half the head and a delta build needs neither."""

    paths: tuple[str, ...]
    tasks: Mapping[int, tuple[str, ...]]
    reads: list[Places | None]
    feed_shows: Mapping[int, Places | None]  # by place: the feeds'
    readers: list[Places]  # by note place
    any_note: tuple[int, ...]  # the outputs whose `reads` is None
    detail: bytes  # {"keys": every key run together, "shows": each page's, by place}
    changed: Mapping[int, str] = field(default_factory=dict)  # keys since, by place

    def key(self, place: int) -> str:
        return self.changed.get(place) or self._detail()[0][place]

    def page_shows(self, place: int) -> Places | None:
        return self._detail()[1][place]

    def _detail(self) -> tuple[tuple[str, ...], list[Places | None]]:
        try:
            data = as_object(json.loads(self.detail), frozenset({"keys", "shows"}))
        except (ValueError, RecursionError) as exc:
            raise CacheDataError("snapshot: detail not JSON") from exc
        shows = as_list(data["shows"])
        if len(shows) != len(self.paths):
            raise CacheDataError("snapshot: lists of different lengths")
        return _cut(data["keys"], 64, len(self.paths)), shows


def outputs_detail(keys: Sequence[str], shows: Sequence[Places | None]) -> bytes:
    """`Outputs.detail` of these keys and pages' shows."""
    return json.dumps({"keys": _run(keys, 64), "shows": list(shows)}).encode()


@dataclass(frozen=True, slots=True)
class RecordPlaces:
    """Where each note's records are in the cache's record files (the memo's parsed notes
    and Markdown, the snapshot's notes), so that the delta build reads those few records
    alone (`engine.record_file.read_record_at`) and appends to those files without reading
    them: each file's identity as left, and each note's record's offset, -1 for none."""

    files: Mapping[str, tuple[int, int, int] | None]  # by table name: device, inode, size
    at: Mapping[str, list[int]]  # by table name: each note's record's offset, in site order


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the delta build needs from the last good build."""

    inputs: str  # the last build record's content fingerprint this snapshot goes with
    settings: str  # the tool, options, config.yaml and theme it was made with
    # Every entry of the content tree and the static folder, by path from the site folder:
    # its identity (mode, inode, size, modified and changed times), None when too fresh
    # to vouch for its content, as `content.tree_identity` walks them.
    entries: Mapping[str, tuple[int, ...] | None]
    sources: tuple[tuple[str, str], ...]  # the notes as discovered: path, SHA-256
    assets: tuple[tuple[str, str], ...]  # the files beside them: path, SHA-256
    static: tuple[tuple[str, str], ...]  # the static folder's files: path, SHA-256
    parsed: tuple[str, ...]  # the notes that parsed, drafts too, by path
    site: SiteSkeleton
    templates: Mapping[str, str]  # each template's fingerprint, by name
    plan: str  # what else of the plan feeds read (`records.feed_keys`)
    outputs: Outputs
    records: RecordPlaces


def _joined(texts: Sequence[str]) -> str:
    if any(_SEP in text for text in texts):
        raise ValueError("a text holds NUL")  # the caller keeps no snapshot
    return _SEP.join(texts)


def _split(value: Json) -> tuple[str, ...]:
    text = as_str(value)
    return tuple(text.split(_SEP)) if text else ()


def _run(texts: Sequence[str], width: int) -> str:
    if any(len(text) != width for text in texts):
        raise ValueError("a digest of another length")
    return "".join(texts)


def _cut(value: Json, width: int, count: int) -> tuple[str, ...]:
    text = as_str(value)
    if len(text) != width * count or text.strip(_HEX):
        raise CacheDataError("snapshot: digests of the wrong length, or not hexadecimal")
    return tuple(text[start : start + width] for start in range(0, len(text), width))


def _pairs(value: Json, *, digests: bool = False) -> tuple[tuple[str, str], ...]:
    """Pairs of texts; with `digests`, each second a SHA-256 (hexadecimal, 64 digits)."""
    pairs = tuple((as_str(a), as_str(b)) for a, b in (sized(i, 2, "pair") for i in as_list(value)))
    if digests and any(len(sha) != 64 or sha.strip(_HEX) for _, sha in pairs):
        raise CacheDataError("snapshot: a file's digest is not a SHA-256")
    return pairs


def _encode_site(site: SiteSkeleton) -> Json:
    return {
        "keys": _joined(site.keys),
        "urls": _joined(site.urls),
        "whole": _run(site.whole, 40),
        "cards": _run(site.cards, 40),
        "related": site.related,
        "authors": [list(author) for author in site.authors],
        "taxonomies": [
            [name, one, many, [list(term) for term in terms]]
            for name, one, many, terms in site.taxonomies
        ],
        "weeks": [list(week) for week in site.weeks],
        "media": [list(pair) for pair in site.media],
        "aliases": [list(alias) for alias in site.aliases],
        "static_files": list(site.static_files),
        "skipped": list(site.skipped),
        "structure": site.structure,
        "every_card": site.every_card,
        "prompts": list(site.prompts),
    }


_SITE_KEYS = frozenset(SiteSkeleton.__slots__)


def _decode_site(value: Json) -> SiteSkeleton:
    data = as_object(value, _SITE_KEYS)
    keys = _split(data["keys"])
    count = len(keys)
    related = as_list(data["related"])
    urls = _split(data["urls"])
    skipped = sized(data["skipped"], 2, "skipped")
    if len(related) != count or len(urls) != count:
        raise CacheDataError("snapshot: lists of different lengths")
    return SiteSkeleton(
        keys=keys,
        urls=urls,
        whole=_cut(data["whole"], 40, count),
        cards=_cut(data["cards"], 40, count),
        related=related,
        authors=tuple(
            (as_str(a), as_str(b), c)
            for a, b, c in (sized(item, 3, "author") for item in as_list(data["authors"]))
        ),
        taxonomies=tuple(_decode_taxonomy(item) for item in as_list(data["taxonomies"])),
        weeks=tuple(
            (as_int(year), as_int(week), notes)
            for year, week, notes in (sized(item, 3, "week") for item in as_list(data["weeks"]))
        ),
        media=_pairs(data["media"]),
        aliases=tuple(_decode_alias(item) for item in as_list(data["aliases"])),
        static_files=as_str_tuple(data["static_files"]),
        skipped=(as_int(skipped[0]), as_int(skipped[1])),
        structure=as_str(data["structure"]),
        every_card=as_str(data["every_card"]),
        prompts=as_str_tuple(data["prompts"]),
    )


def _decode_taxonomy(value: Json) -> tuple[str, str, str, tuple[tuple[str, str, Places], ...]]:
    name, one, many, terms = sized(value, 4, "taxonomy")
    listed = (sized(item, 3, "term") for item in as_list(terms))
    decoded = tuple((as_str(a), as_str(b), c) for a, b, c in listed)
    return as_str(name), as_str(one), as_str(many), decoded


def _decode_alias(value: Json) -> tuple[str, str, str, int | None, int | None]:
    url, key, path, line, column = sized(value, 5, "alias")
    return as_str(url), as_str(key), as_str(path), as_optional_int(line), as_optional_int(column)


def _encode_outputs(outputs: Outputs) -> Json:
    return {
        "paths": _joined(outputs.paths),
        "tasks": [[place, *task] for place, task in outputs.tasks.items()],
        "reads": outputs.reads,
        "feed_shows": [[place, shows] for place, shows in outputs.feed_shows.items()],
        "readers": outputs.readers,
        "any_note": list(outputs.any_note),
    }


_OUTPUTS_KEYS = frozenset({"paths", "tasks", "reads", "feed_shows", "readers", "any_note"})


def _decode_outputs(value: Json, notes: int, detail: bytes) -> Outputs:
    data = as_object(value, _OUTPUTS_KEYS)
    paths = _split(data["paths"])
    count = len(paths)
    reads, readers = as_list(data["reads"]), as_list(data["readers"])
    if len(reads) != count or len(readers) != notes:
        raise CacheDataError("snapshot: lists of different lengths")
    tasks = {}
    for item in as_list(data["tasks"]):
        place, *task = as_list(item)
        tasks[places([place], count)[0]] = as_str_tuple(task)
    feed_shows = {}
    for item in as_list(data["feed_shows"]):
        place, shows = sized(item, 2, "feed")
        feed_shows[places([place], count)[0]] = shows
    return Outputs(
        paths, tasks, reads, feed_shows, readers, places(data["any_note"], count), detail
    )


def _encode_entries(entries: Mapping[str, tuple[int, ...] | None]) -> Json:
    flat: list[int] = []
    for found in entries.values():
        flat.extend(found if found is not None else (-1, 0, 0, 0, 0))
    return [_joined(list(entries)), flat]


def _decode_entries(value: Json) -> dict[str, tuple[int, ...] | None]:
    names, flat = sized(value, 2, "entries")
    paths = _split(names)
    numbers = as_list(flat)
    if len(numbers) != 5 * len(paths) or not all(type(n) is int for n in numbers):
        raise CacheDataError("snapshot: entries of the wrong shape")
    return {
        path: None if numbers[5 * i] < 0 else tuple(numbers[5 * i : 5 * i + 5])
        for i, path in enumerate(paths)
    }


def _encode_snapshot(snapshot: Snapshot) -> Json:
    return {
        "inputs": snapshot.inputs,
        "settings": snapshot.settings,
        "entries": _encode_entries(snapshot.entries),
        "sources": [
            _joined([p for p, _ in snapshot.sources]),
            _run([s for _, s in snapshot.sources], 64),
        ],
        "assets": [list(pair) for pair in snapshot.assets],
        "static": [list(pair) for pair in snapshot.static],
        "parsed": _joined(snapshot.parsed),
        "site": _encode_site(snapshot.site),
        "templates": dict(snapshot.templates),
        "plan": snapshot.plan,
        "outputs": _encode_outputs(snapshot.outputs),
        "records": {
            "files": {k: None if v is None else list(v) for k, v in snapshot.records.files.items()},
            "at": dict(snapshot.records.at),
        },
    }


_SNAPSHOT_KEYS = frozenset(Snapshot.__slots__)


def _decode_snapshot(value: Json, detail: bytes = b"") -> Snapshot:
    data = as_object(value, _SNAPSHOT_KEYS)
    templates = as_dict(data["templates"])
    names, shas = sized(data["sources"], 2, "sources")
    paths = _split(names)
    site = _decode_site(data["site"])
    return Snapshot(
        inputs=as_str(data["inputs"]),
        settings=as_str(data["settings"]),
        entries=_decode_entries(data["entries"]),
        sources=tuple(zip(paths, _cut(shas, 64, len(paths)), strict=True)),
        assets=_pairs(data["assets"], digests=True),
        static=_pairs(data["static"], digests=True),
        parsed=_split(data["parsed"]),
        site=site,
        templates={name: as_str(fingerprint) for name, fingerprint in templates.items()},
        plan=as_str(data["plan"]),
        outputs=_decode_outputs(data["outputs"], len(site.keys), detail),
        records=_decode_records(data["records"], len(site.keys)),
    )


def _decode_records(value: Json, notes: int) -> RecordPlaces:
    data = as_object(value, frozenset({"files", "at"}))
    files = {name: file_identity(found) for name, found in as_dict(data["files"]).items()}
    at = {}
    for name, offsets in as_dict(data["at"]).items():
        listed = as_list(offsets)
        if len(listed) != notes or not all(type(offset) is int for offset in listed):
            raise CacheDataError("snapshot: record offsets of the wrong shape")
        at[name] = listed
    return RecordPlaces(files, at)


def file_identity(value: Json) -> tuple[int, int, int] | None:
    if value is None:
        return None
    device, inode, size = (as_int(part) for part in sized(value, 3, "file identity"))
    return device, inode, size


def _split_snapshot(snapshot: Snapshot) -> tuple[Json, bytes]:
    return _encode_snapshot(snapshot), snapshot.outputs.detail


def _encode_whole(snapshot: Snapshot) -> Json:
    return [_encode_snapshot(snapshot), snapshot.outputs.detail.decode()]


def _decode_whole(value: Json) -> Snapshot:
    data, detail = sized(value, 2, "snapshot")
    return _decode_snapshot(data, as_str(detail).encode())


# In a record file, as JSON and the outputs' detail as bytes beside it (`Outputs.detail`).
SNAPSHOT: Codec[Snapshot] = Codec(
    "snapshot", 1, _encode_whole, _decode_whole, split=_split_snapshot, join=_decode_snapshot
)
