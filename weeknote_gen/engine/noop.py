"""Recognising a build that has nothing to do, before any stage runs.

The last good one-off build leaves a record (`LastBuild`): a fingerprint of every input by
content, one by file identity (`lstat`), when the next scheduled note falls due, and its
report. An unchanged tree is then recognised by a walk of it, without reading a file; a tree
whose files were touched but not changed, by reading them without parsing anything. Either
way the output folder must still hold what the manifest says, and the last report is
replayed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from weeknote_gen import __version__
from weeknote_gen.config import CACHE_DIR, CONFIG_FILE
from weeknote_gen.content.discover import Content
from weeknote_gen.content.tree_identity import (
    Entries,
    Identity,
    TreeIdentity,
    by_path,
    tree_identity,
)
from weeknote_gen.engine.cache import load_value, store_value
from weeknote_gen.engine.cache_version import cache_folder
from weeknote_gen.engine.codec import LAST_BUILD, LastBuild
from weeknote_gen.errors import Diagnostic, Diagnostics
from weeknote_gen.output.theme import templates_fingerprint
from weeknote_gen.output.write.report import WriteReport
from weeknote_gen.output.write.site import output_intact

MANIFEST_FILE = "output-manifest.json"
LAST_BUILD_FILE = "last-build.json"
RACY_NS = 2_000_000_000  # files changed this close to a build may change again unseen


@dataclass(frozen=True, slots=True)
class Settings:
    """The options that change what a build makes (and so belong in its fingerprints)."""

    drafts: bool
    future: bool
    strict: bool


class NoopCheck:
    """The last build's record and this build's fingerprints, for one one-off build."""

    def __init__(
        self,
        site_dir: Path,
        output_dir: Path,
        static_dir: str,
        settings: Settings,
        *,
        look: bool,
        started_ns: int,
    ) -> None:
        self.site_dir = site_dir
        self.output_dir = output_dir
        self.settings = settings
        self.started_ns = started_ns
        self.manifest = site_dir / CACHE_DIR / MANIFEST_FILE
        self.record_file = cache_folder(site_dir / CACHE_DIR) / LAST_BUILD_FILE
        self.last = load_value(self.record_file, LAST_BUILD) if look else None
        self.theme = templates_fingerprint(site_dir, with_static=True)
        # None when the tree cannot vouch for itself by identities alone
        self.listed: Entries = []  # each entry's identity, for the delta build (`entries`)
        self.tree: TreeIdentity | None = tree_identity(site_dir, static_dir, self.listed)
        self.quick = self._digest(f"tree\0{self.tree.digest}") if self.tree else ""
        self.inputs = ""

    @functools.cached_property
    def entries(self) -> dict[str, Identity]:
        """Each entry of the content tree and the static folder by path, with its identity."""
        return by_path(self.listed)

    def untouched(self, now: dt.datetime) -> LastBuild | None:
        """The last build's record, when no file in the tree was even touched since."""
        last = self.last
        quick = self.quick
        if last is not None and quick and last.quick == quick and self._current(last, now):
            return last
        return None

    def unchanged(self, content: Content, now: dt.datetime) -> LastBuild | None:
        """The last build's record, when every file still has the content it had then; it
        also learns to trust the tree's identities next time, once they have settled."""
        self.inputs = self._content_fingerprint(content)
        last = self.last
        if last is None or last.inputs != self.inputs or not self._current(last, now):
            return None
        self.confirm(last)
        return last

    def confirm(self, last: LastBuild) -> None:
        """Every file has the content it had for `last` (read, or told by the delta build):
        trust the tree's identities from now on, once they have settled."""
        self.inputs = last.inputs
        if self.quick and self.settled:
            store_value(self.record_file, replace(last, quick=self.quick), LAST_BUILD)

    @property
    def settled(self) -> bool:
        """Whether file identities can vouch for contents next time: not if a file changed
        so shortly before this build that a same-sized rewrite could keep its timestamps."""
        return self.tree is not None and self.tree.newest_ns < self.started_ns - RACY_NS

    def remember(
        self,
        next_change: dt.datetime | None,
        pages: int,
        counts: dict[str, object],
        diagnostics: tuple[Diagnostic, ...],
    ) -> None:
        """Record a good build, for the next one to recognise."""
        record = LastBuild(
            inputs=self.inputs,
            quick=self.quick if self.settled else "",
            next_change=next_change,
            pages=pages,
            counts=counts,
            diagnostics=diagnostics,
        )
        store_value(self.record_file, record, LAST_BUILD)

    def _current(self, last: LastBuild, now: dt.datetime) -> bool:
        if last.next_change is not None and now >= last.next_change:
            return False  # a scheduled note is now due
        return output_intact(self.output_dir, self.manifest)  # last: it walks the output

    def _content_fingerprint(self, content: Content) -> str:
        """Every input by content: equal fingerprints (and no note falling due) mean an
        identical site."""
        files = (*content.assets, *content.static)
        return self.fingerprint(
            [(note.path, note.sha256) for note in content.notes],
            [(file.path, hashlib.sha256(file.data).hexdigest()) for file in files],
        )

    def fingerprint(
        self, notes: Iterable[tuple[str, str]], files: Iterable[tuple[str, str]]
    ) -> str:
        """The content fingerprint of these notes and other files (path and SHA-256 each,
        in the order discovery finds them), as `unchanged` takes it."""
        digest = hashlib.sha256()
        for path, sha256 in notes:
            digest.update(f"\0{path}\0{sha256}".encode())
        for path, sha256 in files:
            digest.update(f"\0{path}\0".encode() + bytes.fromhex(sha256))
        return self._digest(f"content\0{digest.hexdigest()}")

    def settings_digest(self) -> str:
        """The tool, the options, config.yaml and the theme: what a snapshot must match."""
        return self._digest("settings")

    def remember_inputs(self, inputs: str) -> None:
        """The last build's record, for a build that changed only what `inputs` says (the
        delta build): the same report, the new content fingerprint."""
        assert self.last is not None
        self.inputs = inputs
        quick = self.quick if self.settled else ""
        store_value(self.record_file, replace(self.last, inputs=inputs, quick=quick), LAST_BUILD)

    def _digest(self, files: str) -> str:
        """The tool, the options, config.yaml, the theme, and the files as given."""
        settings = self.settings
        digest = hashlib.sha256()
        digest.update(f"{__version__}\0{sys.version}\0{settings.drafts}{settings.future}".encode())
        digest.update(f"{settings.strict}\0{self.theme}\0{files}\0".encode())
        config_file = self.site_dir / CONFIG_FILE
        digest.update(config_file.read_bytes() if config_file.is_file() else b"")
        return digest.hexdigest()


def replay(last: LastBuild, problems: Diagnostics, output_dir: Path) -> dict[str, object]:
    """The last build's report, for a rebuild that found nothing to do. The config's advice
    is in `problems` already (config.yaml is read every time), so it is not repeated."""
    known = set(problems)
    problems.extend(d for d in last.diagnostics if d not in known)
    unchanged = WriteReport(0, last.pages, 0)
    return {"pages": last.pages, "report": unchanged, "output_dir": output_dir, **last.counts}
