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

import contextlib
import ctypes
import errno
import functools
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeGuard

from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.output.artifact import Artifact

WRITE_FAILED = "output.io"
MANIFEST_VERSION = 2


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    # The files written or removed, so the dev server reloads only pages that changed.
    changed: frozenset[str] = frozenset()


def check_artifacts(artifacts: Iterable[Artifact]) -> list[Diagnostic]:
    """Refuse paths that could land outside the output folder, and duplicates."""
    seen: set[str] = set()
    return [problem for a in artifacts if (problem := _path_problem(a.path, seen)) is not None]


def _path_problem(path: str, seen: set[str]) -> Diagnostic | None:
    """Why `path` may not be written (outside the output folder, or a second time), if so;
    plain string checks, as this runs once for every file of the site."""
    parts = path.split("/")
    if (
        not path
        or "\\" in path
        or ":" in parts[0]
        or any(part in ("", ".", "..") for part in parts)  # an absolute path starts with ""
    ):
        seen.add(path)
        return error("output.unsafe-path", f"refusing to write '{path}' outside the output folder")
    if path in seen:
        return error("output.duplicate", f"two outputs want the file '{path}'")
    seen.add(path)
    return None


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
        problems = check_artifacts(artifacts)
        problems.append(
            error(
                "output.not-folder",
                f"the output folder {output_dir.name} is a file or a link",
                Location(output_dir.name),
                "remove it, or set output_dir in config.yaml",
            )
        )
        return None, problems
    if output_dir.is_dir():
        root = output_dir.resolve()
        if not os.access(root, os.W_OK):
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
        if os.path.ismount(root):
            items = list(artifacts)
            problems = check_artifacts(items) or _links_on_the_way(items, root)
            if problems:
                return None, problems
            return _update_in_place(items, root, manifest_file), []
    else:
        root = output_dir.absolute()
    try:
        return _Assembly(root, manifest_file).run(artifacts)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return WriteReport(0, 0, 0), [
            error(
                WRITE_FAILED,
                f"could not write the site ({reason}), so the output folder "
                f"{output_dir.name} was left as it was",
                Location(output_dir.name),
                f"fix the cause ({exc.filename or root.parent}), then build again",
            )
        ]


def _links_on_the_way(items: list[Artifact], root: Path) -> list[Diagnostic]:
    """Files that would be written through a link to a folder (for the in-place update)."""
    folders = {(root / a.path).parent for a in items}
    checked: dict[Path, bool] = {root: True}
    return [
        error("output.unsafe-path", f"refusing to write through a link: '{path}'")
        for path in sorted(str(f) for f in folders if not _stays_inside(root, f, checked))
    ]


def replace_files(
    artifacts: Iterable[Artifact], output_dir: Path, manifest_file: Path
) -> list[Diagnostic]:
    """Replace a few files of a built site in place, each atomically (the dev server's fast
    path for one edited note), leaving the manifest to the full build that follows.

    The files are first listed as untrusted (`_untrusted_file`), so that whatever happens
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
        if not _stays_inside(root, target.parent, checked):
            return [error("output.unsafe-path", f"refusing to write through a link: '{target}'")]
    untrusted = _read_untrusted(manifest_file) | {a.path for a in items}
    _replace_file(_untrusted_file(manifest_file), json.dumps(sorted(untrusted)).encode())
    for artifact in items:
        target = root / artifact.path
        if not _is_current(target, artifact, manifest_agrees=False):
            _replace_file(target, artifact.data)
    return []


def _untrusted_file(manifest_file: Path) -> Path:
    """Files changed behind the manifest's back (by `replace_files`), by path.

    They are ours (a later build may remove them) but their digests are unknown, wherever
    they go: still in the output folder, or in the spare folder once a build swapped them out.
    """
    return manifest_file.with_name(f"{manifest_file.name}.untrusted")


def _read_untrusted(manifest_file: Path) -> set[str]:
    try:
        data = json.loads(_untrusted_file(manifest_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {item for item in data if isinstance(item, str)} if isinstance(data, list) else set()


def _trusted(record: _Record, manifest_file: Path) -> Mapping[str, str]:
    """The manifest's digests that still describe the files in the output folder."""
    untrusted = _read_untrusted(manifest_file)
    if not untrusted:
        return record.trusted
    return {path: digest for path, digest in record.trusted.items() if path not in untrusted}


def _forget_untrusted(manifest_file: Path) -> None:
    """After a build wrote a new manifest: every file it lists was checked."""
    with contextlib.suppress(OSError):
        _untrusted_file(manifest_file).unlink(missing_ok=True)


def output_intact(output_dir: Path, manifest_file: Path) -> bool:
    """Every file the last build wrote is still there and no switch was left half done
    (a quick check: names, not bytes)."""
    if not output_dir.is_dir() or output_dir.is_symlink():
        return False
    root = output_dir.resolve()
    record = _read_manifest(manifest_file, root)
    if record.pending is not None or _aside(root).exists():
        return False
    if _read_untrusted(manifest_file):  # the fast path wrote pages no build has checked since
        return False
    if not record.front:
        return False
    try:  # one directory read a folder, rather than one stat a file
        present = _files_under(root)
    except OSError:
        return False
    return all(present.get(path) is False for path in record.front)  # there, and not a link


# --------------------------------------------------------------------------- the manifest

# The digest of a file that is ours but whose bytes are unknown (one the fast path wrote):
# it never equals a real digest, so the file is compared byte for byte, and it is still
# listed, so it is removed when the site no longer has it.
_UNKNOWN = ""


@dataclass(slots=True)
class _Record:
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


def _read_manifest(manifest_file: Path, root: Path) -> _Record:
    """What we wrote last time into this same folder; anything else is not ours to prune."""
    try:
        data = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _Record()
    if not isinstance(data, dict) or data.get("output") not in (
        str(root),
        _where(manifest_file, root),
    ):
        return _Record()
    files = data.get("files")
    if not _is_digests(files):
        return _Record()
    if data.get("version") == 1:  # before the spare folder: the front only
        return _Record(front=dict(files))
    if data.get("version") != MANIFEST_VERSION:
        return _Record()
    record = _Record(front=dict(files), foreign=_paths(data.get("foreign")))
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


def _write_manifest(manifest_file: Path, root: Path, record: _Record) -> None:
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
    _replace_file(manifest_file, json.dumps(payload, separators=(",", ":")).encode("utf-8"))


# --------------------------------------------------------------------------- the switch


def _spare(root: Path) -> Path:
    return root.with_name(f".{root.name}.spare")


def _aside(root: Path) -> Path:
    """Where the output folder waits for a moment where an atomic exchange is not possible."""
    return root.with_name(f".{root.name}.aside")


class _Assembly:
    """One `write_site` into a real folder: the spare made ready, the artifacts written into
    it as they arrive, then the exchange. Anything short of the exchange removes the spare."""

    def __init__(self, root: Path, manifest_file: Path) -> None:
        self.root, self.manifest_file = root, manifest_file
        self.spare, self.aside = _spare(root), _aside(root)
        self.front = False  # whether there is an output folder already
        self.current: dict[str, str] = {}  # path -> sha256, for every artifact so far
        self.written: list[str] = []
        self.made: set[str] = set()  # folders known to exist in the spare, relative
        self.checked: dict[str, bool] = {"": True}  # folders of the front: not through a link

    def run(self, artifacts: Iterable[Artifact]) -> tuple[WriteReport | None, list[Diagnostic]]:
        root, spare = self.root, self.spare
        root.parent.mkdir(parents=True, exist_ok=True)
        _recover(root, spare, self.aside)
        record = _read_manifest(self.manifest_file, root)
        self.front = root.is_dir()
        present = _files_under(root) if self.front else {}
        untrusted = _read_untrusted(self.manifest_file)
        ours = record.ours | untrusted  # the fast path's files are ours too, never foreign

        known = record.spare if spare.is_dir() else None
        if record.spare is not None:  # the spare is about to change: forget what it held
            _write_manifest(self.manifest_file, root, replace(record, spare=None))
        fresh = known is None
        try:
            if fresh:
                if spare.exists() or spare.is_symlink():
                    _remove_tree(spare)
                spare.mkdir()
                known, known_foreign = {}, []
            else:
                known_foreign = record.spare_foreign
            assert known is not None
            if self.front:
                spare.chmod(stat.S_IMODE(root.stat().st_mode))
            trusted = {path: sha for path, sha in record.trusted.items() if path not in untrusted}
            problems = self._fill(artifacts, present, known, trusted, fresh)
            if problems:
                _remove_tree(spare)
                return None, problems
            current = self.current
            foreign = sorted(p for p in present if p not in ours and p not in current)
            wanted = set(current) | set(foreign)
            for relative in sorted((set(known) | set(known_foreign)) - wanted, reverse=True):
                _remove_file(spare, relative)
            for relative in foreign:
                folder = relative.rpartition("/")[0]
                carry = functools.partial(self._make_folder, folder, False)
                _carry_foreign(root / relative, spare / relative, carry)
            removed = sorted(p for p in ours if p not in current and p in present)
            # From here the front may be either tree until the manifest says which.
            _write_manifest(self.manifest_file, root, replace(record, spare=None, pending=current))
        except BaseException:
            with contextlib.suppress(OSError):
                _remove_tree(spare)
            raise
        if self.front:
            _exchange(spare, root, self.aside)
        else:
            spare.rename(root)
        # The exchange happened: what follows only saves time next build, so it may fail.
        after = _Record(front=current, foreign=foreign)
        if self.front and record.pending is None:  # the old front, now the spare
            # Including the files the fast path wrote into it: the spare still holds them, so
            # the next build must compare them, and remove them if the site no longer has them.
            after.spare = {**record.front, **dict.fromkeys(untrusted, _UNKNOWN)}
            after.spare_foreign = foreign
        with contextlib.suppress(OSError):
            _write_manifest(self.manifest_file, root, after)
            _forget_untrusted(self.manifest_file)
        changed = frozenset(self.written) | frozenset(removed)
        written = len(self.written)
        return WriteReport(written, len(current) - written, len(removed), changed), []

    def _fill(
        self,
        artifacts: Iterable[Artifact],
        present: Mapping[str, bool],
        known: Mapping[str, str],
        trusted: Mapping[str, str],
        fresh: bool,
    ) -> list[Diagnostic]:
        """Write each artifact into the spare as it arrives (a hard link to the file being
        served when that is unchanged); after the first problem, only look for more."""
        problems: list[Diagnostic] = []
        seen: set[str] = set()
        current, written, front = self.current, self.written, self.front
        shown_prefix, spare_prefix = f"{self.root}{os.sep}", f"{self.spare}{os.sep}"
        for artifact in artifacts:
            # Plain strings here: at 10,000 files, building Paths costs more than the stats.
            relative = artifact.path
            problem = _path_problem(relative, seen)
            if problem is None and front:
                problem = self._through_link(relative, present)
            if problem is not None:
                problems.append(problem)
            if problems:
                continue
            current[relative] = digest = artifact.sha256
            shown_name, target_name = shown_prefix + relative, spare_prefix + relative
            same_as_shown = front and _is_current(
                shown_name, artifact, trusted.get(relative) == digest
            )
            if not same_as_shown:
                written.append(relative)
            if (
                not fresh
                and relative in known
                and _is_current(target_name, artifact, known[relative] == digest)
            ):
                continue
            self._make_folder(relative.rpartition("/")[0], fresh)
            if same_as_shown:
                _link(shown_name, target_name, fresh)
            else:
                _create(target_name, artifact.data, fresh)
        return problems

    def _through_link(self, relative: str, present: Mapping[str, bool]) -> Diagnostic | None:
        """A problem if the file's folder in the output folder is, or is under, a link that
        leads out of it (a folder is a link only where the listing found a file or link)."""
        folder = relative.rpartition("/")[0]
        inside = self.checked.get(folder)
        if inside is None:
            parent = folder.rpartition("/")[0]
            inside = self._through_link(folder, present) is None if parent != folder else True
            if inside and folder in present:
                inside = _inside(self.root, self.root / folder)
            self.checked[folder] = inside
        if inside:
            return None
        where = self.root / folder
        return error("output.unsafe-path", f"refusing to write through a link: '{where}'")

    def _make_folder(self, folder: str, fresh: bool) -> None:
        """Make a folder of the spare (and those above it) once; in a spare made this build
        nothing is there to be checked first."""
        if not folder or folder in self.made:
            return
        self._make_folder(folder.rpartition("/")[0], fresh)
        path = f"{self.spare}{os.sep}{folder}"
        try:
            os.mkdir(path)  # noqa: PTH102 (plain strings: once a folder of the site)
        except FileExistsError:
            if fresh or not os.path.isdir(path):  # noqa: PTH112
                raise
        self.made.add(folder)


def _recover(root: Path, spare: Path, aside: Path) -> None:
    """Tidy up after a build that stopped during a two-rename switch (no atomic exchange)."""
    staging = root.with_name(f".{root.name}.staging")  # the first build's folder, before 0.x
    if staging.is_dir() and not staging.is_symlink():
        _remove_tree(staging)
    if not (aside.is_dir() and not aside.is_symlink()):
        return
    if not root.exists():
        aside.rename(root)  # stopped between the renames: the old site comes back
    elif not spare.exists():
        aside.rename(spare)
    else:
        _remove_tree(aside)


def _exchange(spare: Path, root: Path, aside: Path) -> None:
    """Swap the two folders: atomically where the system can (Linux's `renameat2`), else
    with two renames and a moment when the output folder is missing."""
    if _rename_exchange(spare, root):
        return
    root.rename(aside)
    spare.rename(root)
    aside.rename(spare)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None  # a C library without it (glibc before 2.28, some others)


def _rename_exchange(first: Path, second: Path) -> bool:
    function = _renameat2()
    if function is None:
        return False
    result = function(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # the kernel or this file system cannot exchange
    raise OSError(code, os.strerror(code), str(second))


# --------------------------------------------------------------------------- files


def _files_under(root: Path | str) -> dict[str, bool]:
    """Every file and link under `root` (relative path -> is a link), links not followed;
    our own temporary files left by a crash are not included."""
    found: dict[str, bool] = {}
    pending = [("", str(root))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_symlink():
                    found[relative] = True
                elif entry.is_dir():
                    pending.append((relative + "/", entry.path))
                elif not entry.name.startswith(".tmp-"):
                    found[relative] = False
    return found


def _link(source: str, target: str, fresh: bool = False) -> None:
    """`target` becomes the same file as `source` (a hard link, or a copy where the file
    system has none). Never written through: files in the spare may be linked to the site."""
    if not fresh:
        _unlink(target)
    try:
        os.link(source, target)
    except FileExistsError:
        if not fresh:
            raise
        _link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(source, target)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _create(target: str, data: bytes, fresh: bool = False) -> None:
    """A new file, never a write into one that may be linked to the site (in a spare made
    this build there is nothing to remove first)."""
    if not fresh:
        _unlink(target)
    try:
        fd = os.open(target, _CREATE, 0o644)
    except FileExistsError:
        if not fresh:
            raise
        _create(target, data)
        return
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _unlink(target: Path | str) -> None:
    try:
        os.unlink(target)  # noqa: PTH108 (a str or a Path: hot loop)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        message = "a folder is where a file must go"
        raise FileExistsError(errno.EEXIST, message, str(target)) from None


def _carry_foreign(source: Path, target: Path, make_folder: Callable[[], None]) -> None:
    """A file someone else put in the output folder (a `CNAME`, say) goes into the new site."""
    if target.is_dir() and not target.is_symlink():
        raise FileExistsError(
            errno.EEXIST,
            "a file that weeknote-gen did not write is where a folder must go",
            str(source),
        )
    if source.is_symlink():
        _unlink(target)
        make_folder()
        target.symlink_to(source.readlink())
        return
    with contextlib.suppress(OSError):
        if source.samefile(target):
            return
    make_folder()
    _link(str(source), str(target))


def _remove_file(top: Path, relative: str) -> None:
    target = top / relative
    try:
        target.unlink()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return
    parent = target.parent
    while parent != top and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def _remove_tree(folder: Path) -> None:
    if folder.is_symlink() or not folder.is_dir():
        folder.unlink()
    else:
        shutil.rmtree(folder)


# --------------------------------------------------------------------------- in place


def _update_in_place(items: list[Artifact], root: Path, manifest_file: Path) -> WriteReport:
    """For an output folder that is a mount point and so cannot be swapped: each file is
    replaced atomically, but a build stopped part way leaves a mix until the next build."""
    record = _read_manifest(manifest_file, root)
    current: dict[str, str] = {}
    written: list[str] = []
    trusted = _trusted(record, manifest_file)
    for artifact in items:
        digest = artifact.sha256
        current[artifact.path] = digest
        target = root / artifact.path
        if not _is_current(target, artifact, trusted.get(artifact.path) == digest):
            _replace_file(target, artifact.data)
            written.append(artifact.path)
    ours = record.ours | _read_untrusted(manifest_file)  # with the fast path's files
    removed = _prune(root, ours - set(current))
    _write_manifest(manifest_file, root, _Record(front=current))
    _forget_untrusted(manifest_file)
    unchanged = len(items) - len(written)
    changed = frozenset(written) | frozenset(removed)
    return WriteReport(len(written), unchanged, len(removed), changed)


def _stays_inside(root: Path, folder: Path, checked: dict[Path, bool]) -> bool:
    """Like `_inside`, one `lstat` per folder: a folder is inside if its parent is and it
    is not a link (or is a link that resolves inside). Thousands of folders share parents."""
    known = checked.get(folder)
    if known is not None:
        return known
    if folder == folder.parent:
        return False
    inside = _stays_inside(root, folder.parent, checked) and (
        not folder.is_symlink() or _inside(root, folder)
    )
    checked[folder] = inside
    return inside


def _inside(root: Path, folder: Path) -> bool:
    """True when `folder`, once any links in it are followed, is still under `root`."""
    real = Path(os.path.realpath(folder))
    return real == root or root in real.parents


def _is_current(target: Path | str, artifact: Artifact, manifest_agrees: bool) -> bool:
    try:
        stat_result = os.stat(target)  # noqa: PTH116 (a str or a Path: hot loop)
    except OSError:
        return False
    if stat_result.st_size != artifact.size:
        return False
    if manifest_agrees:
        return True
    try:
        with open(target, "rb") as handle:  # noqa: PTH123 (a str or a Path)
            return handle.read() == artifact.data
    except OSError:
        return False


def _replace_file(target: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: readers never see a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temp_name).chmod(0o644)
        Path(temp_name).replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _prune(root: Path, stale: set[str]) -> list[str]:
    removed = []
    for relative in sorted(stale, reverse=True):
        target = root / relative
        if not _inside(root, target.parent) or not target.is_file():
            continue
        target.unlink()
        removed.append(relative)
        parent = target.parent
        while parent != root and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed
