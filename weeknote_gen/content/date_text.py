"""A date written in front matter as text: `YYYY-MM-DD`, or an ISO datetime with an offset,
checked strictly (real days, real offsets, plausible years) and told back in an author's words
when it is wrong. Every front matter shape holds its dates as this text.
"""

from __future__ import annotations

import datetime as dt
import re

_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_SHAPE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(.*)$")
_OFFSET_SHAPE = re.compile(r"^(?:Z|([+-])(\d{2}):?(\d{2}))$")
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_date(text: str) -> tuple[dt.date, dt.datetime, bool] | None:
    """`YYYY-MM-DD`, or an ISO datetime with an offset; None when it is neither."""
    result = read_date(text)
    return None if isinstance(result, str) else result


def read_date(text: str) -> tuple[dt.date, dt.datetime, bool] | str:
    """`YYYY-MM-DD`, or an ISO datetime with an offset; else what is wrong with it, worded to
    follow "date '…'".

    The shapes are checked first: `fromisoformat` also takes forms such as `2024-W10-1` that
    authors would not expect to be dates, and offsets such as `+05:60`.
    """
    shape = _DATETIME_SHAPE.match(text)
    if not _DATE_SHAPE.match(text) and shape is None:
        return "is not a date in the form YYYY-MM-DD"
    try:
        if shape is None:
            day = dt.date.fromisoformat(text)
            stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        else:
            day = dt.date.fromisoformat(shape.group(1))
            offset = shape.group(3).strip()
            if not offset:
                # Jekyll and Pelican write `2019-10-25 10:00:00` with no zone: the moment is
                # unclear, but the day is what places a weeknote, so the day is kept.
                dt.time.fromisoformat(shape.group(2))  # still a real time of day
                stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
                return _checked_year(day, stamp, has_time=False)
            matched = _OFFSET_SHAPE.match(offset)
            if matched is None:
                return f"has an offset '{offset}' that is not +HH:MM, -HH:MM or Z"
            sign, hours, minutes = matched.groups()
            if hours is not None and (int(hours) > 14 or int(minutes) > 59):
                return f"has an offset '{offset}' that no time zone has"
            clock = dt.time.fromisoformat(shape.group(2))
            zone = dt.UTC
            if hours is not None:
                delta = dt.timedelta(hours=int(hours), minutes=int(minutes))
                zone = dt.timezone(-delta if sign == "-" else delta)
            stamp = dt.datetime.combine(day, clock, tzinfo=zone)
    except ValueError:
        return "is not a real date" if shape is None else "is not a real date and time"
    return _checked_year(stamp.date(), stamp, has_time=shape is not None)


def _checked_year(
    day: dt.date, stamp: dt.datetime, *, has_time: bool
) -> tuple[dt.date, dt.datetime, bool] | str:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return f"is not between the years {FIRST_YEAR} and {LAST_YEAR}: is the year mistyped?"
    return day, stamp, has_time
