"""The site's files on their way to the writer: counted, and stopped when making them found
problems, so the writer keeps the output folder as it was."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from weeknote_gen.errors import Diagnostic, error
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.write.report import WriteReport
from weeknote_gen.output.write.site import write_site

WRITE_FAILED = "output.io"


class ProblemsFoundError(Exception):
    """Making the site's files found problems: the writer stops, and keeps the output folder
    as it was (the problems are in the build's diagnostics already)."""


class CountedFiles:
    """The site's files as they stream to the writer, counted on the way."""

    def __init__(self, files: Iterator[Artifact]) -> None:
        self.files = files
        self.count = 0

    def __iter__(self) -> Iterator[Artifact]:
        for file in self.files:
            self.count += 1
            yield file

    def drain(self) -> None:
        """Make every file without writing any (`check`)."""
        for _ in self:
            pass


def write_files(
    artifacts: Iterable[Artifact], output_dir: Path, manifest: Path
) -> tuple[WriteReport | None, list[Diagnostic]]:
    """The output folder switched whole to `artifacts`; nothing, and no problem of its own,
    when making them stopped the build (its problems are reported already)."""
    try:
        return write_site(artifacts, output_dir, manifest)
    except ProblemsFoundError:
        return None, []
    except OSError as exc:
        where = exc.filename or output_dir
        return None, [error(WRITE_FAILED, f"could not write the site: {exc.strerror} ({where})")]
