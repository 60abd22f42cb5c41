"""The snapshot's overlay: what delta builds changed since a full build wrote the head.

The head is 2 MB at 4,000 notes; writing it again after every edit would cost a delta build a
good share of its time. The overlay holds only what changed (the content fingerprint, each
edited note's digests and records' places, changed entries' identities, outputs' new keys,
the record files' identities), and `engine.snapshot` applies it to the head on loading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from weeknote_gen.engine.codec_values import (
    Codec,
    Json,
    as_dict,
    as_int,
    as_list,
    as_object,
    as_str,
)
from weeknote_gen.engine.snapshot_codec import file_identity, sized


@dataclass(frozen=True, slots=True)
class Overlay:
    """What delta builds changed since the head was written (rather than the head written
    again, 2 MB at 4,000 notes, after every edit): the content fingerprint now, and each
    changed note's SHA-256 and whole digest, entry's identity and output's key."""

    inputs: str
    # by path: SHA-256, whole digest, and its records' offsets (by table name; -1 for none)
    notes: Mapping[str, tuple[str, str, Mapping[str, int]]]
    entries: Mapping[str, tuple[int, ...] | None]
    outputs: Mapping[int, str]  # by place: key
    files: Mapping[str, tuple[int, int, int] | None]  # record files' identities, by name


_OVERLAY_KEYS = frozenset(Overlay.__slots__)


def _encode_overlay(overlay: Overlay) -> Json:
    return {
        "inputs": overlay.inputs,
        "notes": {path: [sha, whole, dict(at)] for path, (sha, whole, at) in overlay.notes.items()},
        "files": {k: None if v is None else list(v) for k, v in overlay.files.items()},
        "entries": {
            path: None if found is None else list(found) for path, found in overlay.entries.items()
        },
        "outputs": [[place, key] for place, key in overlay.outputs.items()],
    }


def _decode_overlay(value: Json) -> Overlay:
    data = as_object(value, _OVERLAY_KEYS)
    notes = {}
    for path, found in as_dict(data["notes"]).items():
        sha, whole, at = sized(found, 3, "note")
        offsets = {name: as_int(offset) for name, offset in as_dict(at).items()}
        notes[path] = (as_str(sha), as_str(whole), offsets)
    entries: dict[str, tuple[int, ...] | None] = {}
    for path, found in as_dict(data["entries"]).items():
        entries[path] = (
            None if found is None else tuple(as_int(n) for n in sized(found, 5, "entry"))
        )
    outputs = {
        as_int(place): as_str(key)
        for place, key in (sized(item, 2, "output") for item in as_list(data["outputs"]))
    }
    files = {name: file_identity(found) for name, found in as_dict(data["files"]).items()}
    return Overlay(as_str(data["inputs"]), notes, entries, outputs, files)


OVERLAY: Codec[Overlay] = Codec("snapshot-overlay", 1, _encode_overlay, _decode_overlay)
