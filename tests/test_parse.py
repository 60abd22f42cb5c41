"""Front matter: splitting, field validation, and diagnostics located at file lines."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

import pytest

from tests.conftest import note
from weeknote_gen.config import Config, TaxonomyConfig
from weeknote_gen.content.dating import looked_in
from weeknote_gen.content.discover import SourceFile
from weeknote_gen.content.parse import EXAMPLE, ParsedNote, parse_note
from weeknote_gen.errors import Diagnostic, Location, error, warning
from weeknote_gen.yamldoc import odd_character

PATH = "weeknotes/2026/moving-house.md"  # dated nowhere but in its front matter
CONFIG = Config(title="Test weeknotes", base_url="https://notes.example.org/")
CONFIG_WITH_AUTHOR = Config(
    title="Test weeknotes", base_url="https://notes.example.org/", default_author="Ada"
)
NO_TITLE = (
    "the note has no title: no 'title' in front matter and no heading at the start of the text"
)
NO_TITLE_HINT = (
    'add a line such as: title: "Week 10: moving house", or start the text with a heading such'
    " as: # Week 10: moving house"
)
NO_DATE = "the note has no date"
NO_DATE_HINT = (
    looked_in(dates_from_git=False)
    + "; add a line such as: date: 2024-03-08, or start the file name with the date"
)
DATE_HINT = (
    "write it as YYYY-MM-DD (2024-03-08), or with a time and offset (2024-03-08T16:30:00+00:00)"
)
TERM_HINT = (
    "write each one as text, in quotes if it could be read as a number, a date or true/false"
    ' (such as "2024" or "NO")'
)

COMPLETE = (
    "---\n"
    'title: "  Week 32:\\n  moving   house "\n'
    "date: 2026-08-07\n"
    "authors: [Ada Lovelace, '  Grace   Hopper ']\n"
    "team: Platform\n"
    "theme: [Hiring, Tools]\n"
    "learning:\n"
    "  - Rust\n"
    "  - Accessibility\n"
    "summary: '  A short week.  '\n"
    "slug: week-32\n"
    "draft: true\n"
    "---\n"
    "Hello *world*.\n"
    "\n"
    "More.\n"
)


def parse(text: str, config: Config = CONFIG) -> tuple[ParsedNote | None, list[Diagnostic]]:
    source = SourceFile(PATH, text, hashlib.sha256(text.encode()).hexdigest())
    return parse_note(source, config)


def parse_ok(text: str, config: Config = CONFIG) -> ParsedNote:
    parsed, problems = parse(text, config)
    assert problems == []
    assert parsed is not None
    return parsed


def at(line: int | None = None, column: int | None = None) -> Location:
    return Location(PATH, line, column)


# --------------------------------------------------------------------------- valid notes


def test_complete_note_fills_every_field() -> None:
    parsed = parse_ok(COMPLETE)

    assert parsed.path == PATH
    assert parsed.title == "Week 32: moving house"
    assert parsed.date == dt.date(2026, 8, 7)
    assert parsed.published == dt.datetime(2026, 8, 7, 0, 0, tzinfo=dt.UTC)
    assert parsed.published.utcoffset() == dt.timedelta(0)
    assert parsed.has_time is False
    assert parsed.authors == ("Ada Lovelace", "Grace Hopper")
    assert parsed.terms == {
        "team": ("Platform",),
        "theme": ("Hiring", "Tools"),
        "learning": ("Rust", "Accessibility"),
    }
    assert parsed.summary == "A short week."
    assert parsed.slug == "week-32"
    assert parsed.draft is True
    assert parsed.body.strip("\n") == "Hello *world*.\n\nMore."
    assert parsed.body_line == 14
    assert parsed.field_lines == {
        "title": 2,
        "date": 3,
        "authors": 4,
        "team": 5,
        "theme": 6,
        "learning": 7,
        "summary": 10,
        "slug": 11,
        "draft": 12,
    }


def test_optional_fields_default_to_empty() -> None:
    parsed = parse_ok(note())

    assert parsed.authors == ("Ada Lovelace",)
    assert parsed.terms == {"team": (), "theme": (), "learning": ()}
    assert (parsed.summary, parsed.slug, parsed.draft) == (None, None, False)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(COMPLETE, id="complete"),
        pytest.param(
            "---\ntitle: A\ndate: 2026-01-09\nauthor: X\n---\n\n\nBody after blank lines.\n",
            id="blank-lines-after-closing-delimiter",
        ),
        pytest.param(
            "---\n\n\ntitle: A\ndate: 2026-01-09\nauthor: X\n---\nBody.\n",
            id="blank-lines-after-opening-delimiter",
        ),
    ],
)
def test_body_is_the_text_from_body_line_on(text: str) -> None:
    parsed = parse_ok(text)

    assert "\n".join(text.split("\n")[parsed.body_line - 1 :]) == parsed.body


def test_body_keeps_a_thematic_break() -> None:
    parsed = parse_ok("---\ntitle: A\ndate: 2026-01-09\nauthor: X\n---\nOne.\n\n---\n\nTwo.\n")

    assert parsed.body.strip("\n") == "One.\n\n---\n\nTwo."


def test_datetime_with_offset_gives_local_date_and_aware_time() -> None:
    parsed = parse_ok(note(date="2026-08-14T16:45:00+01:00"))

    assert parsed.date == dt.date(2026, 8, 14)
    assert parsed.published == dt.datetime(2026, 8, 14, 15, 45, tzinfo=dt.UTC)
    assert parsed.published.utcoffset() == dt.timedelta(hours=1)
    assert parsed.has_time is True


def test_datetime_with_space_and_z_is_accepted() -> None:
    parsed = parse_ok(note(date="2026-08-14 16:45:00Z"))

    assert parsed.published == dt.datetime(2026, 8, 14, 16, 45, tzinfo=dt.UTC)
    assert parsed.has_time is True


def test_unquoted_datetime_is_read_as_written() -> None:
    parsed = parse_ok("---\ntitle: A\ndate: 2026-08-14T23:30:00-02:00\nauthor: X\n---\nBody.\n")

    assert parsed.date == dt.date(2026, 8, 14)
    assert parsed.published == dt.datetime(2026, 8, 15, 1, 30, tzinfo=dt.UTC)


def test_default_author_is_used_when_the_note_names_none() -> None:
    config = Config(title="T", base_url="https://x.org/", default_author="Grace Hopper")

    parsed = parse_ok("---\ntitle: A\ndate: 2026-01-09\n---\nBody.\n", config)

    assert parsed.authors == ("Grace Hopper",)


def test_custom_taxonomies_replace_the_defaults() -> None:
    config = Config(
        title="T",
        base_url="https://x.org/",
        taxonomies=(TaxonomyConfig("project", "Project", "Projects"),),
    )

    parsed, problems = parse(note(project=["Atlas", "Beacon"], team="Platform"), config)

    assert parsed is not None
    assert parsed.terms == {"project": ("Atlas", "Beacon")}
    assert problems == [
        warning(
            "front-matter.unknown-key",
            "unknown field 'team' is ignored",
            at(8, 1),
            "known fields: title, date, author, authors, summary, slug, draft, image, language,"
            " aliases, project; to accept it quietly, add it to front_matter.ignore in"
            " config.yaml",
        )
    ]


def test_empty_items_in_a_term_list_are_dropped() -> None:
    parsed = parse_ok(note(theme=["  Hiring  plan ", "", "   "]))

    assert parsed.terms["theme"] == ("Hiring plan",)


def test_blank_summary_is_none() -> None:
    assert parse_ok(note(summary="   ")).summary is None


def test_location_of_a_field_uses_its_line() -> None:
    parsed = parse_ok(note())

    assert parsed.location() == Location(PATH)
    assert parsed.location("date") == Location(PATH, 3)
    assert parsed.location("slug") == Location(PATH, 1)


# --------------------------------------------------------------------------- field errors


@pytest.mark.parametrize(
    "written", ["2026-08-14T16:45:00", "2026-08-14 16:45", "2026-08-14 16:45:00"]
)
def test_a_time_without_offset_keeps_only_its_day(written: str) -> None:
    parsed = parse_ok(note(date=written))

    assert (parsed.date, parsed.has_time) == (dt.date(2026, 8, 14), False)
    assert parsed.published == dt.datetime(2026, 8, 14, tzinfo=dt.UTC)


def test_a_time_without_offset_must_still_be_a_real_time() -> None:
    parsed, problems = parse(note(date="2026-08-14 25:61"))

    assert parsed is None
    assert [p.message for p in problems] == ["date '2026-08-14 25:61' is not a real date and time"]


def test_missing_title_and_date_are_both_reported() -> None:
    parsed, problems = parse("---\nauthor: Ada Lovelace\n---\nBody.\n")

    assert parsed is None
    assert problems == [
        error("front-matter.title", NO_TITLE, at(1), NO_TITLE_HINT),
        error("front-matter.date", NO_DATE, at(1), NO_DATE_HINT),
    ]


def test_blank_title_is_located_at_its_value() -> None:
    _, problems = parse("---\ntitle: '  '\ndate: 2026-01-09\nauthor: X\n---\n")

    assert problems == [error("front-matter.title", NO_TITLE, at(2, 8), NO_TITLE_HINT)]


def test_impossible_date_is_located_at_the_value() -> None:
    parsed, problems = parse("---\ntitle: A\ndate: 2024-13-01\nauthor: X\n---\nBody.\n")

    assert parsed is None
    assert problems == [
        error("front-matter.date", "date '2024-13-01' is not a real date", at(3, 7), DATE_HINT)
    ]


def test_date_that_is_a_number_is_an_error() -> None:
    _, problems = parse("---\ntitle: A\ndate: 20240301\nauthor: X\n---\n")

    assert problems == [
        error(
            "front-matter.date",
            "date '20240301' is not a date in the form YYYY-MM-DD",
            at(3, 7),
            DATE_HINT,
        )
    ]


def test_term_that_is_a_mapping_is_an_error() -> None:
    parsed, problems = parse(
        "---\ntitle: A\ndate: 2026-01-09\nauthor: X\nteam:\n  lead: Ada\n---\n"
    )

    assert parsed is None
    assert problems == [
        error(
            "front-matter.term",
            "'team' must be a term, or a list of terms, not a mapping",
            at(6, 3),
            TERM_HINT,
        )
    ]


def test_number_in_a_term_list_is_located_at_the_item() -> None:
    _, problems = parse("---\ntitle: A\ndate: 2026-01-09\nauthor: X\ntheme: [Hiring, 42]\n---\n")

    assert problems == [
        error(
            "front-matter.term",
            "'theme' must be a term, or a list of terms, not a number",
            at(5, 17),
            TERM_HINT,
        )
    ]


@pytest.mark.parametrize("value", ["2024", "true", "[Week, 10]"])
def test_title_that_is_not_text_is_an_error(value: str) -> None:
    parsed, problems = parse(f"---\ntitle: {value}\ndate: 2026-01-09\nauthor: X\n---\n")

    assert parsed is None
    assert problems == [
        error("front-matter.title", "the title must be text", at(2, 8), "put the title in quotes")
    ]


def test_author_and_authors_together_are_an_error() -> None:
    parsed, problems = parse(
        "---\ntitle: A\ndate: 2026-01-09\nauthor: Ada\nauthors: [Grace]\n---\n"
    )

    assert parsed is None
    assert problems == [
        error("front-matter.author", "use either 'author' or 'authors', not both", at(5, 10), None)
    ]


def test_no_author_and_no_default_is_an_error() -> None:
    parsed, problems = parse("---\ntitle: A\ndate: 2026-01-09\n---\nBody.\n")

    assert parsed is None
    assert problems == [
        error(
            "front-matter.author",
            "the note has no author",
            at(1),
            "add 'author: Your Name', or set default_author in config.yaml",
        )
    ]


def test_author_that_is_a_number_is_an_error() -> None:
    _, problems = parse("---\ntitle: A\ndate: 2026-01-09\nauthors: [1, Ada]\n---\n")

    assert problems == [
        error(
            "front-matter.author",
            "'authors' must be a name, or a list of names, not a number",
            at(4, 11),
            TERM_HINT,
        )
    ]


def test_unknown_field_is_a_warning_with_a_did_you_mean_hint() -> None:
    parsed, problems = parse(note(tittle="Typo"))

    assert parsed is not None
    assert parsed.title == "Week 1"
    assert problems == [
        warning(
            "front-matter.unknown-key",
            "unknown field 'tittle' is ignored",
            at(5, 1),
            "did you mean 'title'?",
        )
    ]


def test_draft_must_be_true_or_false() -> None:
    parsed, problems = parse(note(draft="yes"))

    assert parsed is None
    assert problems == [
        error(
            "front-matter.draft",
            "'draft' must be true or false",
            at(5, 8),
            "write draft: true (without quotes), or remove the line",
        )
    ]


def test_summary_must_be_text() -> None:
    _, problems = parse(note(summary=5))

    assert problems == [
        error(
            "front-matter.summary", "'summary' must be text", at(5, 10), "put the value in quotes"
        )
    ]


def test_non_text_field_name_is_located_at_its_line() -> None:
    _, problems = parse("---\ntitle: A\ndate: 2026-01-09\nauthor: X\n2024: x\n---\n")

    assert problems == [
        error(
            "front-matter.key",
            "'2024' is not a field name",
            at(5, 1),
            "the fields are: title, date, author, authors, summary, slug, draft, image,"
            " language, aliases, team, theme, learning",
        )
    ]


# --------------------------------------------------------------------------- file shape


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("---\n- a\n- b\n---\nBody.\n", "a list, not 'key: value' lines"),
        ("---\njust text\n---\nBody.\n", "a single value, not 'key: value' lines"),
        ("---\n---\nBody.\n", "empty"),
    ],
)
def test_front_matter_must_be_a_mapping(text: str, kind: str) -> None:
    parsed, problems = parse(text)

    assert parsed is None
    assert problems == [
        error(
            "front-matter.not-mapping",
            f"the front matter is {kind}",
            at(1),
            "write one 'key: value' per line, such as 'title: Week 10'",
        )
    ]


def test_no_front_matter_takes_the_title_from_the_first_heading_and_the_date_from_the_name() -> (
    None
):
    source = SourceFile("weeknotes/2019-10-18-week-notes.md", "# Week 10\n\nJust a body.\n", "0")
    parsed, problems = parse_note(source, CONFIG_WITH_AUTHOR)

    assert problems == []
    assert parsed is not None
    assert (parsed.title, parsed.date, parsed.date_source) == (
        "Week 10",
        dt.date(2019, 10, 18),
        "the file name",
    )
    assert parsed.body == "\n\nJust a body.\n"  # the heading's line blanked, lines kept


def test_no_front_matter_and_nothing_to_date_it_by_says_where_it_looked() -> None:
    parsed, problems = parse("Just a body with no heading.\n", CONFIG_WITH_AUTHOR)

    assert parsed is None
    assert problems == [
        error("front-matter.title", NO_TITLE, at(1), NO_TITLE_HINT),
        error("front-matter.date", NO_DATE, at(1), NO_DATE_HINT),
    ]


def test_unclosed_front_matter_is_an_error() -> None:
    parsed, problems = parse("---\ntitle: A\ndate: 2026-01-09\n\nBody.\n")

    assert parsed is None
    assert problems == [
        error(
            "front-matter.unclosed",
            "the front matter opened on line 1 is never closed",
            at(1),
            "add a line with just '---' after the last front matter field",
        )
    ]


@pytest.mark.parametrize("text", ["", "  \n\n"])
def test_empty_file_is_an_error(text: str) -> None:
    parsed, problems = parse(text)

    assert parsed is None
    assert problems == [error("note.empty", "the file is empty", at(1), EXAMPLE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "---\ntitle: Week 10: moving\ndate: 2026-01-09\n---\n",
            error(
                "yaml.syntax",
                "invalid YAML: a ': ' where YAML does not expect one",
                Location(PATH, 2, 15),
                'a value containing ": " must be put in quotes, such as title: "Week 10: moving"',
            ),
            id="unquoted-colon",
        ),
        pytest.param(
            "---\ntitle: A\n\tdate: 2026-01-09\n---\n",
            error(
                "yaml.syntax",
                "invalid YAML: a tab character",
                Location(PATH, 3, 1),
                "YAML does not allow tabs for indentation: use spaces",
            ),
            id="tab",
        ),
    ],
)
def test_yaml_errors_are_located_at_file_lines(text: str, expected: Diagnostic) -> None:
    parsed, problems = parse(text)

    assert parsed is None
    assert problems == [expected]


def test_field_lines_count_blank_lines_after_the_opening_delimiter() -> None:
    _, problems = parse("---\n\n\ntitle: A\ndate: 2024-13-01\nauthor: X\n---\n")

    assert problems == [
        error("front-matter.date", "date '2024-13-01' is not a real date", at(5, 7), DATE_HINT)
    ]


def test_duplicate_key_in_front_matter_is_an_error() -> None:
    parsed, problems = parse("---\ntitle: A\ntitle: B\ndate: 2026-01-09\nauthor: X\n---\n")

    assert parsed is None
    assert problems == [
        error(
            "yaml.duplicate-key",
            "key 'title' appears twice (first on line 2)",
            at(3, 1),
            "delete one of them: YAML keeps only one value per key",
        )
    ]


def test_python_object_tag_in_front_matter_is_rejected() -> None:
    parsed, problems = parse(
        "---\ntitle: !!python/object/apply:os.getcwd []\ndate: 2026-01-09\nauthor: X\n---\n"
    )

    assert parsed is None
    assert problems == [
        error(
            "yaml.syntax",
            "invalid YAML: the tag !!python/object/apply:os.getcwd is not allowed",
            at(2, 8),
            "remove it: only text, numbers, true/false, lists and 'key: value' lines are read",
        )
    ]


def test_an_empty_author_falls_back_to_the_default_author() -> None:
    config = Config(title="T", base_url="https://e.org/", default_author="Team Bot")
    text = "---\ntitle: Week 1\ndate: 2026-01-09\nauthor: ''\n---\nBody.\n"
    parsed, problems = parse_note(SourceFile("weeknotes/a.md", text, "0"), config)
    assert problems == []
    assert parsed is not None
    assert parsed.authors == ("Team Bot",)


# --------------------------------------------------------------------------- characters


def look_for(escapes: str) -> str:
    return (
        f"delete it: look for {escapes} in double quotes, or type the value again if it was pasted"
    )


SURROGATE = "U+D800, half of a pair of codes with no other half, which is not a character"


def test_a_lone_surrogate_in_the_title_is_a_located_error() -> None:
    """`\\ud800` cannot be written out as UTF-8: it once stopped the build with a traceback."""
    parsed, problems = parse('---\ntitle: "a\\ud800b"\ndate: 2026-01-09\nauthor: A\n---\nx\n')

    assert parsed is None
    assert problems == [
        error(
            "front-matter.character", f"the title holds {SURROGATE}", at(2, 8), look_for("\\ud800")
        )
    ]


def test_every_text_field_is_checked_for_characters_that_are_not_text() -> None:
    text = (
        "---\n"
        'title: "Week\\x1b[2J 1"\n'
        "date: 2026-01-09\n"
        'authors: [Ada, "Gr\\u0085ace"]\n'
        'team: "ICT\\x7f"\n'
        'theme: [ok, "agile\\uFFFF"]\n'
        "learning:\n"
        '  - "Rust\\U0001FFFE"\n'
        'summary: "A week\\x00."\n'
        'slug: "week-1\\uFDEF"\n'
        'image: "pic\\x9b.png"\n'
        "---\n"
        "Body.\n"
    )
    parsed, problems = parse(text)

    control = "the invisible control character"
    unused = "a code Unicode keeps free and never uses for a character"
    assert parsed is None
    assert problems == [
        error(
            "front-matter.character",
            f"the title holds {control} U+001B",
            at(2, 8),
            look_for("\\e, \\x1b or \\u001b"),
        ),
        error(
            "front-matter.character",
            f"'authors' holds {control} U+0085",
            at(4, 16),
            look_for("\\N, \\x85 or \\u0085"),
        ),
        error(
            "front-matter.character",
            f"'team' holds {control} U+007F",
            at(5, 7),
            look_for("\\x7f or \\u007f"),
        ),
        error(
            "front-matter.character",
            f"'theme' holds U+FFFF, {unused}",
            at(6, 13),
            look_for("\\uffff"),
        ),
        error(
            "front-matter.character",
            f"'learning' holds U+1FFFE, {unused}",
            at(8, 5),
            look_for("\\U0001fffe"),
        ),
        error(
            "front-matter.character",
            f"'summary' holds {control} U+0000",
            at(9, 10),
            look_for("\\0, \\x00 or \\u0000"),
        ),
        error(
            "front-matter.character",
            f"'slug' holds U+FDEF, {unused}",
            at(10, 7),
            look_for("\\ufdef"),
        ),
        error(
            "front-matter.character",
            f"'image' holds {control} U+009B",
            at(11, 8),
            look_for("\\x9b or \\u009b"),
        ),
    ]


def test_tabs_newlines_and_invisible_formatting_are_still_text() -> None:
    parsed, problems = parse(
        '---\ntitle: "Week\\t1\\u200b"\ndate: 2026-01-09\nauthor: A\nsummary: "a\\nb 😀"\n---\nx\n'
    )

    assert problems == []
    assert parsed is not None
    assert parsed.title == "Week 1\u200b"
    assert parsed.summary == "a\nb 😀"


def test_exactly_the_controls_surrogates_and_noncharacters_are_refused() -> None:
    """Every code point, against Unicode's own categories: controls (but tab and newline),
    surrogates, and the 66 noncharacters."""
    refused = {code for code in range(0x110000) if odd_character(chr(code)) is not None}
    noncharacters = {*range(0xFDD0, 0xFDF0)} | {
        plane + last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)
    }
    expected = {
        code
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in ("Cc", "Cs") and chr(code) not in "\t\n"
    }
    assert len(noncharacters) == 66
    assert refused == expected | noncharacters
