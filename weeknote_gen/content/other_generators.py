"""Fields as other generators write them, read as ours: keys renamed (`config.front_matter.renames`,
such as Hugo's `tags` or Jekyll's `published`), drafts from `published: false` or `status:`,
a whole old address (`url`, `permalink`) giving the slug and a redirect, and several people
named in one `author` string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Words that join several names in one `author` string: "Owain, Samantha and Laura".
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\+)\s*", re.IGNORECASE)
_DRAFT_STATUSES = frozenset({"draft", "hidden", "private", "pending", "unpublished"})
_LIVE_STATUSES = frozenset({"published", "publish", "public", "live"})

# Keys renamed only when their value has the shape of the field (`published: false` is a draft,
# `published: 2024-03-08` is a date), so the reader looks at them itself.
_SPECIAL_KEYS = frozenset({"published"})


# Jekyll's permalink styles and the marks of a pattern rather than one page's address
# (`/:year/:title/`, Eleventy's `/{{ page.fileSlug }}/`): they say how the old site made
# addresses, not where this note was, so they give no slug and no redirect.
_PERMALINK_STYLES = frozenset({"pretty", "date", "ordinal", "weekdate", "none"})
_PATTERN_MARKS = re.compile(r"[{}]|(?:^|/):\w")


def _is_old_address(value: object) -> bool:
    """Whether a `url` or `permalink` value is one page's old address."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(text) and text not in _PERMALINK_STYLES and _PATTERN_MARKS.search(text) is None


def in_drafts_folder(path: str) -> bool:
    return "_drafts" in path.split("/")[:-1]


def split_names(text: str) -> list[str]:
    """One string naming several people, split where a list would: commas, semicolons, '&',
    '+' and 'and'."""
    return [" ".join(part.split()) for part in _NAME_SEPARATORS.split(text) if part.strip()]


def read_as_ours(
    written: Mapping[Any, Any], renames: Mapping[str, str]
) -> tuple[dict[Any, Any], dict[str, str]]:
    """The fields under our names, and the name each was written under.

    Other generators' keys are renamed to ours; where both are written, ours wins. A key in
    `_SPECIAL_KEYS`, or a `url`/`permalink` that is no one page's address, is renamed only
    when its value has the shape of the field.
    """
    raw: dict[Any, Any] = {}
    source_keys: dict[str, str] = {}
    for key, value in written.items():
        if isinstance(key, str) and key in renames and key not in _SPECIAL_KEYS:
            continue  # after our own keys, so ours win
        raw[key] = value
        if isinstance(key, str):
            source_keys[key] = key
    for key, value in written.items():
        target = renames.get(key) if isinstance(key, str) else None
        shaped = key not in _SPECIAL_KEYS or isinstance(value, bool)
        if target == "slug" and not _is_old_address(value):
            shaped = False  # `permalink: pretty`, `/{{ page.fileSlug }}/`, `false`
        if target is not None and shaped and target not in raw:
            raw[target] = value
            source_keys[target] = key
    return raw, source_keys


def draft_from_status(value: str) -> bool | None:
    """Whether a `status:` value marks a draft; None when it is neither a draft's nor a
    published note's status."""
    status = value.strip().lower()
    if status in _DRAFT_STATUSES or status in _LIVE_STATUSES:
        return status in _DRAFT_STATUSES
    return None


def slug_and_old_address(written: str) -> tuple[str | None, str]:
    """A whole old address's last part as the slug (without `.html`), and the address as a
    site path to redirect from."""
    path = written.split("?", 1)[0].split("#", 1)[0]
    last = path.rstrip("/").rsplit("/", 1)[-1]
    stem = last.rsplit(".", 1)[0] if last.lower().endswith((".html", ".htm")) else last
    return (stem or None), (path if path.startswith("/") else "/" + path)
