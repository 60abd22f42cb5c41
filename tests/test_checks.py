"""Advisory checks: warnings for content that builds but is probably a mistake."""

from __future__ import annotations

import datetime as dt
import time

from tests.conftest import FIXED_NOW, note
from weeknote_gen.config import Config
from weeknote_gen.content.checks import check_notes
from weeknote_gen.content.discover import SourceFile
from weeknote_gen.content.parse import ParsedNote, parse_note
from weeknote_gen.errors import Diagnostic

CONFIG = Config(title="T", base_url="https://e.org/")


def parsed(files: dict[str, str], config: Config = CONFIG) -> list[ParsedNote]:
    notes = []
    for path, text in sorted(files.items()):
        result, problems = parse_note(SourceFile(path, text, "0"), config)
        assert result is not None, problems
        notes.append(result)
    return notes


def check(files: dict[str, str], config: Config = CONFIG, **options: object) -> list[Diagnostic]:
    settings = {"now": FIXED_NOW, "include_future": False, **options}
    return check_notes(parsed(files, config), config, **settings)  # type: ignore[arg-type]


def summary(problems: list[Diagnostic]) -> list[tuple[str, str, str]]:
    return [(p.code, str(p.location), p.message) for p in problems]


def test_clean_notes_give_no_advice() -> None:
    assert check({"weeknotes/a.md": note(theme=["agile"]), "weeknotes/b.md": note()}) == []


def test_an_empty_body_is_pointed_out_at_its_line() -> None:
    assert summary(check({"weeknotes/a.md": note(body="\n  \n")})) == [
        ("note.empty-body", "weeknotes/a.md:5", "the note has no text after its front matter")
    ]


def test_a_note_dated_in_the_future_is_pointed_out_unless_building_the_future() -> None:
    files = {"weeknotes/a.md": note(date="2026-12-04")}
    assert summary(check(files)) == [
        (
            "note.scheduled",
            "weeknotes/a.md:3",
            "the note is dated 4 December 2026, in the future, so it will not be published"
            " until then",
        )
    ]
    assert check(files, include_future=True) == []
    later = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert check(files, now=later) == []


def test_a_near_duplicate_term_is_flagged_on_the_rarer_spelling() -> None:
    files = {
        "weeknotes/a.md": note(theme=["agile"]),
        "weeknotes/b.md": note(theme=["Agile", "data"]),
        "weeknotes/c.md": note(theme="agil"),
        "weeknotes/d.md": note(theme=["date"]),
    }
    assert summary(check(files)) == [
        (
            "term.near-duplicate",
            "weeknotes/c.md:5",
            "theme 'agil' looks like 'agile' (used in 2 notes): is it a typo?",
        )
    ]


def test_spellings_that_differ_only_by_a_hyphen_are_flagged() -> None:
    files = {
        "weeknotes/a.md": note(theme="team wellbeing"),
        "weeknotes/b.md": note(theme="team wellbeing"),
        "weeknotes/c.md": note(theme="team well-being"),
    }
    assert [p.location for p in check(files)] == [parsed(files)[2].location("theme")]


def test_a_swapped_pair_of_letters_is_flagged_but_two_slips_are_not() -> None:
    files = {
        "weeknotes/a.md": note(theme="research"),
        "weeknotes/b.md": note(theme="research"),
        "weeknotes/c.md": note(theme=["reserach", "rsearh"]),
    }
    assert [p.message for p in check(files)] == [
        "theme 'reserach' looks like 'research' (used in 2 notes): is it a typo?"
    ]


def test_ten_thousand_distinct_terms_are_checked_in_near_linear_time() -> None:
    """Comparing every pair of 10,000 similar terms took minutes; grouping takes seconds."""
    files = {
        f"weeknotes/{n:03d}.md": note(theme=[f"theme {n:03d}{i:02d}" for i in range(100)])
        for n in range(100)
    }
    notes = parsed(files)
    started = time.perf_counter()
    problems = check_notes(notes, CONFIG, now=FIXED_NOW, include_future=False)
    assert time.perf_counter() - started < 20
    # Every "theme 00042" is one digit from many others, so each is reported as a near-duplicate.
    assert len(problems) == 9_999
    assert {p.code for p in problems} == {"term.near-duplicate"}


def test_terms_outside_a_controlled_vocabulary_are_flagged_with_a_suggestion() -> None:
    config = Config(
        title="T", base_url="https://e.org/", taxonomy_terms={"team": ("ICT", "Data and Insight")}
    )
    files = {
        "weeknotes/a.md": note(team=["ict", "Data and insights"]),
        "weeknotes/b.md": note(team="Customer Insight"),
    }
    problems = check(files, config)
    assert [(p.code, str(p.location), p.message, p.hint) for p in problems] == [
        (
            "term.not-allowed",
            "weeknotes/a.md:5",
            "'Data and insights' is not one of the teams listed in config.yaml",
            "did you mean 'Data and Insight'?",
        ),
        (
            "term.not-allowed",
            "weeknotes/b.md:5",
            "'Customer Insight' is not one of the teams listed in config.yaml",
            "use one of: ICT, Data and Insight",
        ),
    ]
