"""Problems as data.

Every stage reports what is wrong with the content as `Diagnostic` values instead of raising,
so one run can tell an author about every broken file at once, and the CLI, the dev server and
the tests can all present the same list in their own way.
"""

from __future__ import annotations

import codecs
import difflib
import enum
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


class Severity(enum.Enum):
    """How bad a problem is: errors stop the build, warnings only do so under `--strict`, and
    notes never do: they sum up what the build inferred for itself (dates read from file
    names, slugs tidied), which an author moving old notes over should know but need not fix.
    """

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where a problem is, as an editor understands it: a path relative to the site, 1-based."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: what, where, and (where we can tell) how to fix it."""

    severity: Severity
    code: str
    message: str
    location: Location | None = None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_note(self) -> bool:
        return self.severity is Severity.NOTE

    def counts_as_error(self, *, strict: bool) -> bool:
        """Whether this stops the build: errors always, warnings under `--strict`, notes never."""
        return self.is_error or (strict and self.severity is Severity.WARNING)

    def format(self) -> str:
        """Editor-style text: `path:line:col: error: message [code]`, then an indented hint."""
        prefix = f"{self.location}: " if self.location is not None else ""
        text = f"{prefix}{self.severity.value}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (
            loc.path if loc else "",
            (loc.line or 0) if loc else 0,
            (loc.column or 0) if loc else 0,
            self.code,
            self.message,
        )


def error(
    code: str, message: str, location: Location | None = None, hint: str | None = None
) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, location, hint)


def warning(
    code: str, message: str, location: Location | None = None, hint: str | None = None
) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, location, hint)


def note(
    code: str, message: str, location: Location | None = None, hint: str | None = None
) -> Diagnostic:
    return Diagnostic(Severity.NOTE, code, message, location, hint)


class Diagnostics:
    """An append-only collector that stages share, so nobody has to thread lists by hand."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[Diagnostic] = ()) -> None:
        self._items: list[Diagnostic] = list(items)

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self._items if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self._items if d.severity is Severity.WARNING)

    def has_errors(self, *, strict: bool = False) -> bool:
        """True when the build must stop; under `strict`, warnings count as errors too."""
        return any(d.counts_as_error(strict=strict) for d in self._items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        """Stable order (by file, line, column) so reports are deterministic and diffable."""
        return tuple(sorted(self._items, key=Diagnostic.sort_key))


NOTHING_WRITTEN = "nothing was written"
PARTLY_WRITTEN = "the site was only partly updated"  # a failure while writing (a full disk)


def format_report(
    diagnostics: Iterable[Diagnostic], *, strict: bool = False, outcome: str = NOTHING_WRITTEN
) -> str:
    """The text an author reads: every problem, then a count and what became of the build."""
    items = sorted(diagnostics, key=Diagnostic.sort_key)
    lines = [d.format() for d in items]
    n_errors = sum(1 for d in items if d.is_error)
    n_warnings = sum(1 for d in items if d.severity is Severity.WARNING)
    if strict:
        n_errors, n_warnings = n_errors + n_warnings, 0
    if n_errors:
        also = f" and {_count(n_warnings, 'warning')}" if n_warnings else ""
        lines.append(f"{_count(n_errors, 'error')}{also}; {outcome}")
    elif n_warnings:
        lines.append(_count(n_warnings, "warning"))
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def did_you_mean(word: str, candidates: tuple[str, ...] | list[str]) -> str | None:
    """A "did you mean" hint for a misspelt key, or None when nothing is close."""
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None


def format_github(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> str:
    """GitHub Actions workflow commands, so problems appear on the pull request's diff."""
    lines = []
    for item in sorted(diagnostics, key=Diagnostic.sort_key):
        level = "error" if item.counts_as_error(strict=strict) else _GITHUB_LEVEL[item.severity]
        properties = [f"title={_github_property(item.code)}"]
        if item.location is not None:
            location = item.location
            properties.insert(0, f"file={_github_property(location.path)}")
            if location.line is not None:
                properties.insert(1, f"line={location.line}")
                if location.column is not None:
                    properties.insert(2, f"col={location.column}")
        message = item.message + (f"\nHow to fix it: {item.hint}" if item.hint else "")
        lines.append(f"::{level} {','.join(properties)}::{_github_data(message)}")
    return "\n".join(lines)


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_json(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> str:
    """Machine-readable problems, for editors and scripts."""
    items = sorted(diagnostics, key=Diagnostic.sort_key)
    errors = sum(1 for d in items if d.counts_as_error(strict=strict))
    notes = sum(1 for d in items if d.is_note)
    payload = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": len(items) - errors - notes,
        "notes": notes,
        "diagnostics": [
            {
                "severity": "error" if d.counts_as_error(strict=strict) else d.severity.value,
                "code": d.code,
                "message": d.message,
                "file": d.location.path if d.location else None,
                "line": d.location.line if d.location else None,
                "column": d.location.column if d.location else None,
                "hint": d.hint,
            }
            for d in items
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
SAVE_AS_UTF8 = "save the file again as UTF-8 (in most editors: Save As, then Encoding: UTF-8)"


def decode_text(data: bytes, path: str, code: str) -> tuple[str | None, Diagnostic | None]:
    """A text file's bytes as text with `\\n` line endings, or a located problem saying why
    they are not UTF-8 text: another encoding, a byte UTF-8 cannot hold, or a NUL."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return None, error(
                code,
                f"the file is saved as {encoding}, not UTF-8",
                Location(path, 1, 1),
                SAVE_AS_UTF8,
            )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        # Columns count characters, as editors do, not bytes.
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        return None, error(
            code,
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} cannot be read)",
            Location(path, line, column),
            SAVE_AS_UTF8,
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        return None, error(
            code,
            "the file contains a NUL (zero) character, which text never holds",
            Location(path, line, column),
            "delete it; if the editor saved the file as UTF-16, save it again as UTF-8",
        )
    return text, None
