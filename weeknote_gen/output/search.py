"""Full-text search: a Pagefind index of the note pages, built in memory before anything is
written, so a search bundle never goes live without the pages it points at.

Pagefind (the `pagefind[bin]` package ships its indexer binary) runs as a subprocess; if it
cannot run, the site is still built and the author is warned (`--strict` makes that fatal).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import unquote

from pagefind.service import get_executable

from weeknote_gen.errors import Diagnostic, warning
from weeknote_gen.output.artifact import Artifact

BUNDLE_DIR = "pagefind"


def search_fingerprint() -> str:
    """What besides the pages shapes the bundle: the indexer's version."""
    try:
        return f"pagefind={version('pagefind')}"
    except PackageNotFoundError:
        return "pagefind=missing"


def index_notes(
    pages: Sequence[tuple[str, str]], *, language: str
) -> tuple[list[Artifact], list[Diagnostic]]:
    """Index `(href, html)` note pages; return the search bundle as artifacts under pagefind/.

    The pages are staged in a temporary folder for the indexer, which writes its bundle to
    another; nothing touches the output folder until the whole build succeeds.
    """
    try:
        files = _run_pagefind(pages, language.split("-")[0].lower())
    except (OSError, subprocess.SubprocessError) as exc:
        return [], [
            warning(
                "search.unavailable",
                f"the search index could not be built, so search will not work: {exc}",
                None,
                "reinstall weeknote-gen (it brings the pagefind package), "
                "or set 'search: false' in config.yaml",
            )
        ]
    return [Artifact(f"{BUNDLE_DIR}/{path}", data) for path, data in files], []


def _run_pagefind(pages: Sequence[tuple[str, str]], language: str) -> list[tuple[str, bytes]]:
    executable = get_executable()
    if executable is None:
        raise FileNotFoundError("the Pagefind indexer is not installed")
    # Staged in memory where the system offers it (/dev/shm): thousands of small files on
    # disk cost more than the indexing itself.
    memory = Path("/dev/shm")
    where = str(memory) if memory.is_dir() and os.access(memory, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="weeknote-search-", dir=where) as scratch:
        site, bundle = Path(scratch) / "site", Path(scratch) / "bundle"
        for href, html in pages:
            # Staged at its path below the bundle's parent, which Pagefind's UI adds back.
            target = site / unquote(href).strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        site.mkdir(exist_ok=True)
        command = [
            str(executable),
            "--site",
            str(site),
            "--output-path",
            str(bundle),
            "--force-language",
            language,
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise OSError(f"Pagefind failed: {detail[-1] if detail else result.returncode}")
        return sorted(
            (path.relative_to(bundle).as_posix(), path.read_bytes())
            for path in bundle.rglob("*")
            if path.is_file()
        )
