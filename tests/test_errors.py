"""Diagnostics as data: locations, editor-style formatting, the report and its count line."""

from __future__ import annotations

import pytest

from weeknote_gen.errors import (
    Diagnostic,
    Diagnostics,
    Location,
    Severity,
    error,
    format_report,
    warning,
)

NOTE = "weeknotes/2024/w10.md"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (Location(NOTE), "weeknotes/2024/w10.md"),
        (Location(NOTE, 3), "weeknotes/2024/w10.md:3"),
        (Location(NOTE, 3, 8), "weeknotes/2024/w10.md:3:8"),
    ],
)
def test_location_str_is_path_then_line_then_column(location: Location, expected: str) -> None:
    assert str(location) == expected


def test_location_column_is_not_shown_without_a_line() -> None:
    assert str(Location(NOTE, None, 8)) == "weeknotes/2024/w10.md"


def test_error_helper_builds_an_error_diagnostic() -> None:
    made = error("config.title", "'title' is required", Location("config.yaml", 1), "add one")

    assert made == Diagnostic(
        Severity.ERROR, "config.title", "'title' is required", Location("config.yaml", 1), "add one"
    )
    assert made.is_error is True


def test_warning_helper_builds_a_warning_diagnostic() -> None:
    made = warning("content.symlink", "skipped", Location("weeknotes/a.md"))

    assert made == Diagnostic(
        Severity.WARNING, "content.symlink", "skipped", Location("weeknotes/a.md"), None
    )
    assert made.is_error is False


def test_format_without_hint_is_one_editor_style_line() -> None:
    diagnostic = error(
        "front-matter.date", "date '2024-13-01' is not a valid date", Location(NOTE, 3, 8)
    )

    assert diagnostic.format() == (
        "weeknotes/2024/w10.md:3:8: error: date '2024-13-01' is not a valid date "
        "[front-matter.date]"
    )


def test_format_with_hint_adds_an_indented_hint_line() -> None:
    diagnostic = warning(
        "front-matter.unknown-key",
        "unknown field 'tittle' is ignored",
        Location(NOTE, 2, 1),
        "did you mean 'title'?",
    )

    assert diagnostic.format() == (
        "weeknotes/2024/w10.md:2:1: warning: unknown field 'tittle' is ignored "
        "[front-matter.unknown-key]\n"
        "  hint: did you mean 'title'?"
    )


def test_format_without_location_starts_with_the_severity() -> None:
    diagnostic = error("build.internal", "something broke")

    assert diagnostic.format() == "error: something broke [build.internal]"


def test_format_report_orders_by_file_then_line_then_column() -> None:
    items = [
        error("c.b", "in b", Location("weeknotes/b.md", 1, 1)),
        error("c.a10", "a line 10", Location("weeknotes/a.md", 10, 1)),
        error("c.a2col5", "a line 2 col 5", Location("weeknotes/a.md", 2, 5)),
        error("c.a2col1", "a line 2 col 1", Location("weeknotes/a.md", 2, 1)),
        error("c.file", "a whole file", Location("weeknotes/a.md")),
    ]

    report = format_report(items)

    assert report.splitlines() == [
        "weeknotes/a.md: error: a whole file [c.file]",
        "weeknotes/a.md:2:1: error: a line 2 col 1 [c.a2col1]",
        "weeknotes/a.md:2:5: error: a line 2 col 5 [c.a2col5]",
        "weeknotes/a.md:10:1: error: a line 10 [c.a10]",
        "weeknotes/b.md:1:1: error: in b [c.b]",
        "5 errors; nothing was written",
    ]


def test_format_report_counts_two_errors_and_says_nothing_was_written() -> None:
    items = [
        error("config.title", "'title' is required", Location("config.yaml", 1)),
        error("config.base-url", "'base_url' is required", Location("config.yaml", 1)),
    ]

    assert format_report(items).splitlines()[-1] == "2 errors; nothing was written"


def test_format_report_uses_singular_for_one_error() -> None:
    items = [error("config.title", "'title' is required", Location("config.yaml", 1))]

    assert format_report(items) == (
        "config.yaml:1: error: 'title' is required [config.title]\n1 error; nothing was written"
    )


def test_format_report_with_one_warning_ends_with_warning_count() -> None:
    items = [warning("content.symlink", "skipped", Location("weeknotes/a.md"))]

    assert format_report(items) == ("weeknotes/a.md: warning: skipped [content.symlink]\n1 warning")


def test_format_report_with_two_warnings_uses_plural() -> None:
    items = [
        warning("content.symlink", "skipped", Location("weeknotes/a.md")),
        warning("content.symlink", "skipped", Location("weeknotes/b.md")),
    ]

    assert format_report(items).splitlines()[-1] == "2 warnings"


def test_format_report_with_errors_and_warnings_counts_both() -> None:
    items = [
        warning("content.symlink", "skipped", Location("weeknotes/a.md")),
        error("front-matter.title", "the note has no title", Location("weeknotes/b.md", 1)),
    ]

    assert format_report(items).splitlines()[-1] == "1 error and 1 warning; nothing was written"


def test_format_report_strict_counts_warnings_as_errors() -> None:
    items = [
        warning("content.symlink", "skipped", Location("weeknotes/a.md")),
        warning("content.symlink", "skipped", Location("weeknotes/b.md")),
    ]

    report = format_report(items, strict=True)

    assert report.splitlines() == [
        "weeknotes/a.md: warning: skipped [content.symlink]",
        "weeknotes/b.md: warning: skipped [content.symlink]",
        "2 errors; nothing was written",
    ]


def test_format_report_of_nothing_is_empty() -> None:
    assert format_report([]) == ""
    assert format_report([], strict=True) == ""


def test_has_errors_is_false_for_warnings_only() -> None:
    collected = Diagnostics([warning("content.symlink", "skipped", Location("weeknotes/a.md"))])

    assert collected.has_errors() is False


def test_has_errors_under_strict_is_true_for_warnings_only() -> None:
    collected = Diagnostics([warning("content.symlink", "skipped", Location("weeknotes/a.md"))])

    assert collected.has_errors(strict=True) is True


def test_has_errors_is_true_when_an_error_was_added() -> None:
    collected = Diagnostics()
    collected.add(warning("content.symlink", "skipped", Location("weeknotes/a.md")))
    collected.add(error("note.empty", "the file is empty", Location("weeknotes/b.md", 1)))

    assert collected.has_errors() is True


@pytest.mark.parametrize("strict", [False, True])
def test_has_errors_is_false_when_empty(strict: bool) -> None:
    assert Diagnostics().has_errors(strict=strict) is False


def test_errors_and_warnings_split_by_severity() -> None:
    first_warning = warning("content.symlink", "skipped", Location("weeknotes/a.md"))
    first_error = error("note.empty", "the file is empty", Location("weeknotes/b.md", 1))
    collected = Diagnostics()
    collected.extend([first_warning, first_error])

    assert collected.errors == (first_error,)
    assert collected.warnings == (first_warning,)
    assert len(collected) == 2
    assert list(collected) == [first_warning, first_error]


def test_sorted_orders_by_location_then_code() -> None:
    later = error("c.z", "z", Location("weeknotes/b.md", 1))
    same_place_b = error("c.b", "b", Location("weeknotes/a.md", 4, 2))
    same_place_a = error("c.a", "a", Location("weeknotes/a.md", 4, 2))
    unlocated = error("c.none", "no location")
    collected = Diagnostics([later, same_place_b, same_place_a, unlocated])

    assert collected.sorted() == (unlocated, same_place_a, same_place_b, later)
