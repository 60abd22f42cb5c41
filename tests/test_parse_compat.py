"""Front matter as other generators write it: their key names, author lists, drafts, old
URLs and titles kept as the first heading, read as ours."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from weeknote_gen.config import Config, FrontMatterOptions
from weeknote_gen.content.discover import SourceFile
from weeknote_gen.content.other_generators import split_names
from weeknote_gen.content.parse import ParsedNote, git_history, parse_note
from weeknote_gen.content.title_heading import take_title_heading
from weeknote_gen.errors import Diagnostic, Location, error, warning

CONFIG = Config(title="T", base_url="https://notes.example.org/", default_author="Ada")
PATH = "weeknotes/2019/w42.md"


def parse(
    text: str, config: Config = CONFIG, path: str = PATH
) -> tuple[ParsedNote | None, list[Diagnostic]]:
    return parse_note(SourceFile(path, text, "0"), config)


def parse_ok(text: str, config: Config = CONFIG, path: str = PATH) -> ParsedNote:
    parsed, problems = parse(text, config, path)
    assert problems == []
    assert parsed is not None
    return parsed


def front(lines: str, body: str = "Body.\n") -> str:
    return f"---\ntitle: Week 42\ndate: 2019-10-18\n{lines}---\n{body}"


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("description: A short week.\n", "summary", "A short week."),
        ("excerpt: A short week.\n", "summary", "A short week."),
        ("lang: cy\n", "language", "cy"),
        ("featured_image: /images/board.png\n", "image", "/images/board.png"),
    ],
)
def test_other_generators_names_are_read_as_ours(line: str, field: str, expected: str) -> None:
    parsed = parse_ok(front(line))

    assert getattr(parsed, field) == expected


def test_tags_become_themes_and_are_located_at_the_tags_line() -> None:
    parsed = parse_ok(front("tags: [housing, data]\n"))

    assert parsed.terms["theme"] == ("housing", "data")
    assert parsed.location("theme") == Location(PATH, 4)


def test_our_own_key_wins_over_another_generators_name() -> None:
    parsed = parse_ok(front("description: theirs\nsummary: ours\n"))

    assert parsed.summary == "ours"


def test_layout_keys_are_accepted_quietly_but_typos_of_ours_still_warn() -> None:
    parsed, problems = parse(front("layout: post\ncategories: [weeknotes]\nref: w42\ntitel: x\n"))

    assert parsed is not None
    assert [(p.code, p.message, p.location) for p in problems] == [
        ("front-matter.unknown-key", "unknown field 'titel' is ignored", Location(PATH, 7, 1))
    ]
    assert problems[0].hint == "did you mean 'title'?"


def test_the_tables_are_configurable() -> None:
    config = Config(
        title="T",
        base_url="https://x.org/",
        default_author="Ada",
        front_matter=FrontMatterOptions(renames={"subtitle": "summary"}, ignored=("hero",)),
    )

    parsed, problems = parse(front("subtitle: Ours now\nhero: big.png\nlayout: post\n"), config)

    assert parsed is not None and parsed.summary == "Ours now"
    assert [p.message for p in problems] == ["unknown field 'layout' is ignored"]


@pytest.mark.parametrize(
    ("line", "draft"),
    [
        ("published: false\n", True),
        ("published: true\n", False),
        ("status: draft\n", True),
        ("status: Published\n", False),
        ("status: hidden\n", True),
        ("draft: true\n", True),
    ],
)
def test_drafts_as_other_generators_mark_them(line: str, draft: bool) -> None:
    assert parse_ok(front(line)).draft is draft


def test_an_unknown_status_is_located() -> None:
    parsed, problems = parse(front("status: maybe\n"))

    assert parsed is None
    assert problems == [
        error(
            "front-matter.draft",
            "status 'maybe' is neither a draft nor published",
            Location(PATH, 4, 9),
            "write status: draft or status: published",
        )
    ]


def test_notes_in_a_drafts_folder_are_drafts() -> None:
    parsed = parse_ok(front(""), path="weeknotes/_drafts/w42.md")

    assert parsed.draft is True


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("publishDate", "2019-10-18"),
        ("pubDate", "2019-10-18"),
        ("published", "2019-10-18"),
        ("week_ending", "2019-10-18"),
        ("date", "18/10/2019"),
    ],
)
def test_dates_under_other_names_and_day_first(key: str, value: str) -> None:
    parsed, problems = parse(f"---\ntitle: W\n{key}: {value}\n---\nBody.\n")

    assert problems == []
    assert parsed is not None
    assert (parsed.date, parsed.date_source) == (dt.date(2019, 10, 18), "front matter")


@pytest.mark.parametrize(
    ("key", "value", "slug", "alias"),
    [
        ("url", "/2019/10/18/week-notes/", "week-notes", "/2019/10/18/week-notes/"),
        ("permalink", "/weeknotes/week-42.html", "week-42", "/weeknotes/week-42.html"),
        ("url", "weeknotes/w42/", "w42", "/weeknotes/w42/"),
    ],
)
def test_a_whole_old_url_gives_the_slug_and_a_redirect(
    key: str, value: str, slug: str, alias: str
) -> None:
    parsed = parse_ok(front(f"{key}: {value}\n"))

    assert (parsed.slug, parsed.aliases) == (slug, (alias,))


def test_aliases_and_redirect_from_are_read() -> None:
    assert parse_ok(front("redirect_from: [/old/a/, /old/b/]\n")).aliases == ("/old/a/", "/old/b/")
    assert parse_ok(front("aliases: /old/a/\n")).aliases == ("/old/a/",)


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("Owain, Samantha and Laura", ("Owain", "Samantha", "Laura")),
        ("Owain & Laura", ("Owain", "Laura")),
        ("Owain; Laura", ("Owain", "Laura")),
        ("Alexander Anderson", ("Alexander Anderson",)),
        ("Sandy Band", ("Sandy Band",)),
    ],
)
def test_one_string_can_name_several_authors(written: str, names: tuple[str, ...]) -> None:
    assert parse_ok(front(f"author: {written}\n")).authors == names


def test_a_repeated_author_is_kept_once() -> None:
    assert split_names("Ada and ada") == ["Ada", "ada"]
    assert parse_ok(front("author: Ada, Bo and Ada\n")).authors == ("Ada", "Bo")


def test_a_list_item_is_one_name_as_written() -> None:
    assert parse_ok(front("authors: [Ada, 'Marks and Spencer']\n")).authors == (
        "Ada",
        "Marks and Spencer",
    )


@pytest.mark.parametrize(
    ("body", "title", "rest"),
    [
        ("# Week 13\n\nText.\n", "Week 13", "\n\nText.\n"),
        ("\n## Week *13*\nText.\n", "Week 13", "\n\nText.\n"),
        ("Week 13\n=======\n\nText.\n", "Week 13", "\n\n\nText.\n"),
        ("<!-- note -->\n# [Week 13](x.md)\n", "Week 13", "<!-- note -->\n\n"),
        ("Intro line.\n\n# Week 13\n\nText.\n", "Week 13", "Intro line.\n\n\n\nText.\n"),
    ],
)
def test_the_title_can_be_the_first_heading(body: str, title: str, rest: str) -> None:
    assert take_title_heading(body) == (title, rest)


@pytest.mark.parametrize(
    "body",
    [
        "Intro.\n\n## This week\n\n# Later\n",  # a section comes first
        "```\n# not a heading\n```\n",
        "No heading at all.\n",
    ],
)
def test_a_heading_that_is_not_the_title_is_left(body: str) -> None:
    assert take_title_heading(body) is None


def test_a_front_matter_title_keeps_the_heading_in_the_body() -> None:
    parsed = parse_ok(front("", body="# Also a heading\n"))

    assert (parsed.title, parsed.body) == ("Week 42", "# Also a heading\n")


def test_unknown_key_warning_names_how_to_quieten_it() -> None:
    _, problems = parse(front("hero_banner: x.png\n"))

    assert problems == [
        warning(
            "front-matter.unknown-key",
            "unknown field 'hero_banner' is ignored",
            Location(PATH, 4, 1),
            "known fields: title, date, author, authors, summary, slug, draft, image, language,"
            " aliases, team, theme, learning; to accept it quietly, add it to"
            " front_matter.ignore in config.yaml",
        )
    ]


@pytest.mark.parametrize(
    ("path", "title", "day", "source"),
    [
        (
            "weeknotes/_posts/2019-10-18-week-notes.md",
            "Week notes",
            dt.date(2019, 10, 18),
            "the file name",
        ),
        ("weeknotes/2019/1018.md", "Week notes", dt.date(2019, 10, 18), "the folders"),
        ("weeknotes/2021-W13.md", "Week 13", dt.date(2021, 4, 2), "the ISO week in the file name"),
        ("weeknotes/notes/13.md", "Week 13: 20-10-2017", dt.date(2017, 10, 20), "the title"),
        ("weeknotes/notes/x.md", "Week notes 24/11/2022", dt.date(2022, 11, 24), "the title"),
    ],
)
def test_a_note_without_a_date_field_is_dated_from_its_path_or_title(
    path: str, title: str, day: dt.date, source: str
) -> None:
    parsed = parse_ok(f"---\ntitle: '{title}'\n---\nBody.\n", path=path)

    assert (parsed.date, parsed.date_source) == (day, source)


def test_git_history_dates_a_note_only_when_config_asks(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "weeknotes").mkdir(parents=True)
    (site / "weeknotes" / "notes.md").write_text("# Notes\n\nBody.\n", encoding="utf-8")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2020-03-06T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2020-03-06T12:00:00+00:00",
    }
    for command in (
        ["git", "init", "-q"],
        ["git", "add", "."],
        ["git", "-c", "user.name=T", "-c", "user.email=t@e.org", "commit", "-qm", "first"],
    ):
        subprocess.run(command, cwd=site, check=True, env=env)
    source = SourceFile("weeknotes/notes.md", "# Notes\n\nBody.\n", "0")
    with_git = replace(CONFIG, dates_from_git=True)

    parsed, _ = parse_note(source, with_git, git_history(site, [source], with_git))
    undated, problems = parse_note(source, CONFIG, git_history(site, [source], CONFIG))

    assert parsed is not None
    assert (parsed.date, parsed.date_source) == (dt.date(2020, 3, 6), "git history")
    assert undated is None
    assert [p.code for p in problems] == ["front-matter.date"]
    assert "dates_from_git: true" in (problems[0].hint or "")


@pytest.mark.parametrize(("written", "tag"), [("cy", "cy"), ("CY", "cy"), ("en_gb", "en-GB")])
def test_a_notes_language_is_read_from_lang_and_written_the_standard_way(
    written: str, tag: str
) -> None:
    assert parse_ok(front(f"lang: {written}\n")).language == tag


def test_a_language_that_is_not_a_tag_is_located_at_the_lang_line() -> None:
    parsed, problems = parse(front("lang: welsh\n"))

    assert parsed is None
    assert [(p.code, p.location) for p in problems] == [
        ("front-matter.language", Location(PATH, 4, 7))
    ]
    assert "cy" in problems[0].message


def test_aliases_that_are_not_text_say_what_they_should_be() -> None:
    parsed, problems = parse(front("aliases: [3]\n"))

    assert parsed is None
    assert [p.message for p in problems] == [
        "'aliases' must be an old address, or a list of them, not a number"
    ]


@pytest.mark.parametrize(
    "body",
    [
        "```\n# not\n~~~\n# inside\n```\n# Real title\n",
        "<!--\n# Draft heading\n-->\n# Real title\n",
        "````\n```\n# inside\n```\n````\n# Real title\n",
    ],
)
def test_headings_in_code_and_comments_are_not_the_title(body: str) -> None:
    found = take_title_heading(body)

    assert found is not None and found[0] == "Real title"
    assert found[1].count("\n") == body.count("\n")  # the lines stay where they were


def test_a_heading_title_is_plain_text_as_a_reader_sees_it() -> None:
    found = take_title_heading("# Notes on snake_case_names, 2*3*4 &mdash; AT&amp;T \\#1\n")

    assert found is not None
    assert found[0] == "Notes on snake_case_names, 2*3*4 — AT&T #1"


@pytest.mark.parametrize(
    "line",
    [
        "permalink: pretty\n",
        "permalink: /:year/:month/:title/\n",
        "permalink: '/weeknotes/{{ page.fileSlug }}/'\n",
        "permalink: false\n",
    ],
)
def test_a_permalink_pattern_is_not_an_old_address(line: str) -> None:
    parsed = parse_ok(front(line))

    assert (parsed.slug, parsed.aliases) == (None, ())


def test_an_undated_draft_in_the_drafts_folder_is_left_out_with_a_note() -> None:
    parsed, problems = parse("---\ntitle: An idea\n---\nBody.\n", path="weeknotes/_drafts/idea.md")

    assert parsed is None
    assert [(p.severity.value, p.code) for p in problems] == [("note", "draft.undated")]
