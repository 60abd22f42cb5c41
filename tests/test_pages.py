"""Pages: which pages exist, pagination, views with ready-made links, and URL clashes."""

from __future__ import annotations

from tests.conftest import note
from tests.test_model import make_site
from weeknote_gen.config import Config
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.plan import plan_pages
from weeknote_gen.site.views import NoteCard, Pagination

CONFIG = Config(title="T", base_url="https://example.org/sub/", per_page=2)


def plan(files: dict[str, str], config: Config = CONFIG) -> dict[str, PageSpec]:
    site, problems = make_site(files, config)
    assert problems == []
    specs, problems = plan_pages(site)
    assert problems == []
    return {spec.url: spec for spec in specs}


FIVE_NOTES = {
    f"weeknotes/2026-01-0{day}-n{day}.md": note(
        title=f"N{day}", date=f"2026-01-0{day}", team="Data", theme=["agile"] if day < 3 else []
    )
    for day in range(1, 6)
}


def test_the_site_has_every_kind_of_page() -> None:
    assert sorted(plan(FIVE_NOTES)) == sorted(
        [
            "/",
            "/page/2/",
            "/page/3/",
            *(f"/2026/n{day}/" for day in range(1, 6)),
            "/authors/",
            "/authors/ada-lovelace/",
            "/authors/ada-lovelace/page/2/",
            "/authors/ada-lovelace/page/3/",
            "/team/",
            "/team/data/",
            "/team/data/page/2/",
            "/team/data/page/3/",
            "/theme/",
            "/theme/agile/",
            "/theme/agile/team/data/",
            "/learning/",
            "/learning/log/",
            "/team/data/weeks/",
            "/weeks/",
            "/weeks/2026-W01/",
            "/weeks/2026-W02/",
            "/archive/",
            "/2026/",
            "/search/",
            "/404.html",
        ]
    )


def test_pagination_links_are_under_the_base_path() -> None:
    pages = plan(FIVE_NOTES)
    assert pages["/"].context["pagination"] == Pagination(1, 3, None, "/sub/page/2/")
    assert pages["/page/2/"].context["pagination"] == Pagination(2, 3, "/sub/", "/sub/page/3/")
    assert pages["/page/3/"].context["pagination"] == Pagination(3, 3, "/sub/page/2/", None)
    assert pages["/page/2/"].title == "Latest notes (page 2 of 3)"
    notes = pages["/page/3/"].context["notes"]
    assert isinstance(notes, tuple)
    assert [card.title for card in notes] == ["N1"]


def test_note_page_links_its_neighbours_and_its_card_is_ready_to_show() -> None:
    spec = plan(FIVE_NOTES)["/2026/n3/"]
    card = spec.context["note"]
    assert isinstance(card, NoteCard)
    assert (card.href, card.date_text, card.week_label, card.week_href) == (
        "/sub/2026/n3/",
        "3 January 2026",
        "Week 1, 2026",
        "/sub/weeks/2026-W01/",
    )
    assert [(g.label, [link.text for link in g.links]) for g in card.term_groups] == [
        ("Team", ["Data"])
    ]
    older, newer = spec.context["older"], spec.context["newer"]
    assert (getattr(older, "href", None), getattr(newer, "href", None)) == (
        "/sub/2026/n2/",
        "/sub/2026/n4/",
    )
    assert spec.section == "/sub/"


def test_overview_marks_the_most_active_entry() -> None:
    files = {**FIVE_NOTES, "weeknotes/x.md": note(title="X", team="Ops", date="2026-01-09")}
    entries = plan(files)["/team/"].context["entries"]
    assert isinstance(entries, tuple)
    assert [(e.name, e.count, e.most_active) for e in entries] == [
        ("Data", 5, True),
        ("Ops", 1, False),
    ]


def test_week_page_groups_notes_by_team_and_links_other_weeks() -> None:
    files = {**FIVE_NOTES, "weeknotes/x.md": note(title="X", date="2026-01-02", team="Ops")}
    spec = plan(files)["/weeks/2026-W01/"]
    groups = spec.context["groups"]
    assert isinstance(groups, tuple)
    assert [(g.heading, [n.title for n in g.notes]) for g in groups] == [
        ("Data", ["N4", "N3", "N2", "N1"]),
        ("Ops", ["X"]),
    ]
    assert spec.context["span"] == "Monday 29 December 2025 – Sunday 4 January 2026"
    assert getattr(spec.context["later"], "href", None) == "/sub/weeks/2026-W02/"
    assert spec.context["earlier"] is None


def test_a_note_whose_url_is_another_page_is_a_clash() -> None:
    config = Config(title="T", base_url="https://example.org/", permalink="/{slug}/")
    site, _ = make_site({"weeknotes/a.md": note(slug="authors")}, config)
    _, problems = plan_pages(site)
    assert [p.message for p in problems] == [
        "the authors overview and weeknotes/a.md both want the URL /authors/"
    ]


LEARNING_BODY = "Intro.\n\n## Something I'm learning\n\nPatience.\n\n## Next week\n\nMore.\n"
TEAM_NOTES = {
    "weeknotes/a.md": note(LEARNING_BODY, title="A", date="2026-01-02", team="Ops"),
    "weeknotes/b.md": note(title="B", date="2026-01-09", team="Ops", learning="SQL"),
    "weeknotes/c.md": note(title="C", date="2026-01-08", team="Data", author="Bo Li"),
}


def test_week_page_shows_each_notes_learning_passages() -> None:
    spec = plan(TEAM_NOTES)["/weeks/2026-W01/"]
    [(href, [learning])] = spec.context["learnings"].items()  # type: ignore[union-attr]
    assert href == "/sub/2026/a/"
    assert learning.heading == "Something I\u2019m learning"
    assert learning.html == "<p>Patience.</p>"
    assert learning.href == "/sub/2026/a/#something-im-learning"


def test_each_team_has_its_weeks_newest_first_and_a_digest_feed() -> None:
    pages = plan(TEAM_NOTES)
    spec = pages["/team/ops/weeks/"]
    assert spec.template == "team_weeks.html"
    assert spec.title == "Team: Ops, week by week"
    weeks = spec.context["weeks"]
    assert [(w.heading, w.href, [n.title for n in w.notes]) for w in weeks] == [  # type: ignore[attr-defined]
        ("Week 2, 2026", "/sub/weeks/2026-W02/", ["B"]),
        ("Week 1, 2026", "/sub/weeks/2026-W01/", ["A"]),
    ]
    term = pages["/team/ops/"]
    assert term.context["weeks_href"] == "/sub/team/ops/weeks/"
    digest = term.context["digest"]
    assert getattr(digest, "href", None) == "/sub/team/ops/digest.xml"
    assert digest in term.context["meta"].feeds  # type: ignore[attr-defined]
    assert pages["/theme/"].context["more"] == ()


def test_learning_logs_for_the_site_and_each_author() -> None:
    pages = plan(TEAM_NOTES)
    log = pages["/learning/log/"].context["entries"]
    assert [(e.note.title, len(e.learnings), [t.text for t in e.tags]) for e in log] == [  # type: ignore[attr-defined]
        ("B", 0, ["SQL"]),
        ("A", 1, []),
    ]
    assert pages["/learning/log/"].section == "/sub/learning/"
    author = pages["/authors/ada-lovelace/learning/"]
    assert author.title == "What Ada Lovelace is learning"
    assert pages["/authors/ada-lovelace/"].context["learning_href"] == (
        "/sub/authors/ada-lovelace/learning/"
    )
    assert "/authors/bo-li/learning/" not in pages  # nothing learned, no page
    assert pages["/authors/bo-li/"].context["learning_href"] == ""
    assert [link.text for link in pages["/learning/"].context["more"]] == [  # type: ignore[attr-defined]
        "Read the learning log"
    ]


def test_learning_logs_are_paginated_and_count_down_across_pages() -> None:
    notes = {
        f"weeknotes/2026-01-0{day}-l{day}.md": note(
            f"## Something I'm learning\n\nLesson {day}.\n", title=f"L{day}", date=f"2026-01-0{day}"
        )
        for day in range(1, 6)
    }
    pages = plan(notes)  # per_page=2: five entries make three pages
    first, third = pages["/learning/log/"], pages["/learning/log/page/3/"]
    assert [e.note.title for e in first.context["entries"]] == ["L5", "L4"]  # type: ignore[attr-defined]
    assert first.context["start"] == 5 and third.context["start"] == 1
    assert [e.note.title for e in third.context["entries"]] == ["L1"]  # type: ignore[attr-defined]
    assert first.context["pagination"] == Pagination(1, 3, None, "/sub/learning/log/page/2/")
    assert third.title == "Learning log (page 3 of 3)"
    assert "/authors/ada-lovelace/learning/page/3/" in pages
