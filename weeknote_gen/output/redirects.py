"""Redirect pages: a note's old addresses (`aliases`, `redirect_from`) keep working.

A static host cannot answer with an HTTP redirect, so each old address gets a tiny page that
sends the browser on (a meta refresh), tells search engines where the note lives now (a
canonical link, and `noindex` for itself) and shows a link for anyone whose browser does
not follow refreshes. The pages are listed nowhere: not in the sitemap, feeds, search or any
list, since they are not pages of their own.
"""

from __future__ import annotations

from html import escape

from weeknote_gen.content.model import Site
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.site.views import site_words
from weeknote_gen.urls import absolute_url, output_path, site_href


def redirect_pages(site: Site) -> list[Artifact]:
    """One page per old address of a published note, in the order of the addresses."""
    pages = []
    words = site_words(site)
    moved = words.gettext("Moved: %(title)s"), words.gettext("This note has moved to %(link)s.")
    for alias, redirect in site.aliases.items():
        note = site.notes[redirect.note_key]
        page = redirect_page(
            language=site.config.language,
            title=note.title,
            href=site_href(site.config, note.url),
            canonical=absolute_url(site.config, note.url),
            words=moved,
        )
        pages.append(Artifact(output_path(alias), page.encode("utf-8")))
    return pages


def redirect_page(
    *,
    language: str,
    title: str,
    href: str,
    canonical: str,
    words: tuple[str, str] = ("Moved: %(title)s", "This note has moved to %(link)s."),
) -> str:
    """The page itself: valid HTML, every value escaped (a title is the author's text);
    `words`: its title and sentence in the site's language, each with its placeholder."""
    text, target, link = escape(title), escape(href), escape(canonical)
    heading = escape(words[0]) % {"title": text}
    sentence = escape(words[1]) % {"link": f'<a href="{target}">{text}</a>'}
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{heading}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{link}">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n"
        "<body>\n"
        f"<p>{sentence}</p>\n"
        "</body>\n"
        "</html>\n"
    )
