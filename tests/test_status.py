"""`weeknote-gen status`: who has written for a week, streaks, away weeks, and CI's summary."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BASIC_CONFIG, FIXED_NOW, note
from weeknote_gen.cli import main
from weeknote_gen.urls import WeekId, parse_week

# FIXED_NOW is Friday 20 November 2026: ISO week 2026-W47.
CONFIG = {
    **BASIC_CONFIG,
    "authors": {
        "Gwen Tallis": {"team": "ICT", "active": {"from": "2026-10-01"}},
        "Sam Reid": {"team": "ICT"},
        "Priya Shah": {"away": ["2026-W47"]},
        "Maya Okonjo": {"team": "Data", "away": ["2026-W45"]},
        "Old Timer": {"active": {"from": "2020-01-01", "to": "2025-12-31"}},
        "New Starter": {"team": "Data"},
    },
}
FRIDAYS = {43: "2026-10-23", 44: "2026-10-30", 45: "2026-11-06", 46: "2026-11-13", 47: "2026-11-20"}


def notes() -> dict[str, str]:
    files = {}

    def add(author: str, week: int, **extra: object) -> None:
        slug = author.lower().replace(" ", "-")
        files[f"weeknotes/{slug}-{week}.md"] = note(
            title=f"Week {week}", date=FRIDAYS[week], author=author, **extra
        )

    add("Gwen Tallis", 46)
    add("Gwen Tallis", 47, draft=True)
    add("Sam Reid", 44)
    add("Sam Reid", 45)
    add("Priya Shah", 45, team="Finance")
    add("Priya Shah", 46, team="Data")
    for week in (43, 44, 46, 47):
        add("Maya Okonjo", week)
    add("Old Timer", 43)
    add("Visiting Writer", 47, team="ICT")
    return files


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Path:
    return make_site(notes(), config=CONFIG)


TEXT = """\
Weeknotes for week 47, 2026 (Monday 16 – Sunday 22 November 2026)

Data
  Maya Okonjo  written (streak: 4 weeks)
  New Starter  no note yet for week 47
  Priya Shah   away (streak: 2 weeks)

ICT
  Gwen Tallis      no note yet for week 47; a draft is started
  Sam Reid         no note yet for week 47
  Visiting Writer  written (streak: 1 week)

2 of 5 people have written for week 47.
No note for week 46 or week 47 yet: Sam Reid. A friendly word may help, if they would like one.
"""


def test_text_report_for_this_week(site: Path) -> None:
    code, out, err = run("status", "--site", str(site))
    assert (code, err) == (0, "")
    assert out == TEXT


def test_fail_on_missing_exits_1_only_when_someone_is_missing(
    site: Path, make_site: Callable[..., Path]
) -> None:
    assert run("status", "--fail-on-missing", "--site", str(site))[0] == 1
    everyone = make_site(
        {"weeknotes/a.md": note(date="2026-11-18", author="Sam Reid")},
        config={
            **BASIC_CONFIG,
            "authors": {"Sam Reid": {}, "Ada": {"away": "2026-W46 to 2026-W48"}},
        },
        name="everyone",
    )
    code, out, _ = run("status", "--fail-on-missing", "--site", str(everyone))
    assert code == 0
    assert out.endswith("Everyone has written for week 47. Thank you!\n")


def test_github_format_appends_a_job_summary(
    site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run("status", "--format", "github", "--site", str(site))
    assert (code, out) == (0, TEXT)
    assert summary.read_text(encoding="utf-8") == (
        "Earlier step\n"
        "### Weeknotes for week 47, 2026\n"
        "\n"
        "Monday 16 – Sunday 22 November 2026\n"
        "\n"
        "| Team | Person | This week | Streak |\n"
        "| --- | --- | --- | --- |\n"
        "| Data | Maya Okonjo | written | streak: 4 weeks |\n"
        "| Data | New Starter | no note yet for week 47 | – |\n"
        "| Data | Priya Shah | away | streak: 2 weeks |\n"
        "| ICT | Gwen Tallis | no note yet for week 47; a draft is started | – |\n"
        "| ICT | Sam Reid | no note yet for week 47 | – |\n"
        "| ICT | Visiting Writer | written | streak: 1 week |\n"
        "\n"
        "2 of 5 people have written for week 47.\n"
        "\n"
        "No note for week 46 or week 47 yet: Sam Reid."
        " A friendly word may help, if they would like one.\n"
    )


def test_json_format_and_an_earlier_week(site: Path) -> None:
    code, out, _ = run("status", "--format", "json", "--week", "2026-W45", "--site", str(site))
    assert code == 0
    data = json.loads(out)
    assert (data["week"], data["monday"], data["written"], data["due"]) == (
        "2026-W45",
        "2026-11-02",
        2,
        4,
    )
    assert data["missing"] == ["New Starter", "Gwen Tallis"]  # team by team
    people = {p["name"]: p for team in data["teams"] for p in team["people"]}
    assert people["Maya Okonjo"]["away"] is True
    assert people["Sam Reid"]["streak"] == 2
    assert "Old Timer" not in people  # active only until the end of 2025


def test_a_past_week_has_no_note_rather_than_no_note_yet(
    site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A week that is over will not get its note "yet"; the current week still may.
    code, out, _ = run("status", "--week", "2026-W45", "--site", str(site))
    assert code == 0
    assert "yet" not in out
    assert "  New Starter  no note for week 45\n" in out
    assert out.endswith(
        "No note for week 44 or week 45: Gwen Tallis."
        " A friendly word may help, if they would like one.\n"
    )
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run("status", "--format", "github", "--week", "2026-W46", "--site", str(site))
    table = summary.read_text(encoding="utf-8")
    assert "| ICT | Sam Reid | no note for week 46 | – |\n" in table
    assert "yet" not in table
    code, out, _ = run("status", "--week", "2026-W48", "--site", str(site))
    assert "  Sam Reid     no note yet for week 48\n" in out  # a week to come


def test_a_streak_shows_only_beside_a_note_or_an_away_week(site: Path) -> None:
    code, out, _ = run("status", "--format", "json", "--site", str(site))
    assert code == 0
    people = {p["name"]: p for team in json.loads(out)["teams"] for p in team["people"]}
    streaks = {name: person["streak"] for name, person in people.items()}
    # Gwen wrote week 46 and has only a draft for 47: no note, so no streak to show;
    # Priya is away in 47 and keeps her run up to 46.
    assert streaks == {
        "Maya Okonjo": 4,
        "New Starter": 0,
        "Priya Shah": 2,
        "Gwen Tallis": 0,
        "Sam Reid": 0,
        "Visiting Writer": 1,
    }
    text = run("status", "--site", str(site))[1]
    assert [line for line in text.splitlines() if "no note" in line and "streak" in line] == []


def test_a_date_picks_its_week_and_bad_weeks_are_usage_errors(site: Path) -> None:
    assert run("status", "--week", "2026-11-18", "--site", str(site))[1] == TEXT
    code, _, err = run("status", "--week", "week 47", "--site", str(site))
    assert code == 2
    assert "'week 47' is not a week" in err
    assert run("status", "--week", "2026-W54", "--site", str(site))[0] == 2


def test_a_team_comes_from_the_latest_note_when_config_has_none(site: Path) -> None:
    out = run("status", "--week", "2026-W46", "--site", str(site))[1]
    data_team = out.split("\n\nICT")[0]
    assert "Priya Shah" in data_team  # her latest note says Data; an earlier one said Finance


def test_notes_that_do_not_parse_are_counted_not_fatal(make_site: Callable[..., Path]) -> None:
    site = make_site({**notes(), "weeknotes/broken.md": "---\ntitle: [\n---\n"}, config=CONFIG)
    code, out, err = run("status", "--site", str(site))
    assert code == 0
    assert out == TEXT
    assert (
        err == "note: 1 file could not be read and is not counted; 'weeknote-gen check' says why\n"
    )


@pytest.mark.parametrize(
    ("authors", "message"),
    [
        ({"Ada": {"active": {"from": "2026-13-01"}}}, "'from' must be a date written YYYY-MM-DD"),
        ({"Ada": {"active": "2026"}}, "'active' must be a mapping"),
        ({"Ada": {"active": {"from": "2026-02-01", "to": "2026-01-01"}}}, "'active' ends"),
        ({"Ada": {"active": {"since": "2026-02-01"}}}, "unknown key 'authors.Ada.active.since'"),
        ({"Ada": {"away": ["2026-W60"]}}, "'2026-W60' is not an ISO week"),
        ({"Ada": {"away": ["2026-W10 to 2026-W02"]}}, "ends before it starts"),
        ({"Ada": {"away": {"week": 1}}}, "'away' must be a list of ISO weeks"),
    ],
)
def test_schedule_mistakes_are_located_config_errors(
    make_site: Callable[..., Path], authors: dict[str, object], message: str
) -> None:
    site = make_site({}, config={**BASIC_CONFIG, "authors": authors})
    code, _, err = run("status", "--site", str(site))
    assert code == 1
    assert message in err
    assert err.startswith("config.yaml:")


def test_cadence_other_than_weekly_is_explained(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config={**BASIC_CONFIG, "cadence": "fortnightly"})
    code, _, err = run("status", "--site", str(site))
    assert code == 1
    assert "cadence 'fortnightly' is not one weeknote-gen knows [config.cadence]" in err


def test_the_tally_agrees_with_one_person(make_site: Callable[..., Path]) -> None:
    config = {**BASIC_CONFIG, "authors": {"Sam Reid": {"team": "ICT"}}}
    files = {"weeknotes/sam-46.md": note(title="Week 46", date=FRIDAYS[46], author="Sam Reid")}
    site = make_site(files, config=config)
    assert "0 of 1 person has written for week 47.\n" in run("status", "--site", str(site))[1]


def test_status_and_digest_read_a_week_the_same_way() -> None:
    for text in ("2026-W28", "2026w28", "2026W28", " 2026-W28 ", "2026-07-08", "2026-07-12"):
        assert parse_week(text) == WeekId(2026, 28), text
    with pytest.raises(ValueError, match="there is no week 2026-W54"):
        parse_week("2026-W54")
    with pytest.raises(ValueError, match="'next week' is not a week"):
        parse_week("next week")
