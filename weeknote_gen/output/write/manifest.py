"""The manifest: which files of the output folder and of the spare folder are ours, by digest.

Only files this tool wrote are ever left out of a new site, so anything the manifest does not
list is carried over; it is trusted only for the folder it names, and a switch left half done
(`pending`) or a file the fast path replaced (the untrusted list) means bytes are compared.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from weeknote_gen.output.write.files import replace_file

MANIFEST_VERSION = 2


def untrusted_file(manifest_file: Path) -> Path:
    """Files changed behind the manifest's back (by `replace_files`), by path.

    They are ours (a later build may remove them) but their digests are unknown, wherever
    they go: still in the output folder, or in the spare folder once a build swapped them out.
    """
    return manifest_file.with_name(f"{manifest_file.name}.untrusted")


def read_untrusted(manifest_file: Path) -> set[str]:
    try:
        data = json.loads(untrusted_file(manifest_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {item for item in data if isinstance(item, str)} if isinstance(data, list) else set()


def trusted_digests(record: ManifestRecord, manifest_file: Path) -> Mapping[str, str]:
    """The manifest's digests that still describe the files in the output folder."""
    untrusted = read_untrusted(manifest_file)
    if not untrusted:
        return record.trusted
    return {path: digest for path, digest in record.trusted.items() if path not in untrusted}


def forget_untrusted(manifest_file: Path) -> None:
    """After a build wrote a new manifest: every file it lists was checked."""
    with contextlib.suppress(OSError):
        untrusted_file(manifest_file).unlink(missing_ok=True)


# --------------------------------------------------------------------------- the manifest

# The digest of a file that is ours but whose bytes are unknown (one the fast path wrote):
# it never equals a real digest, so the file is compared byte for byte, and it is still
# listed, so it is removed when the site no longer has it.
UNKNOWN_DIGEST = ""


@dataclass(slots=True)
class ManifestRecord:
    """What the manifest says about the output folder (the front) and the spare folder."""

    front: dict[str, str] = field(default_factory=dict)  # our files there, path -> sha256
    foreign: list[str] = field(default_factory=list)  # files there that we did not write
    spare: dict[str, str] | None = None  # our files in the spare; None: unknown, start over
    spare_foreign: list[str] = field(default_factory=list)
    # Set just before the exchange and cleared just after: if it is still set, the build
    # stopped in between, so the front is either tree and no digest can be trusted.
    pending: dict[str, str] | None = None

    @property
    def ours(self) -> set[str]:
        return set(self.front) | set(self.pending or ())

    @property
    def trusted(self) -> Mapping[str, str]:
        return self.front if self.pending is None else {}


def read_manifest(manifest_file: Path, root: Path) -> ManifestRecord:
    """What we wrote last time into this same folder; anything else is not ours to prune."""
    try:
        data = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ManifestRecord()
    if not isinstance(data, dict) or data.get("output") not in (
        str(root),
        _where(manifest_file, root),
    ):
        return ManifestRecord()
    files = data.get("files")
    if not _is_digests(files):
        return ManifestRecord()
    if data.get("version") == 1:  # before the spare folder: the front only
        return ManifestRecord(front=dict(files))
    if data.get("version") != MANIFEST_VERSION:
        return ManifestRecord()
    record = ManifestRecord(front=dict(files), foreign=_paths(data.get("foreign")))
    spare = data.get("spare")
    if isinstance(spare, dict) and _is_digests(spare.get("files")):
        record.spare = dict(spare["files"])
        record.spare_foreign = _paths(spare.get("foreign"))
    pending = data.get("pending")
    if pending is not None:
        record.pending = dict(pending) if _is_digests(pending) else {}
    return record


def _where(manifest_file: Path, root: Path) -> str:
    """The output folder as seen from the manifest, so that moving or copying the site folder
    as a whole (a CI workspace, say) keeps the record valid."""
    return Path(os.path.relpath(root, manifest_file.parent.resolve())).as_posix()


def _is_digests(value: object) -> TypeGuard[dict[str, str]]:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _paths(value: object) -> list[str]:
    return [p for p in value if isinstance(p, str)] if isinstance(value, list) else []


def write_manifest(manifest_file: Path, root: Path, record: ManifestRecord) -> None:
    spare = None
    if record.spare is not None:
        spare = {"files": dict(sorted(record.spare.items())), "foreign": record.spare_foreign}
    payload = {
        "version": MANIFEST_VERSION,
        "output": _where(manifest_file, root),
        "files": dict(sorted(record.front.items())),
        "foreign": sorted(record.foreign),
        "spare": spare,
        "pending": None if record.pending is None else dict(sorted(record.pending.items())),
    }
    manifest_file.parent.mkdir(parents=True, exist_ok=True)
    replace_file(manifest_file, json.dumps(payload, separators=(",", ":")).encode("utf-8"))
