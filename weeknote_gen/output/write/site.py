"""Writing the site: the only stage that touches the output folder.

Called only after every page was rendered in memory, so a broken note or template never
leaves a half-built site. The new site is assembled beside the output folder and swapped in
with one rename, so the output folder always holds one whole site, the old or the new, even
if the build is killed or the disk fills up. Files whose bytes did not change keep their
inode and time stamp (deploy tools and browsers see them as unchanged), and only files this
tool wrote before are ever left out: anything else found in the output folder is carried
over.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.write.assembly import Assembly
from weeknote_gen.output.write.files import files_under
from weeknote_gen.output.write.in_place import update_in_place
from weeknote_gen.output.write.manifest import ManifestRecord, read_manifest, read_untrusted
from weeknote_gen.output.write.paths import check_artifacts, links_on_the_way
from weeknote_gen.output.write.report import WriteReport
from weeknote_gen.output.write.switch import aside_folder

WRITE_FAILED = "output.io"


def write_site(
    artifacts: Iterable[Artifact], output_dir: Path, manifest_file: Path
) -> tuple[WriteReport | None, list[Diagnostic]]:
    """Make `output_dir` exactly the artifacts (plus files we never wrote), all at once.

    The new site is assembled in a hidden spare folder beside the output folder and the two
    are exchanged in one rename, so the output folder holds the old site or the new one
    whatever happens, even a crash. The spare is the site from the build before, so only what
    changed since then is written into it; unchanged files are hard links to the files being
    served. `artifacts` is read once, lazily: each file goes into the spare as it arrives, so
    a caller may pass a generator and never hold the whole site. Unsafe paths, duplicates and
    writes through links are refused as they arrive; then, or if `artifacts` raises, the spare
    folder is removed and the output folder is untouched. A failure to write returns a report
    with nothing written and an `output.io` problem, the output folder untouched too. Only an
    output folder that is a mount point, which cannot be renamed, is updated file by file
    instead (`OSError` then means it may be partly updated).
    """
    if output_dir.is_symlink() or (output_dir.exists() and not output_dir.is_dir()):
        return None, _not_a_folder(artifacts, output_dir)
    if output_dir.is_dir():
        root = output_dir.resolve()
        if not os.access(root, os.W_OK):
            return _refuse_read_only(artifacts, output_dir)
        if os.path.ismount(root):
            return _update_mount_point(artifacts, root, manifest_file)
    else:
        root = output_dir.absolute()
    try:
        return Assembly(root, manifest_file).run(artifacts)
    except OSError as exc:
        return WriteReport(0, 0, 0), [_write_failed(exc, output_dir, root)]


def _not_a_folder(artifacts: Iterable[Artifact], output_dir: Path) -> list[Diagnostic]:
    """The problems with the artifacts, and the output folder being a file or a link."""
    problems = check_artifacts(artifacts)
    problems.append(
        error(
            "output.not-folder",
            f"the output folder {output_dir.name} is a file or a link",
            Location(output_dir.name),
            "remove it, or set output_dir in config.yaml",
        )
    )
    return problems


def _refuse_read_only(
    artifacts: Iterable[Artifact], output_dir: Path
) -> tuple[WriteReport | None, list[Diagnostic]]:
    """A read-only output folder is left as it was: nothing written, and a problem saying so
    (or the artifacts' own problems, which come first)."""
    problems = check_artifacts(artifacts)
    if problems:
        return None, problems
    return WriteReport(0, 0, 0), [
        error(
            WRITE_FAILED,
            f"the output folder {output_dir.name} is read-only, so it was left as it was",
            Location(output_dir.name),
            "make it writable, or set output_dir in config.yaml, then build again",
        )
    ]


def _update_mount_point(
    artifacts: Iterable[Artifact], root: Path, manifest_file: Path
) -> tuple[WriteReport | None, list[Diagnostic]]:
    """An output folder that is a mount point cannot be exchanged: every path is checked
    first, then the files are replaced one by one (`update_in_place`)."""
    items = list(artifacts)
    problems = check_artifacts(items) or links_on_the_way(items, root)
    if problems:
        return None, problems
    return update_in_place(items, root, manifest_file), []


def _write_failed(exc: OSError, output_dir: Path, root: Path) -> Diagnostic:
    """Why the site could not be written (the output folder was left as it was)."""
    reason = exc.strerror or str(exc)
    return error(
        WRITE_FAILED,
        f"could not write the site ({reason}), so the output folder "
        f"{output_dir.name} was left as it was",
        Location(output_dir.name),
        f"fix the cause ({exc.filename or root.parent}), then build again",
    )


def output_intact(
    output_dir: Path, manifest_file: Path, record: ManifestRecord | None = None
) -> bool:
    """Every file the last build wrote is still there and no switch was left half done
    (a quick check: names, not bytes). `record`: the manifest, when the caller read it."""
    if not output_dir.is_dir() or output_dir.is_symlink():
        return False
    root = output_dir.resolve()
    record = record if record is not None else read_manifest(manifest_file, root)
    if record.pending is not None or aside_folder(root).exists():
        return False
    if read_untrusted(manifest_file):  # the fast path wrote pages no build has checked since
        return False
    if not record.front:
        return False
    try:  # one directory read a folder, rather than one stat a file
        present = files_under(root)
    except OSError:
        return False
    return all(present.get(path) is False for path in record.front)  # there, and not a link
