"""Atom feeds (RFC 4287): a list's notes, or a team's weekly digest with an entry a week.

Everything here is derived from content, never from the clock: a feed's `updated` is its
newest entry's date and entry ids are tag URIs made from the note's date and URL, so a rebuild
gives the same bytes and feed readers never see an old note as new. The entry id, dates and
absolute links are shared with the JSON Feed.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import urljoin, urlsplit

from weeknote_gen import __version__
from weeknote_gen.content.model import Note, Site, Term
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.site.views import site_words, week_label, week_span
from weeknote_gen.urls import (
    WeekId,
    absolute_url,
    digest_feed_url,
    output_path,
    site_href,
    team_weeks_url,
    week_url,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GENERATOR_URI = "https://pypi.org/project/weeknote-gen/"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LINK_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
# Characters XML 1.0 cannot hold even as references: most C0 controls, lone surrogates,
# U+FFFE and U+FFFF. YAML's "\x01" escapes can put them in a title.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class AtomWriter:
    """Builds Atom feeds, computing each note's entry once however many feeds (site,
    authors, terms) it appears in."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.entries: dict[str, ET.Element] = {}

    def feed(self, url: str, page: str, title: str, notes: Sequence[Note]) -> Artifact:
        chosen = notes[: self.site.config.feed_entries]
        entries = [self.entry(n) for n in chosen]
        return _atom(self.site, url, page, title, entries, chosen)

    def digest_feed(self, term: Term) -> Artifact:
        """A team's weekly digest: an entry a week, holding every note the team wrote that
        week, for `feed_entries` weeks."""
        site, config = self.site, self.site.config
        by_week: dict[WeekId, list[Note]] = {}
        for key in term.note_keys:  # newest first, so weeks come in order
            note = site.notes[key]
            if note.week in by_week or len(by_week) < config.feed_entries:
                by_week.setdefault(note.week, []).append(note)
            else:
                break  # every later note is of an older week, left out too
        notes = tuple(n for week in by_week.values() for n in week)
        url, page = digest_feed_url(term.url), team_weeks_url(term.url)
        title = site_words(site).fill(
            "%(title)s: weekly digest of %(name)s", title=config.title, name=term.name
        )
        entries = [_digest_entry(site, term, week, chosen) for week, chosen in by_week.items()]
        return _atom(site, url, page, title, entries, notes)

    def entry(self, note: Note) -> ET.Element:
        if note.key not in self.entries:
            self.entries[note.key] = _atom_entry(self.site, note)
        return self.entries[note.key]


def rfc3339(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def entry_id(site: Site, note: Note) -> str:
    """A tag URI (RFC 4151): stable across rebuilds, unique per note, not tied to the host's
    scheme, so moving to https does not make every entry look new."""
    host = urlsplit(site.config.base_url).hostname or "localhost"
    return f"tag:{host},{note.date.isoformat()}:{site_href(site.config, note.url)}"


def absolute_content(html: str, page_url: str) -> str:
    """Note HTML with every link and image made absolute, as feed readers show it elsewhere."""

    def rewrite(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        if urlsplit(value).scheme:
            return match.group(0)
        return f'{name}="{urljoin(page_url, value)}"'

    return _LINK_ATTRIBUTE.sub(rewrite, html)


def _updated(notes: Iterable[Note]) -> dt.datetime:
    return max((n.published for n in notes), default=EPOCH)


def _atom(
    site: Site,
    url: str,
    page: str,
    title: str,
    entries: Sequence[ET.Element],
    notes: Sequence[Note],
) -> Artifact:
    config = site.config
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language})
    ET.SubElement(feed, "title").text = title
    if config.description:
        ET.SubElement(feed, "subtitle").text = config.description
    self_link = {"rel": "self", "type": "application/atom+xml", "href": absolute_url(config, url)}
    ET.SubElement(feed, "link", self_link)
    page_link = {"rel": "alternate", "type": "text/html", "href": absolute_url(config, page)}
    ET.SubElement(feed, "link", page_link)
    ET.SubElement(feed, "id").text = absolute_url(config, url)
    ET.SubElement(feed, "updated").text = rfc3339(_updated(notes))
    ET.SubElement(
        feed, "generator", {"uri": GENERATOR_URI, "version": __version__}
    ).text = "weeknote-gen"
    _drop_non_xml(feed)
    feed.extend(entries)
    ET.indent(feed)
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")
    return Artifact(output_path(url), (text + "\n").encode("utf-8"))


def _atom_entry(site: Site, note: Note) -> ET.Element:
    config = site.config
    page = absolute_url(config, note.url)
    # Every feed carries the site's language; a note in another says so (the entry is
    # shared by all the feeds a note is in, and they all have the site's language).
    lang = other_language(site, note)
    entry = ET.Element("entry", {XML_LANG: lang} if lang else {})
    ET.SubElement(entry, "title").text = note.title
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": page})
    ET.SubElement(entry, "id").text = entry_id(site, note)
    ET.SubElement(entry, "published").text = rfc3339(note.published)
    ET.SubElement(entry, "updated").text = rfc3339(note.published)
    for slug in note.author_slugs:
        author = site.authors[slug]
        element = ET.SubElement(entry, "author")
        ET.SubElement(element, "name").text = author.name
        ET.SubElement(element, "uri").text = absolute_url(config, author.url)
    for taxonomy, slugs in note.terms.items():
        for slug in slugs:
            term = site.taxonomies[taxonomy].terms[slug]
            ET.SubElement(
                entry,
                "category",
                {
                    "term": slug,
                    "label": term.name,
                    "scheme": absolute_url(config, site.taxonomies[taxonomy].url),
                },
            )
    if note.summary:
        ET.SubElement(entry, "summary", {"type": "text"}).text = note.summary
    ET.SubElement(entry, "content", {"type": "html"}).text = absolute_content(note.html, page)
    _drop_non_xml(entry)
    return entry


def digest_entry_id(site: Site, term: Term, week: WeekId) -> str:
    """A tag URI for one team's week: stable across rebuilds and new notes in the week."""
    host = urlsplit(site.config.base_url).hostname or "localhost"
    weeks = site_href(site.config, team_weeks_url(term.url))
    return f"tag:{host},{week.monday.isoformat()}:{weeks}{week.slug}"


def _digest_entry(site: Site, term: Term, week: WeekId, notes: Sequence[Note]) -> ET.Element:
    config = site.config
    words = site_words(site)
    page = absolute_url(config, week_url(week))
    entry = ET.Element("entry")
    ET.SubElement(entry, "title").text = f"{term.name}: {week_label(words, week)}"
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": page})
    ET.SubElement(entry, "id").text = digest_entry_id(site, term, week)
    ET.SubElement(entry, "published").text = rfc3339(min(n.published for n in notes))
    ET.SubElement(entry, "updated").text = rfc3339(_updated(notes))
    for slug in dict.fromkeys(s for n in notes for s in n.author_slugs):
        author = site.authors[slug]
        element = ET.SubElement(entry, "author")
        ET.SubElement(element, "name").text = author.name
        ET.SubElement(element, "uri").text = absolute_url(config, author.url)
    summary = words.ngettext(
        "%(num)d note from %(name)s, %(span)s.",
        "%(num)d notes from %(name)s, %(span)s.",
        len(notes),
        name=term.name,
        span=week_span(words, week),
    )
    ET.SubElement(entry, "summary", {"type": "text"}).text = summary
    ET.SubElement(entry, "content", {"type": "html"}).text = _digest_html(site, notes)
    _drop_non_xml(entry)
    return entry


def _digest_html(site: Site, notes: Sequence[Note]) -> str:
    """Each note's title (linked), authors, date, summary and learning passages."""
    config = site.config
    words = site_words(site)
    parts = []
    for note in notes:
        page = absolute_url(config, note.url)
        names = f" {words.gettext('and')} ".join(site.authors[s].name for s in note.author_slugs)
        # The digest's own words are in the feed's language; a note's words in its own.
        lang = other_language(site, note)
        attribute = f' lang="{escape(lang)}"' if lang else ""
        parts.append(f'<h2{attribute}><a href="{escape(page)}">{escape(note.title)}</a></h2>')
        byline = words.fill(
            "By %(names)s, %(date)s", names=names, date=words.format_date(note.date)
        )
        parts.append(f"<p>{escape(byline)}</p>")
        if note.summary:
            parts.append(f"<p{attribute}>{escape(note.summary)}</p>")
        for passage in note.learnings:
            if lang:
                parts.append(f"<div{attribute}>")
            parts.append(f"<h3>{escape(passage.heading)}</h3>")
            parts.append(absolute_content(passage.html, page))
            if lang:
                parts.append("</div>")
    return "\n".join(parts)


def other_language(site: Site, note: Note) -> str:
    """The note's language tag when it is not the feed's (the site's), else ""."""
    return "" if note.language.casefold() == site.config.language.casefold() else note.language


def _drop_non_xml(root: ET.Element) -> None:
    """Remove characters XML cannot hold from every text and attribute under `root`, so the
    feed stays well-formed (the pages show them; a feed reader would reject the whole feed)."""
    for element in root.iter():
        if element.text:
            element.text = _NOT_XML.sub("", element.text)
        for name, value in element.attrib.items():
            element.set(name, _NOT_XML.sub("", value))
