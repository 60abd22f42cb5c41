"""`weeknote-gen digest`: one week's notes as an email, in HTML, plain text or Markdown.

The HTML is made for email programs, which ignore stylesheets and scripts and often `<div>`
layout: a single file with every style inline, tables for the frame, and every link and
picture an absolute address under `base_url`. Notes are grouped by team as on the week page
(`commands.digest_contents` chooses and groups them).
"""

from __future__ import annotations

import argparse
import os
import re
import textwrap
from collections.abc import Sequence
from html import escape
from typing import TextIO

from weeknote_gen.commands.digest_contents import (
    Digest,
    DigestError,
    DigestNote,
    digest_site,
    make_digest,
)
from weeknote_gen.commands.report import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, WEEK_HINT
from weeknote_gen.engine.build import clock_from_environment
from weeknote_gen.errors import format_report
from weeknote_gen.urls import parse_week
from weeknote_gen.words import Words

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


def render(digest: Digest, form: str) -> str:
    if form == "html":
        return render_html(digest)
    if form == "markdown":
        return render_markdown(digest)
    return render_text(digest)


def _names(authors: Sequence[str], words: Words) -> str:
    if len(authors) <= 1:
        return "".join(authors)
    return words.fill("%(names)s and %(last)s", names=", ".join(authors[:-1]), last=authors[-1])


def _byline(note: DigestNote, words: Words) -> str:
    if not note.authors:
        return note.date
    return words.fill("By %(names)s, %(date)s", names=_names(note.authors, words), date=note.date)


def _count(digest: Digest) -> str:
    return digest.words.ngettext("%(num)d note", "%(num)d notes", digest.count)


# --------------------------------------------------------------------------- plain text


def render_text(digest: Digest) -> str:
    words = digest.words
    lines = [digest.title, f"{digest.span} · {_count(digest)}", digest.url, ""]
    for group in digest.groups:
        lines += [group.heading.upper(), "=" * len(group.heading), ""]
        for note in group.notes:
            lines += [*_wrap(note.title), _byline(note, words), note.url, ""]
            if note.summary:
                lines += [*_wrap(note.summary), ""]
            for learning in note.learnings:
                lines.append(f"{learning.heading}:")
                for paragraph in learning.text.split("\n"):
                    lines += _wrap(paragraph, indent="  ") if paragraph else [""]
                lines.append("")
    lines.append(words.fill("Every note: %(url)s", url=digest.home_url))
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
        f"{digest.span} · {_count(digest)} ·"
        f" [{_md(digest.words.gettext('Read the week online'))}](<{digest.url}>)",
        "",
    ]
    for group in digest.groups:
        heading = f"[{_md(group.heading)}](<{group.url}>)" if group.url else _md(group.heading)
        lines += [f"## {heading}", ""]
        for note in group.notes:
            byline = _md(_byline(note, digest.words))
            lines += [f"### [{_md(note.title)}](<{note.url}>)", "", byline, ""]
            if note.summary:
                lines += [_md(note.summary), ""]
            for learning in note.learnings:
                lines += [f"**{_md(learning.heading)}**", ""]
                for paragraph in learning.text.split("\n"):
                    lines.append(f"> {_md(paragraph)}" if paragraph else ">")
                lines.append("")
    lines.append(f"[{_md(digest.words.gettext('Every note'))}]({digest.home_url})")
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
    e, words = escape, digest.words
    link = f"color:{_LINK};text-decoration:underline;"
    muted = f"margin:0 0 12px;{_FONT}font-size:14px;line-height:1.5;color:{_MUTED};"
    body = f"margin:0 0 12px;{_FONT}font-size:16px;line-height:1.5;color:{_TEXT};"
    rows = [
        f'<p style="{muted}margin-bottom:4px;">{e(digest.site_title)}</p>',
        f'<h1 style="margin:0 0 8px;{_FONT}font-size:26px;line-height:1.25;color:{_TEXT};">'
        f"{e(digest.team + ': ' if digest.team else '')}{e(digest.label)}</h1>",
        f'<p style="{muted}">{e(digest.span)} · {e(_count(digest))} · '
        f'<a href="{e(digest.url)}" style="{link}">{e(words.gettext("Read the week online"))}</a>'
        "</p>",
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
            rows.append(f'<p style="{muted}">{e(_byline(note, words))}</p>')
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
        f'<p style="{muted}margin-top:24px;">'
        f"{e(words.fill('A weekly digest from %(title)s.', title=digest.site_title))} "
        f'<a href="{e(digest.home_url)}" style="{link}">{e(words.gettext("Read every note"))}</a>'
        ".</p>"
    )
    return _email_page(digest, "\n".join(rows))


def _email_page(digest: Digest, content: str) -> str:
    """The frame around the rows: a centred card of 600 pixels, laid out with tables."""
    e = escape
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


# --------------------------------------------------------------------------- the command


def run_digest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    week = None
    if args.week is not None:
        try:
            week = parse_week(args.week)
        except ValueError as exc:
            print(f"weeknote-gen: error: {exc}\n  hint: {WEEK_HINT}", file=err)
            return EXIT_USAGE
    try:
        site, problems = digest_site(
            args.site, clock_from_environment(os.environ), language=args.lang
        )
    except DigestError as exc:
        hint = f"\n  hint: {exc.hint}" if exc.hint else ""
        print(f"weeknote-gen: error: {exc}{hint}", file=err)
        return EXIT_USAGE
    if site is None:
        print(format_report(problems, outcome="no digest was made"), file=err)
        return EXIT_PROBLEMS
    try:
        made = make_digest(site, week, args.team)
    except DigestError as exc:
        hint = f"\n  hint: {exc.hint}" if exc.hint else ""
        print(f"weeknote-gen: error: {exc}{hint}", file=err)
        return EXIT_USAGE if args.week is not None or args.team is not None else EXIT_PROBLEMS
    text = render(made, args.format)
    if args.output is None:
        out.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"weeknote-gen: error: cannot write {args.output}: {exc.strerror}", file=err)
        return EXIT_PROBLEMS
    print(f"Wrote the digest of {made.label} to {args.output}", file=out)
    return EXIT_OK
