"""Naming rules in one place: slugs, ISO weeks, written-out dates, and every URL.

Output paths are a function of URLs (`output_path`), and links are a function of URLs and the
base path (`site_href`), so no other module builds a path or an href by hand.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit

from weeknote_gen.config import Config, iso_week_monday

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SLUG_LIMIT = 100  # bytes of UTF-8
_APOSTROPHES = re.compile(r"['’‘`]")
_WORD = re.compile(r"[^\W_]+")
# Everything RFC 3986 lets a URI hold as it is; all else is percent-encoded, as is a '%' that
# does not start an escape.
_URI_SAFE = "-._~:/?#[]@!$&'()*+,;=%"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")


# --------------------------------------------------------------------------- names and dates


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens, punctuation dropped, letters of any script kept.

    Used for author and term identity too, so "Information Sharing" and "information-sharing "
    are one term with one page.
    """
    folded = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())
    return _shortened("-".join(_WORD.findall(folded)))


def _shortened(slug: str) -> str:
    """At most SLUG_LIMIT bytes (file systems refuse names over 255), cut after a word where
    there is one, so a long title still gives a URL that can be written."""
    if len(slug.encode("utf-8")) <= SLUG_LIMIT:
        return slug
    cut = slug.encode("utf-8")[: SLUG_LIMIT + 1].decode("utf-8", "ignore")
    shorter = cut.rsplit("-", 1)[0] if "-" in cut else cut[:-1]
    while len(shorter.encode("utf-8")) > SLUG_LIMIT:
        shorter = shorter[:-1]
    return shorter.strip("-")


def format_date(day: dt.date) -> str:
    """Dates as people write them in British English: "12 July 2019"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True, order=True)
class WeekId:
    """An ISO 8601 week: the way teams number their weeknotes ("Week 28")."""

    year: int
    week: int

    @classmethod
    def of(cls, day: dt.date) -> WeekId:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    @property
    def slug(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def label(self) -> str:
        return f"Week {self.week}, {self.year}"

    @property
    def span(self) -> str:
        """ "Monday 8 – Sunday 14 July 2019", naming months and years only where they change."""
        start, end = self.monday, self.sunday
        if start.year != end.year:
            first = format_date(start)
        elif start.month != end.month:
            first = f"{start.day} {MONTHS[start.month - 1]}"
        else:
            first = str(start.day)
        return f"Monday {first} – Sunday {format_date(end)}"


# --------------------------------------------------------------------------- URLs


def note_url(permalink: str, *, day: dt.date, slug: str, author: str) -> str:
    """Expand a permalink pattern; the pieces are slugs and numbers, so the URL is safe."""
    values = {
        "year": f"{day.year:04d}",
        "month": f"{day.month:02d}",
        "day": f"{day.day:02d}",
        "week": f"{WeekId.of(day).week:02d}",
        "slug": slug,
        "author": author,
    }
    return quote(re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], permalink))


def author_url(slug: str) -> str:
    return quote(f"{AUTHORS_URL}{slug}/")


def taxonomy_url(taxonomy: str) -> str:
    return f"/{taxonomy}/"


def term_url(taxonomy: str, slug: str) -> str:
    return quote(f"/{taxonomy}/{slug}/")


def term_pair_url(taxonomy: str, slug: str, other: str, other_slug: str) -> str:
    """The notes that use both a term and a term of another taxonomy: theme × team."""
    return quote(f"/{taxonomy}/{slug}/{other}/{other_slug}/")


def year_url(permalink: str, year: int) -> str | None:
    """The page of a year's notes, where notes' addresses start with their year (the default
    `/{year}/{slug}/`): a reader who trims `/2026/week-12/` to `/2026/` finds the year there.
    None for permalinks that do not start so."""
    return f"/{year}/" if permalink.startswith("/{year}/") else None


def week_url(week: WeekId) -> str:
    return f"{WEEKS_URL}{week.slug}/"


HOME_URL = "/"
WEEKS_URL = "/weeks/"
AUTHORS_URL = "/authors/"
ARCHIVE_URL = "/archive/"
SITE_FEED_URL = "/feed.xml"
JSON_FEED_URL = "/feed.json"
SITEMAP_URL = "/sitemap.xml"
ROBOTS_URL = "/robots.txt"
SEARCH_URL = "/search/"
NOT_FOUND_URL = "/404.html"
# The whole site's learning log when no taxonomy has the learning role.
LEARNING_LOG_URL = "/learning/log/"


def learning_log_url(learning_taxonomy_url: str | None) -> str:
    """The whole site's learning log: under the learning taxonomy (`/learning/log/`), or
    at that address when the site has no taxonomy with the learning role."""
    if learning_taxonomy_url is None:
        return LEARNING_LOG_URL
    return f"{learning_taxonomy_url}log/"


def team_weeks_url(term_url: str) -> str:
    """A team's weeks: beside its term page, as `/team/ict/weeks/`."""
    return f"{term_url}weeks/"


def digest_feed_url(term_url: str) -> str:
    """A team's weekly digest feed, one entry a week: `/team/ict/digest.xml`."""
    return f"{term_url}digest.xml"


def author_learning_url(author_url: str) -> str:
    """An author's learning log, beside their page: `/authors/ana/learning/`."""
    return f"{author_url}learning/"


def theme_asset_url(path: str) -> str:
    """A file of the theme's `static/` folder (style sheets, scripts), as the site serves it."""
    return f"/static/{path}"


def media_url(path: str) -> str:
    """Pictures and files beside the notes are published under /media/, keeping their path
    below weeknotes/ so two notes' `board.jpg` in different folders do not collide."""
    return quote(f"/media/{path}")


def static_url(path: str) -> str:
    """A file of the site's static folder is published at its path inside that folder, from
    the site's root: `static/images/a.png` at `/images/a.png`, as Hugo and Jekyll do."""
    return quote(f"/{path}")


_PAGE_FILE_SUFFIXES = (".html", ".htm")
_NOT_IN_FILE_NAMES = frozenset('<>:"|*')  # Windows refuses them; '?' was refused above
_NAME_LIMIT = 255  # bytes: the longest file or folder name most file systems take


def alias_url(alias: str) -> str:
    """A note's old address (Hugo's `aliases`, Jekyll's `redirect_from`) as the URL of its
    redirect page: a path from the site's root, to a folder (`/2019/10/18/week-notes/`,
    also when written without the last `/`) or to an `.html` file (`/old.html`).

    Raises ValueError, saying why, for anything that is not a plain path on this site: a
    full address, `..` or `.` or an empty part, a backslash, a `?` or `#`, or a character
    no file name should hold; the redirect page is written where the path says, so a path
    that could leave the output folder must never get that far.
    """
    text = alias.strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed '[' reads as a broken IPv6 host
        raise ValueError("is not a path on this site") from None
    if parts.scheme or parts.netloc or text.startswith("//"):
        raise ValueError("is a full address, not a path on this site")
    if "\\" in text or "\\" in unquote(text):
        raise ValueError("holds a backslash")
    if "?" in text or "#" in text:
        raise ValueError("holds a '?' or '#', which a page's address on a static host cannot")
    path = unquote(text)
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in path):
        raise ValueError("holds a control character")
    segments = path.strip("/").split("/")
    if segments == [""]:
        raise ValueError("is the home page's address")
    if any(segment in ("", ".", "..") for segment in segments):
        raise ValueError("has an empty, '.' or '..' part")
    odd = sorted({c for c in path if c in _NOT_IN_FILE_NAMES})
    if odd:
        shown = " ".join(odd)
        raise ValueError(f"holds {shown}, which a file name cannot hold on every system")
    if any(len(segment.encode("utf-8")) > _NAME_LIMIT for segment in segments):
        raise ValueError(f"has a part longer than {_NAME_LIMIT} bytes")
    url = "/" + "/".join(segments)
    if path.endswith("/") or not segments[-1].lower().endswith(_PAGE_FILE_SUFFIXES):
        url += "/"
    return quote(url)


def feed_url(list_url: str) -> str:
    """An author's or term's Atom feed sits beside its first list page."""
    return f"{list_url}feed.xml"


def page_url(first_page_url: str, number: int) -> str:
    """Page 1 of a list lives at its own URL; later pages under `page/N/`."""
    return first_page_url if number == 1 else f"{first_page_url}page/{number}/"


def site_href(config: Config, url: str) -> str:
    """A site URL as written in a link: under the base path, so sub-path hosting works."""
    return config.base_path + url.lstrip("/")


def absolute_url(config: Config, url: str) -> str:
    parts = urlsplit(config.base_url)
    return f"{parts.scheme}://{parts.netloc}{site_href(config, url)}"


def is_unsafe_link(link: str) -> bool:
    """A link that would run code or read local files when followed (`javascript:`,
    `vbscript:`, `data:`, `file:`), however it is disguised: any case, character references
    (`java&#x09;script:`), spaces or control characters inside or around the scheme."""
    cleaned = _CONTROL_OR_SPACE.sub("", html.unescape(link)).lower()
    scheme, colon, _ = cleaned.partition(":")
    return bool(colon) and "/" not in scheme and scheme in _UNSAFE_SCHEMES


def clean_link(link: str) -> str:
    """A link as a person wrote it (in config.yaml or front matter), safe to put in a page or
    a feed: empty if it would run code, otherwise with every character a URL cannot hold
    percent-encoded: spaces, quotes, angle brackets, letters beyond ASCII and invisible
    formatting characters such as a right-to-left override, which could disguise where the
    link goes."""
    link = link.strip()
    if is_unsafe_link(link):
        return ""
    return quote(_STRAY_PERCENT.sub("%25", link), safe=_URI_SAFE)


def absolute_link(config: Config, link: str, page_url: str) -> str:
    """Any link a note or config may hold (an address, a site path, or a path relative to the
    page) as an absolute address, for feeds and link previews that are read off the site;
    empty if the link is unsafe (see `clean_link`)."""
    link = clean_link(link)
    if not link or urlsplit(link).scheme:
        return link
    if link.startswith("/"):
        return absolute_url(config, link)
    return urljoin(absolute_url(config, page_url), link)


def output_path(url: str) -> str:
    """Where a URL's file lives inside the output folder: pretty URLs are `…/index.html`."""
    path = unquote(url).lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path


def parse_week(text: str) -> WeekId:
    """A week as a person names it on the command line (`--week`): an ISO week (`2026-W28`,
    `2026W28`, any case) or any date in it (`2026-07-08`). ValueError says why not."""
    monday = iso_week_monday(text)
    if monday is not None:
        return WeekId.of(monday)
    try:
        return WeekId.of(dt.date.fromisoformat(text.strip()))
    except ValueError:
        pass
    if re.match(r"^\d{4}-?w\d+$", text.strip(), re.IGNORECASE):
        raise ValueError(f"there is no week {text.strip()}: weeks run from 1 to 52 or 53")
    raise ValueError(f"'{text}' is not a week")
