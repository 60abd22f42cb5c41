"""`weeknote-gen import`: weeknotes from a WordPress export (WXR), an RSS 2.0 or an Atom file.

Reading is streamed with the standard library's `iterparse`, one post at a time, so a large
export does not have to fit in memory as a tree. XML that declares entities is refused before
parsing: no real export needs them, so this closes "billion laughs" documents outright, on
top of expat's own amplification limits (expat 2.4 and later), and external entities are never
fetched by the standard library's parser in any case. See docs/importing.md.

Bodies become Markdown with markdownify (MIT licence, typed, maintained); WordPress's own
markup (shortcodes, paragraphs written as blank lines, block comments) is dealt with first.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import MarkdownConverter

from weeknote_gen.config import CONTENT_DIR
from weeknote_gen.urls import slugify
from weeknote_gen.yamldoc import dump_front_matter


class UnreadableExportError(Exception):
    """The file cannot be imported at all (not XML, not the kind expected, unsafe)."""


@dataclass(frozen=True, slots=True)
class Post:
    """One post as read from an export, its body already Markdown."""

    title: str
    date: dt.date
    author: str
    slug: str
    body: str
    terms: Mapping[str, tuple[str, ...]]  # taxonomy name -> terms
    summary: str = ""
    draft: bool = False
    dropped: tuple[str, ...] = ()  # what was left out of the body, such as "[gallery]"


@dataclass(frozen=True, slots=True)
class Skipped:
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class TermMapping:
    """Which taxonomy categories and tags go to; "" leaves them out."""

    categories: str
    tags: str = ""


@dataclass
class Read:
    posts: list[Post] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PlannedNote:
    path: str  # relative to the site folder
    text: str
    post: Post


@dataclass
class Plan:
    notes: list[PlannedNote] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: int = 0  # notes that could not be written (a full disk, a permission)


# --------------------------------------------------------------------------- safe XML


_DECLARES_ENTITIES = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HEAD_BYTES = 1 << 16


def _events(source: Path) -> Iterator[tuple[str, ET.Element]]:
    """`iterparse` start and end events, after refusing documents that declare entities."""
    with source.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
        doctype = head.find(b"<!DOCTYPE")
        if doctype >= 0 and _DECLARES_ENTITIES.search(head, doctype):
            raise UnreadableExportError(
                "the file declares XML entities, which exports never need; it was not read"
                " (such files can be made to use all the memory of the machine reading them)"
            )
        handle.seek(0)
        yield from _parse(handle)


def _parse(handle: IO[bytes]) -> Iterator[tuple[str, ET.Element]]:
    try:
        yield from ET.iterparse(handle, events=("start", "end"))
    except ET.ParseError as exc:
        raise UnreadableExportError(f"the file is not well-formed XML: {exc}") from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _child(element: ET.Element, name: str, namespace: str = "") -> ET.Element | None:
    """The first child called `name`; `namespace` matches by prefix, so that WordPress's
    export/1.0, 1.1 and 1.2 namespaces are all one."""
    for child in element:
        if _local(child.tag) == name and _namespace(child.tag).startswith(namespace):
            return child
    return None


def _text(element: ET.Element, name: str, namespace: str = "") -> str:
    child = _child(element, name, namespace)
    return (child.text or "").strip() if child is not None else ""


WP = "http://wordpress.org/export/"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "http://www.w3.org/2005/Atom"


# --------------------------------------------------------------------------- WordPress


SKIP_TYPES = {
    "page": "a page, not a post",
    "attachment": "an uploaded file (pictures stay linked from the posts that show them)",
    "nav_menu_item": "a menu item",
    "revision": "an earlier revision of a post",
    "wp_block": "a reusable block",
    "custom_css": "the theme's custom CSS",
}
DRAFT_STATUSES = ("draft", "pending", "private")
SKIP_STATUSES = {"trash": "in the bin", "auto-draft": "an empty automatic draft"}


def read_wordpress(source: Path, author_map: Mapping[str, str], mapping: TermMapping) -> Read:
    result = Read()
    display: dict[str, str] = {}  # login -> display name, from <wp:author>
    for event, element in _events(source):
        if event != "end":
            continue
        name = _local(element.tag)
        if name == "author" and _namespace(element.tag).startswith(WP):
            login = _text(element, "author_login", WP)
            if login:
                display[login] = _text(element, "author_display_name", WP) or login
        elif name == "item":
            _wordpress_item(element, display, author_map, mapping, result)
            element.clear()  # the tree under <channel> would otherwise hold every post
    return result


def _wordpress_item(
    item: ET.Element,
    display: Mapping[str, str],
    author_map: Mapping[str, str],
    mapping: TermMapping,
    result: Read,
) -> None:
    title = _clean(html.unescape(_text(item, "title")))
    kind = _text(item, "post_type", WP) or "post"
    status = _text(item, "status", WP) or "publish"
    shown = title or f"(untitled {kind} {_text(item, 'post_id', WP)})".replace(" )", ")")
    if kind != "post":
        result.skipped.append(Skipped(shown, SKIP_TYPES.get(kind, f"a '{kind}', not a post")))
        return
    if status in SKIP_STATUSES:
        result.skipped.append(Skipped(shown, SKIP_STATUSES[status]))
        return
    date = _wordpress_date(_text(item, "post_date", WP)) or _rfc822_date(_text(item, "pubDate"))
    if date is None:
        result.skipped.append(Skipped(shown, "it has no date"))
        return
    login = _text(item, "creator", DC)
    author = author_map.get(login) or display.get(login) or login
    if not author:
        result.skipped.append(Skipped(shown, "it names no author (add one with --author-map)"))
        return
    categories: list[str] = []
    tags: list[str] = []
    for child in item:
        if _local(child.tag) == "category" and child.text and child.text.strip():
            term = _clean(html.unescape(child.text))
            domain = child.get("domain", "category")
            if domain == "category" and term.casefold() != "uncategorized":
                categories.append(term)
            elif domain == "post_tag":
                tags.append(term)
    body, dropped = html_to_markdown(_text(item, "encoded", CONTENT), wordpress=True)
    excerpt = next(
        (_plain(c.text or "") for c in item if _local(c.tag) == "encoded" and "/excerpt/" in c.tag),
        "",
    )
    slug = slugify(unquote(_text(item, "post_name", WP))) or slugify(title)
    result.posts.append(
        Post(
            title=title or "Untitled",
            date=date,
            author=author,
            slug=slug or f"post-{slugify(_text(item, 'post_id', WP)) or 'untitled'}",
            body=body,
            terms=_terms({mapping.categories: categories, mapping.tags: tags}),
            summary=excerpt,
            draft=status in DRAFT_STATUSES,
            dropped=dropped,
        )
    )


def _wordpress_date(text: str) -> dt.date | None:
    """`2019-07-12 16:30:00`, the time where the blog was; drafts may have all zeros."""
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _rfc822_date(text: str) -> dt.date | None:
    """RSS's `Fri, 12 Jul 2019 16:30:00 +0000`, as the day where it was written."""
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


# --------------------------------------------------------------------------- RSS and Atom


BLOGGER_KIND = "http://schemas.google.com/g/2005#kind"
APP = "http://www.w3.org/2007/app"


def read_feed(source: Path, author_map: Mapping[str, str], mapping: TermMapping) -> Read:
    result = Read()
    root_seen = ""
    feed_author = ""
    for event, element in _events(source):
        name = _local(element.tag)
        if event == "start":
            if not root_seen:
                root_seen = name if name in ("rss", "feed") else "other"
                if root_seen == "other":
                    raise UnreadableExportError(
                        f"this is not an RSS 2.0 or Atom file: it starts with <{name}>"
                    )
            continue
        if name == "item" and root_seen == "rss":
            _rss_item(element, author_map, mapping, result)
            element.clear()
        elif name == "entry" and root_seen == "feed":
            _atom_entry(element, author_map, mapping, result, feed_author)
            element.clear()
        elif name == "author" and _namespace(element.tag) == ATOM and not feed_author:
            feed_author = _text(element, "name", ATOM)  # the feed's author, before any entry
    return result


def _rss_item(
    item: ET.Element, author_map: Mapping[str, str], mapping: TermMapping, result: Read
) -> None:
    title = _clean(html.unescape(_text(item, "title")))
    date = _rfc822_date(_text(item, "pubDate")) or _iso_date(_text(item, "date", DC))
    if date is None:
        result.skipped.append(Skipped(title or "(untitled)", "it has no date"))
        return
    written = _text(item, "creator", DC) or _rss_author(_text(item, "author"))
    author = author_map.get(written, written)
    if not author:
        result.skipped.append(Skipped(title, "it names no author (add one with --author-map)"))
        return
    categories = [
        _clean(html.unescape(c.text))
        for c in item
        if _local(c.tag) == "category" and c.text and c.text.strip()
    ]
    content = _text(item, "encoded", CONTENT) or _text(item, "description")
    body, dropped = html_to_markdown(content)
    result.posts.append(
        Post(
            title=title or "Untitled",
            date=date,
            author=author,
            slug=_slug_from_link(_text(item, "link")) or slugify(title) or "untitled",
            body=body,
            terms=_terms({mapping.categories: categories}),
            dropped=dropped,
        )
    )


def _rss_author(text: str) -> str:
    """RSS `<author>` is an address, often with the name in brackets: `a@b.org (Ada)`."""
    found = re.search(r"\(([^)]+)\)", text)
    return found.group(1).strip() if found else text


def _atom_entry(
    entry: ET.Element,
    author_map: Mapping[str, str],
    mapping: TermMapping,
    result: Read,
    feed_author: str,
) -> None:
    title = _clean(_atom_text(_child(entry, "title", ATOM)))
    categories = []
    kind = ""
    for child in entry:
        if _local(child.tag) == "category":
            if child.get("scheme") == BLOGGER_KIND:
                kind = child.get("term", "").rsplit("#", 1)[-1]
            else:
                term = _clean(child.get("label") or child.get("term") or "")
                if term:
                    categories.append(term)
    if kind and kind != "post":
        result.skipped.append(
            Skipped(title or f"({kind})", f"a Blogger '{kind}' entry, not a post")
        )
        return
    date = _iso_date(_text(entry, "published", ATOM) or _text(entry, "updated", ATOM))
    if date is None:
        result.skipped.append(Skipped(title or "(untitled)", "it has no date"))
        return
    author_element = _child(entry, "author", ATOM)
    written = _text(author_element, "name", ATOM) if author_element is not None else ""
    written = written or feed_author
    author = author_map.get(written, written)
    if not author:
        result.skipped.append(Skipped(title, "it names no author (add one with --author-map)"))
        return
    content = _child(entry, "content", ATOM)
    if content is None:
        content = _child(entry, "summary", ATOM)
    body, dropped = html_to_markdown(_atom_html(content))
    control = _child(entry, "control", APP)
    draft = control is not None and _text(control, "draft", APP).lower() == "yes"
    link = next(
        (
            c.get("href", "")
            for c in entry
            if _local(c.tag) == "link" and c.get("rel", "alternate") == "alternate"
        ),
        "",
    )
    result.posts.append(
        Post(
            title=title or "Untitled",
            date=date,
            author=author,
            slug=_slug_from_link(link) or slugify(title) or "untitled",
            body=body,
            terms=_terms({mapping.categories: categories}),
            draft=draft,
            dropped=dropped,
        )
    )


def _atom_text(element: ET.Element | None) -> str:
    """An Atom text construct as plain text, whatever its `type`."""
    if element is None:
        return ""
    if element.get("type") in ("html", "xhtml"):
        return _plain(_atom_html(element))
    return element.text or ""


def _atom_html(element: ET.Element | None) -> str:
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":  # the markup is XML inside a <div>: write it back out as HTML
        div = _child(element, "div")
        inner = div if div is not None else element
        parts = [inner.text or ""] + [
            ET.tostring(child, encoding="unicode", method="html") for child in inner
        ]
        return re.sub(r"<(/?)html:", r"<\1", "".join(parts))
    if kind == "html":
        return element.text or ""
    return "<p>" + html.escape(element.text or "") + "</p>"


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _slug_from_link(link: str) -> str:
    """The last part of a post's address: `…/2019/07/counting-laptops.html` gives
    `counting-laptops`; Medium's trailing id (`…-3f2a9c1b7d4e`) is dropped."""
    path = urlsplit(link).path.rstrip("/")
    last = unquote(path.rsplit("/", 1)[-1])
    last = re.sub(r"\.html?$", "", last)
    last = re.sub(r"-[0-9a-f]{10,12}$", "", last)
    return slugify(last)


# --------------------------------------------------------------------------- HTML to Markdown


SHORTCODE_NAMES = (
    "caption|wp_caption|gallery|embed|audio|video|playlist|contact-form|contact-form-7|"
    "gravityform|youtube|vimeo|tweet|soundcloud|googlemaps|slideshare|code|sourcecode"
)
_PAIRED = re.compile(
    rf"\[(?P<name>{SHORTCODE_NAMES})(?P<attrs>(?:\s[^\]]*)?)\](?P<inner>.*?)\[/(?P=name)\]",
    re.DOTALL | re.IGNORECASE,
)
_SINGLE = re.compile(rf"\[(?P<name>{SHORTCODE_NAMES})(?P<attrs>(?:\s[^\]]*)?)/?\]", re.IGNORECASE)
_ESCAPED = re.compile(r"\[(\[[^\[\]]+\])\]")  # WordPress writes a literal [gallery] as [[gallery]]
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_BLOCK_START = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|img|iframe|form|dl|section|"
    r"!--)",
    re.IGNORECASE,
)
_BLOCK_TAGS = re.compile(r"<(?:p|div|h[1-6]|ul|ol|blockquote|pre|table|figure)[\s>]", re.I)
DROPPED_TAGS = ("script", "style", "form", "noscript", "button", "input", "select", "textarea")


def html_to_markdown(text: str, *, wordpress: bool = False) -> tuple[str, tuple[str, ...]]:
    """Clean Markdown from a post's HTML, and what was left out (such as `[gallery]`)."""
    dropped: list[str] = []
    if wordpress:
        text = _shortcodes(text, dropped)
        text = _autop(text)
    soup = BeautifulSoup(text, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()  # Gutenberg's <!-- wp:paragraph --> and the like
    for tag in soup.find_all(DROPPED_TAGS):
        if isinstance(tag, Tag):
            if tag.name == "form":
                _note(dropped, "a form")
            tag.decompose()
    for frame in soup.find_all("iframe"):
        if isinstance(frame, Tag):
            source = str(frame.get("src") or "")
            if source.startswith(("https://", "http://")):
                link = soup.new_tag("a", href=source)
                link.string = source
                paragraph = soup.new_tag("p")
                paragraph.append(link)
                frame.replace_with(paragraph)
            else:
                frame.decompose()
    markdown = _Converter(heading_style="atx", bullets="-", newline_style="spaces").convert_soup(
        soup
    )
    lines = [_trimmed(line) for line in markdown.replace("\r\n", "\n").split("\n")]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return (body + "\n" if body else ""), tuple(dropped)


def _trimmed(line: str) -> str:
    """A line without trailing spaces, except the two that mark a line break after text."""
    kept = line.rstrip()
    return kept + "  " if kept and line.endswith("  ") else kept


class _Converter(MarkdownConverter):
    """markdownify, with a figure's caption in italics under its picture."""

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = " ".join(text.split())
        return f"\n\n*{text}*\n\n" if text else ""


def _note(dropped: list[str], what: str) -> None:
    if what not in dropped:
        dropped.append(what)


def _shortcodes(text: str, dropped: list[str]) -> str:
    """WordPress shortcodes, which are not HTML: captions become a figure with its caption,
    code blocks become <pre>, an embed becomes a link, and the rest are left out."""
    escaped: list[str] = []

    def keep_escaped(found: re.Match[str]) -> str:
        escaped.append(found.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    def paired(found: re.Match[str]) -> str:
        name = found.group("name").lower()
        attrs = _attributes(found.group("attrs"))
        inner = found.group("inner")
        if name in ("caption", "wp_caption"):
            caption = attrs.get("caption", "")
            picture = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", inner, re.S)
            if picture:
                inner, caption = picture.group(1), caption or picture.group(2).strip()
            caption = f"<figcaption>{caption}</figcaption>" if caption else ""
            return f"\n\n<figure>{inner}{caption}</figure>\n\n"
        if name in ("code", "sourcecode"):
            return f"\n\n<pre><code>{html.escape(inner.strip(chr(10)))}</code></pre>\n\n"
        if name == "embed":
            address = inner.strip()
            if address.startswith(("https://", "http://")):
                return f'\n\n<p><a href="{html.escape(address)}">{html.escape(address)}</a></p>\n\n'
        _note(dropped, f"[{name}]")
        return ""

    def single(found: re.Match[str]) -> str:
        _note(dropped, f"[{found.group('name').lower()}]")
        return ""

    text = _ESCAPED.sub(keep_escaped, text)
    text = _PAIRED.sub(paired, text)
    text = _SINGLE.sub(single, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: escaped[int(m.group(1))], text)


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTRIBUTE.finditer(text)
    }


def _autop(text: str) -> str:
    """WordPress's classic editor stores paragraphs as blank lines and line breaks as newlines,
    adding the tags only when a page is shown; do the same here. Posts from the block editor,
    already in <p> tags, are left as they are."""
    if _BLOCK_TAGS.search(text) and "<!-- wp:" in text:
        return text
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)


def _plain(fragment: str) -> str:
    """Text from a bit of HTML, on one line (for summaries and titles)."""
    if not fragment.strip():
        return ""
    return " ".join(BeautifulSoup(fragment, "html.parser").get_text(" ").split())


def _clean(text: str) -> str:
    return " ".join(text.split())


def _terms(by_taxonomy: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    terms: dict[str, tuple[str, ...]] = {}
    for taxonomy, items in by_taxonomy.items():
        if not taxonomy:
            continue
        merged = [*terms.get(taxonomy, ()), *items]
        unique = list(dict.fromkeys(merged))
        if unique:
            terms[taxonomy] = tuple(unique)
    return terms


# --------------------------------------------------------------------------- writing


def plan_import(site_dir: Path, posts: Sequence[Post]) -> Plan:
    """Each post's file and text; a post whose file exists is skipped, never overwritten."""
    plan = Plan()
    claimed: set[str] = set()
    for post in posts:
        base = f"{CONTENT_DIR}/{post.date.year}/{post.date.isoformat()}-{post.slug}"
        path, number = f"{base}.md", 1
        while path in claimed:  # two posts of one day with one slug, in this import
            number += 1
            path = f"{base}-{number}.md"
        claimed.add(path)
        if (site_dir / path).exists():
            plan.skipped.append(Skipped(post.title, f"{path} already exists"))
            continue
        plan.notes.append(PlannedNote(path, note_text(post), post))
    return plan


def note_text(post: Post) -> str:
    fields: dict[str, object] = {"title": post.title, "date": post.date, "author": post.author}
    for taxonomy, terms in post.terms.items():
        fields[taxonomy] = terms[0] if len(terms) == 1 else list(terms)
    if post.summary:
        fields["summary"] = post.summary
    if post.draft:
        fields["draft"] = True
    body = post.body or "(This post had no text.)\n"
    return dump_front_matter(fields) + "\n" + body


def write_plan(site_dir: Path, plan: Plan) -> Plan:
    """Write the planned notes; one whose file appeared meanwhile is skipped, not replaced,
    and one that cannot be written is reported with the reason and not left half written."""
    written = Plan(skipped=list(plan.skipped))
    for note in plan.notes:
        target = site_dir / note.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_new(target, note.text)
        except FileExistsError:
            written.skipped.append(Skipped(note.post.title, f"{note.path} already exists"))
            continue
        except OSError as exc:
            reason = f"could not write {note.path}: {exc.strerror or exc}"
            written.skipped.append(Skipped(note.post.title, reason))
            written.failed += 1
            continue
        written.notes.append(note)
    return written


def _write_new(target: Path, text: str) -> None:
    """Create `target` with `text`, never replacing a file (FileExistsError), and removing
    what it created if the write fails part way."""
    handle = target.open("x", encoding="utf-8")
    try:
        with handle:
            handle.write(text)
    except OSError:
        target.unlink(missing_ok=True)
        raise


def format_summary(plan: Plan, skipped_on_reading: Sequence[Skipped], *, dry_run: bool) -> str:
    verb = "Would import" if dry_run else "Imported"
    count = len(plan.notes)
    lines = [f"{verb} {count} note{'s' if count != 1 else ''}" + (":" if count else ".")]
    for note in plan.notes:
        extra = []
        if note.post.draft:
            extra.append("draft")
        if note.post.dropped:
            extra.append("left out: " + ", ".join(note.post.dropped))
        lines.append(f"  {note.path}" + (f" ({'; '.join(extra)})" if extra else ""))
    skipped = [*skipped_on_reading, *plan.skipped]
    if skipped:
        lines.append(f"Skipped {len(skipped)}:")
        lines += [f"  {s.title}: {s.reason}" for s in skipped]
    return "\n".join(lines)
