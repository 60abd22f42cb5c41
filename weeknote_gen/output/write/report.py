"""What writing the site did, for the build's report and the dev server's reloads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    # The files written or removed, so the dev server reloads only pages that changed.
    changed: frozenset[str] = frozenset()
