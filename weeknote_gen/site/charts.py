"""The site's pictures as data: an author's year of weeknotes, and themes by team.

Pure functions from `Site` to small read-only views that `_charts.html` draws as inline SVG
with a table beside it. Everything a drawing needs is decided here (counts, shade levels,
labels, links and the position of every shape), so the template only writes it out and the
tests can check the numbers without a browser.

Charts depend on the site alone, never on the clock: the activity strip covers the 52 weeks
(fewer for a younger site) that end with the site's newest week, in rows of thirteen, so the
same notes always give the same picture.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from weeknote_gen.content.model import Author, Site, Taxonomy, Term
from weeknote_gen.site.chart_words import (
    heat_map_texts,
    notes_count,
    pair_description,
    strip_texts,
    unplaced_text,
)
from weeknote_gen.site.views import site_words, week_label
from weeknote_gen.urls import WeekId, site_href, term_pair_url, week_url

STRIP_WEEKS = 52
STRIP_ROW = 13  # weeks a row: a quarter, so a year is four rows with squares big enough on a phone
LEVELS = 4  # shade levels 1..4 for cells with notes; 0 is a cell without

# Geometry, in SVG user units (the picture scales with the page).
STRIP_CELL = 14
STRIP_GAP = 2
HEAT_CELL_HEIGHT = 44
HEAT_MIN_CELL_WIDTH = 44
HEAT_MAX_CELL_WIDTH = 112
HEAT_GAP = 4
FONT_SIZE = 15
LINE_HEIGHT = 18
CHAR_WIDTH = 8.2  # a generous average for the system font at FONT_SIZE
ROW_LABEL_MAX = 220
MARGIN = 2  # room for the outlines' strokes


@dataclass(frozen=True, slots=True)
class StripCell:
    """One week of an author's activity strip."""

    label: str  # "Week 23, 2026"
    count: int  # the author's notes that week
    level: int  # 0 (none) to 4
    href: str | None  # the note, or the week's page when there are several; None without
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class ActivityStrip:
    title: str  # the picture's name, for its <title>
    caption: str  # what it shows, in a sentence under it
    description: str  # how to read it, for its <desc>
    first_label: str  # the oldest week shown, for the axis under the strip
    last_label: str
    weeks_with_notes: int
    cells: tuple[StripCell, ...]  # oldest first
    cell_size: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class AxisLabel:
    """A row's or column's name: whole for the table, wrapped (and if need be shortened)
    into `lines` for the picture, with the point the lines hang from."""

    name: str
    href: str
    lines: tuple[str, ...]
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class HeatCell:
    row: str  # the theme's name
    column: str  # the team's name
    count: int
    level: int  # 0 (none) to 4
    href: str | None  # the page listing exactly these notes; None when there are none
    label: str  # "Legacy systems, ICT: 3 notes"
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class HeatRow:
    label: AxisLabel
    cells: tuple[HeatCell, ...]  # one per column, in column order


@dataclass(frozen=True, slots=True)
class HeatMap:
    title: str
    caption: str
    description: str
    row_heading: str  # "Theme"
    column_heading: str  # "Team"
    columns: tuple[AxisLabel, ...]
    rows: tuple[HeatRow, ...]
    unplaced: int  # notes with a theme but no team, which no cell can show
    cell_width: int
    cell_height: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class TermPairList:
    """A page listing the notes behind one heat map cell: theme X from team Y."""

    url: str
    title: str
    description: str
    note_keys: tuple[str, ...]  # newest first


def shade(count: int, top: int) -> int:
    """A count's shade level: 0 for none, else 1 to 4 in proportion to the largest count."""
    if count <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * count / max(top, count))))


# --------------------------------------------------------------------------- activity strip


def strip_weeks(site: Site) -> tuple[WeekId, ...]:
    """The ISO weeks ending with the site's newest week, oldest first: 52 of them, or fewer
    when the site's first note is younger than that (a year of empty squares before a site
    began says nothing); none for an empty site."""
    newest = next(iter(site.weeks), None)
    if newest is None:
        return ()
    oldest = next(reversed(tuple(site.weeks)))
    monday = newest.monday
    span = (monday - oldest.monday).days // 7 + 1
    return tuple(
        WeekId.of(monday.fromordinal(monday.toordinal() - 7 * back))
        for back in range(min(span, STRIP_WEEKS) - 1, -1, -1)
    )


def activity_strip(site: Site, author: Author) -> ActivityStrip | None:
    """Which of the site's last 52 weeks have a note by `author`, as rows of squares."""
    weeks = strip_weeks(site)
    if not weeks:
        return None
    config = site.config
    words = site_words(site)
    keys_by_week: defaultdict[WeekId, list[str]] = defaultdict(list)
    for key in author.note_keys:
        keys_by_week[site.notes[key].week].append(key)
    top = max((len(keys_by_week[w]) for w in weeks), default=0)
    cells = []
    for index, week in enumerate(weeks):
        keys = keys_by_week.get(week, [])
        href = None
        if len(keys) == 1:
            href = site_href(config, site.notes[keys[0]].url)
        elif keys:
            href = site_href(config, week_url(week))
        cells.append(
            StripCell(
                label=week_label(words, week),
                count=len(keys),
                level=shade(len(keys), top),
                href=href,
                x=MARGIN + index % STRIP_ROW * (STRIP_CELL + STRIP_GAP),
                y=MARGIN + index // STRIP_ROW * (STRIP_CELL + STRIP_GAP),
            )
        )
    active = sum(1 for cell in cells if cell.count)
    first, last = week_label(words, weeks[0]), week_label(words, weeks[-1])
    title, caption, description = strip_texts(
        words, author.name, active, len(weeks), (first, last), top > 1
    )
    across, rows = min(len(weeks), STRIP_ROW), -(-len(weeks) // STRIP_ROW)
    return ActivityStrip(
        title=title,
        caption=caption,
        description=description,
        first_label=first,
        last_label=last,
        weeks_with_notes=active,
        cells=tuple(cells),
        cell_size=STRIP_CELL,
        width=2 * MARGIN + across * (STRIP_CELL + STRIP_GAP) - STRIP_GAP,
        height=2 * MARGIN + rows * (STRIP_CELL + STRIP_GAP) - STRIP_GAP,
    )


# --------------------------------------------------------------------------- heat map


def theme_team_notes(
    site: Site, themes: Taxonomy, teams: Taxonomy
) -> Mapping[tuple[str, str], tuple[str, ...]]:
    """(theme slug, team slug) -> the keys of the notes using both, newest first. A note
    with two teams counts for each."""
    pairs: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for note in site.notes.values():
        for theme in note.terms.get(themes.name, ()):
            for team in note.terms.get(teams.name, ()):
                pairs[(theme, team)].append(note.key)
    return {pair: tuple(keys) for pair, keys in pairs.items()}


def theme_team_lists(site: Site) -> tuple[TermPairList, ...]:
    """A page for each heat map cell with notes, so every cell links to exactly its notes."""
    themes = site.taxonomy_for("theme")
    teams = site.taxonomy_for("team")
    if themes is None or teams is None:
        return ()
    pairs = theme_team_notes(site, themes, teams)
    words = site_words(site)
    lists = []
    for theme in themes.terms.values():
        for team in teams.terms.values():
            keys = pairs.get((theme.slug, team.slug))
            if keys:
                lists.append(
                    TermPairList(
                        url=term_pair_url(themes.name, theme.slug, teams.name, team.slug),
                        title=f"{themes.singular}: {theme.name} · {teams.singular}: {team.name}",
                        description=pair_description(words, themes, teams, theme.name, team.name),
                        note_keys=keys,
                    )
                )
    return tuple(lists)


def heat_map(site: Site) -> HeatMap | None:
    """Themes (rows) by teams (columns), shaded by how many notes use both; None unless the
    site has both taxonomies and at least one note with a theme."""
    themes = site.taxonomy_for("theme")
    teams = site.taxonomy_for("team")
    if themes is None or teams is None or not themes.terms or not teams.terms:
        return None
    team_terms = tuple(teams.terms.values())
    layout = _heat_layout(themes, team_terms)
    columns = _heat_columns(site, team_terms, layout)
    rows = _heat_rows(site, themes, teams, layout)
    unplaced, left_out = _unplaced_notes(site, themes, teams)
    title, caption, description = heat_map_texts(site_words(site), themes, teams, left_out)
    return HeatMap(
        title=title,
        caption=caption,
        description=description,
        row_heading=themes.singular,
        column_heading=teams.singular,
        columns=columns,
        rows=rows,
        unplaced=unplaced,
        cell_width=layout.cell_width,
        cell_height=HEAT_CELL_HEIGHT,
        width=layout.left + len(team_terms) * layout.pitch_x - HEAT_GAP + MARGIN,
        height=layout.header + len(rows) * layout.pitch_y - HEAT_GAP + MARGIN,
    )


@dataclass(frozen=True, slots=True)
class _HeatLayout:
    """Where the heat map's parts go, decided by its names' lengths: columns wide enough
    for the longest word of a team's name, rows' labels and the header tall enough for theirs."""

    cell_width: int
    column_lines: tuple[tuple[str, ...], ...]  # each team's name, wrapped
    header: int  # the height of the column labels above the first row
    row_chars: int  # the characters a row label's line may hold
    left: int  # where the first column starts, right of the row labels
    pitch_x: int
    pitch_y: int


def _heat_layout(themes: Taxonomy, team_terms: tuple[Term, ...]) -> _HeatLayout:
    words = [w for t in team_terms for w in t.name.split()]
    longest_word = max((len(w) for w in words), default=1)
    cell_width = int(
        min(HEAT_MAX_CELL_WIDTH, max(HEAT_MIN_CELL_WIDTH, longest_word * CHAR_WIDTH + 8))
    )
    widest = int((HEAT_MAX_CELL_WIDTH - 8) // CHAR_WIDTH)
    column_chars = max(int((cell_width - 8) // CHAR_WIDTH), min(longest_word, widest))
    column_lines = tuple(_wrap(t.name, column_chars, 3) for t in team_terms)
    header = MARGIN + max((len(lines) for lines in column_lines), default=1) * LINE_HEIGHT + 8
    longest_theme = max(len(t.name) for t in themes.terms.values())
    label_width = int(min(ROW_LABEL_MAX, longest_theme * CHAR_WIDTH + 12))
    row_chars = max(3, min(longest_theme, int((ROW_LABEL_MAX - 12) // CHAR_WIDTH)))
    left = MARGIN + label_width
    pitch_x, pitch_y = cell_width + HEAT_GAP, HEAT_CELL_HEIGHT + HEAT_GAP
    return _HeatLayout(cell_width, column_lines, header, row_chars, left, pitch_x, pitch_y)


def _heat_columns(
    site: Site, team_terms: tuple[Term, ...], layout: _HeatLayout
) -> tuple[AxisLabel, ...]:
    """The teams' labels above the columns, each centred over its column."""
    config = site.config
    left, pitch_x, cell_width = layout.left, layout.pitch_x, layout.cell_width
    return tuple(
        AxisLabel(
            name=team.name,
            href=site_href(config, team.url),
            lines=lines,
            x=left + j * pitch_x + cell_width // 2,
            y=layout.header - 8 - (len(lines) - 1) * LINE_HEIGHT,
        )
        for j, (team, lines) in enumerate(zip(team_terms, layout.column_lines, strict=True))
    )


def _heat_rows(
    site: Site, themes: Taxonomy, teams: Taxonomy, layout: _HeatLayout
) -> tuple[HeatRow, ...]:
    """A row per theme: its label, and a cell per team counting the notes that use both."""
    config = site.config
    words = site_words(site)
    pairs = theme_team_notes(site, themes, teams)
    top = max((len(keys) for keys in pairs.values()), default=0)
    team_terms = tuple(teams.terms.values())
    left, pitch_x = layout.left, layout.pitch_x
    rows = []
    for i, theme in enumerate(themes.terms.values()):
        y = layout.header + i * layout.pitch_y
        lines = _wrap(theme.name, layout.row_chars, 2)
        cells = []
        for j, team in enumerate(team_terms):
            count = len(pairs.get((theme.slug, team.slug), ()))
            url = term_pair_url(themes.name, theme.slug, teams.name, team.slug)
            cells.append(
                HeatCell(
                    row=theme.name,
                    column=team.name,
                    count=count,
                    level=shade(count, top),
                    href=site_href(config, url) if count else None,
                    label=f"{theme.name}, {team.name}: {notes_count(words, count)}",
                    x=left + j * pitch_x,
                    y=y,
                )
            )
        label = AxisLabel(
            name=theme.name,
            href=site_href(config, theme.url),
            lines=lines,
            x=left - 8,
            y=y + HEAT_CELL_HEIGHT // 2 - (len(lines) - 1) * LINE_HEIGHT // 2,
        )
        rows.append(HeatRow(label, tuple(cells)))
    return tuple(rows)


def _unplaced_notes(site: Site, themes: Taxonomy, teams: Taxonomy) -> tuple[int, str]:
    """How many notes have a theme but no team (no cell can show them), and the sentence
    saying so for the map's description ("" when there are none)."""
    themed = [n for n in site.notes.values() if n.terms.get(themes.name)]
    unplaced = sum(1 for n in themed if not n.terms.get(teams.name))
    left_out = unplaced_text(site_words(site), unplaced, themes, teams)
    return unplaced, left_out


def _wrap(text: str, width: int, max_lines: int) -> tuple[str, ...]:
    """Words in lines of at most `width` characters, at most `max_lines` of them; what does
    not fit is cut with an ellipsis (the chart's table always has the whole name)."""
    lines: list[str] = []
    for word in _fitted(text.split(), width):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        kept[-1] = (last if len(last) < width else last[: width - 1]) + "…"
        return tuple(kept)
    return tuple(lines) or ("",)


def _fitted(words: Iterable[str], width: int) -> Iterable[str]:
    for word in words:
        yield word if len(word) <= width else word[: width - 1] + "…"
