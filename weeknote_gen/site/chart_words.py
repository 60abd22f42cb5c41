"""What the charts say in words: their titles, captions and descriptions, in the site's
language, kept apart from `charts`' geometry so each reads as one concern."""

from __future__ import annotations

from weeknote_gen.content.model import Taxonomy
from weeknote_gen.words import Words


def notes_count(words: Words, count: int) -> str:
    """ "3 notes", in the words' language."""
    return words.ngettext("%(num)d note", "%(num)d notes", count)


def strip_texts(
    words: Words, name: str, active: int, weeks: int, span: tuple[str, str], several: bool
) -> tuple[str, str, str]:
    """An activity strip's title, caption and description; `several`: whether a square
    counts more than one note."""
    description = words.gettext(
        "One square a week, thirteen weeks a row, oldest first. A filled square is a week"
        " with a note, an outlined one a week without."
    )
    if several:
        more = words.gettext("A number in a square counts a week with more than one note.")
        description = f"{description} {more}"
    caption = words.fill(
        "%(name)s wrote in %(active)s of the %(weeks)s weeks from %(first)s to %(last)s.",
        name=name,
        active=words.number(active),
        weeks=words.number(weeks),
        first=span[0],
        last=span[1],
    )
    return words.fill("Weeks with a note by %(name)s", name=name), caption, description


def _labels(themes: Taxonomy, teams: Taxonomy) -> dict[str, str]:
    return {
        "rows": themes.plural.lower(),
        "row": themes.singular.lower(),
        "column": teams.singular.lower(),
        "columns": teams.plural.lower(),
    }


def pair_description(words: Words, themes: Taxonomy, teams: Taxonomy, theme: str, team: str) -> str:
    """The description of the page of one heat map cell's notes."""
    return words.fill(
        "Weeknotes about the %(row)s %(theme)s from the %(column)s %(team)s.",
        theme=theme,
        team=team,
        **_labels(themes, teams),
    )


def heat_map_texts(
    words: Words, themes: Taxonomy, teams: Taxonomy, left_out: str
) -> tuple[str, str, str]:
    """The heat map's title, caption and description (which ends with `left_out`)."""
    labels = _labels(themes, teams)
    description = words.fill(
        "One row for each %(row)s and one column for each %(column)s. Each square with notes"
        " shows how many, is shaded more strongly the more there are, and links to those notes;"
        " an empty outline means none. A note with two %(columns)s counts for both.",
        **labels,
    )
    return (
        words.fill("Heat map of %(rows)s by %(column)s", **labels),
        words.fill("How many notes each %(column)s has written on each %(row)s.", **labels),
        description + left_out,
    )


def unplaced_text(words: Words, unplaced: int, themes: Taxonomy, teams: Taxonomy) -> str:
    """The sentence saying how many notes the heat map cannot show ("" for none)."""
    if not unplaced:
        return ""
    said = words.ngettext(
        "%(num)d note with a %(row)s but no %(column)s is not shown.",
        "%(num)d notes with a %(row)s but no %(column)s are not shown.",
        unplaced,
        **_labels(themes, teams),
    )
    return f" {said}"
