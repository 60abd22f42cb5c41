"""Dates read from a note's path and title: the file name (Jekyll's `2019-10-18-week-notes.md`),
the folders (`2019/10/18/index.md`), an ISO week (`2021-W13.md`) and the title ("Week ending
3 March 2023"), in English and Welsh. Pure: nothing here opens a file. Digits that could mean
more than one thing give None, and impossible dates count as no date at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath

from weeknote_gen.content.dating import (
    FILE_NAME,
    FOLDERS,
    ISO_WEEK_IN_FOLDERS,
    ISO_WEEK_IN_NAME,
    TITLE,
    WEEK_IN_TITLE,
    FoundDate,
)

# --------------------------------------------------------------------------- digits to dates

# ASCII digits only: `\d` would also take Arabic-Indic and other digits.
_YEAR = r"(?:19|20)[0-9]{2}"


def _date(year: int, month: int, day: int) -> dt.date | None:
    """A real date, or None for month 13 or 30 February: impossible is "not a date"."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _week(year: int, week: int, weekday: int) -> dt.date | None:
    """The given ISO weekday of an ISO week, or None for week 0 or week 53 of a short year."""
    try:
        return dt.date.fromisocalendar(year, week, weekday)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    """Two-digit years are this century's: nobody writes "24/11/99" for a weeknote."""
    return int(text) if len(text) == 4 else 2000 + int(text)


# --------------------------------------------------------------------------- paths

# A year, month and day, year first, in a file or folder name: `2019-10-18`, `2019_10_18`,
# `2019.10.18` (one separator, used twice) or `20191018` (ISO 8601's basic form). Only years
# 1900 to 2099, and never inside a longer run of digits.
_NAME_DATE = re.compile(
    rf"(?<![0-9])({_YEAR})([-_.]?)([0-9]{{2}})\2([0-9]{{2}})(?![0-9])", re.IGNORECASE
)
# An ISO week, `2021-W13`, `2021-w13`, `2021W13`, `2021_W13`, optionally with an ISO weekday
# (`2021-W13-5`, a Friday). In the folder form the year may be a folder of its own
# (`2021/W13.md`, `2021/w13/index.md`).
_NAME_WEEK = re.compile(
    rf"(?<![0-9])({_YEAR})[-_]?W([0-9]{{1,2}})(?:[-_]?([1-7]))?(?![0-9a-z])(?![-_][0-9])",
    re.IGNORECASE,
)
_PATH_WEEK = re.compile(
    rf"(?<![0-9])({_YEAR})[-_/]?W([0-9]{{1,2}})(?:[-_]?([1-7]))?(?![0-9a-z])(?![-_][0-9])",
    re.IGNORECASE,
)
_YEAR_PART = re.compile(rf"{_YEAR}")
_NUMBER_PART = re.compile(r"[0-9]{1,2}")
_YEAR_MONTH_PART = re.compile(rf"({_YEAR})[-_.]([0-9]{{1,2}})")
# A file name's leading day under month folders: `18.md`, `18-week-notes.md`.
_DAY_STEM = re.compile(r"([0-9]{1,2})(?:[-_.].*)?", re.DOTALL)
# A file name's leading month and day under a year folder: `1018.md`, `10-18.md`,
# `10_18-week-notes.md`.
_MONTH_DAY_STEM = re.compile(
    r"(?:([0-9]{2})([0-9]{2})|([0-9]{1,2})([-_.])([0-9]{1,2}))(?:[-_.].*)?", re.DOTALL
)


def date_from_path(path: str, week_ends_on: int) -> FoundDate | None:
    """The date a note's path gives, or None; `path` is relative to the site folder with `/`
    between parts, such as `weeknotes/_posts/2019-10-18-week-notes.md`.

    Looked for in this order, the first found wins:

    1. the file name: a year, month and day, year first, anywhere in it, written
       `2019-10-18`, `2019_10_18`, `2019.10.18` or `20191018` (`2019-10-18-week-notes.md`,
       `weeknote-2019-10-18.md`); with two, the first, as Jekyll reads the date a post's
       name starts with (`2019-10-18-plans-for-2019-11-01.md`);
    2. the folders: a folder named by a date as above (`2019-10-18/index.md`, a Hugo page
       bundle), year, month and day folders (`2019/10/18/anything.md`), year and month
       folders and a file name starting with the day (`2019/10/18.md`,
       `2019/10/18-week-notes.md`, `2019-10/18.md`), or a year folder and a file name
       starting with the month and day (`2019/1018.md`, `2019/10-18.md`);
    3. an ISO week, in the file name (`2021-W13.md`, `2021-w13-notes.md`) or the folders
       (`2021/W13.md`, `2021/W13/index.md`): that week's `week_ends_on` day (an ISO weekday,
       1 for Monday to 7 for Sunday), or the weekday it names (`2021-W13-3.md`).

    Years run from 1900 to 2099. Nothing else counts: `36/index.md`, `week-13.md` or
    `2019/10/notes.md` give None, and so does an impossible date such as `2019-13-01.md`.
    """
    parts = PurePosixPath(path).parts
    if not parts:
        return None
    dirs, name = parts[:-1], parts[-1]
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    day = _first_name_date(stem)
    if day is not None:
        return FoundDate(day, FILE_NAME)
    day = _folder_date(dirs, stem)
    if day is not None:
        return FoundDate(day, FOLDERS)
    day = _last_week(_NAME_WEEK, stem, week_ends_on)
    if day is not None:
        return FoundDate(day, ISO_WEEK_IN_NAME)
    day = _last_week(_PATH_WEEK, "/".join((*dirs, stem)), week_ends_on)
    if day is not None:
        return FoundDate(day, ISO_WEEK_IN_FOLDERS)
    return None


def _first_name_date(text: str) -> dt.date | None:
    """The first real date in a name: Jekyll dates a post by the date its name starts with,
    and a later one (`2019-10-18-plans-for-2019-11-01.md`) is part of the title."""
    for match in _NAME_DATE.finditer(text):
        day = _date(int(match[1]), int(match[3]), int(match[4]))
        if day is not None:
            return day
    return None


def _last_week(pattern: re.Pattern[str], text: str, week_ends_on: int) -> dt.date | None:
    found = None
    for match in pattern.finditer(text):
        weekday = int(match[3]) if match[3] else week_ends_on
        found = _week(int(match[1]), int(match[2]), weekday) or found
    return found


def _folder_date(dirs: Sequence[str], stem: str) -> dt.date | None:
    """The date the folders give, the deepest folder first; see `date_from_path`."""
    for folder in reversed(dirs):
        day = _first_name_date(folder)
        if day is not None:
            return day
    for start in range(len(dirs) - 3, -1, -1):
        year, month, day_part = dirs[start : start + 3]
        if _is_year(year) and _is_number(month) and _is_number(day_part):
            return _date(int(year), int(month), int(day_part))
    year_month = _year_and_month(dirs)
    leading_day = _DAY_STEM.fullmatch(stem)
    if year_month is not None and leading_day is not None:
        return _date(*year_month, int(leading_day[1]))
    month_day = _MONTH_DAY_STEM.fullmatch(stem)
    if dirs and _is_year(dirs[-1]) and month_day is not None:
        if month_day[1] is not None:
            return _date(int(dirs[-1]), int(month_day[1]), int(month_day[2]))
        return _date(int(dirs[-1]), int(month_day[3]), int(month_day[5]))
    return None


def _year_and_month(dirs: Sequence[str]) -> tuple[int, int] | None:
    """`…/2019/10/` or `…/2019-10/` as the last folders: the year and month of a day file."""
    if len(dirs) >= 2 and _is_year(dirs[-2]) and _is_number(dirs[-1]):
        return int(dirs[-2]), int(dirs[-1])
    joined = _YEAR_MONTH_PART.fullmatch(dirs[-1]) if dirs else None
    if joined is not None:
        return int(joined[1]), int(joined[2])
    return None


def _is_year(part: str) -> bool:
    return _YEAR_PART.fullmatch(part) is not None


def _is_number(part: str) -> bool:
    return _NUMBER_PART.fullmatch(part) is not None


# --------------------------------------------------------------------------- titles

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        # English, then Welsh (with the abbreviations Welsh public bodies use), then Welsh
        # months after "o" ("of"), which soft-mutate: "3ydd o Fawrth".
        ("january", "jan", "ionawr", "ion"),
        ("february", "feb", "chwefror", "chwef"),
        ("march", "mar", "mawrth", "maw", "fawrth"),
        ("april", "apr", "ebrill", "ebr"),
        ("may", "mai", "fai"),
        ("june", "jun", "mehefin", "meh", "fehefin"),
        ("july", "jul", "gorffennaf", "gorff", "orffennaf"),
        ("august", "aug", "awst"),
        ("september", "sep", "sept", "medi"),
        ("october", "oct", "hydref", "hyd"),
        ("november", "nov", "tachwedd", "tach", "dachwedd"),
        ("december", "dec", "rhagfyr", "rhag", "ragfyr"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))  # longest first: "mar" ≠ "march"
# English and Welsh ordinal endings: 3rd, 24th; 1af, 2il, 3ydd, 5ed, 7fed, 11eg, 21ain.
_ORDINAL = r"(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)"
_WEEK_WORD = r"(?:week|wk|wythnos)"
_Reader = Callable[[re.Match[str]], dt.date | None]

_TITLE_DATES = (
    # Day first, in figures, one separator used twice: 20-10-2017, 24/11/2022, 24.11.22.
    re.compile(
        r"(?<!\w)(?P<day>[0-9]{1,2})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)"
        r"(?P<year>[0-9]{4}|[0-9]{2})(?!\w)(?![-/.][0-9])"
    ),
    # Year first, in figures (ISO 8601 and its look-alikes): 2023-03-03, 2023/3/3.
    re.compile(
        rf"(?<!\w)(?P<year>{_YEAR})(?P<sep>[-/.])(?P<month>[0-9]{{1,2}})(?P=sep)"
        r"(?P<day>[0-9]{1,2})(?!\w)(?![-/.][0-9])"
    ),
    # Day, month name, year: 3 March 2023, 3rd Mar. 2023, 3rd of March 2023, 24 Tachwedd
    # 2022, 3ydd o Fawrth 23.
    re.compile(
        rf"(?<!\w)(?P<day>[0-9]{{1,2}}){_ORDINAL}?\s*(?:(?:of|o)\s+)?(?P<month>{_MONTH})"
        r"(?!\w)\.?,?\s*(?P<year>[0-9]{4}|[0-9]{2})(?!\w)",
        re.IGNORECASE,
    ),
    # Month name, day, year (unambiguous in words, and common): March 3, 2023; March 3rd 2023.
    # A four-digit year only, so "May 3 25 things" is not a date.
    re.compile(
        rf"(?<!\w)(?P<month>{_MONTH})(?!\w)\.?\s*(?P<day>[0-9]{{1,2}}){_ORDINAL}?(?!\w),?\s*"
        rf"(?P<year>{_YEAR})(?!\w)",
        re.IGNORECASE,
    ),
)
_TITLE_WEEKS = (
    # Week 13, 2021; Week 13 of 2021; Wk 13/2021; Wythnos 13, 2021; Week no. 13 2021.
    re.compile(
        rf"(?<!\w){_WEEK_WORD}\.?\s*(?:(?:no|number)\.?\s*|#\s*)?(?P<week>[0-9]{{1,2}})(?!\w)"
        rf"\s*(?:[,/–—-]|(?:of|o|in|yn)(?!\w))?\s*(?P<year>{_YEAR})(?!\w)",
        re.IGNORECASE,
    ),
    # 2021 week 13; 2021, Wythnos 13; 2021 – Week 13.
    re.compile(
        rf"(?<!\w)(?P<year>{_YEAR})\s*[,:–—-]?\s*{_WEEK_WORD}\.?\s*"
        r"(?:(?:no|number)\.?\s*|#\s*)?(?P<week>[0-9]{1,2})(?!\w)",
        re.IGNORECASE,
    ),
    # An ISO week: 2021-W13, 2021W13, 2021-W13-5.
    re.compile(
        rf"(?<!\w)(?P<year>{_YEAR})-?W(?P<week>[0-9]{{1,2}})"
        r"(?:-(?P<weekday>[1-7]))?(?!\w)(?!-[0-9])",
        re.IGNORECASE,
    ),
)


def date_from_title(title: str, week_ends_on: int) -> FoundDate | None:
    """The date written in a note's title, or None.

    A date, day first as in the UK when in figures ("Week 13: 20-10-2017", "Week notes
    24/11/2022", "Weeknotes 24.11.22"), year first only in ISO form ("Sprint notes
    2023-03-03"), or with the month in words, English or Welsh ("Weeknote – 3 March 2023",
    "w/e 3rd March 2023", "Week ending 3 Mar 2023", "24 Tachwedd 2022", "March 3, 2023").
    Two-digit years are 20YY; with dots and a two-digit year, the day and month need two
    digits each ("24.11.22", "03.03.23"), as "1.2.23" is more likely a version. With two
    dates ("20–24 March 2023", "20/3 to 24/3/2023", "3 March – 7 April 2023") the last is the
    week's end and wins.

    Failing that, a week with its year ("Week 13, 2021", "2021 week 13", "Wythnos 13, 2021",
    "2021-W13"): that ISO week's `week_ends_on` day (an ISO weekday, 1 to 7).

    A date needs its year, and a week number needs its year: "Week 13: 13 things", "Week 13",
    "Sprint 42" and "3 March" give None, as does an impossible date such as 31/02/2023.
    """
    found = _last_match(_TITLE_DATES, title, lambda m: _title_date(m))
    if found is not None:
        return FoundDate(found, TITLE)
    found = _last_match(_TITLE_WEEKS, title, lambda m: _title_week(m, week_ends_on))
    if found is not None:
        return FoundDate(found, WEEK_IN_TITLE)
    return None


def _last_match(
    patterns: Iterable[re.Pattern[str]],
    text: str,
    read: _Reader,
) -> dt.date | None:
    """The real date whose text ends furthest along `text`: a range's end, not its start."""
    best: tuple[int, dt.date] | None = None
    for pattern in patterns:
        for match in pattern.finditer(text):
            day = read(match)
            if day is not None and (best is None or match.end() > best[0]):
                best = (match.end(), day)
    return best[1] if best is not None else None


def _title_date(match: re.Match[str]) -> dt.date | None:
    dotted = match.groupdict().get("sep") == "." and len(match["year"]) == 2
    if dotted and (len(match["day"]) < 2 or len(match["month"]) < 2):
        return None  # "Release 1.2.23" is a version; "24.11.22" and "03.03.23" are dates
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
    return _date(_full_year(match["year"]), month, int(match["day"]))


def _title_week(match: re.Match[str], week_ends_on: int) -> dt.date | None:
    weekday = match.groupdict().get("weekday")
    return _week(int(match["year"]), int(match["week"]), int(weekday or week_ends_on))
