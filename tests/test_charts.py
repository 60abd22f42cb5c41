"""The charts: an author's activity strip and the themes × teams heat map.

Built pages are read back as a reader's browser would get them: each chart's figure is parsed
as XML (so the SVG is well-formed), its cells are counted against the notes, its links are
followed to built files, and its table is compared with the picture. The colours are measured
from style.css itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import REPO, build_site, note, write_site
from weeknote_gen.engine.build import BuildOptions, build
from weeknote_gen.site.charts import LEVELS, STRIP_WEEKS, shade, strip_weeks
from weeknote_gen.urls import WeekId

CONFIG = {
    "title": "Chart notes",
    "base_url": "https://notes.example.org/sub/",
    "taxonomies": ["team", "theme"],
}
NOTES = {
    # Ada: one note in week 2, two in week 3 (one of them for two teams)
    "weeknotes/2026-01-09-a1.md": note(
        title="A1", date="2026-01-09", author="Ada Byron", team="Data", theme=["agile", "data"]
    ),
    "weeknotes/2026-01-14-a2.md": note(
        title="A2", date="2026-01-14", author="Ada Byron", team="Data", theme="agile"
    ),
    "weeknotes/2026-01-16-a3.md": note(
        title="A3",
        date="2026-01-16",
        author="Ada Byron",
        team=["Data", "Platform <ops>"],
        theme="agile",
    ),
    # Brook: the site's newest week, and a note from more than 52 weeks before it
    "weeknotes/2026-03-06-b1.md": note(
        title="B1", date="2026-03-06", author="Brook Tan", team="Platform <ops>", theme="legacy"
    ),
    "weeknotes/2025-02-07-b0.md": note(
        title="B0", date="2025-02-07", author="Brook Tan", team="Platform <ops>", theme="legacy"
    ),
    # Cy: a theme but no team
    "weeknotes/2026-02-06-c1.md": note(title="C1", date="2026-02-06", author="Cy", theme="data"),
}
HEAT = {  # (theme, team) -> notes
    ("agile", "Data"): 3,
    ("agile", "Platform <ops>"): 1,
    ("data", "Data"): 1,
    ("data", "Platform <ops>"): 0,
    ("legacy", "Data"): 0,
    ("legacy", "Platform <ops>"): 2,
}
BASE = "/sub/"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(tmp_path_factory.mktemp("charts"), NOTES, CONFIG)
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root / "_site"


def figure(page: Path, kind: str) -> ET.Element:
    """The chart's <figure>, parsed as XML: a parse error means the markup is broken."""
    html = page.read_text(encoding="utf-8")
    found = re.findall(rf'<figure class="chart chart--{kind}">.*?</figure>', html, re.S)
    assert len(found) == 1, f"expected one {kind} chart in {page}"
    return ET.fromstring(found[0])


def built_file(output: Path, href: str) -> Path:
    path = unquote(urlsplit(href).path)
    assert path.startswith(BASE), href
    target = output / path.removeprefix(BASE)
    return target / "index.html" if path.endswith("/") else target


def check_labelled(svg: ET.Element) -> None:
    """`viewBox`, and a <title> and <desc> that the SVG's ARIA attributes point at."""
    assert re.fullmatch(r"0 0 \d+ \d+", svg.get("viewBox", ""))
    title, desc = svg.find("title"), svg.find("desc")
    assert title is not None and desc is not None
    assert (title.text or "").strip() and (desc.text or "").strip()
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")


def level_of(rect: ET.Element) -> int:
    match = re.search(r"chart__cell--(\d)", rect.get("class", ""))
    assert match, rect.attrib
    return int(match.group(1))


# --------------------------------------------------------------------------- data


@pytest.mark.parametrize(
    ("count", "top", "level"),
    [(0, 5, 0), (1, 1, 4), (1, 8, 1), (2, 8, 1), (3, 8, 2), (6, 8, 3), (8, 8, 4), (9, 8, 4)],
)
def test_shade_levels_grow_with_the_count(count: int, top: int, level: int) -> None:
    assert shade(count, top) == level


def test_strip_weeks_are_consecutive_and_end_with_the_sites_newest(output: Path) -> None:
    page = output / "authors" / "ada-byron" / "index.html"
    svg = figure(page, "strip").find("svg")
    assert svg is not None
    assert len(svg.findall("rect")) == STRIP_WEEKS
    rows = figure(page, "strip").findall(".//tbody/tr")
    labels = [row.findtext("th") for row in rows]
    assert labels[-1] == "Week 10, 2026" and labels[0] == "Week 11, 2025"


# --------------------------------------------------------------------------- activity strip


def test_the_activity_strip_has_a_square_a_week_and_counts_the_authors_notes(
    output: Path,
) -> None:
    page = output / "authors" / "ada-byron" / "index.html"
    chart = figure(page, "strip")
    svg = chart.find("svg")
    assert svg is not None
    check_labelled(svg)
    assert svg.get("role") == "img"
    levels = [level_of(rect) for rect in svg.findall("rect")]
    assert len(levels) == STRIP_WEEKS
    filled = {index: level for index, level in enumerate(levels) if level}
    # oldest first: week 2 and week 3 of 2026 are 44 and 45 weeks after week 11 of 2025
    assert filled == {43: shade(1, 2), 44: LEVELS}
    assert [text.text for text in svg.findall("text")] == ["2"]  # the count, not colour alone
    caption = chart.findtext("figcaption") or ""
    assert "2 of the 52 weeks" in caption


def test_the_strip_table_matches_the_picture_and_links_to_the_notes(output: Path) -> None:
    page = output / "authors" / "ada-byron" / "index.html"
    chart = figure(page, "strip")
    svg = chart.find("svg")
    assert svg is not None
    rows = chart.findall(".//tbody/tr")
    assert len(rows) == STRIP_WEEKS
    counts = [int("".join(row.find("td").itertext())) for row in rows]  # type: ignore[union-attr]
    levels = [level_of(rect) for rect in svg.findall("rect")]
    assert [bool(c) for c in counts] == [bool(level) for level in levels]
    assert sum(counts) == 3
    links = {row.findtext("th"): row.find("td/a") for row in rows}
    one, two = links["Week 2, 2026"], links["Week 3, 2026"]
    assert one is not None and two is not None
    assert one.get("href") == f"{BASE}2026/a1/"  # one note: the note itself
    assert two.get("href") == f"{BASE}weeks/2026-W03/"  # two notes: the week's page
    for link in chart.iter("a"):
        assert built_file(output, link.get("href", "")).is_file()


def test_the_strip_ignores_notes_older_than_its_52_weeks(output: Path) -> None:
    chart = figure(output / "authors" / "brook-tan" / "index.html", "strip")
    counts = [row.findtext("td/a") or row.findtext("td") for row in chart.findall(".//tbody/tr")]
    assert counts[-1] == "1" and counts.count("0") == STRIP_WEEKS - 1


def test_the_strip_is_on_the_first_page_of_an_author_only(tmp_path: Path) -> None:
    notes = {
        f"weeknotes/2026-01-{day:02d}-n{day}.md": note(title=f"N{day}", date=f"2026-01-{day:02d}")
        for day in (5, 12, 19)
    }
    root = write_site(tmp_path, notes, {**CONFIG, "per_page": 2})
    assert build_site(root).ok
    author = root / "_site" / "authors" / "ada-lovelace"
    assert "chart--strip" in (author / "index.html").read_text(encoding="utf-8")
    assert "chart--strip" not in (author / "page" / "2" / "index.html").read_text(encoding="utf-8")


def test_weeks_of_the_strip_are_consecutive_iso_weeks() -> None:
    # only `weeks` is read: newest first, and a site older than the strip's year
    site = SimpleNamespace(weeks={WeekId(2027, 1): None, WeekId(2025, 1): None})
    weeks = strip_weeks(site)  # type: ignore[arg-type]
    assert len(weeks) == STRIP_WEEKS and weeks[-1] == WeekId(2027, 1)
    mondays = [week.monday for week in weeks]
    assert all(b - a == dt.timedelta(days=7) for a, b in itertools.pairwise(mondays))
    assert WeekId(2026, 53) in weeks  # 2026 has 53 ISO weeks


def test_charts_depend_on_the_notes_not_the_clock(tmp_path: Path) -> None:
    pages = []
    for now in (dt.datetime(2026, 3, 7, tzinfo=dt.UTC), dt.datetime(2027, 9, 1, tzinfo=dt.UTC)):
        root = write_site(tmp_path / now.isoformat()[:10], NOTES, CONFIG)
        assert build(root, BuildOptions(now=now)).ok
        site = root / "_site"
        pages.append(
            (
                (site / "authors" / "ada-byron" / "index.html").read_bytes(),
                (site / "theme" / "index.html").read_bytes(),
            )
        )
    assert pages[0] == pages[1]


# --------------------------------------------------------------------------- heat map


def heat_cells(chart: ET.Element) -> dict[str, tuple[int, ET.Element | None]]:
    """Each cell of the picture by its label ("agile, Data: 3 notes"), with its level and link."""
    svg = chart.find("div/svg")
    assert svg is not None
    cells: dict[str, tuple[int, ET.Element | None]] = {}
    for link in svg.findall("a"):
        rect = link.find("rect")
        assert rect is not None
        cells[link.get("aria-label", "")] = (level_of(rect), link)
    empty = [rect for rect in svg.findall("rect") if level_of(rect) == 0]
    cells.update({f"empty {i}": (0, None) for i in range(len(empty))})
    return cells


def test_the_heat_map_has_a_cell_per_theme_and_team_with_the_right_counts(
    output: Path,
) -> None:
    chart = figure(output / "theme" / "index.html", "heat")
    svg = chart.find("div/svg")
    assert svg is not None
    check_labelled(svg)
    cells = heat_cells(chart)
    assert len(cells) == len(HEAT)
    for (theme, team), count in HEAT.items():
        if count:
            label = f"{theme}, {team}: {count} note{'s' if count != 1 else ''}"
            level, link = cells[label]
            assert level == shade(count, max(HEAT.values()))
            assert link is not None and link.findtext("text") == str(count)
    assert sum(1 for level, _ in cells.values() if level == 0) == list(HEAT.values()).count(0)
    # team names are text, escaped, never markup
    labels = svg.find("g")
    assert labels is not None and labels.get("aria-hidden") == "true"
    names = [" ".join(t.itertext()) for t in labels.iter("text")]
    assert names == ["Data", "Platform <ops>", "agile", "data", "legacy"]
    assert "1 note with a theme but no team is not shown" in (svg.findtext("desc") or "")


def test_every_heat_map_cell_links_to_a_page_of_exactly_its_notes(output: Path) -> None:
    chart = figure(output / "theme" / "index.html", "heat")
    titles_by_pair = {
        ("agile", "Data"): {"A1", "A2", "A3"},
        ("agile", "Platform <ops>"): {"A3"},
        ("data", "Data"): {"A1"},
        ("legacy", "Platform <ops>"): {"B0", "B1"},
    }
    for (theme, team), titles in titles_by_pair.items():
        label = f"{theme}, {team}: {len(titles)} note{'s' if len(titles) != 1 else ''}"
        link = heat_cells(chart)[label][1]
        assert link is not None
        page = built_file(output, link.get("href", ""))
        html = page.read_text(encoding="utf-8")
        listed = set(re.findall(r'class="note-list__title"><a href="[^"]*">([^<]*)</a>', html))
        assert listed == titles, page
        assert f"Theme: {theme} · Team: {team.replace('<', '&lt;').replace('>', '&gt;')}" in html


def test_the_heat_map_table_matches_the_picture(output: Path) -> None:
    chart = figure(output / "theme" / "index.html", "heat")
    table = chart.find(".//table")
    assert table is not None
    teams = ["".join(th.itertext()) for th in table.findall("thead/tr/th")][1:]
    assert teams == ["Data", "Platform <ops>"]
    picture = {label: link for label, (_, link) in heat_cells(chart).items() if link is not None}
    for row in table.findall("tbody/tr"):
        theme = "".join(row.find("th").itertext())  # type: ignore[union-attr]
        for team, cell in zip(teams, row.findall("td"), strict=True):
            count = int("".join(cell.itertext()))
            assert count == HEAT[(theme, team)]
            link = cell.find("a")
            if count:
                assert link is not None
                label = link.get("aria-label", "")
                assert picture[label].get("href") == link.get("href")
            else:
                assert link is None
    for link in chart.iter("a"):
        assert built_file(output, link.get("href", "")).is_file()


def test_only_the_theme_overview_has_a_heat_map(output: Path) -> None:
    for page in ("team/index.html", "authors/index.html"):
        assert "chart--heat" not in (output / page).read_text(encoding="utf-8")


def test_no_heat_map_without_a_team_taxonomy(tmp_path: Path) -> None:
    root = write_site(tmp_path, NOTES, {**CONFIG, "taxonomies": ["theme"]})
    result = build_site(root)
    assert result.ok
    assert "chart--heat" not in (root / "_site" / "theme" / "index.html").read_text("utf-8")
    assert not (root / "_site" / "theme" / "agile" / "team").exists()


# --------------------------------------------------------------------------- colours

STYLE = REPO / "site_templates" / "static" / "style.css"
CHARTS_TEMPLATE = REPO / "site_templates" / "_charts.html"


def custom_properties(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", block))


def palettes() -> tuple[dict[str, str], dict[str, str]]:
    """The light and dark values of every custom property, as the stylesheet sets them."""
    css = re.sub(r"/\*.*?\*/", "", STYLE.read_text(encoding="utf-8"), flags=re.S)
    light: dict[str, str] = {}
    dark: dict[str, str] = {}
    for block in re.findall(r"(?m)^:root \{(.*?)\}", css, re.S):  # top level only, not print
        light.update(custom_properties(block))
    for block in re.findall(
        r"@media \(prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", css, re.S
    ):
        dark.update(custom_properties(block))
    return light, {**light, **dark}


def resolve(values: dict[str, str], name: str) -> str:
    value = values[name].strip()
    while value.startswith("var("):
        value = values[value[4:-1].strip()].strip()
    return value


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_colours_meet_wcag_contrast(scheme: str) -> None:
    values = dict(zip(("light", "dark"), palettes(), strict=True))[scheme]
    background = resolve(values, "--color-bg")
    ink = resolve(values, "--chart-ink")
    shades = [resolve(values, f"--chart-{level}") for level in range(1, LEVELS + 1)]
    for colour in shades:
        assert contrast(colour, background) >= 3, (scheme, colour)  # WCAG 1.4.11
        assert contrast(colour, ink) >= 4.5, (scheme, colour)  # the counts on it: 1.4.3
    assert contrast(resolve(values, "--chart-line"), background) >= 3
    for weaker, stronger in itertools.pairwise(shades):
        assert contrast(weaker, stronger) >= 1.3, (scheme, weaker, stronger)


def test_the_fallback_colours_for_no_stylesheet_are_the_light_palette() -> None:
    light, _ = palettes()
    template = CHARTS_TEMPLATE.read_text(encoding="utf-8")
    fills = re.search(r"fallback_fill = \[(.*?)\]", template)
    assert fills is not None
    assert re.findall(r'"(#\w+)"', fills.group(1)) == [
        resolve(light, f"--chart-{level}") for level in range(1, LEVELS + 1)
    ]
    assert f'fallback_ink = "{resolve(light, "--chart-ink")}"' in template
    assert f'fallback_line = "{resolve(light, "--chart-line")}"' in template


def test_the_strip_of_a_young_site_starts_with_its_first_week() -> None:
    """No year of empty squares before the site began."""
    site = SimpleNamespace(weeks={WeekId(2027, 3): None, WeekId(2026, 51): None})
    weeks = strip_weeks(site)  # type: ignore[arg-type]
    assert weeks[0] == WeekId(2026, 51) and weeks[-1] == WeekId(2027, 3)
    assert len(weeks) == 6  # 2026-W51 to W53, then 2027-W01 to W03
