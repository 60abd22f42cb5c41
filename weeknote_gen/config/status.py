"""The settings `weeknote-gen status` reads: the cadence authors write at, and each author's
`active` dates and `away` weeks; and the one reader of ISO week names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from weeknote_gen.config.checker import Checker, shown
from weeknote_gen.yamldoc import YamlPath

CADENCES = ("weekly",)
_ISO_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AWAY_EXAMPLE = "for example: away: [2026-W31, 2026-W40 to 2026-W42]"
MAX_AWAY_WEEKS = 106  # in one span: two years; a longer absence is better written as `active`


def iso_week_monday(text: str) -> dt.date | None:
    """The Monday of an ISO week written `2026-W31` or `2026W31` (any case), or None if it
    is not one. The one reader of week names: `away` here, and `--week` via `urls.parse_week`."""
    found = _ISO_WEEK_RE.match(text.strip())
    if found is None:
        return None
    try:
        return dt.date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
    except ValueError:  # week 0, or week 53 of a year with 52
        return None


def read_cadence(raw: Mapping[str, Any], check: Checker) -> str:
    cadence = check.text(raw, "cadence", (), "weekly").lower() or "weekly"
    if cadence not in CADENCES:
        check.fail(
            "config.cadence",
            f"cadence '{cadence}' is not one weeknote-gen knows",
            ("cadence",),
            "write cadence: weekly (one note per ISO week), or leave it out",
        )
        return "weekly"
    return cadence


def read_schedule(
    details: Mapping[str, Any], at: YamlPath, check: Checker
) -> tuple[dt.date | None, dt.date | None, tuple[tuple[dt.date, dt.date], ...]]:
    """An author's `active: {from, to}` and `away: [week or 'week to week', ...]`."""
    active_from = active_to = None
    active = details.get("active")
    where: YamlPath = (*at, "active")
    if isinstance(active, dict):
        check.unknown_keys(active, ("from", "to"), where)
        active_from = _read_day(active, "from", where, check)
        active_to = _read_day(active, "to", where, check)
        if active_from and active_to and active_to < active_from:
            check.fail(
                "config.authors",
                f"'active' ends ({active_to}) before it starts ({active_from})",
                (*where, "to"),
                "swap the dates, or correct the year",
            )
            active_to = None
    elif active is not None:
        check.fail(
            "config.authors",
            "'active' must be a mapping with 'from' and, if they have stopped, 'to'",
            where,
            "for example: active: {from: 2024-01-01, to: 2026-03-31}",
        )
    away = details.get("away")
    where = (*at, "away")
    if away is None:
        return active_from, active_to, ()
    if isinstance(away, str):
        away = [away]
    if not isinstance(away, list):
        check.fail("config.authors", "'away' must be a list of ISO weeks", where, AWAY_EXAMPLE)
        return active_from, active_to, ()
    spans = []
    for index, item in enumerate(away):
        span = _read_away_span(item, (*where, index), check)
        if span is not None:
            spans.append(span)
    return active_from, active_to, tuple(spans)


def _read_day(raw: Mapping[str, Any], key: str, at: YamlPath, check: Checker) -> dt.date | None:
    value = raw.get(key)
    if value is None:
        return None
    text = str(value).strip() if isinstance(value, str | int) else ""
    day = None
    if _DAY_RE.match(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
    if day is None:
        check.fail(
            "config.authors",
            f"'{key}' must be a date written YYYY-MM-DD",
            (*at, key),
            f"for example: {key}: 2024-01-01",
        )
    return day


def _read_away_span(item: object, at: YamlPath, check: Checker) -> tuple[dt.date, dt.date] | None:
    text = item.strip() if isinstance(item, str) else ""
    first_text, _, last_text = text.partition(" to ")
    first = iso_week_monday(first_text)
    last = iso_week_monday(last_text) if last_text else first
    if first is None or last is None:
        check.fail(
            "config.authors",
            f"'{shown(str(item))}' is not an ISO week such as 2026-W31,"
            " or a span such as 2026-W31 to 2026-W33",
            at,
            AWAY_EXAMPLE,
        )
        return None
    if last < first:
        check.fail(
            "config.authors",
            f"the span '{text}' ends before it starts",
            at,
            "write the earlier week first",
        )
        return None
    if (last - first).days // 7 + 1 > MAX_AWAY_WEEKS:
        check.fail(
            "config.authors",
            f"the span '{text}' is more than {MAX_AWAY_WEEKS} weeks long",
            at,
            "for a long absence, end their 'active' dates instead",
        )
        return None
    return first, last
