"""`weeknote-gen digest`: one week's notes as an email, in HTML, plain text or Markdown.

The HTML is made for email programs, which ignore stylesheets and scripts and often `<div>`
layout: a single file with every style inline, tables for the frame, and every link and
picture an absolute address under `base_url`. Notes are grouped by team as on the week page.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from weeknote_gen.content.model import Note, Site
from weeknote_gen.engine.build import BuildState
from weeknote_gen.engine.load import LoadOptions, load_site
from weeknote_gen.errors import Diagnostic
from weeknote_gen.output.feeds import absolute_content
from weeknote_gen.urls import WeekId, absolute_url, format_date, week_url

FORMATS = ("html", "text", "markdown")
WRAP = 72  # columns of the plain text version

# The email's colours: the theme's light palette (text 13:1, muted 7:1, links 7:1 on white).
_TEXT, _MUTED, _LINK, _ACCENT, _PAGE, _RULE = (
    "#1d2428",
    "#4a565e",
    "#0b5c69",
    "#0e6b73",
    "#eef4f4",
    "#c9d3d6",
)
_FONT = "font-family:Arial,Helvetica,sans-serif;"
_FRAME = 'role="presentation" cellpadding="0" cellspacing="0" border="0"'
_CARD = "width:100%;max-width:600px;background-color:#ffffff;border:1px solid #c9d3d6;"


class DigestError(Exception):
    """The week or team asked for cannot make a digest; the message says why, and `hint`
    (when not empty) what to do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True)
class DigestLearning:
    heading: str
    html: str  # every link absolute
    text: str


@dataclass(frozen=True, slots=True)
class DigestNote:
    title: str
    url: str
    authors: tuple[str, ...]
    date: str
    summary: str
    learnings: tuple[DigestLearning, ...]
    lang: str = ""  # the note's language tag when it is not the digest's, else ""


@dataclass(frozen=True, slots=True)
class DigestGroup:
    heading: str
    url: str  # the team's page, or "" for notes without a team
    notes: tuple[DigestNote, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    site_title: str
    home_url: str
    language: str
    week: WeekId
    url: str  # the week's page
    team: str  # the team's name when the digest is one team's, else ""
    groups: tuple[DigestGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(group.notes) for group in self.groups)

    @property
    def title(self) -> str:
        who = f"{self.team}, " if self.team else ""
        return f"{self.site_title}: {who}{self.week.label}"


def digest_site(
    site_dir: Path, now: dt.datetime, *, drafts: bool = False, future: bool = False
) -> tuple[Site | None, list[Diagnostic]]:
    """The site as `build` sees it (`load.load_site`), without writing anything: None when
    it has errors.

    Parsed notes and rendered Markdown come from the build cache where it has them, so a
    digest of a big site costs seconds, not a cold build; nothing is written back."""
    options = LoadOptions(now=now, drafts=drafts, future=future)
    loaded = load_site(site_dir, options, BuildState.on_disk(site_dir).memo)
    errors = [d for d in loaded.problems.sorted() if d.is_error]
    return (None if errors else loaded.site), errors


def make_digest(site: Site, week: WeekId | None = None, team: str | None = None) -> Digest:
    """The digest of `week` (default: the latest week with notes, or with the team's notes),
    for one team when `team` (a team's slug) is given. Raises DigestError."""
    config = site.config
    teams = site.taxonomy_for("team")
    chosen_team = None
    if team is not None:
        if teams is None:
            raise DigestError(
                "this site has no teams: no taxonomy in config.yaml has the team role",
                "give the taxonomy that names teams 'role: team' under taxonomies, such as"
                " '- {name: squad, role: team}', or call it team",
            )
        chosen_team = teams.terms.get(team)
        if chosen_team is None:
            known = ", ".join(teams.terms) or "none yet"
            raise DigestError(f"there is no team '{team}'; the teams are: {known}")
    keys = chosen_team.note_keys if chosen_team else tuple(site.notes)
    if not keys:
        raise DigestError("there are no published notes to make a digest from")
    notes = [site.notes[k] for k in keys]
    latest = notes[0].week
    week = week or latest
    in_week = [n for n in notes if n.week == week]
    if not in_week:
        whose = f" from {chosen_team.name}" if chosen_team else ""
        raise DigestError(
            f"there are no notes{whose} in {week.slug}; the latest week with notes{whose}"
            f" is {latest.slug}"
        )
    if chosen_team is not None:
        groups = [(chosen_team.name, chosen_team.url, in_week)]
    else:
        groups = _by_team(site, in_week)
    return Digest(
        site_title=config.title,
        home_url=absolute_url(config, "/"),
        language=config.language,
        week=week,
        url=absolute_url(config, week_url(week)),
        team=chosen_team.name if chosen_team else "",
        groups=tuple(
            DigestGroup(heading, absolute_url(config, url) if url else "", _notes(site, chosen))
            for heading, url, chosen in groups
        ),
    )


def _by_team(site: Site, notes: Sequence[Note]) -> list[tuple[str, str, list[Note]]]:
    """As on the week page: teams alphabetically, a note under its first team, notes
    without a team last."""
    teams = site.taxonomy_for("team")
    if teams is None:
        return [("Notes from this week", "", list(notes))]
    grouped: dict[str, list[Note]] = {}
    for note in notes:
        slugs = note.terms.get(teams.name, ())
        grouped.setdefault(slugs[0] if slugs else "", []).append(note)
    order = sorted(grouped, key=lambda s: (s == "", teams.terms[s].name.casefold() if s else ""))
    return [
        (teams.terms[s].name, teams.terms[s].url, grouped[s])
        if s
        else (f"No {teams.singular.lower()} given", "", grouped[s])
        for s in order
    ]


def _notes(site: Site, notes: Sequence[Note]) -> tuple[DigestNote, ...]:
    config = site.config
    chosen = []
    for note in notes:
        page = absolute_url(config, note.url)
        chosen.append(
            DigestNote(
                title=note.title,
                url=page,
                authors=tuple(site.authors[s].name for s in note.author_slugs),
                date=format_date(note.date),
                summary=note.summary,
                learnings=tuple(
                    DigestLearning(p.heading, absolute_content(p.html, page), p.text)
                    for p in note.learnings
                ),
                lang="" if note.language == config.language else note.language,
            )
        )
    return tuple(chosen)


def render(digest: Digest, form: str) -> str:
    if form == "html":
        return render_html(digest)
    if form == "markdown":
        return render_markdown(digest)
    return render_text(digest)


def _names(authors: Sequence[str]) -> str:
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def _byline(note: DigestNote) -> str:
    return f"By {_names(note.authors)}, {note.date}" if note.authors else note.date


def _count(digest: Digest) -> str:
    return f"{digest.count} note{'s' if digest.count != 1 else ''}"


# --------------------------------------------------------------------------- plain text


def render_text(digest: Digest) -> str:
    lines = [digest.title, f"{digest.week.span} · {_count(digest)}", digest.url, ""]
    for group in digest.groups:
        lines += [group.heading.upper(), "=" * len(group.heading), ""]
        for note in group.notes:
            lines += [*_wrap(note.title), _byline(note), note.url, ""]
            if note.summary:
                lines += [*_wrap(note.summary), ""]
            for learning in note.learnings:
                lines.append(f"{learning.heading}:")
                for paragraph in learning.text.split("\n"):
                    lines += _wrap(paragraph, indent="  ") if paragraph else [""]
                lines.append("")
    lines.append(f"Every note: {digest.home_url}")
    return "\n".join(lines) + "\n"


def _wrap(text: str, indent: str = "") -> list[str]:
    hanging = indent + ("  " if text.startswith("- ") else "")
    return textwrap.wrap(
        text,
        WRAP,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


# --------------------------------------------------------------------------- Markdown

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    """Text that Markdown shows as written: its punctuation escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_markdown(digest: Digest) -> str:
    lines = [
        f"# {_md(digest.title)}",
        "",
        f"{digest.week.span} · {_count(digest)} · [Read the week online](<{digest.url}>)",
        "",
    ]
    for group in digest.groups:
        heading = f"[{_md(group.heading)}](<{group.url}>)" if group.url else _md(group.heading)
        lines += [f"## {heading}", ""]
        for note in group.notes:
            lines += [f"### [{_md(note.title)}](<{note.url}>)", "", _md(_byline(note)), ""]
            if note.summary:
                lines += [_md(note.summary), ""]
            for learning in note.learnings:
                lines += [f"**{_md(learning.heading)}**", ""]
                for paragraph in learning.text.split("\n"):
                    lines.append(f"> {_md(paragraph)}" if paragraph else ">")
                lines.append("")
    lines.append(f"[Every note]({digest.home_url})")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- HTML

_PASSAGE_STYLES = {
    "p": f"margin:0 0 12px;{_FONT}font-size:16px;line-height:1.5;color:{_TEXT};",
    "ul": "margin:0 0 12px;padding-left:24px;",
    "ol": "margin:0 0 12px;padding-left:24px;",
    "li": f"margin:0 0 4px;{_FONT}font-size:16px;line-height:1.5;color:{_TEXT};",
    "a": f"color:{_LINK};text-decoration:underline;",
    "blockquote": f"margin:0 0 12px;padding-left:12px;border-left:3px solid {_RULE};",
    "pre": "margin:0 0 12px;white-space:pre-wrap;font-family:Consolas,Menlo,monospace;"
    "font-size:14px;",
    "code": "font-family:Consolas,Menlo,monospace;font-size:14px;",
    "h2": f"margin:0 0 8px;{_FONT}font-size:17px;color:{_TEXT};",
    "h3": f"margin:0 0 8px;{_FONT}font-size:16px;color:{_TEXT};",
    "h4": f"margin:0 0 8px;{_FONT}font-size:16px;color:{_TEXT};",
    "img": "max-width:100%;height:auto;",
    "table": "border-collapse:collapse;margin:0 0 12px;",
    "th": f"border:1px solid {_RULE};padding:4px 8px;text-align:left;",
    "td": f"border:1px solid {_RULE};padding:4px 8px;",
}
_STYLED_TAG = re.compile(r"<(" + "|".join(_PASSAGE_STYLES) + r")\b([^>]*)>")
_CLASS = re.compile(r'\s+(class|tabindex|role|aria-label)="[^"]*"')
_STYLE = re.compile(r'\s+style="([^"]*)"')


def _inline_styles(html: str) -> str:
    """A passage's HTML with a style on each element email programs would show unstyled,
    and the theme's class names (useless without its stylesheet) dropped."""

    def style(match: re.Match[str]) -> str:
        tag, attributes = match.group(1), _CLASS.sub("", match.group(2))
        own = _STYLE.search(attributes)  # an aligned table cell's text-align: keep it, last
        extra = own.group(1) if own else ""
        attributes = _STYLE.sub("", attributes)
        return f'<{tag} style="{_PASSAGE_STYLES[tag]}{extra}"{attributes}>'

    return _STYLED_TAG.sub(style, html)


def render_html(digest: Digest) -> str:
    e = escape
    link = f"color:{_LINK};text-decoration:underline;"
    muted = f"margin:0 0 12px;{_FONT}font-size:14px;line-height:1.5;color:{_MUTED};"
    body = f"margin:0 0 12px;{_FONT}font-size:16px;line-height:1.5;color:{_TEXT};"
    rows = [
        f'<p style="{muted}margin-bottom:4px;">{e(digest.site_title)}</p>',
        f'<h1 style="margin:0 0 8px;{_FONT}font-size:26px;line-height:1.25;color:{_TEXT};">'
        f"{e(digest.team + ': ' if digest.team else '')}{e(digest.week.label)}</h1>",
        f'<p style="{muted}">{e(digest.week.span)} · {_count(digest)} · '
        f'<a href="{e(digest.url)}" style="{link}">Read the week online</a></p>',
    ]
    for group in digest.groups:
        heading = (
            f'<a href="{e(group.url)}" style="{link}">{e(group.heading)}</a>'
            if group.url
            else e(group.heading)
        )
        rows.append(
            f'<h2 style="margin:24px 0 12px;padding-top:16px;border-top:2px solid {_ACCENT};'
            f'{_FONT}font-size:21px;line-height:1.25;color:{_TEXT};">{heading}</h2>'
        )
        for note in group.notes:
            # The digest's words are in its language; a note's title, summary and learnings
            # in the note's, declared where the two differ.
            lang = f' lang="{e(note.lang)}"' if note.lang else ""
            rows.append(
                f'<h3{lang} style="margin:16px 0 4px;{_FONT}font-size:18px;line-height:1.3;">'
                f'<a href="{e(note.url)}" style="{link}">{e(note.title)}</a></h3>'
            )
            rows.append(f'<p style="{muted}">{e(_byline(note))}</p>')
            if note.summary:
                rows.append(f'<p{lang} style="{body}">{e(note.summary)}</p>')
            for learning in note.learnings:
                rows.append(
                    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"'
                    ' border="0" style="margin:0 0 12px;"><tr>'
                    f'<td{lang} style="border-left:4px solid {_ACCENT};padding:4px 0 4px 12px;">'
                    f'<p style="{body}font-weight:bold;margin-bottom:8px;">'
                    f"{e(learning.heading)}</p>"
                    f"{_inline_styles(learning.html)}</td></tr></table>"
                )
    rows.append(
        f'<p style="{muted}margin-top:24px;">A weekly digest from {e(digest.site_title)}. '
        f'<a href="{e(digest.home_url)}" style="{link}">Read every note</a>.</p>'
    )
    content = "\n".join(rows)
    return f"""<!DOCTYPE html>
<html lang="{e(digest.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(digest.title)}</title>
</head>
<body style="margin:0;padding:0;background-color:{_PAGE};">
<table {_FRAME} width="100%" style="background-color:{_PAGE};">
<tr>
<td align="center" style="padding:24px 12px;">
<table {_FRAME} width="600" style="{_CARD}">
<tr>
<td style="padding:24px;{_FONT}font-size:16px;line-height:1.5;color:{_TEXT};">
{content}
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
"""
