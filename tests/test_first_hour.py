"""What a new reader trips over in the first hour (issue 14), checked on every page of the
golden sites (which tests/test_golden.py ties byte for byte to real builds) and on sites made
here: a favicon on every page, the code stylesheet only where there is code, no note twice at
the foot of a note, no link from a week's page to itself, and a learning log that does not
repeat the same linked heading on every entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import build_site, note, write_site

EXPECTED = Path(__file__).resolve().parent / "golden" / "expected"
SITES = sorted(p.name for p in EXPECTED.iterdir() if p.is_dir())
CONFIG = {"title": "T", "base_url": "https://e.org/", "search": False}


def _pages(site: str) -> list[Path]:
    return sorted((EXPECTED / site).rglob("*.html"))


def _hrefs(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


@pytest.mark.parametrize("site", SITES)
def test_every_page_has_an_icon_and_code_styles_only_with_code(site: str) -> None:
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        if "<head>" not in html or 'http-equiv="refresh"' in html:
            continue  # redirect pages of old addresses
        assert len(_hrefs(html, r'<link rel="icon" href="([^"]+)">')) == 1, page
        has_code = 'class="codehilite"' in html
        assert ("pygments.css" in html) == has_code, page


def test_related_notes_never_repeat_the_newer_and_older_links() -> None:
    checked = 0
    for site in SITES:
        for page in _pages(site):
            html = page.read_text(encoding="utf-8")
            if 'class="related"' not in html:
                continue
            related = html[html.index('class="related"') :]
            related = related[: related.index("</section>")]
            for href in re.findall(r'<a href="([^"]+)" rel="(?:prev|next)"', html):
                checked += 1
                assert f'href="{href}"' not in related, page
    assert checked > 10  # pages with both, so the check means something


@pytest.mark.parametrize("site", SITES)
def test_a_week_page_does_not_link_to_itself_from_its_notes(site: str) -> None:
    for page in (EXPECTED / site / "weeks").glob("*-W*/index.html"):
        html = page.read_text(encoding="utf-8")
        own = re.search(r'<link rel="canonical" href="https?://[^/]+([^"]+)">', html)
        assert own is not None
        bylines = "".join(re.findall(r'<p class="byline">.*?</p>', html, flags=re.S))
        assert f'href="{own.group(1)}"' not in bylines, page


def test_the_learning_log_shows_a_heading_only_when_it_says_more(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "weeknotes/2026-01-09-one.md": note(
                title="One", date="2026-01-09", body="## Something I'm learning\n\nPatience.\n"
            ),
            "weeknotes/2026-01-16-two.md": note(
                title="Two",
                date="2026-01-16",
                body="## Something I'm learning: SQL\n\nJoins are sets.\n",
            ),
        },
        CONFIG,
    )
    assert build_site(site).ok
    log = (site / "_site/learning/log/index.html").read_text(encoding="utf-8")
    assert "Patience." in log and "Joins are sets." in log
    headings = re.findall(r'<p class="learning__heading">(.*?)</p>', log)
    assert headings == ["Something I’m learning: SQL"]  # as text, not a link
    week = (site / "_site/weeks/2026-W02/index.html").read_text(encoding="utf-8")
    assert '<p class="learning__heading"><a href="/2026/one/#something-im-learning">' in week


def test_a_site_keeps_its_own_favicon(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {"weeknotes/2026-01-09-one.md": note(title="One"), "static/favicon.ico": b"\0\0\1\0"},
        {**CONFIG, "base_url": "https://e.org/notes/"},
    )
    assert build_site(site).ok
    home = (site / "_site/index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="/notes/favicon.ico">' in home
    assert (site / "_site/favicon.ico").is_file()


def test_the_theme_icon_is_published(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"weeknotes/2026-01-09-one.md": note(title="One")}, CONFIG)
    assert build_site(site).ok
    home = (site / "_site/index.html").read_text(encoding="utf-8")
    (href,) = _hrefs(home, r'<link rel="icon" href="([^"]+)">')
    assert (site / "_site" / href.lstrip("/")).read_text(encoding="utf-8").startswith("<svg")


def test_subscribe_links_say_what_they_subscribe_to(tmp_path: Path) -> None:
    site = write_site(
        tmp_path, {"weeknotes/2026-01-09-one.md": note(title="One", team="ICT")}, CONFIG
    )
    assert build_site(site).ok
    team = (site / "_site/team/ict/index.html").read_text(encoding="utf-8")
    assert ">Subscribe to these notes</a>" in team
    assert ">Subscribe to the weekly digest</a>" in team
    assert "Subscribe to Team: ICT" not in team


def test_a_trimmed_address_finds_the_years_notes(tmp_path: Path) -> None:
    """`/2026/week-2/` trimmed to `/2026/` is the year's page: every note dated that year
    (by calendar year, as the address has it, even in an ISO week of the next year)."""
    site = write_site(
        tmp_path,
        {
            "weeknotes/2025-12-30-turn.md": note(title="Turn of the year", date="2025-12-30"),
            "weeknotes/2026-01-09-one.md": note(title="One", date="2026-01-09"),
            "weeknotes/2026-01-16-two.md": note(title="Two", date="2026-01-16"),
        },
        CONFIG,
    )
    assert build_site(site).ok
    out = site / "_site"
    this_year = (out / "2026/index.html").read_text(encoding="utf-8")
    last_year = (out / "2025/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<li><a href="(/20[^"]+)"', this_year) == ["/2026/two/", "/2026/one/"]
    assert re.findall(r'<li><a href="(/20[^"]+)"', last_year) == ["/2025/turn/"]
    assert "<h1>2026</h1>" in this_year and 'href="/archive/"' in this_year
    assert "https://e.org/2026/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_no_year_pages_where_addresses_do_not_start_with_the_year(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {"weeknotes/2026-01-09-one.md": note(title="One", date="2026-01-09")},
        {**CONFIG, "permalink": "/notes/{slug}/"},
    )
    assert build_site(site).ok
    assert not (site / "_site/2026").exists()
    assert (site / "_site/notes/one/index.html").is_file()


def test_the_teams_page_says_who_writes_for_each_team_and_its_latest_note(
    tmp_path: Path,
) -> None:
    site = write_site(
        tmp_path,
        {
            "weeknotes/2026-01-09-one.md": note(title="One", date="2026-01-09", team="ICT"),
            "weeknotes/2026-01-16-two.md": note(
                title="Two", date="2026-01-16", team="ICT", author="Bo Li"
            ),
            "weeknotes/2026-01-23-three.md": note(
                title="Three", date="2026-01-23", team="ICT", author="Bo Li"
            ),
            "weeknotes/2026-01-30-four.md": note(title="Four", date="2026-01-30", team="Data"),
        },
        CONFIG,
    )
    assert build_site(site).ok
    teams = (site / "_site/team/index.html").read_text(encoding="utf-8")
    ict = teams[teams.index('href="/team/ict/"') :]
    ict = ict[: ict.index("</li>")]
    # Bo Li wrote two of ICT's notes, Ada Lovelace one: most notes first
    assert re.findall(r'<a href="/authors/([^/]+)/">', ict) == ["bo-li", "ada-lovelace"]
    assert 'Latest note: <a href="/2026/three/">Three</a>' in ict
    assert "Every team, with who writes for it and its latest note." in teams
