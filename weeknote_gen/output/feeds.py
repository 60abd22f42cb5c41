"""Feeds and discovery files: Atom, JSON Feed, sitemap.xml and robots.txt.

Everything here is derived from content, never from the clock: a feed's `updated` is its
newest entry's date and entry ids are tag URIs made from the note's date and URL, so a rebuild
gives the same bytes and feed readers never see an old note as new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urljoin, urlsplit

from weeknote_gen import __version__
from weeknote_gen.content.model import Note, Site, Term
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.render import fork_map, spans
from weeknote_gen.site.plan import PageSpec, digest_feed_url, team_weeks_url
from weeknote_gen.urls import (
    JSON_FEED_URL,
    NOT_FOUND_URL,
    ROBOTS_URL,
    SITE_FEED_URL,
    SITEMAP_URL,
    WeekId,
    absolute_url,
    feed_url,
    format_date,
    output_path,
    site_href,
    week_url,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GENERATOR_URI = "https://pypi.org/project/weeknote-gen/"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LINK_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
# Characters XML 1.0 cannot hold even as references: most C0 controls, lone surrogates,
# U+FFFE and U+FFFF. YAML's "\x01" escapes can put them in a title.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed or discovery file to make: what it is (`task`), its file, and the notes
    whose content it shows (`reads`, newest first; None when it may show any). With the
    site's structure, that is all it reads: the engine makes it again only when they changed."""

    task: tuple[str, ...]
    path: str
    reads: tuple[str, ...] | None


def plan_feeds(site: Site) -> list[FeedSpec]:
    """Every feed of the site plus the sitemap and robots.txt, in a stable order."""
    config = site.config
    newest = tuple(site.notes)[: config.feed_entries]
    plans = [
        FeedSpec(("site",), output_path(SITE_FEED_URL), newest),
        FeedSpec(("json",), output_path(JSON_FEED_URL), newest),
    ]
    for slug, author in site.authors.items():
        keys = author.note_keys[: config.feed_entries]
        plans.append(FeedSpec(("author", slug), output_path(feed_url(author.url)), keys))
    for name, taxonomy in site.taxonomies.items():
        for slug, term in taxonomy.terms.items():
            keys = term.note_keys[: config.feed_entries]
            plans.append(FeedSpec(("term", name, slug), output_path(feed_url(term.url)), keys))
    teams = site.taxonomy_for("team")
    if teams is not None:
        for slug, term in teams.terms.items():
            keys = _digest_keys(site, term)
            path = output_path(digest_feed_url(term))
            plans.append(FeedSpec(("digest", teams.name, slug), path, keys))
    # The sitemap lists every page with its date: any note may move it.
    plans.append(FeedSpec(("sitemap",), output_path(SITEMAP_URL), None))
    plans.append(FeedSpec(("robots",), output_path(ROBOTS_URL), ()))
    return plans


def make_feeds(
    site: Site,
    specs: Sequence[PageSpec],
    feeds: Sequence[FeedSpec],
    jobs: int = 1,
    *,
    packed: bool = False,
) -> list[Artifact]:
    """The files of `feeds`, in order. With `jobs` above 1, spans of them are made in
    forked processes; with `packed`, each also comes compressed with its digest and size,
    ready for the engine to remember (`Artifact.packed`)."""
    job = _FeedJob(site, specs, packed)
    if len(feeds) < PARALLEL_FEEDS:
        jobs = 1
    tasks = [feed.task for feed in feeds]
    outcomes = fork_map(_feed_span, (job, tasks), spans(len(tasks), jobs, 4), jobs)
    artifacts: list[Artifact] = []
    for path, made in (made for part in outcomes for made in part):
        if isinstance(made, bytes):
            artifacts.append(Artifact(path, made))
        else:
            artifacts.append(Artifact.stored(path, *made))
    return artifacts


PARALLEL_FEEDS = 32  # below this many feeds, starting processes costs more than it saves
_Packed = tuple[bytes, str, int, bytes]  # compressed bytes, their sha256 and size, the bytes


def _digest_keys(site: Site, term: Term) -> tuple[str, ...]:
    """The notes of a team's digest feed: every note of its latest `feed_entries` weeks."""
    weeks: set[WeekId] = set()
    keys = []
    for key in term.note_keys:
        week = site.notes[key].week
        if week not in weeks and len(weeks) >= site.config.feed_entries:
            continue
        weeks.add(week)
        keys.append(key)
    return tuple(keys)


class _FeedJob:
    """What making feeds reads: set up in the parent and inherited by forked workers, which
    each keep their own `_AtomWriter`."""

    def __init__(self, site: Site, specs: Sequence[PageSpec], packed: bool) -> None:
        self.site = site
        self.specs = specs
        self.packed = packed
        self.writer = _AtomWriter(site)

    def make(self, task: tuple[str, ...]) -> tuple[str, bytes | _Packed]:
        """One feed's file and bytes (packed, if asked for)."""
        path, data = self.produce(task)
        if not self.packed:
            return path, data
        return path, (zlib.compress(data, 1), hashlib.sha256(data).hexdigest(), len(data), data)

    def produce(self, task: tuple[str, ...]) -> tuple[str, bytes]:
        site, config, kind = self.site, self.site.config, task[0]
        made: Artifact
        if kind == "json":
            made = _json_feed(site, tuple(site.notes.values()))
        elif kind == "sitemap":
            made = _sitemap(site, self.specs)
        elif kind == "robots":
            made = _robots(site)
        elif kind == "site":
            made = self.writer.feed(SITE_FEED_URL, "/", config.title, tuple(site.notes.values()))
        elif kind == "author":
            author = site.authors[task[1]]
            chosen = tuple(site.notes[k] for k in author.note_keys)
            title = f"{config.title}: notes by {author.name}"
            made = self.writer.feed(feed_url(author.url), author.url, title, chosen)
        elif kind == "term":
            taxonomy = site.taxonomies[task[1]]
            term = taxonomy.terms[task[2]]
            chosen = tuple(site.notes[k] for k in term.note_keys)
            title = f"{config.title}: {taxonomy.singular.lower()} {term.name}"
            made = self.writer.feed(feed_url(term.url), term.url, title, chosen)
        else:
            made = self.writer.digest_feed(site.taxonomies[task[1]].terms[task[2]])
        return made.path, made.data


def _feed_span(
    job_and_tasks: tuple[_FeedJob, list[tuple[str, ...]]], span: range
) -> list[tuple[str, bytes | _Packed]]:
    job, tasks = job_and_tasks
    return [job.make(tasks[index]) for index in span]


class _AtomWriter:
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
        for key in term.note_keys:
            note = site.notes[key]
            if note.week in by_week or len(by_week) < config.feed_entries:
                by_week.setdefault(note.week, []).append(note)
        notes = tuple(n for week in by_week.values() for n in week)
        url, page = digest_feed_url(term), team_weeks_url(term)
        title = f"{config.title}: weekly digest of {term.name}"
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
    lang = _other_language(site, note)
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
    weeks = site_href(site.config, team_weeks_url(term))
    return f"tag:{host},{week.monday.isoformat()}:{weeks}{week.slug}"


def _digest_entry(site: Site, term: Term, week: WeekId, notes: Sequence[Note]) -> ET.Element:
    config = site.config
    page = absolute_url(config, week_url(week))
    entry = ET.Element("entry")
    ET.SubElement(entry, "title").text = f"{term.name}: {week.label}"
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": page})
    ET.SubElement(entry, "id").text = digest_entry_id(site, term, week)
    ET.SubElement(entry, "published").text = rfc3339(min(n.published for n in notes))
    ET.SubElement(entry, "updated").text = rfc3339(_updated(notes))
    for slug in dict.fromkeys(s for n in notes for s in n.author_slugs):
        author = site.authors[slug]
        element = ET.SubElement(entry, "author")
        ET.SubElement(element, "name").text = author.name
        ET.SubElement(element, "uri").text = absolute_url(config, author.url)
    count = len(notes)
    summary = f"{count} note{'s' if count != 1 else ''} from {term.name}, {week.span}."
    ET.SubElement(entry, "summary", {"type": "text"}).text = summary
    ET.SubElement(entry, "content", {"type": "html"}).text = _digest_html(site, notes)
    _drop_non_xml(entry)
    return entry


def _digest_html(site: Site, notes: Sequence[Note]) -> str:
    """Each note's title (linked), authors, date, summary and learning passages."""
    config = site.config
    parts = []
    for note in notes:
        page = absolute_url(config, note.url)
        names = " and ".join(site.authors[s].name for s in note.author_slugs)
        # The digest's own words are in the feed's language; a note's words in its own.
        lang = _other_language(site, note)
        attribute = f' lang="{escape(lang)}"' if lang else ""
        parts.append(f'<h2{attribute}><a href="{escape(page)}">{escape(note.title)}</a></h2>')
        parts.append(f"<p>By {escape(names)}, {format_date(note.date)}</p>")
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


def _other_language(site: Site, note: Note) -> str:
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


def _json_feed(site: Site, notes: Sequence[Note]) -> Artifact:
    """JSON Feed 1.1 (jsonfeed.org): for readers and scripts that would rather not parse XML."""
    config = site.config
    items = []
    for note in notes[: config.feed_entries]:
        page = absolute_url(config, note.url)
        item: dict[str, object] = {
            "id": entry_id(site, note),
            "url": page,
            "title": note.title,
            "content_html": absolute_content(note.html, page),
            "summary": note.summary,
            "date_published": rfc3339(note.published),
            "authors": [
                {"name": site.authors[s].name, "url": absolute_url(config, site.authors[s].url)}
                for s in note.author_slugs
            ],
            "tags": [
                site.taxonomies[tax].terms[slug].name
                for tax, slugs in note.terms.items()
                for slug in slugs
            ],
        }
        lang = _other_language(site, note)
        if lang:
            item["language"] = lang  # JSON Feed 1.1: an item's language, when not the feed's
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": absolute_url(config, "/"),
        "feed_url": absolute_url(config, JSON_FEED_URL),
        "description": config.description,
        "language": config.language,
        "items": items,
    }
    text = json.dumps(feed, ensure_ascii=False, indent=2)
    return Artifact(output_path(JSON_FEED_URL), (text + "\n").encode("utf-8"))


def _sitemap(site: Site, specs: Sequence[PageSpec]) -> Artifact:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for spec in specs:
        if spec.url == NOT_FOUND_URL:
            continue
        entry = ET.SubElement(urlset, "url")
        ET.SubElement(entry, "loc").text = absolute_url(site.config, spec.url)
        if spec.lastmod is not None:
            ET.SubElement(entry, "lastmod").text = spec.lastmod.isoformat()
    ET.indent(urlset)
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="unicode")
    return Artifact(output_path(SITEMAP_URL), (text + "\n").encode("utf-8"))


def _robots(site: Site) -> Artifact:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(site.config, SITEMAP_URL)}\n"
    return Artifact(output_path(ROBOTS_URL), text.encode("utf-8"))
