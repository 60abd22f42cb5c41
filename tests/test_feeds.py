"""Feeds, sitemap and robots.txt, read back with a real feed reader (feedparser)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from tests.conftest import build_site, note
from weeknote_gen.engine.build import BuildOptions, build

BASE = "https://example.org/sub/"
CONFIG = {"title": "Feeds & <Co>", "base_url": BASE, "description": "About us", "feed_entries": 3}
NOTES = {
    f"weeknotes/2026-02-0{day}-n{day}.md": note(
        title=f"Note {day} <&>",
        date=f"2026-02-0{day}",
        author="Ada Lovelace" if day % 2 else "Bo Li",
        theme=["agile", "maps"] if day < 3 else ["agile"],
        body=f"Body {day} with [a link](/sub/other/) and ![pic](pics/{day}.png) and a[^1].\n\n"
        "[^1]: Footnote.\n",
    )
    for day in range(1, 6)
}


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Path:
    root = make_site(NOTES, config=CONFIG)
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root / "_site"


def built_file(output: Path, url: str) -> Path:
    path = urlsplit(url).path
    assert path.startswith("/sub/"), url
    target = output / path.removeprefix("/sub/")
    return target / "index.html" if path.endswith("/") else target


def feed_files(output: Path) -> list[Path]:
    return sorted(output.rglob("feed.xml"))


def test_there_is_a_feed_for_the_site_each_author_and_each_term(site: Path) -> None:
    assert [p.relative_to(site).as_posix() for p in feed_files(site)] == [
        "authors/ada-lovelace/feed.xml",
        "authors/bo-li/feed.xml",
        "feed.xml",
        "theme/agile/feed.xml",
        "theme/maps/feed.xml",
    ]


def test_every_feed_parses_cleanly_and_every_entry_is_complete(site: Path) -> None:
    for path in feed_files(site):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.entries
        for entry in parsed.entries:
            for field in ("id", "title", "link", "updated", "content", "authors"):
                assert entry.get(field), (path, field)
            assert built_file(site, entry.link).is_file(), entry.link
        assert built_file(site, parsed.feed.link).is_file()


def test_site_feed_has_the_newest_entries_up_to_feed_entries(site: Path) -> None:
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert [e.title for e in parsed.entries] == ["Note 5 <&>", "Note 4 <&>", "Note 3 <&>"]
    assert parsed.feed.title == "Feeds & <Co>"
    assert parsed.feed.updated == "2026-02-05T00:00:00Z"
    first = parsed.entries[0]
    assert first.id == "tag:example.org,2026-02-05:/sub/2026/n5/"
    assert first.link == "https://example.org/sub/2026/n5/"
    assert first.published == "2026-02-05T00:00:00Z"
    assert [a.name for a in first.authors] == ["Ada Lovelace"]
    assert [(t.term, t.label, t.scheme) for t in first.tags] == [
        ("agile", "agile", "https://example.org/sub/theme/")
    ]


def test_content_links_and_images_are_absolute(site: Path) -> None:
    entry = feedparser.parse((site / "feed.xml").read_bytes()).entries[0]
    content = entry.content[0].value
    assert '<a href="https://example.org/sub/other/">a link</a>' in content
    assert 'src="https://example.org/sub/2026/n5/pics/5.png"' in content
    assert 'href="https://example.org/sub/2026/n5/#fn:1"' in content
    assert 'href="/' not in content


def test_feeds_depend_on_content_not_on_the_build_clock(make_site: Callable[..., Path]) -> None:
    outputs = []
    for index, year in enumerate((2026, 2031)):
        root = make_site(NOTES, config=CONFIG, name=f"clock{index}")
        now = dt.datetime(year, 6, 1, tzinfo=dt.UTC)
        assert build(root, BuildOptions(now=now)).ok
        outputs.append({p.name: p.read_bytes() for p in feed_files(root / "_site")})
    assert outputs[0] == outputs[1]


def test_json_feed(site: Path) -> None:
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Feeds & <Co>"
    assert feed["feed_url"] == "https://example.org/sub/feed.json"
    assert [item["title"] for item in feed["items"]] == ["Note 5 <&>", "Note 4 <&>", "Note 3 <&>"]
    item = feed["items"][0]
    assert item["id"] == "tag:example.org,2026-02-05:/sub/2026/n5/"
    assert item["authors"] == [
        {"name": "Ada Lovelace", "url": "https://example.org/sub/authors/ada-lovelace/"}
    ]
    assert item["tags"] == ["agile"]
    assert item["date_published"] == "2026-02-05T00:00:00Z"
    assert built_file(site, item["url"]).is_file()


def test_sitemap_lists_every_page_with_content_dates(site: Path) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    entries = {
        url.findtext("s:loc", namespaces=namespace): url.findtext("s:lastmod", namespaces=namespace)
        for url in root.findall("s:url", namespace)
    }
    pages = {p for p in site.rglob("index.html") if "pagefind" not in p.parts}
    assert {built_file(site, loc) for loc in entries} == pages
    assert entries["https://example.org/sub/2026/n2/"] == "2026-02-02"
    assert entries["https://example.org/sub/"] == "2026-02-05"
    assert entries["https://example.org/sub/theme/maps/"] == "2026-02-02"
    assert "https://example.org/sub/404.html" not in entries


def test_robots_points_at_the_sitemap(site: Path) -> None:
    assert (site / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sub/sitemap.xml\n"
    )


def test_every_page_advertises_the_site_feeds_and_lists_their_own(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert (
            '<link rel="alternate" type="application/atom+xml"'
            ' title="Feeds &amp; &lt;Co&gt; (Atom)" href="/sub/feed.xml">'
        ) in text, page
    author = (site / "authors" / "bo-li" / "index.html").read_text(encoding="utf-8")
    assert 'title="Notes by Bo Li" href="/sub/authors/bo-li/feed.xml">' in author
    assert '<a href="/sub/authors/bo-li/feed.xml" type="application/atom+xml">Subscribe' in author
    term = (site / "theme" / "maps" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/sub/theme/maps/feed.xml" type="application/atom+xml">Subscribe' in term


def test_note_pages_carry_sharing_metadata(site: Path) -> None:
    page = (site / "2026" / "n1" / "index.html").read_text(encoding="utf-8")
    for tag in (
        '<meta property="og:type" content="article">',
        '<meta property="og:url" content="https://example.org/sub/2026/n1/">',
        '<meta property="og:title" content="Note 1 &lt;&amp;&gt;">',
        '<meta property="article:published_time" content="2026-02-01T00:00:00+00:00">',
        '<meta property="article:author" content="Ada Lovelace">',
        '<meta property="article:tag" content="maps">',
        '<meta name="twitter:card" content="summary">',
        '<link rel="canonical" href="https://example.org/sub/2026/n1/">',
    ):
        assert tag in page, tag


DIGEST_NOTES = {
    "weeknotes/a.md": note(
        "Intro.\n\n## What I learned\n\nThat [maps](b.md) & lists help.\n\n## Next\n\nMore.\n",
        title="A <1>",
        date="2026-02-02",
        team="ICT",
        summary="Summary A.",
    ),
    "weeknotes/b.md": note(title="B", date="2026-02-05T16:30:00+00:00", author="Bo Li", team="ICT"),
    "weeknotes/c.md": note(title="C", date="2026-01-28", team=["Data", "ICT"]),
    "weeknotes/d.md": note(title="D", date="2026-01-20", team="ICT"),
}


def test_a_team_digest_feed_has_an_entry_a_week_combining_its_notes(
    make_site: Callable[..., Path],
) -> None:
    root = make_site(DIGEST_NOTES, config={**CONFIG, "feed_entries": 2})
    assert build_site(root).ok
    output = root / "_site"
    parsed = feedparser.parse((output / "team/ict/digest.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Feeds & <Co>: weekly digest of ICT"
    assert parsed.feed.link == "https://example.org/sub/team/ict/weeks/"
    assert parsed.feed.updated == "2026-02-05T16:30:00Z"
    # two weeks (feed_entries), newest first; D's week is left out
    assert [e.title for e in parsed.entries] == ["ICT: Week 6, 2026", "ICT: Week 5, 2026"]
    week6, week5 = parsed.entries
    assert week6.id == "tag:example.org,2026-02-02:/sub/team/ict/weeks/2026-W06"
    assert week6.link == "https://example.org/sub/weeks/2026-W06/"
    assert week6.updated == "2026-02-05T16:30:00Z"  # the newest note in it
    assert [a.name for a in week6.authors] == ["Bo Li", "Ada Lovelace"]
    content = week6.content[0].value
    assert '<a href="https://example.org/sub/2026/b/">B</a>' in content
    assert '<a href="https://example.org/sub/2026/a/">A &lt;1&gt;</a>' in content
    assert "<p>By Ada Lovelace, 2 February 2026</p>\n<p>Summary A.</p>" in content
    assert "<h3>What I learned</h3>" in content
    assert '<a href="https://example.org/sub/2026/b/">maps</a> &amp; lists help.' in content
    assert week5.updated == "2026-01-28T00:00:00Z"
    assert "C</a>" in week5.content[0].value  # C's first team is Data, but it is ICT's too
    assert (output / "team/data/digest.xml").is_file()


def test_a_digest_entry_keeps_its_id_when_the_week_gains_a_note(
    make_site: Callable[..., Path],
) -> None:
    ids = []
    for extra in ({}, {"weeknotes/e.md": note(title="E", date="2026-02-03", team="ICT")}):
        root = make_site({**DIGEST_NOTES, **extra}, config=CONFIG, name=f"s{len(extra)}")
        assert build_site(root).ok
        parsed = feedparser.parse((root / "_site/team/ict/digest.xml").read_bytes())
        ids.append([e.id for e in parsed.entries])
    assert ids[0] == ids[1]
