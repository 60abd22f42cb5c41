"""Files replaced one by one in the output folder, each atomically: the dev server's fast path
for an edited note, and the whole site where the output folder is a mount point."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from pathlib import Path

from weeknote_gen.errors import Diagnostic, error
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.write.files import is_current, prune, replace_file, stage_file
from weeknote_gen.output.write.manifest import (
    ManifestRecord,
    forget_untrusted,
    read_manifest,
    read_untrusted,
    trusted_digests,
    untrusted_file,
    write_manifest,
)
from weeknote_gen.output.write.paths import check_artifacts, stays_inside
from weeknote_gen.output.write.report import WriteReport


def replace_files(
    artifacts: Iterable[Artifact], output_dir: Path, manifest_file: Path
) -> list[Diagnostic]:
    """Replace a few files of a built site in place, each atomically (the dev server's fast
    path for one edited note), leaving the manifest to the full build that follows.

    The files are first listed as untrusted (`untrusted_file`), so that whatever happens
    to that build, the next one compares their bytes instead of believing the manifest's
    digests, which still describe the files they replaced.
    """
    items = list(artifacts)
    problems = check_artifacts(items)
    if problems:
        return problems
    if output_dir.is_symlink() or not output_dir.is_dir():
        return [error("output.not-folder", f"the output folder {output_dir.name} is missing")]
    root = output_dir.resolve()
    checked: dict[Path, bool] = {root: True}
    for artifact in items:
        target = root / artifact.path
        if not stays_inside(root, target.parent, checked):
            return [error("output.unsafe-path", f"refusing to write through a link: '{target}'")]
    untrusted = read_untrusted(manifest_file) | {a.path for a in items}
    replace_file(untrusted_file(manifest_file), json.dumps(sorted(untrusted)).encode())
    for artifact in items:
        target = root / artifact.path
        if not is_current(target, artifact, manifest_agrees=False):
            replace_file(target, artifact.data)
    return []


def update_in_place(items: list[Artifact], root: Path, manifest_file: Path) -> WriteReport:
    """For an output folder that is a mount point and so cannot be swapped: each file is
    replaced atomically, but a build stopped part way leaves a mix until the next build."""
    record = read_manifest(manifest_file, root)
    current: dict[str, str] = {}
    written: list[str] = []
    trusted = trusted_digests(record, manifest_file)
    for artifact in items:
        digest = artifact.sha256
        current[artifact.path] = digest
        target = root / artifact.path
        if not is_current(target, artifact, trusted.get(artifact.path) == digest):
            replace_file(target, artifact.data)
            written.append(artifact.path)
    ours = record.ours | read_untrusted(manifest_file)  # with the fast path's files
    removed = prune(root, ours - set(current))
    write_manifest(manifest_file, root, ManifestRecord(front=current))
    forget_untrusted(manifest_file)
    unchanged = len(items) - len(written)
    changed = frozenset(written) | frozenset(removed)
    return WriteReport(len(written), unchanged, len(removed), changed)


def replace_together(
    artifacts: list[Artifact],
    output_dir: Path,
    manifest_file: Path,
    record: ManifestRecord | None = None,
) -> bool:
    """Replace a few files of a built site all together or not at all, and tell the manifest
    their digests: the delta build's write. Every file is written beside its target first;
    only when all of them (and the untrusted list naming them) were written are they renamed
    into place, so a full disk or a read-only folder leaves the site as it was (False).
    `record`: the manifest, when the caller read it already."""
    if check_artifacts(artifacts) or output_dir.is_symlink() or not output_dir.is_dir():
        return False
    root = output_dir.resolve()
    checked: dict[Path, bool] = {root: True}
    if not all(stays_inside(root, (root / a.path).parent, checked) for a in artifacts):
        return False
    staged: list[tuple[Path, Path]] = []
    try:
        for artifact in artifacts:
            target = root / artifact.path
            staged.append((stage_file(target, artifact.data), target))
        untrusted = read_untrusted(manifest_file) | {a.path for a in artifacts}
        replace_file(untrusted_file(manifest_file), json.dumps(sorted(untrusted)).encode())
        while staged:  # the untrusted list names them all: a stop from here on is safe
            temp, target = staged[-1]
            temp.replace(target)
            staged.pop()
    except OSError:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        return False
    record = record if record is not None else read_manifest(manifest_file, root)
    record.front.update((artifact.path, artifact.sha256) for artifact in artifacts)
    with contextlib.suppress(OSError):  # the untrusted list stands until both are done
        write_manifest(manifest_file, root, record)
        forget_untrusted(manifest_file)
    return True
