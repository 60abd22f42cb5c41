"""Where a note's date comes from when its front matter has no `date:`.

Real weeknotes repositories carry the date in many places: another front matter name (Hugo's
`publishDate`, Astro's `pubDate`), the file name (Jekyll's `2019-10-18-week-notes.md`), the
folders (`2019/10/18/index.md`), an ISO week (`2021-W13.md`), the title ("Week ending
3 March 2023"), or only in git history. The date readers read each of those and nothing else:
they never open a note, and return a `FoundDate` saying which place the date came from so that
messages can tell the author, or None. They never guess: digits that could mean more than one
thing (`36/index.md`, "Week 13" with no year, "Sprint 42") give None, and impossible dates
(month 13, ISO week 53 of a 52-week year) count as no date at all rather than an error.

The readers are in `dates_from_names` (file names, folders, ISO weeks, titles: all pure) and
`git_history_dates` (which runs git twice for the whole repository); this module holds what
they share: the front matter names for a date, the `FoundDate` they return and the phrases
naming where a date came from, and the message saying where a note with no date was searched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from weeknote_gen.config import WEEKDAYS

__all__ = [
    "DATE_KEYS",
    "FoundDate",
    "date_key",
    "iso_weekday",
    "looked_in",
]

# Front matter names other tools use for a post's date, first wins. Matched ignoring case,
# `_` and `-` (Hugo lower-cases every key, so `publishdate` is as common as `publishDate`).
# `date` is Hugo's, Jekyll's, Eleventy's, Pelican's and Zola's; `publishDate`, `pubdate` and
# `published` are the names Hugo falls back to when `date` is missing (in Hugo `publishDate`
# is when a page goes live and `date` what it is about, so `date` comes first); `pubDate` is
# Astro's blog starter; `publishedAt` / `published_at` are common in Next.js and Ghost
# exports; `week_ending` is what some weeknotes templates use; `created` / `createdAt` are
# note-taking apps' (Obsidian). Modification dates (`lastmod`, `modified`, `updated`) are
# left out on purpose: when a note was last edited says nothing about the week it is about.
DATE_KEYS = (
    "date",
    "publishDate",
    "pubDate",
    "published",
    "publishedAt",
    "week_ending",
    "created",
    "createdAt",
)

# The `source` phrases, so callers and tests can compare with names rather than strings.
FILE_NAME = "the file name"
FOLDERS = "the folders"
ISO_WEEK_IN_NAME = "the ISO week in the file name"
ISO_WEEK_IN_FOLDERS = "the ISO week in the folders"
TITLE = "the title"
WEEK_IN_TITLE = "the week in the title"
GIT_HISTORY = "git history"


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date read from somewhere other than `date:`, and where, for messages such as
    "dated 2019-10-18 from the file name"."""

    day: dt.date
    source: str


def iso_weekday(name: str) -> int:
    """`config.week_ends_on` ("friday") as an ISO weekday number (5), for the readers here.

    Config has already checked the name; anything else is a programming error."""
    return WEEKDAYS.index(name.strip().lower()) + 1


def date_key(keys: Iterable[str]) -> str | None:
    """The front matter name, as written, that holds the date: the first of `DATE_KEYS`
    present, matching case, `_` and `-` loosely (`publishdate`, `publish_date`, `PubDate`).

    When two written names match the same entry, the first written wins. A note whose chosen
    key holds something that is not a date should get the usual date error, not fall through
    to the file name: the author meant that field to be the date.
    """
    written: dict[str, str] = {}
    for key in keys:
        written.setdefault(_loose(key), key)
    for wanted in DATE_KEYS:
        found = written.get(_loose(wanted))
        if found is not None:
            return found
    return None


def _loose(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


# --------------------------------------------------------------------------- the message


def looked_in(*, dates_from_git: bool, git_problem: str | None = None) -> str:
    """Where a note with no date was searched, for the hint of the one located error about
    it, such as `error("front-matter.date", "the note has no date", at, looked_in(...) +
    "; add a line such as: date: 2024-03-08")`.

    `dates_from_git` is config's switch; `git_problem` is the message `dates_from_git` gave
    instead of dates, when it did.
    """
    names = ", ".join(DATE_KEYS)
    places = (
        f"looked for a date in the front matter ({names}), the file name (such as "
        "2024-03-08-week-10.md), the folders (such as 2024/03/08/), an ISO week (such as "
        '2024-W10.md) and the title (such as "Week ending 8 March 2024")'
    )
    if not dates_from_git:
        return places + "; git history is not used unless config.yaml says dates_from_git: true"
    if git_problem is not None:
        return f"{places}; git history was not used: {git_problem}"
    return places + ", and in git history, where no commit adds this file yet"
