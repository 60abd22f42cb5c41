"""Model: slugs, weeks, URL rules and the cross-note checks of `assemble`."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import FIXED_NOW, note
from weeknote_gen.config import AuthorProfile, Config, MarkdownOptions
from weeknote_gen.content.assemble import AssembleOptions, assemble
from weeknote_gen.content.discover import SourceFile
from weeknote_gen.content.markdown import render_markdown
from weeknote_gen.content.model import Site
from weeknote_gen.content.parse import parse_note
from weeknote_gen.errors import Diagnostic, Location, Severity, error
from weeknote_gen.urls import (
    WeekId,
    format_date,
    note_url,
    output_path,
    page_url,
    site_href,
    slugify,
)

CONFIG = Config(title="T", base_url="https://example.org/notes/")


def make_site(
    files: dict[str, str], config: Config = CONFIG, **options: object
) -> tuple[Site, list[Diagnostic]]:
    pairs = []
    for path, text in sorted(files.items()):
        parsed, problems = parse_note(SourceFile(path, text, "0"), config)
        assert parsed is not None, problems
        pairs.append((parsed, render_markdown(parsed.body, MarkdownOptions())))
    return assemble(pairs, config, AssembleOptions(now=FIXED_NOW, **options))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ken Eastwood", "ken-eastwood"),
        ("Working In The Open", "working-in-the-open"),
        ("  information   sharing ", "information-sharing"),
        ("C++ & <Rust>", "c-rust"),
        ("What we’re learning", "what-were-learning"),
        ("Café society", "café-society"),
        ("snake_case_name", "snake-case-name"),
        ("!!!", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_week_id_describes_iso_weeks() -> None:
    week = WeekId.of(dt.date(2019, 7, 12))
    assert (week.year, week.week, week.slug, week.label) == (2019, 28, "2019-W28", "Week 28, 2019")
    assert week.span == "Monday 8 – Sunday 14 July 2019"
    assert WeekId(2019, 31).span == "Monday 29 July – Sunday 4 August 2019"
    assert WeekId(2020, 1).span == "Monday 30 December 2019 – Sunday 5 January 2020"
    assert WeekId.of(dt.date(2021, 1, 1)) == WeekId(2020, 53)


def test_format_date_is_written_out() -> None:
    assert format_date(dt.date(2019, 7, 2)) == "2 July 2019"


def test_url_rules() -> None:
    day = dt.date(2024, 3, 8)
    pattern = "/{year}/{month}/{day}/w{week}/{author}/{slug}/"
    assert note_url(pattern, day=day, slug="s", author="a") == "/2024/03/08/w10/a/s/"
    assert note_url("/{slug}/", day=day, slug="café", author="a") == "/caf%C3%A9/"
    assert page_url("/theme/agile/", 1) == "/theme/agile/"
    assert page_url("/theme/agile/", 3) == "/theme/agile/page/3/"
    assert output_path("/") == "index.html"
    assert output_path("/caf%C3%A9/") == "café/index.html"
    assert output_path("/404.html") == "404.html"
    assert site_href(CONFIG, "/authors/") == "/notes/authors/"


def test_terms_merge_across_case_and_spacing_and_show_the_most_used_spelling() -> None:
    site, problems = make_site(
        {
            "weeknotes/a.md": note(theme="Information Sharing"),
            "weeknotes/b.md": note(title="B", theme=["information sharing "], date="2026-01-10"),
            "weeknotes/c.md": note(title="C", theme="information  sharing", date="2026-01-11"),
        }
    )
    assert problems == []
    terms = site.taxonomies["theme"].terms
    assert list(terms) == ["information-sharing"]
    assert terms["information-sharing"].name == "information sharing"
    assert terms["information-sharing"].note_keys == (
        "weeknotes/c.md",
        "weeknotes/b.md",
        "weeknotes/a.md",
    )


def test_notes_are_newest_first_and_drafts_and_future_notes_are_left_out() -> None:
    files = {
        "weeknotes/old.md": note(title="Old", date="2026-01-02"),
        "weeknotes/new.md": note(title="New", date="2026-02-06"),
        "weeknotes/draft.md": note(title="Draft", draft=True),
        "weeknotes/later.md": note(title="Later", date="2026-12-25"),
        "weeknotes/tonight.md": note(title="Tonight", date="2026-11-20T18:00:00+00:00"),
    }
    site, _ = make_site(files)
    assert [n.title for n in site.notes.values()] == ["New", "Old"]
    assert (site.skipped_drafts, site.skipped_future) == (1, 2)
    everything, _ = make_site(files, include_drafts=True, include_future=True)
    assert len(everything.notes) == 5


def test_two_notes_at_one_url_are_reported_naming_both_files() -> None:
    _, problems = make_site(
        {"weeknotes/a/week-1.md": note(), "weeknotes/b/week-1.md": note(author="Bo Li")}
    )
    assert [p.format() for p in problems] == [
        "weeknotes/b/week-1.md: error: weeknotes/b/week-1.md and weeknotes/a/week-1.md both"
        " have the URL /2026/week-1/ [url.clash]\n  hint: set permalink:"
        ' "/{year}/{author}/{slug}/" in config.yaml, which gives every note its own URL, or give'
        " one of them a different 'slug:' in its front matter"
    ]


def test_a_clash_no_familiar_permalink_separates_asks_for_a_slug() -> None:
    _, problems = make_site({"weeknotes/a/week-1.md": note(), "weeknotes/b/week-1.md": note()})

    assert [p.hint for p in problems] == [
        "give one of them a different 'slug:' in its front matter"
    ]


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("weeknotes/posts/36/index.md", "/2026/36/"),
        ("weeknotes/2026-01-09-week-notes/index.md", "/2026/week-notes/"),
        ("weeknotes/gareth/2026-01-09.md", "/2026/2026-01-09/"),
        ("weeknotes/2026-01-09-week-notes.md", "/2026/week-notes/"),
    ],
)
def test_slugs_made_from_page_bundles_and_dated_names(path: str, url: str) -> None:
    site, problems = make_site({path: note(title="This week at the Hub")})

    assert problems == []
    assert [n.url for n in site.notes.values()] == [url]


@pytest.mark.parametrize("slug", ["week_3", "wythnos-ŵ", "2026-w13"])
def test_a_safe_slug_is_kept_as_written(slug: str) -> None:
    site, problems = make_site({"weeknotes/a.md": note(slug=slug)})

    assert problems == []
    assert [n.slug for n in site.notes.values()] == [slug]


def test_slugs_other_generators_accept_are_tidied_and_said_once() -> None:
    site, problems = make_site(
        {
            "weeknotes/a.md": note(slug="Week_3"),
            "weeknotes/b.md": note(slug="My Week!", title="B"),
        }
    )

    assert sorted(n.slug for n in site.notes.values()) == ["my-week", "week-3"]
    assert [(p.severity, p.code, p.location) for p in problems] == [
        (Severity.NOTE, "slug.tidied", Location("weeknotes"))
    ]
    assert problems[0].message == (
        "2 notes have a slug with capitals, spaces or punctuation, so it was tidied for the"
        " URL: 'Week_3' became 'week-3' in weeknotes/a.md"
    )


def test_slug_must_already_be_clean() -> None:
    _, problems = make_site({"weeknotes/a.md": note(slug="../../x")})
    assert [(p.code, str(p.location), p.hint) for p in problems] == [
        ("front-matter.slug", "weeknotes/a.md:5", "try: slug: x")
    ]


def test_a_clean_slug_that_is_too_long_is_called_too_long() -> None:
    slug = "-".join(["week"] * 30)  # 149 characters
    _, problems = make_site({"weeknotes/a.md": note(slug=slug)})

    assert problems == [
        error(
            "front-matter.slug",
            "the slug is too long: 149 characters, and a slug can have at most 100",
            Location("weeknotes/a.md", 5),
            "try: slug: " + "-".join(["week"] * 20),
        )
    ]


def test_a_long_slug_of_letters_beyond_ascii_is_measured_in_bytes() -> None:
    slug = "-".join(["wythnos", "ŵŷ" * 30])
    _, problems = make_site({"weeknotes/a.md": note(slug=slug)})

    assert [p.message for p in problems] == [
        "the slug is too long: 128 bytes in UTF-8, and a slug can have at most 100"
    ]
    assert problems[0].hint == "try: slug: wythnos"


def test_a_long_slug_that_is_not_clean_is_tidied_and_shortened() -> None:
    slug = "-".join(["Week"] * 30)
    site, problems = make_site({"weeknotes/a.md": note(slug=slug)})

    assert [p.code for p in problems] == ["slug.tidied"]
    assert [n.slug for n in site.notes.values()] == ["-".join(["week"] * 20)]


@pytest.mark.parametrize("slug", ["con", "nul", "aux", "prn", "com1", "com9", "lpt1", "lpt9"])
def test_a_slug_windows_keeps_for_a_device_is_an_error(slug: str) -> None:
    _, problems = make_site({"weeknotes/a.md": note(slug=slug)})

    assert problems == [
        error(
            "front-matter.slug",
            f"the slug, '{slug}', is a name Windows keeps for a device, so the note's folder"
            " could not be made on Windows",
            Location("weeknotes/a.md", 5),
            f"pick another slug, such as: slug: {slug}-notes",
        )
    ]


@pytest.mark.parametrize(
    ("path", "title", "made_from", "slug"),
    [
        ("weeknotes/2026-01-09-CON.md", "Week 1", "file name", "con"),
        ("weeknotes/2026-01-09-.md", "Aux", "title", "aux"),
    ],
)
def test_a_made_slug_windows_keeps_for_a_device_is_reported_on_the_title(
    path: str, title: str, made_from: str, slug: str
) -> None:
    _, problems = make_site({path: note(title=title)})

    assert problems == [
        error(
            "front-matter.slug",
            f"the URL slug made from the {made_from}, '{slug}', is a name Windows keeps for a"
            " device, so the note's folder could not be made on Windows",
            Location(path, 2),
            f"pick another slug, such as: slug: {slug}-notes",
        )
    ]


@pytest.mark.parametrize("slug", ["com", "com0", "com10", "console", "lpt", "null", "con-1"])
def test_names_near_the_device_names_are_fine(slug: str) -> None:
    site, problems = make_site({"weeknotes/a.md": note(slug=slug)})
    assert problems == []
    assert next(iter(site.notes.values())).slug == slug


def test_default_slug_drops_the_leading_date_of_the_file_name() -> None:
    site, _ = make_site({"weeknotes/2026-01-09-week-2-ada.md": note()})
    assert next(iter(site.notes.values())).url == "/2026/week-2-ada/"


def test_links_to_note_files_become_note_urls_and_missing_ones_are_warned() -> None:
    site, problems = make_site(
        {
            "weeknotes/2026/a.md": note(body="See [b](../b.md#part) and [x](x.md).\n"),
            "weeknotes/b.md": note(title="B", date="2026-01-02"),
        }
    )
    html = site.notes["weeknotes/2026/a.md"].html
    assert '<a href="/notes/2026/b/#part">b</a>' in html
    assert '<a data-missing-link="">x</a>' in html
    assert [(p.code, p.message) for p in problems] == [
        (
            "link.missing-note",
            "link to 'x.md' points at a note that does not exist; the link was left out",
        )
    ]


def test_authors_use_config_spelling_and_profile_and_unknown_authors_are_warned() -> None:
    config = Config(
        title="T",
        base_url="https://example.org/",
        authors=(AuthorProfile("Ada Lovelace", role="R"),),
    )
    site, problems = make_site(
        {
            "weeknotes/a.md": note(author="ada lovelace"),
            "weeknotes/b.md": note(title="B", authors=["Ada Lovelace", "Bo Li"]),
        },
        config,
    )
    assert {s: (a.name, a.profile is not None) for s, a in site.authors.items()} == {
        "ada-lovelace": ("Ada Lovelace", True),
        "bo-li": ("Bo Li", False),
    }
    assert [(p.code, p.message) for p in problems] == [
        ("author.unknown", "author 'Bo Li' is not in config.yaml")
    ]


def test_related_notes_share_the_most_terms() -> None:
    site, _ = make_site(
        {
            "weeknotes/a.md": note(title="A", theme=["x", "y"], team="t"),
            "weeknotes/b.md": note(title="B", theme=["x", "y"], date="2026-01-02"),
            "weeknotes/c.md": note(title="C", theme=["x"], date="2026-01-03"),
            "weeknotes/d.md": note(title="D", theme=["z"], date="2026-01-04"),
        }
    )
    assert site.related["weeknotes/a.md"] == ("weeknotes/b.md", "weeknotes/c.md")
    assert site.related["weeknotes/d.md"] == ()


def test_weeks_group_notes_by_iso_week_newest_first() -> None:
    site, _ = make_site(
        {
            "weeknotes/a.md": note(title="A", date="2026-01-05"),
            "weeknotes/b.md": note(title="B", date="2026-01-11"),
            "weeknotes/c.md": note(title="C", date="2026-01-12"),
        }
    )
    assert [(w.id.slug, w.note_keys) for w in site.weeks.values()] == [
        ("2026-W03", ("weeknotes/c.md",)),
        ("2026-W02", ("weeknotes/b.md", "weeknotes/a.md")),
    ]


def test_a_draft_with_a_bad_slug_is_reported_even_though_it_is_not_built() -> None:
    _, problems = make_site({"weeknotes/a.md": note(slug="../bad", draft=True)})
    assert [(p.code, str(p.location)) for p in problems] == [
        ("front-matter.slug", "weeknotes/a.md:5")
    ]


def test_links_from_the_site_root_and_missing_links_are_located() -> None:
    site, problems = make_site(
        {
            "weeknotes/2026/a.md": note(
                body="Intro.\n\nSee [b](/weeknotes/b.md) and\n[x](x.md).\n"
            ),
            "weeknotes/b.md": note(title="B", date="2026-01-02"),
        }
    )
    assert '<a href="/notes/2026/b/">b</a>' in site.notes["weeknotes/2026/a.md"].html
    assert [(p.code, str(p.location)) for p in problems] == [
        ("link.missing-note", "weeknotes/2026/a.md:9")
    ]


def test_files_named_by_date_and_the_same_words_keep_their_dates_in_the_slug() -> None:
    site, problems = make_site(
        {
            "weeknotes/2026-01-09-week-notes.md": note(title="A", date="2026-01-09"),
            "weeknotes/2026-01-16-week-notes.md": note(title="B", date="2026-01-16"),
            "weeknotes/2026-01-16-retro.md": note(title="C", date="2026-01-16"),
        }
    )

    assert problems == []
    assert sorted(n.url for n in site.notes.values()) == [
        "/2026/2026-01-09-week-notes/",
        "/2026/2026-01-16-week-notes/",
        "/2026/retro/",
    ]


def test_a_translation_under_the_same_name_takes_its_language_in_the_slug() -> None:
    site, problems = make_site(
        {
            "weeknotes/en/2026-01-09-week-notes.md": note(title="Week notes"),
            "weeknotes/cy/2026-01-09-week-notes.md": note(title="Wythnos", language="cy"),
        }
    )

    assert problems == []
    assert sorted(n.url for n in site.notes.values()) == [
        "/2026/2026-01-09-week-notes-cy/",
        "/2026/2026-01-09-week-notes/",
    ]


def test_a_copy_in_the_sites_own_language_keeps_its_slug_when_its_region_is_not_given() -> None:
    site, problems = make_site(
        {
            "weeknotes/en/2026-01-09-week-notes.md": note(title="Week notes", language="en"),
            "weeknotes/cy/2026-01-09-week-notes.md": note(title="Wythnos", language="cy"),
        },
    )

    assert problems == []
    assert sorted(n.url for n in site.notes.values()) == [
        "/2026/2026-01-09-week-notes-cy/",
        "/2026/2026-01-09-week-notes/",
    ]


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("weeknotes/2019/10/18.md", "/2019/2019-10-18/"),
        ("weeknotes/2019/1018.md", "/2019/2019-10-18/"),
        ("weeknotes/2019/10/18/index.md", "/2019/2019-10-18/"),
    ],
)
def test_a_note_named_only_by_its_day_in_dated_folders_takes_the_date(path: str, url: str) -> None:
    site, problems = make_site({path: note(title="This week", date=...)})

    assert problems == [] or [p.code for p in problems] == ["date.inferred"]
    assert [n.url for n in site.notes.values()] == [url]
