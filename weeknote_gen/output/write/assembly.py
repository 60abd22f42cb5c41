"""The new site written into the spare folder as its files arrive, then exchanged whole.

The spare is the site from the build before, so only what changed since then is written into
it; unchanged files are hard links to the files being served. Anything short of the exchange
removes the spare and leaves the output folder as it was.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from weeknote_gen.errors import Diagnostic, error
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.write.files import (
    carry_foreign,
    create_file,
    files_under,
    is_current,
    link_file,
    remove_file,
    remove_tree,
)
from weeknote_gen.output.write.manifest import (
    UNKNOWN_DIGEST,
    ManifestRecord,
    forget_untrusted,
    read_manifest,
    read_untrusted,
    write_manifest,
)
from weeknote_gen.output.write.paths import path_problem, resolves_inside
from weeknote_gen.output.write.report import WriteReport
from weeknote_gen.output.write.switch import aside_folder, exchange, recover, spare_folder


class Assembly:
    """One `write_site` into a real folder: the spare made ready, the artifacts written into
    it as they arrive, then the exchange. Anything short of the exchange removes the spare."""

    def __init__(self, root: Path, manifest_file: Path) -> None:
        self.root, self.manifest_file = root, manifest_file
        self.spare, self.aside = spare_folder(root), aside_folder(root)
        self.front = False  # whether there is an output folder already
        self.current: dict[str, str] = {}  # path -> sha256, for every artifact so far
        self.written: list[str] = []
        self.made: set[str] = set()  # folders known to exist in the spare, relative
        self.checked: dict[str, bool] = {"": True}  # folders of the front: not through a link

    def run(self, artifacts: Iterable[Artifact]) -> tuple[WriteReport | None, list[Diagnostic]]:
        root, spare = self.root, self.spare
        root.parent.mkdir(parents=True, exist_ok=True)
        recover(root, spare, self.aside)
        record = read_manifest(self.manifest_file, root)
        self.front = root.is_dir()
        present = files_under(root) if self.front else {}
        untrusted = read_untrusted(self.manifest_file)
        ours = record.ours | untrusted  # the fast path's files are ours too, never foreign

        known = record.spare if spare.is_dir() else None
        if record.spare is not None:  # the spare is about to change: forget what it held
            write_manifest(self.manifest_file, root, replace(record, spare=None))
        try:
            known, known_foreign, fresh = self._ready_spare(known, record.spare_foreign)
            trusted = {path: sha for path, sha in record.trusted.items() if path not in untrusted}
            problems = self._fill(artifacts, present, known, trusted, fresh)
            if problems:
                remove_tree(spare)
                return None, problems
            current = self.current
            foreign = self._complete_spare(present, ours, {*known, *known_foreign})
            removed = sorted(p for p in ours if p not in current and p in present)
            # From here the front may be either tree until the manifest says which.
            write_manifest(self.manifest_file, root, replace(record, spare=None, pending=current))
        except BaseException:
            with contextlib.suppress(OSError):
                remove_tree(spare)
            raise
        if self.front:
            exchange(spare, root, self.aside)
        else:
            spare.rename(root)
        self._remember(record, untrusted, foreign)
        changed = frozenset(self.written) | frozenset(removed)
        written = len(self.written)
        return WriteReport(written, len(current) - written, len(removed), changed), []

    def _ready_spare(
        self, known: dict[str, str] | None, known_foreign: list[str]
    ) -> tuple[dict[str, str], list[str], bool]:
        """The spare as the manifest knows it (our files in it by digest, and the others), or,
        when what it holds is unknown, a new empty one (then `fresh`: nothing to check first);
        either way with the output folder's permissions."""
        root, spare = self.root, self.spare
        fresh = known is None
        if fresh:
            if spare.exists() or spare.is_symlink():
                remove_tree(spare)
            spare.mkdir()
            known, known_foreign = {}, []
        assert known is not None
        if self.front:
            spare.chmod(stat.S_IMODE(root.stat().st_mode))
        return known, known_foreign, fresh

    def _complete_spare(
        self, present: Mapping[str, bool], ours: set[str], in_spare: set[str]
    ) -> list[str]:
        """Once every artifact is in: leave out of the spare the files the site no longer has,
        and carry over the files someone else put in the output folder (which it returns)."""
        root, spare, current = self.root, self.spare, self.current
        foreign = sorted(p for p in present if p not in ours and p not in current)
        wanted = set(current) | set(foreign)
        for relative in sorted(in_spare - wanted, reverse=True):
            remove_file(spare, relative)
        for relative in foreign:
            folder = relative.rpartition("/")[0]
            carry = functools.partial(self._make_folder, folder, False)
            carry_foreign(root / relative, spare / relative, carry)
        return foreign

    def _remember(self, record: ManifestRecord, untrusted: set[str], foreign: list[str]) -> None:
        """The manifest after the exchange: the new front, and the old front as the spare."""
        # The exchange happened: what follows only saves time next build, so it may fail.
        after = ManifestRecord(front=self.current, foreign=foreign)
        if self.front and record.pending is None:  # the old front, now the spare
            # Including the files the fast path wrote into it: the spare still holds them, so
            # the next build must compare them, and remove them if the site no longer has them.
            after.spare = {**record.front, **dict.fromkeys(untrusted, UNKNOWN_DIGEST)}
            after.spare_foreign = foreign
        with contextlib.suppress(OSError):
            write_manifest(self.manifest_file, self.root, after)
            forget_untrusted(self.manifest_file)

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
            problem = path_problem(relative, seen)
            if problem is None and front:
                problem = self._through_link(relative, present)
            if problem is not None:
                problems.append(problem)
            if problems:
                continue
            current[relative] = digest = artifact.sha256
            shown_name, target_name = shown_prefix + relative, spare_prefix + relative
            same_as_shown = front and is_current(
                shown_name, artifact, trusted.get(relative) == digest
            )
            if not same_as_shown:
                written.append(relative)
            if (
                not fresh
                and relative in known
                and is_current(target_name, artifact, known[relative] == digest)
            ):
                continue
            self._make_folder(relative.rpartition("/")[0], fresh)
            if same_as_shown:
                link_file(shown_name, target_name, fresh)
            else:
                create_file(target_name, artifact.data, fresh)
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
                inside = resolves_inside(self.root, self.root / folder)
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
