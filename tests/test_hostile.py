"""Hostile text in every field a person writes: it must stay text in every file of the site.

One site is built with markup, template code, CDATA terminators and invisible formatting
characters in every user-controlled string, and a twin is built with harmless words in the
same places (the same words the slugs are made of, so both have the same file tree). Each
HTML page of the hostile site must have exactly its twin's elements and attributes, each feed
and JSON file must parse and give the hostile text back unchanged, and no URL may hold a
character a URL cannot.
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import build_site, note, write_site
from weeknote_gen.urls import is_unsafe_link, slugify
from weeknote_gen.yamldoc import odd_character

INVISIBLE = "\u202e\u200b\u200d\ufeff"  # right-to-left override, zero-width space/joiner, BOM
HOSTILE = (
    '"><script>alert(1)</script></title>]]>{{ 7*7 }}{% raw %}<img src=x onerror=alert(1)>'
    + INVISIBLE
)
# The words slugs are made of: a twin site written with them has the same URLs.
HARMLESS = slugify(HOSTILE).replace("-", " ")
SLUG = slugify(HOSTILE)
ATOM = "{http://www.w3.org/2005/Atom}"
THEME_SCRIPTS = {"/pagefind/pagefind-ui.js", "/static/search.js"}
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt"}


def site_files(text: str) -> tuple[dict[str, str], dict[str, object]]:
    """The site's files and config with `text` after a label in every user-controlled field.

    config.yaml refuses an address with a space, and an email address with a space, a quote or
    angle brackets, so those fields get `text` without them."""
    in_url = text.replace(" ", "%20")
    in_email = "".join(c for c in text if c not in ' "<>')
    config = {
        "title": f"Site {text}",
        "description": f"About {text}",
        "base_url": "https://notes.example.org/",
        "accessibility_url": f"https://example.org/accessibility?{in_url}",
        "image": f"/static/card {text}.png",
        "authors": {
            f"Author {text}": {
                "role": f"Role {text}",
                "bio": f"Bio {text}",
                "url": f"https://example.org/people/?who={in_url}",
                "email": f"ada@example.org?subject={in_email}",
                "team": f"Team {text}",
            }
        },
        "taxonomies": [
            "team",
            "theme",
            {"name": "learning", "singular": f"Lesson {text}", "plural": f"Lessons {text}"},
        ],
    }
    body = f"Body {text}\n\n## Heading {text}\n"
    notes = {
        # A file name cannot hold '/', so the hostile one loses its slashes.
        f"weeknotes/2026-01-09-{text.replace('/', '')}.md": note(
            body,
            title=f"Title {text}",
            summary=f"Summary {text}",
            author=f"Author {text}",
            team=f"Team {text}",
            theme=[f"Theme {text}", f"Other {text}"],
            learning=f"Learning {text}",
            image=f"pics/{text.replace('/', '')}.png",
        ),
    }
    return notes, config


@dataclass
class Page:
    """An HTML page as the browser would see it: elements, attributes, text of some of them."""

    elements: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # tag, name, value
    scripts: list[tuple[str | None, str]] = field(default_factory=list)  # src, inline text
    metas: list[dict[str, str]] = field(default_factory=list)
    title: str = ""
    text: str = ""


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append((tag, tuple(sorted(name for name, _ in attrs))))
        for name, value in attrs:
            self.page.attributes.append((tag, name, value or ""))
        if tag == "meta":
            self.page.metas.append({name: value or "" for name, value in attrs})
        if tag == "script":
            self.page.scripts.append((dict(attrs).get("src"), ""))
        if tag not in {"meta", "link", "input", "br", "hr", "img", "wbr"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] == "script":
            src, text = self.page.scripts[-1]
            self.page.scripts[-1] = (src, text + data)
        if self.open and self.open[-1] == "title":
            self.page.title += data
        self.page.text += data


def parse_page(markup: str) -> Page:
    parser = _PageParser()
    parser.feed(markup)
    parser.close()
    return parser.page


_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def is_clean_url(url: str) -> bool:
    """Only characters a URI may hold (RFC 3986), every '%' starting an escape, no empty or
    dot path segments."""
    if not _URL_CHARS.fullmatch(url) or re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return False
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url).split("?")[0].split("#")[0]
    segments = path.split("/")[1:-1]
    return not any(s in ("", ".", "..") for s in segments)


def url_values(page: Page) -> list[str]:
    """Every URL the page holds: links, sources, form actions, and sharing metadata."""
    urls = [v for _, name, v in page.attributes if name in ("href", "src", "action")]
    for meta in page.metas:
        if meta.get("property", meta.get("name", "")).endswith((":url", ":image")):
            urls.append(meta["content"])
    return urls


@dataclass
class Built:
    hostile: Path
    harmless: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    outputs = []
    for name, text in (("hostile", HOSTILE), ("harmless", HARMLESS)):
        notes, config = site_files(text)
        root = write_site(tmp_path_factory.mktemp(name), notes, config)
        result = build_site(root)
        assert result.ok, [d.format() for d in result.diagnostics]
        outputs.append(root / "_site")
    return Built(*outputs)


def files_of(output: Path) -> dict[str, Path]:
    return {p.relative_to(output).as_posix(): p for p in sorted(output.rglob("*")) if p.is_file()}


def test_the_twin_sites_have_the_same_files_with_clean_names(built: Built) -> None:
    hostile = files_of(built.hostile)
    # (Pagefind names its index files by their content, so only those names differ.)
    assert [p for p in hostile if not p.startswith("pagefind/")] == [
        p for p in files_of(built.harmless) if not p.startswith("pagefind/")
    ]
    assert f"2026/{SLUG}/index.html" in hostile
    assert f"authors/author-{SLUG}/index.html" in hostile
    for path in hostile:
        # No invisible characters, markup or template characters reach a file name.
        assert re.fullmatch(r"[a-z0-9._/-]+", path.lower()), path


def test_every_page_has_exactly_the_elements_of_its_harmless_twin(built: Built) -> None:
    harmless = files_of(built.harmless)
    pages = {k: v for k, v in files_of(built.hostile).items() if k.endswith(".html")}
    assert len(pages) > 15
    for path, file in pages.items():
        if path.startswith("pagefind/"):
            continue
        hostile_page = parse_page(file.read_text(encoding="utf-8"))
        twin = parse_page(harmless[path].read_text(encoding="utf-8"))
        assert hostile_page.elements == twin.elements, path
        assert [s for s, _ in hostile_page.scripts] == [s for s, _ in twin.scripts], path
        for src, inline in hostile_page.scripts:
            assert src in THEME_SCRIPTS and not inline.strip(), path
        assert not [n for _, n, _ in hostile_page.attributes if n.startswith("on")], path


def test_hostile_text_reads_back_unchanged_from_each_page(built: Built) -> None:
    page = parse_page((built.hostile / f"2026/{SLUG}/index.html").read_text(encoding="utf-8"))
    assert page.title == f"Title {HOSTILE} – Site {HOSTILE}"
    contents = {(t, n, v) for t, n, v in page.attributes if n == "content"}
    for expected in (f"Title {HOSTILE}", f"Summary {HOSTILE}", f"Site {HOSTILE}"):
        assert ("meta", "content", expected) in contents
    assert ("meta", "content", f"Author {HOSTILE}") in contents  # article:author
    assert ("meta", "content", f"Theme {HOSTILE}") in contents  # article:tag
    for visible in ("Body", "Heading", "Author", "Team", "Other", "Learning"):
        # (Smarty makes the body's straight quote a curly one.)
        assert f"{visible} {HOSTILE}" in page.text.replace("\u201c", '"'), visible
    author = parse_page(
        (built.hostile / f"authors/author-{SLUG}/index.html").read_text(encoding="utf-8")
    )
    for visible in ("Role", "Bio"):
        assert f"{visible} {HOSTILE}" in author.text, visible
    home = parse_page((built.hostile / "index.html").read_text(encoding="utf-8"))
    assert {"name": "description", "content": f"About {HOSTILE}"} in home.metas


def test_template_code_in_text_is_never_run(built: Built) -> None:
    harmless = files_of(built.harmless)
    for path, file in files_of(built.hostile).items():
        if file.suffix not in TEXT_SUFFIXES:
            continue
        text, twin = file.read_text(encoding="utf-8"), harmless[path].read_text(encoding="utf-8")
        if not path.startswith("pagefind/"):  # its file names are content hashes: any digits
            assert text.count("49") == twin.count("49"), path
        assert "{% raw %}" in text or "{{ 7*7 }}" not in text, path
    note_page = (built.hostile / f"2026/{SLUG}/index.html").read_text(encoding="utf-8")
    assert note_page.count("{{ 7*7 }}") >= 10


def test_every_link_on_every_page_is_a_clean_url(built: Built) -> None:
    for path, file in files_of(built.hostile).items():
        if not path.endswith(".html") or path.startswith("pagefind/"):
            continue
        for url in url_values(parse_page(file.read_text(encoding="utf-8"))):
            if url.startswith(("https://example.org/people/", "mailto:ada@")):
                continue  # author contact links: see the test below
            assert is_clean_url(url), (path, url)


def test_author_contact_links_are_clean_urls(built: Built) -> None:
    page = parse_page(
        (built.hostile / f"authors/author-{SLUG}/index.html").read_text(encoding="utf-8")
    )
    contacts = [
        v for _, n, v in page.attributes if n == "href" and ("ada@" in v or "/people/" in v)
    ]
    assert len(contacts) == 2
    for url in contacts:
        assert is_clean_url(url), url


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:x",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_links_that_would_run_code_are_never_written(
    make_site: Callable[..., Path], link: str
) -> None:
    config = {
        "title": "T",
        "base_url": "https://notes.example.org/",
        "image": link,
        "authors": {"Ada Lovelace": {"role": "Lead"}},
    }
    root = make_site({"weeknotes/a.md": note(image=link)}, config=config)
    result = build_site(root)
    if odd_character(link) is not None:  # a control character is refused wherever it is
        assert not result.ok
        codes = {d.code for d in result.diagnostics}
        assert codes == {"config.character"}, [d.format() for d in result.diagnostics]
        return
    assert result.ok, [d.format() for d in result.diagnostics]
    pages = list((root / "_site").rglob("*.html"))
    for file in pages:
        page = parse_page(file.read_text(encoding="utf-8"))
        for url in url_values(page):
            assert not is_unsafe_link(url), (file, url)
            assert "script" not in url.lower() and not url.startswith("data:"), (file, url)


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_addresses_in_config_that_would_run_code_are_refused(
    make_site: Callable[..., Path], link: str
) -> None:
    config = {
        "title": "T",
        "base_url": "https://notes.example.org/",
        "accessibility_url": link,
        "authors": {"Ada Lovelace": {"url": link}},
    }
    root = make_site({"weeknotes/a.md": note()}, config=config)
    result = build_site(root)
    assert not result.ok
    assert [d.code for d in result.diagnostics] == ["config.accessibility-url", "config.authors"]
    assert not (root / "_site").exists()


def xml_texts(root: ET.Element) -> set[str]:
    texts = {e.text for e in root.iter() if e.text}
    return texts | {v for e in root.iter() for v in e.attrib.values()}


def test_every_xml_file_parses_and_gives_the_text_back(built: Built) -> None:
    xml_files = [p for p in files_of(built.hostile).values() if p.suffix == ".xml"]
    # sitemap, the site's feed, the author's, four terms', the team's weekly digest
    assert len(xml_files) == 8
    for file in xml_files:
        root = ET.parse(file).getroot()
        for element in root.iter():
            for name in ("href", "uri", "scheme"):
                if name in element.attrib:
                    assert is_clean_url(element.attrib[name]), (file, element.attrib[name])
            if element.tag in (f"{ATOM}uri", f"{ATOM}id", "{*}loc") or element.tag.endswith("}loc"):
                assert is_clean_url((element.text or "").replace("tag:", "", 1)), element.text
    feed = ET.parse(built.hostile / "feed.xml").getroot()
    texts = xml_texts(feed)
    for expected in ("Site", "About", "Title", "Summary", "Author", "Team", "Theme", "Learning"):
        assert f"{expected} {HOSTILE}" in texts, expected
    content = feed.find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.text is not None
    assert "<script>" not in content.text  # the escaped body, once unescaped, is still escaped
    assert "&lt;script&gt;" in content.text
    term_feed = ET.parse(built.hostile / f"learning/learning-{SLUG}/feed.xml").getroot()
    title = term_feed.find(f"{ATOM}title")
    assert title is not None
    assert title.text == f"Site {HOSTILE}: lesson {HOSTILE.lower()} Learning {HOSTILE}"
    [digest] = [p for p in xml_files if p.name == "digest.xml"]
    digest_content = ET.parse(digest).getroot().find(f"{ATOM}entry/{ATOM}content")
    assert digest_content is not None and digest_content.text is not None
    assert "<script>" not in digest_content.text
    assert f"Title {HOSTILE}" not in digest_content.text  # escaped as HTML inside the feed


def test_json_files_parse_and_give_the_text_back(built: Built) -> None:
    feed = json.loads((built.hostile / "feed.json").read_text(encoding="utf-8"))
    assert feed["title"] == f"Site {HOSTILE}"
    assert feed["description"] == f"About {HOSTILE}"
    (item,) = feed["items"]
    assert item["title"] == f"Title {HOSTILE}"
    assert item["summary"] == f"Summary {HOSTILE}"
    assert [a["name"] for a in item["authors"]] == [f"Author {HOSTILE}"]
    assert f"Team {HOSTILE}" in item["tags"]
    assert "<script>" not in item["content_html"]
    for url in (item["url"], feed["home_page_url"], feed["feed_url"], item["authors"][0]["url"]):
        assert is_clean_url(url), url
    fragments = sorted((built.hostile / "pagefind" / "fragment").iterdir())
    assert fragments
    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
        assert record["meta"]["title"] == f"Title {HOSTILE}"
        assert record["filters"]["author"] == [f"Author {HOSTILE}"]
        assert is_clean_url(record["url"])


def test_a_hostile_slug_is_refused_with_a_located_error(
    make_site: Callable[..., Path],
) -> None:
    root = make_site({"weeknotes/a.md": note(slug=HOSTILE)})
    result = build_site(root)
    assert not result.ok
    (problem,) = result.diagnostics
    assert problem.code == "front-matter.slug"
    assert f"try: slug: {SLUG}" in problem.format()
    assert not (root / "_site").exists()


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0c", "\x1b", "\ufffe"])
def test_a_title_or_summary_holding_a_character_xml_forbids_is_refused(
    make_site: Callable[..., Path], character: str
) -> None:
    root = make_site(
        {"weeknotes/a.md": note(title=f"A{character}B", summary=f"S{character}", team="T")}
    )
    result = build_site(root)
    assert not result.ok
    assert [(d.code, str(d.location)) for d in result.diagnostics] == [
        ("front-matter.character", "weeknotes/a.md:2:8"),
        ("front-matter.character", "weeknotes/a.md:5:10"),
    ]
    assert not (root / "_site").exists()


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0c", "\x1b", "\ufffe"])
def test_feeds_stay_well_formed_whatever_characters_a_body_holds(
    make_site: Callable[..., Path], character: str
) -> None:
    root = make_site({"weeknotes/a.md": note(f"A{character}B\n", title="AB", team="T")})
    result = build_site(root)
    assert result.ok, [d.format() for d in result.diagnostics]
    for file in (root / "_site").rglob("*.xml"):
        ET.parse(file)  # raises on a character XML 1.0 forbids
    entry = ET.parse(root / "_site" / "feed.xml").getroot().find(f"{ATOM}entry/{ATOM}content")
    assert entry is not None and entry.text is not None
    assert "A" in entry.text and "B" in entry.text
