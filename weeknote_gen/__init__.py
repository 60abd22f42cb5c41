"""weeknote-gen: a static site generator for weeknotes."""

from __future__ import annotations

__version__ = "0.1.0"
