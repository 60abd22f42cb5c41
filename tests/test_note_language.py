"""A note in another language than the site's (WCAG 2.2 SC 3.1.1 and 3.1.2): its own page is
in its language, and every passage of every page, and every feed entry, declares the
language it is written in."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from tests.conftest import build_site, note

CONFIG = {
    "title": "Team notes",
    "base_url": "https://notes.example.org/",
    "language": "en-GB",
    "taxonomies": ["team", "learning"],
    "learning_headings": ["Something I'm learning", "Beth dw i'n ei ddysgu"],
}
WELSH_TITLE = "Wythnos 2: Gliniaduron newydd"
WELSH_SUMMARY = "Mae gan bob llyfrgell liniaduron newydd."
WELSH_BODY = """\
## Yr wythnos hon

Fe wnaethon ni osod deuddeg gliniadur newydd.

## Cynnwys

Rhestr fer.

## Diolch

Diolch i staff y llyfrgelloedd.

## Beth dw i'n ei ddysgu

Mae profi gyda'r staff yn gyntaf yn arbed amser.
"""
NOTES = {
    "weeknotes/2026-01-09-one.md": note(
        title="Week 1: planning",
        date="2026-01-09",
        summary="We planned the laptop refresh.",
        team="ICT",
        body="## Something I'm learning\n\nPlanning takes longer than doing.\n",
    ),
    "weeknotes/2026-01-16-two.md": note(
        title=WELSH_TITLE,
        date="2026-01-16",
        lang="cy",
        summary=WELSH_SUMMARY,
        team="ICT",
        learning=["testing"],
        body=WELSH_BODY,
    ),
    "weeknotes/2026-01-23-three.md": note(
        title="Week 3: after the refresh", date="2026-01-23", team="ICT"
    ),
    # a fourth ICT note, so the Welsh note's related notes are more than its neighbours
    "weeknotes/2026-01-30-four.md": note(
        title="Week 4: back to normal", date="2026-01-30", team="ICT"
    ),
}


class Languages(HTMLParser):
    """Each piece of text on a page with the language it is in: the nearest `lang` above it,
    as browsers and screen readers work it out."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.texts: dict[str, set[str]] = {}
        self.html_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        inherited = self.stack[-1][1] if self.stack else ""
        lang = values.get("lang") or inherited
        if tag == "html":
            self.html_lang = lang
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and self.stack:
            self.texts.setdefault(text, set()).add(self.stack[-1][1])


def languages(page: Path) -> Languages:
    parser = Languages()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def language_of(parser: Languages, text: str) -> str:
    found = parser.texts.get(text)
    assert found, f"{text!r} is not on the page"
    assert len(found) == 1, f"{text!r} is in several languages: {found}"
    return next(iter(found))


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Path:
    root = make_site(NOTES, config=CONFIG)
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root / "_site"


def test_the_welsh_note_s_page_is_in_welsh_and_the_site_s_words_in_english(site: Path) -> None:
    page = site / "2026" / "two" / "index.html"
    found = languages(page)
    html = page.read_text(encoding="utf-8")

    assert found.html_lang == "cy"
    assert '<meta property="og:locale" content="cy">' in html
    for welsh in (WELSH_TITLE, "Yr wythnos hon", "Diolch i staff y llyfrgelloedd."):
        assert language_of(found, welsh) == "cy", welsh
    # The contents list holds the note's headings, under the site's "Contents".
    assert language_of(found, "Cynnwys") == "cy"
    for english in (
        "Skip to main content",
        "Team notes",  # the site title in the header
        "Search notes",
        "Contents",
        "By",
        "min read",
        "Team:",
        "Previous note",
        "Next note",
        "Related notes",
        "Every note, week by week",
        "Built with weeknote-gen.",
    ):
        assert any(
            english in text and lang == "en-GB"
            for text, langs in found.texts.items()
            for lang in langs
        ), english
    # Neighbours' titles, in prev/next and related notes, are in English again.
    assert language_of(found, "Week 1: planning") == "en-GB"
    assert language_of(found, "Week 3: after the refresh") == "en-GB"
    # Nothing on the page is left without a language.
    assert all("" not in langs for langs in found.texts.values())


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "archive/index.html",
        "weeks/2026-W03/index.html",
        "team/ict/index.html",
        "team/ict/weeks/index.html",
        "authors/ada-lovelace/index.html",
        "learning/log/index.html",
        "learning/testing/index.html",
        "2026/one/index.html",  # the Welsh note as the next note, and as a related note
        "2026/three/index.html",  # the Welsh note as the previous note
    ],
)
def test_the_welsh_note_s_words_are_marked_welsh_on_english_pages(site: Path, page: str) -> None:
    found = languages(site / page)

    assert found.html_lang == "en-GB"
    assert language_of(found, WELSH_TITLE) == "cy"
    if WELSH_SUMMARY in found.texts:
        assert language_of(found, WELSH_SUMMARY) == "cy"
    for english in ("Week 1: planning", "Week 3: after the refresh"):
        if english in found.texts:
            assert language_of(found, english) == "en-GB"


def test_learning_passages_keep_the_note_s_language(site: Path) -> None:
    found = languages(site / "learning" / "log" / "index.html")

    # (Straight apostrophes become typographic ones on the page.)
    assert language_of(found, "Mae profi gyda’r staff yn gyntaf yn arbed amser.") == "cy"
    assert language_of(found, "Planning takes longer than doing.") == "en-GB"
    assert language_of(found, "Learning tag:") == "en-GB"
    # The log leaves out headings that say no more than a learning heading; a week's page
    # shows them, each in its note's language
    week = languages(site / "weeks" / "2026-W03" / "index.html")
    assert language_of(week, "Beth dw i’n ei ddysgu") == "cy"
    assert language_of(week, "Mae profi gyda’r staff yn gyntaf yn arbed amser.") == "cy"


def test_atom_entries_say_when_a_note_is_not_in_the_feed_s_language(site: Path) -> None:
    for path in ("feed.xml", "team/ict/feed.xml", "authors/ada-lovelace/feed.xml"):
        parsed = feedparser.parse((site / path).read_bytes())
        assert not parsed.bozo, path
        assert parsed.feed.title_detail.language == "en-GB"
        by_title = {entry.title: entry for entry in parsed.entries}
        welsh = by_title[WELSH_TITLE]
        assert welsh.title_detail.language == "cy"
        assert welsh.summary_detail.language == "cy"
        assert welsh.content[0].language == "cy"
        assert by_title["Week 1: planning"].title_detail.language == "en-GB"
    raw = (site / "feed.xml").read_text(encoding="utf-8")
    assert raw.count('xml:lang="cy"') == 1  # on the entry; its parts inherit it


def test_json_feed_items_say_when_a_note_is_not_in_the_feed_s_language(site: Path) -> None:
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))

    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["language"] == "en-GB"
    languages_by_title = {item["title"]: item.get("language") for item in feed["items"]}
    assert languages_by_title == {
        "Week 4: back to normal": None,
        "Week 3: after the refresh": None,
        WELSH_TITLE: "cy",
        "Week 1: planning": None,
    }


def test_the_digest_feed_marks_the_welsh_note_s_part(site: Path) -> None:
    parsed = feedparser.parse((site / "team" / "ict" / "digest.xml").read_bytes())
    assert not parsed.bozo
    html = "\n".join(entry.content[0].value for entry in parsed.entries)

    assert f'<h2 lang="cy"><a href="https://notes.example.org/2026/two/">{WELSH_TITLE}</a>' in html
    assert f'<p lang="cy">{WELSH_SUMMARY}</p>' in html
    assert '<h2><a href="https://notes.example.org/2026/one/">Week 1: planning</a>' in html
    assert "<p>By Ada Lovelace, 16 January 2026</p>" in html  # the digest's own words


def test_a_note_in_the_site_s_language_gets_no_lang_of_its_own(
    make_site: Callable[..., Path],
) -> None:
    notes = {"weeknotes/2026-01-09-one.md": note(title="Week 1", lang="en_gb", summary="Hi")}
    root = make_site(notes, config=CONFIG)
    assert build_site(root).ok
    output = root / "_site"

    for page in ("index.html", "2026/one/index.html", "archive/index.html"):
        html = (output / page).read_text(encoding="utf-8")
        assert html.count("lang=") == 1, page  # only <html lang="en-GB">
        assert '<html lang="en-GB">' in html
    assert "language" not in json.loads((output / "feed.json").read_bytes())["items"][0]
    assert 'xml:lang="en-GB"' in (output / "feed.xml").read_text(encoding="utf-8")
    assert (output / "feed.xml").read_text(encoding="utf-8").count("xml:lang") == 1
