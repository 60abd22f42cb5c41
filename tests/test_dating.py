"""A note's date from somewhere other than `date:`: other front matter names, the path, the
title, and git history (real repositories, made in a temporary folder)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from weeknote_gen.content.dates_from_names import date_from_path, date_from_title
from weeknote_gen.content.dating import (
    DATE_KEYS,
    FILE_NAME,
    FOLDERS,
    GIT_HISTORY,
    ISO_WEEK_IN_FOLDERS,
    ISO_WEEK_IN_NAME,
    TITLE,
    WEEK_IN_TITLE,
    FoundDate,
    date_key,
    iso_weekday,
    looked_in,
)
from weeknote_gen.content.git_history_dates import dates_from_git

FRIDAY = 5
D = dt.date
# Dates this module reads: years 1900 to 2099 (two-digit years are 20YY).
REAL_DATES = st.dates(min_value=D(1900, 1, 1), max_value=D(2099, 12, 31))
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_CY = [
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
]


# --------------------------------------------------------------------------- front matter names


def test_date_comes_first_and_the_list_has_no_modification_dates() -> None:
    assert DATE_KEYS[0] == "date"
    assert DATE_KEYS.index("publishDate") < DATE_KEYS.index("created")
    assert not {"lastmod", "modified", "updated"} & {k.lower() for k in DATE_KEYS}


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["title", "date", "publishDate"], "date"),
        (["title", "publishDate", "date"], "date"),  # priority, not the order written
        (["title", "publishdate"], "publishdate"),  # Hugo lower-cases its keys
        (["title", "publish_date"], "publish_date"),
        (["title", "PubDate"], "PubDate"),
        (["title", "pubDate", "created"], "pubDate"),
        (["title", "published_at"], "published_at"),
        (["title", "week-ending"], "week-ending"),
        (["title", "createdAt", "created"], "created"),
        (["title", "pubdate", "pubDate"], "pubdate"),  # the same name twice: first written
        (["title", "lastmod", "updated"], None),
        ([], None),
    ],
)
def test_date_key_is_the_first_known_name_as_written(keys: list[str], expected: str) -> None:
    assert date_key(keys) == expected


@pytest.mark.parametrize(
    ("name", "number"), [("monday", 1), ("friday", 5), ("sunday", 7), ("Thursday", 4)]
)
def test_iso_weekday_numbers_config_weekday_names(name: str, number: int) -> None:
    assert iso_weekday(name) == number


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("path", "expected", "source"),
    [
        # the file name: year, month, day with one separator, or none
        ("weeknotes/_posts/2019-10-18-week-notes.md", D(2019, 10, 18), FILE_NAME),
        ("weeknotes/2019-10-18.md", D(2019, 10, 18), FILE_NAME),
        ("weeknotes/weeknote-2019-10-18.md", D(2019, 10, 18), FILE_NAME),
        ("weeknotes/2019_10_18.md", D(2019, 10, 18), FILE_NAME),
        ("weeknotes/2019.10.18.md", D(2019, 10, 18), FILE_NAME),
        ("weeknotes/20191018.md", D(2019, 10, 18), FILE_NAME),
        ("weeknotes/week-42-2019-10-18.markdown", D(2019, 10, 18), FILE_NAME),
        (
            "weeknotes/2019-10-14-to-2019-10-18.md",
            D(2019, 10, 14),
            FILE_NAME,
        ),  # the first, as Jekyll
        ("weeknotes/2019-10-18-plans-for-2019-11-01.md", D(2019, 10, 18), FILE_NAME),
        ("weeknotes/2019-10-18T16-00-notes.md", D(2019, 10, 18), FILE_NAME),
        ("2019-10-18.md", D(2019, 10, 18), FILE_NAME),
        # the folders
        ("weeknotes/2019/10/18/anything.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019/10/18/week-notes/index.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019/10/18.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019/3/8.md", D(2019, 3, 8), FOLDERS),
        ("weeknotes/2019/10/18-week-notes.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019-10/18.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019/1018.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019/1018-week-notes.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019/10-18.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019/10_18.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019-10-18/index.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019-10-18-week-notes/index.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2019-10-11/2019-10-18/index.md", D(2019, 10, 18), FOLDERS),  # deepest
        # an ISO week: the site's week_ends_on day, or the weekday written
        ("weeknotes/2021-W13.md", D(2021, 4, 2), ISO_WEEK_IN_NAME),
        ("weeknotes/2021-w13-notes.md", D(2021, 4, 2), ISO_WEEK_IN_NAME),
        ("weeknotes/2021W13.md", D(2021, 4, 2), ISO_WEEK_IN_NAME),
        ("weeknotes/notes-2021_W05.md", D(2021, 2, 5), ISO_WEEK_IN_NAME),
        ("weeknotes/2021-W13-3.md", D(2021, 3, 31), ISO_WEEK_IN_NAME),
        ("weeknotes/2020-W53.md", D(2021, 1, 1), ISO_WEEK_IN_NAME),  # 2020 had 53 weeks
        ("weeknotes/2021/W13.md", D(2021, 4, 2), ISO_WEEK_IN_FOLDERS),
        ("weeknotes/2021/w13-notes.md", D(2021, 4, 2), ISO_WEEK_IN_FOLDERS),
        ("weeknotes/2021/W13/index.md", D(2021, 4, 2), ISO_WEEK_IN_FOLDERS),
        ("weeknotes/2021-W13/gwen.md", D(2021, 4, 2), ISO_WEEK_IN_FOLDERS),
    ],
)
def test_date_from_path(path: str, expected: dt.date, source: str) -> None:
    assert date_from_path(path, FRIDAY) == FoundDate(expected, source)


@pytest.mark.parametrize(
    ("week_ends_on", "expected"),
    [(1, D(2021, 3, 29)), (4, D(2021, 4, 1)), (5, D(2021, 4, 2)), (7, D(2021, 4, 4))],
)
def test_an_iso_week_is_dated_on_the_sites_week_ends_on_day(
    week_ends_on: int, expected: dt.date
) -> None:
    assert date_from_path("weeknotes/2021-W13.md", week_ends_on) == FoundDate(
        expected, ISO_WEEK_IN_NAME
    )
    assert date_from_path("weeknotes/2021/W13.md", week_ends_on) == FoundDate(
        expected, ISO_WEEK_IN_FOLDERS
    )


@pytest.mark.parametrize(
    ("path", "expected", "source"),
    [
        # the file name beats the folders, and the folders beat an ISO week
        ("weeknotes/2019/10/17/2019-10-18.md", D(2019, 10, 18), FILE_NAME),
        ("weeknotes/2019-10-17/2019-10-18-notes.md", D(2019, 10, 18), FILE_NAME),
        ("weeknotes/2019/10/18/2019-W01.md", D(2019, 10, 18), FOLDERS),
        ("weeknotes/2021-W01/2021/03/04.md", D(2021, 3, 4), FOLDERS),
        ("weeknotes/2021/W01/2021-W13.md", D(2021, 4, 2), ISO_WEEK_IN_NAME),
        # an impossible date in the name lets the folders speak
        ("weeknotes/2019/10/18/2019-13-01.md", D(2019, 10, 18), FOLDERS),
    ],
)
def test_path_places_are_tried_in_order(path: str, expected: dt.date, source: str) -> None:
    assert date_from_path(path, FRIDAY) == FoundDate(expected, source)


@pytest.mark.parametrize(
    "path",
    [
        "weeknotes/36/index.md",  # a number is not a date
        "weeknotes/week-13.md",  # a week with no year
        "weeknotes/2021/week-13.md",  # not an ISO week: "W" must follow the year
        "weeknotes/13.md",
        "weeknotes/2019/13.md",  # neither MMDD nor a day under a month
        "weeknotes/2019/10.md",
        "weeknotes/2019/10/notes.md",  # a month, but no day
        "weeknotes/2019/notes.md",
        "weeknotes/2019-10/notes.md",
        "weeknotes/2019/10/36-things.md",  # day 36
        "weeknotes/2019/13/05.md",  # month 13
        "weeknotes/2019/1318.md",
        "weeknotes/2019-13-01.md",
        "weeknotes/2019-02-30-notes.md",
        "weeknotes/2019-10-1.md",  # the day needs two digits in a name
        "weeknotes/1234-05-06.md",  # years 1900 to 2099 only
        "weeknotes/120191018.md",  # inside a longer number
        "weeknotes/2019101800.md",
        "weeknotes/2021-W53.md",  # 2021 had 52 weeks
        "weeknotes/2021-W00.md",
        "weeknotes/2021-W13-8.md",  # no eighth weekday: not a week with a day, nor a week
        "weeknotes/2021-Wednesday.md",
        "weeknotes/notes.md",
        "notes.md",
        "",
    ],
)
def test_date_from_path_refuses_what_is_not_plainly_a_date(path: str) -> None:
    assert date_from_path(path, FRIDAY) is None


def _path_shapes(day: dt.date) -> list[tuple[str, str]]:
    y, m, d = day.year, day.month, day.day
    return [
        (f"weeknotes/{y}-{m:02}-{d:02}-week-notes.md", FILE_NAME),
        (f"weeknotes/weeknote-{y}_{m:02}_{d:02}.md", FILE_NAME),
        (f"weeknotes/{y}.{m:02}.{d:02}.md", FILE_NAME),
        (f"weeknotes/{y}{m:02}{d:02}.md", FILE_NAME),
        (f"weeknotes/{y}/{m:02}/{d:02}/index.md", FOLDERS),
        (f"weeknotes/{y}/{m}/{d}.md", FOLDERS),
        (f"weeknotes/{y}/{m:02}/{d:02}-notes.md", FOLDERS),
        (f"weeknotes/{y}/{m:02}{d:02}.md", FOLDERS),
        (f"weeknotes/{y}/{m:02}-{d:02}.md", FOLDERS),
        (f"weeknotes/{y}-{m:02}-{d:02}/index.md", FOLDERS),
    ]


@given(REAL_DATES)
@example(D(2024, 2, 29))
@example(D(1900, 1, 1))
@example(D(2099, 12, 31))
def test_any_date_in_any_path_shape_round_trips(day: dt.date) -> None:
    for path, source in _path_shapes(day):
        assert date_from_path(path, FRIDAY) == FoundDate(day, source), path


@given(REAL_DATES, st.integers(1, 7))
def test_any_iso_week_date_in_a_file_name_round_trips(day: dt.date, week_ends_on: int) -> None:
    year, week, weekday = day.isocalendar()
    if not 1900 <= year <= 2099:
        return
    week_end = dt.date.fromisocalendar(year, week, week_ends_on)
    assert date_from_path(f"weeknotes/{year}-W{week:02}-{weekday}.md", week_ends_on) == (
        FoundDate(day, ISO_WEEK_IN_NAME)
    )
    assert date_from_path(f"weeknotes/{year}-W{week:02}.md", week_ends_on) == (
        FoundDate(week_end, ISO_WEEK_IN_NAME)
    )
    assert date_from_path(f"weeknotes/{year}/W{week}/index.md", week_ends_on) == (
        FoundDate(week_end, ISO_WEEK_IN_FOLDERS)
    )


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("0123456789-_./Ww"), max_size=30))
def test_date_from_path_never_raises_and_only_gives_real_dates(path: str) -> None:
    found = date_from_path(path, FRIDAY)
    assert found is None or 1900 <= found.day.year <= 2100


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Week 13: 20-10-2017", D(2017, 10, 20)),  # the date, not week 13
        ("Week notes 24/11/2022", D(2022, 11, 24)),
        ("Weeknotes 24.11.22", D(2022, 11, 24)),
        ("Weeknotes 03.03.23", D(2023, 3, 3)),
        ("Weeknotes 3.3.2023", D(2023, 3, 3)),
        ("Weeknote 8/3/24", D(2024, 3, 8)),  # day first, as in the UK
        ("Weeknote – 3 March 2023", D(2023, 3, 3)),
        ("w/e 3rd March 2023", D(2023, 3, 3)),
        ("Week ending 3 Mar 2023", D(2023, 3, 3)),
        ("Week ending 3 Mar. 2023", D(2023, 3, 3)),
        ("Week ending the 3rd of March, 2023", D(2023, 3, 3)),
        ("Week ending 22nd Sept 23", D(2023, 9, 22)),
        ("WEEK ENDING 1ST DECEMBER 2023", D(2023, 12, 1)),
        ("Sprint notes 2023-03-03", D(2023, 3, 3)),
        ("Sprint notes 2023/3/3", D(2023, 3, 3)),
        ("Weeknotes: March 3, 2023", D(2023, 3, 3)),
        ("Weeknotes: March 3rd 2023", D(2023, 3, 3)),
        ("Wythnos yn gorffen 24 Tachwedd 2022", D(2022, 11, 24)),
        ("Nodiadau wythnos 24ain Tach 2022", D(2022, 11, 24)),
        ("Wythnos yn gorffen 3ydd o Fawrth 2023", D(2023, 3, 3)),
        ("Wythnos yn gorffen 1af Mai 2023", D(2023, 5, 1)),
        # two dates: the last is the week's end
        ("20–24 March 2023", D(2023, 3, 24)),
        ("20/3 to 24/3/2023", D(2023, 3, 24)),
        ("20/03/2023 - 24/03/2023", D(2023, 3, 24)),
        ("3 March – 7 April 2023", D(2023, 4, 7)),
        ("Week 12 (2023-03-20 to 2023-03-24)", D(2023, 3, 24)),
        ("Weeknotes 31/02/2023, or rather 03/03/2023", D(2023, 3, 3)),  # the real one
    ],
)
def test_date_from_title(title: str, expected: dt.date) -> None:
    assert date_from_title(title, FRIDAY) == FoundDate(expected, TITLE)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Week 13, 2021", D(2021, 4, 2)),
        ("Week 13 2021", D(2021, 4, 2)),
        ("Week 13 of 2021", D(2021, 4, 2)),
        ("Week no. 13, 2021", D(2021, 4, 2)),
        ("Wk 13/2021", D(2021, 4, 2)),
        ("2021 week 13", D(2021, 4, 2)),
        ("2021, Week 13: a quieter one", D(2021, 4, 2)),
        ("Wythnos 13, 2021", D(2021, 4, 2)),
        ("Wythnos 13 o 2021", D(2021, 4, 2)),
        ("Weeknotes 2021-W13", D(2021, 4, 2)),
        ("Weeknotes 2021-W13-3", D(2021, 3, 31)),
        ("Week 53, 2020", D(2021, 1, 1)),
        ("Week 1, 2021 and Week 2, 2021", D(2021, 1, 15)),  # the last
    ],
)
def test_a_week_in_the_title_is_its_week_ends_on_day(title: str, expected: dt.date) -> None:
    assert date_from_title(title, FRIDAY) == FoundDate(expected, WEEK_IN_TITLE)


def test_a_week_in_the_title_follows_week_ends_on() -> None:
    assert date_from_title("Week 13, 2021", 1) == FoundDate(D(2021, 3, 29), WEEK_IN_TITLE)
    assert date_from_title("Week 13, 2021", 7) == FoundDate(D(2021, 4, 4), WEEK_IN_TITLE)


@pytest.mark.parametrize(
    "title",
    [
        "Week 13: 13 things",
        "Week 13",
        "Sprint 42",
        "Weeknotes #212",
        "Weeknote 13/2021",  # "weeknote" is not the word "week"
        "Week 13: 2021 in review",  # a colon ends the week's phrase
        "3 March",  # no year
        "20/3 to 24/3",
        "31/02/2023",  # impossible
        "24/13/2022",
        "32 March 2023",
        "Wythnos 53, 2021",  # 2021 had 52 weeks
        "Week 0, 2021",
        "Release 1.2.23",  # a version, not 1 February 2023
        "v2.10.24",
        "Version 24.11.22.1",
        "Notes 1234-05-06",  # outside 1900 to 2099
        "The 3 Marches of 2023",
        "Mayday 2023",
        "Budget £24/11/2022k",
        "Phone 0117 496 0123",
        "12:30 on 24/11",
        "",
    ],
)
def test_date_from_title_refuses_numbers_that_are_not_dates(title: str) -> None:
    assert date_from_title(title, FRIDAY) is None


def _title_shapes(day: dt.date) -> list[str]:
    y, m, d = day.year, day.month, day.day
    en, cy = MONTHS_EN[m - 1], MONTHS_CY[m - 1]
    shapes = [
        f"Week notes {d}/{m}/{y}",
        f"Week notes {d:02}-{m:02}-{y}",
        f"Weeknotes {d:02}.{m:02}.{y}",
        f"Sprint notes {y}-{m:02}-{d:02}",
        f"Weeknote – {d} {en} {y}",
        f"w/e {d}th {en[:3]} {y}",
        f"Week ending {en} {d}, {y}",
        f"Wythnos yn gorffen {d} {cy} {y}",
    ]
    if y >= 2000:
        shapes += [f"Weeknotes {d:02}.{m:02}.{y % 100:02}", f"Week ending {d}/{m}/{y % 100:02}"]
    return shapes


@given(REAL_DATES)
@example(D(2024, 2, 29))
@example(D(2000, 1, 1))
def test_any_date_written_in_any_title_shape_round_trips(day: dt.date) -> None:
    for title in _title_shapes(day):
        assert date_from_title(title, FRIDAY) == FoundDate(day, TITLE), title


@given(REAL_DATES, REAL_DATES)
def test_a_range_in_a_title_gives_its_last_date(start: dt.date, end: dt.date) -> None:
    title = f"Weeknotes {start:%d/%m/%Y} to {end.day} {MONTHS_EN[end.month - 1]} {end.year}"
    assert date_from_title(title, FRIDAY) == FoundDate(end, TITLE)


@given(REAL_DATES, st.integers(1, 7))
def test_any_week_and_year_in_a_title_round_trips(day: dt.date, week_ends_on: int) -> None:
    year, week, _ = day.isocalendar()
    if not 1900 <= year <= 2099:
        return
    week_end = FoundDate(dt.date.fromisocalendar(year, week, week_ends_on), WEEK_IN_TITLE)
    for title in (f"Week {week}, {year}", f"{year} week {week}", f"Wythnos {week}, {year}"):
        assert date_from_title(title, week_ends_on) == week_end, title


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_date_from_title_never_raises(title: str) -> None:
    found = date_from_title(title, FRIDAY)
    assert found is None or isinstance(found.day, dt.date)


# --------------------------------------------------------------------------- the message


def test_looked_in_names_every_place_and_says_git_is_off() -> None:
    text = looked_in(dates_from_git=False)

    assert text == (
        "looked for a date in the front matter (date, publishDate, pubDate, published, "
        "publishedAt, week_ending, created, createdAt), the file name (such as "
        "2024-03-08-week-10.md), the folders (such as 2024/03/08/), an ISO week (such as "
        '2024-W10.md) and the title (such as "Week ending 8 March 2024"); git history is not '
        "used unless config.yaml says dates_from_git: true"
    )


def test_looked_in_says_git_has_no_commit_for_the_file() -> None:
    text = looked_in(dates_from_git=True)

    assert text.startswith("looked for a date in the front matter (date, publishDate")
    assert text.endswith(
        '(such as "Week ending 8 March 2024"), and in git history, where no commit adds this '
        "file yet"
    )


def test_looked_in_passes_on_why_git_could_not_be_used() -> None:
    text = looked_in(dates_from_git=True, git_problem="git history is incomplete: …")

    assert text.endswith("; git history was not used: git history is incomplete: …")


# --------------------------------------------------------------------------- git history

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def git_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Git that ignores the machine's own configuration, with a fixed identity."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada Lovelace")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ada@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Ada Lovelace")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "ada@example.org")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    yield


def git(repo: Path, *args: str, date: str | None = None, committed: str | None = None) -> str:
    env = dict(os.environ)
    if date is not None:
        env["GIT_AUTHOR_DATE"] = date
        env["GIT_COMMITTER_DATE"] = committed or date
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit(repo: Path, message: str, date: str, committed: str | None = None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date, committed=committed)


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, git_env: None) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return root


def found(day: dt.date) -> FoundDate:
    return FoundDate(day, GIT_HISTORY)


@needs_git
def test_git_dates_each_note_by_the_commit_that_added_it_following_renames(repo: Path) -> None:
    write(repo, "weeknotes/first.md", "The first week.\n")
    write(repo, "weeknotes/second.md", "The second week, with enough text to rename.\n")
    commit(repo, "two notes", "2021-03-05T17:00:00+00:00")
    write(repo, "weeknotes/first.md", "The first week, edited later.\n")
    commit(repo, "an edit is not an addition", "2021-04-09T09:00:00+00:00")
    (repo / "weeknotes/2021").mkdir()
    git(repo, "mv", "weeknotes/second.md", "weeknotes/2021/renamed.md")
    commit(repo, "a move keeps the first date", "2021-05-14T09:00:00+00:00")
    git(repo, "mv", "weeknotes/2021/renamed.md", "weeknotes/2021/renamed-again.md")
    write(repo, "weeknotes/third.md", "The third week.\n")
    commit(repo, "a second move and a new note", "2021-06-11T09:00:00+00:00")
    write(repo, "weeknotes/not-committed.md", "Still a draft.\n")

    dates, problem = dates_from_git(
        repo,
        [
            "weeknotes/first.md",
            "weeknotes/2021/renamed-again.md",
            "weeknotes/third.md",
            "weeknotes/not-committed.md",
            "weeknotes/never-existed.md",
        ],
    )

    assert problem is None
    assert dates == {
        "weeknotes/first.md": found(D(2021, 3, 5)),
        "weeknotes/2021/renamed-again.md": found(D(2021, 3, 5)),
        "weeknotes/third.md": found(D(2021, 6, 11)),
    }


@needs_git
def test_git_uses_the_author_date_in_the_authors_own_time_zone(repo: Path) -> None:
    write(repo, "weeknotes/late.md", "Written late on a Friday in New Zealand.\n")
    # 23:30 on Friday in Auckland is Friday morning in London; a rebase two weeks later
    # changed the committer date only.
    commit(repo, "late", "2021-03-05T23:30:00+13:00", committed="2021-03-19T10:00:00+00:00")

    dates, problem = dates_from_git(repo, ["weeknotes/late.md"])

    assert (dates, problem) == ({"weeknotes/late.md": found(D(2021, 3, 5))}, None)


@needs_git
def test_git_paths_are_relative_to_a_site_folder_inside_the_repository(repo: Path) -> None:
    write(repo, "site/weeknotes/a note with spaces – ünïcode.md", "A week.\n")
    write(repo, "elsewhere/weeknotes/a note with spaces – ünïcode.md", "Another site.\n")
    commit(repo, "first", "2022-11-25T12:00:00+00:00")
    git(repo, "mv", "elsewhere/weeknotes/a note with spaces – ünïcode.md", "site/moved-in.md")
    commit(repo, "moved into the site", "2022-12-02T12:00:00+00:00")

    dates, problem = dates_from_git(
        repo / "site", ["weeknotes/a note with spaces – ünïcode.md", "moved-in.md"]
    )

    assert problem is None
    assert dates == {
        "weeknotes/a note with spaces – ünïcode.md": found(D(2022, 11, 25)),
        "moved-in.md": found(D(2022, 11, 25)),  # followed from outside the site folder
    }


@needs_git
def test_git_a_copy_is_a_new_note_and_a_deleted_note_keeps_its_first_date(repo: Path) -> None:
    template = "## What I did\n\n- things\n\n## What I learned\n\n- more things\n" * 5
    write(repo, "weeknotes/week-1.md", template)
    write(repo, "weeknotes/gone.md", "Removed by mistake, then put back.\n")
    commit(repo, "week 1", "2023-01-06T12:00:00+00:00")
    write(repo, "weeknotes/week-2.md", template)  # last week's note as a template
    (repo / "weeknotes/gone.md").unlink()
    commit(repo, "week 2", "2023-01-13T12:00:00+00:00")
    write(repo, "weeknotes/gone.md", "Removed by mistake, then put back.\n")
    commit(repo, "restore", "2023-01-20T12:00:00+00:00")

    dates, problem = dates_from_git(
        repo, ["weeknotes/week-1.md", "weeknotes/week-2.md", "weeknotes/gone.md"]
    )

    assert problem is None
    assert dates == {
        "weeknotes/week-1.md": found(D(2023, 1, 6)),
        "weeknotes/week-2.md": found(D(2023, 1, 13)),
        "weeknotes/gone.md": found(D(2023, 1, 6)),
    }


@needs_git
def test_git_a_note_added_on_a_merged_branch_is_dated_by_its_own_commit(repo: Path) -> None:
    write(repo, "README.md", "Our notes.\n")
    commit(repo, "start", "2023-02-01T12:00:00+00:00")
    git(repo, "checkout", "-q", "-b", "gwen")
    write(repo, "weeknotes/gwen.md", "Gwen's week.\n")
    commit(repo, "gwen's note", "2023-02-03T12:00:00+00:00")
    git(repo, "checkout", "-q", "main")
    write(repo, "weeknotes/aisha.md", "Aisha's week.\n")
    commit(repo, "aisha's note", "2023-02-03T15:00:00+00:00")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "gwen", date="2023-02-10T12:00:00+00:00")

    dates, problem = dates_from_git(repo, ["weeknotes/gwen.md", "weeknotes/aisha.md"])

    assert problem is None
    assert dates == {
        "weeknotes/gwen.md": found(D(2023, 2, 3)),
        "weeknotes/aisha.md": found(D(2023, 2, 3)),
    }


@needs_git
def test_git_a_repository_with_no_commits_dates_nothing_without_complaint(repo: Path) -> None:
    write(repo, "weeknotes/first.md", "Not committed yet.\n")

    assert dates_from_git(repo, ["weeknotes/first.md"]) == ({}, None)


@needs_git
def test_git_outside_a_repository_says_so(
    tmp_path: Path, git_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    write(site, "weeknotes/first.md", "A week.\n")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # wherever tmp_path lives

    assert dates_from_git(site, ["weeknotes/first.md"]) == (
        {},
        "git history cannot be read: the site folder is not in a git repository; commit the "
        "notes to git, or set dates_from_git: false in config.yaml",
    )


@needs_git
def test_git_a_shallow_clone_is_incomplete_history_with_the_fix(repo: Path, tmp_path: Path) -> None:
    write(repo, "weeknotes/first.md", "The first week.\n")
    commit(repo, "first", "2021-03-05T12:00:00+00:00")
    write(repo, "weeknotes/second.md", "The second week.\n")
    commit(repo, "second", "2021-03-12T12:00:00+00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", (repo.as_uri()), str(clone))

    dates, problem = dates_from_git(clone, ["weeknotes/first.md", "weeknotes/second.md"])

    assert dates == {}
    assert problem == (
        "git history is incomplete: the site is in a shallow clone, so notes cannot be dated by "
        "the commits that added them; fetch the whole history: in GitHub Actions, give "
        "actions/checkout `fetch-depth: 0` under `with:`; elsewhere, run `git fetch --unshallow`"
    )
    git(clone, "fetch", "-q", "--unshallow")
    assert dates_from_git(clone, ["weeknotes/first.md", "weeknotes/second.md"]) == (
        {
            "weeknotes/first.md": found(D(2021, 3, 5)),
            "weeknotes/second.md": found(D(2021, 3, 12)),
        },
        None,
    )


def test_git_missing_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))

    assert dates_from_git(tmp_path, ["weeknotes/first.md"]) == (
        {},
        "git history cannot be read: git is not installed, or not on the PATH; install git, "
        "or set dates_from_git: false in config.yaml",
    )


@needs_git
def test_git_dates_800_notes_in_well_under_a_second(repo: Path) -> None:
    """A year-by-year history of 800 notes, one commit each, and one rename per year;
    built with fast-import so the test itself is quick."""
    script: list[str] = []
    start = dt.datetime(2010, 1, 1, 17, 0, tzinfo=dt.UTC)
    expected: dict[str, FoundDate] = {}
    for number in range(800):
        when = start + dt.timedelta(days=7 * number)
        path = f"weeknotes/{when.year}/note-{number:03}.md"
        body = f"Week {number}: what happened, what is next.\n".encode()
        stamp = f"{int(when.timestamp())} +0000"
        script += [
            "commit refs/heads/main",
            f"author Ada Lovelace <ada@example.org> {stamp}",
            f"committer Ada Lovelace <ada@example.org> {stamp}",
            "data 5",
            "note\n",
        ]
        script.append(f"M 100644 inline {path}")
        script += [f"data {len(body)}", body.decode()]
        expected[path] = found(when.date())
    renamed = {p: p.replace("note-", "week-") for p in expected if p.endswith("0.md")}
    stamp = f"{int((start + dt.timedelta(days=7 * 800)).timestamp())} +0000"
    script += [
        "commit refs/heads/main",
        f"author Ada Lovelace <ada@example.org> {stamp}",
        f"committer Ada Lovelace <ada@example.org> {stamp}",
        "data 7",
        "rename\n",
        *(f'R "{old}" "{new}"' for old, new in renamed.items()),
        "",
    ]
    subprocess.run(
        ["git", "-C", str(repo), "fast-import", "--quiet"],
        input="\n".join(script).encode(),
        check=True,
    )
    git(repo, "checkout", "-q", "main")
    for old, new in renamed.items():
        expected[new] = expected.pop(old)

    began = time.perf_counter()
    dates, problem = dates_from_git(repo, sorted(expected))
    took = time.perf_counter() - began

    assert problem is None
    assert dates == expected
    assert took < 1.0, f"{took:.2f}s"
