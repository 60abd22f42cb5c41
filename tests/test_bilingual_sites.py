"""Bilingual sites (`languages:`): each language's part of the site under its own prefix, a
note's language from its `lang`, folder or suffix, translations paired by key, and every
page linking its counterparts both ways (visibly and with `hreflang`), in pages, feeds and
sitemaps. The fixture is tests/golden/sites/cymraeg, whose whole output is also golden."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from tests.conftest import FIXED_NOW, build_site, note, write_site
from tests.test_sample_site import assert_every_page_is_valid_html
from tests.test_search import indexed_urls
from weeknote_gen.config import load_config
from weeknote_gen.engine.build import BuildOptions, build

FIXTURE = Path(__file__).resolve().parent / "golden" / "sites" / "cymraeg"
ROOT = "https://digital.example.cymru/"
LANGUAGES = [{"code": "en-GB"}, {"code": "cy", "title": "Nodiadau"}]
BASE = {"title": "Notes", "base_url": "https://notes.example.org/"}


class _Head(HTMLParser):
    """What a page says about its language and its counterparts."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.hreflang: dict[str, str] = {}
        self.switch: list[tuple[str, str, str]] = []  # (href, lang, words)
        self._in_switch: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = found.get("lang", "")
        elif tag == "link" and found.get("rel") == "alternate" and "hreflang" in found:
            self.hreflang[found["hreflang"]] = found["href"]
        elif tag == "a" and "hreflang" in found:
            self._in_switch = (found["href"], found.get("lang", ""))

    def handle_data(self, data: str) -> None:
        if self._in_switch is not None and data.strip():
            self.switch.append((*self._in_switch, data.strip()))
            self._in_switch = None


def _head(page: Path) -> _Head:
    parsed = _Head()
    parsed.feed(page.read_text(encoding="utf-8"))
    return parsed


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("cymraeg") / "site"
    shutil.copytree(FIXTURE, site)
    result = build(site, BuildOptions(now=FIXED_NOW))
    assert result.ok, [d.format() for d in result.diagnostics]
    return site / "_site"


def _page(output: Path, url: str) -> Path:
    assert url.startswith(ROOT)
    return output / url.removeprefix(ROOT) / "index.html"


def test_each_language_has_its_own_home_archive_and_lists(built: Path) -> None:
    for prefix, lang in (("", "en-GB"), ("cy/", "cy")):
        for page in ("index.html", "archive/index.html", "team/digital/index.html", "404.html"):
            assert _head(built / prefix / page).lang == lang, f"{prefix}{page}"
    welsh_home = (built / "cy" / "index.html").read_text(encoding="utf-8")
    assert "Tîm digidol Cyngor Morlais" in welsh_home
    assert "Paratoi at Ddiwrnod Shwmae" in welsh_home
    assert "Meeting suppliers" not in welsh_home  # English only
    english_home = (built / "index.html").read_text(encoding="utf-8")
    assert "Paratoi at Ddiwrnod Shwmae" not in english_home


def test_a_note_language_comes_from_its_folder_suffix_or_lang(built: Path) -> None:
    assert _head(built / "cy/2026/week-notes/index.html").lang == "cy"  # folder
    assert _head(built / "cy/2026/sprint-review/index.html").lang == "cy"  # suffix
    assert _head(built / "2026/sprint-review/index.html").lang == "en-GB"
    assert not (built / "2026/sprint-review-cy").exists()


def test_every_hreflang_pair_resolves_both_ways(built: Path) -> None:
    pages = [p for p in built.rglob("index.html") if "/pagefind/" not in p.as_posix()]
    paired = 0
    for page in pages:
        head = _head(page)
        if not head.hreflang:
            continue
        paired += 1
        assert set(head.hreflang) == {"en-GB", "cy"}
        own = head.hreflang[head.lang]
        assert _page(built, own) == page
        for url in head.hreflang.values():
            assert _head(_page(built, url)).hreflang == head.hreflang
    assert paired >= 20  # notes with translations and the lists both parts have


def test_the_switch_is_written_in_the_language_it_leads_to(built: Path) -> None:
    english = _head(built / "2026/accessibility-audit/index.html")
    assert english.switch == [("/cy/2026/archwiliad-hygyrchedd/", "cy", "Darllen yn Gymraeg")]
    welsh = _head(built / "cy/2026/archwiliad-hygyrchedd/index.html")
    assert welsh.switch == [("/2026/accessibility-audit/", "en-GB", "Read in English")]
    list_page = _head(built / "cy/team/digital/index.html")
    assert list_page.switch == [("/team/digital/", "en-GB", "Read in English")]


def test_a_note_in_one_language_says_nothing_about_translations(built: Path) -> None:
    for page in ("cy/2026/diwrnod-shwmae/index.html", "2026/supplier-day/index.html"):
        head = _head(built / page)
        assert head.hreflang == {}
        assert head.switch == []
    # a list only one language has: English's procurement theme
    assert _head(built / "theme/procurement/index.html").hreflang == {}


def test_each_language_has_its_own_feeds(built: Path) -> None:
    for prefix, lang, title in (
        ("", "en-GB", "Morlais Council digital team"),
        ("cy/", "cy", "Tîm digidol Cyngor Morlais"),
    ):
        feed = feedparser.parse((built / prefix / "feed.xml").read_bytes())
        assert not feed.bozo
        assert feed.feed.title == title
        assert feed.feed.language == lang
        links = [entry.link for entry in feed.entries]
        assert all(link.startswith(ROOT + prefix) for link in links)
        if prefix:
            assert all("/cy/" in link for link in links)
        else:
            assert not any("/cy/" in link for link in links)


def test_the_sitemaps_list_the_alternates_and_robots_lists_both(built: Path) -> None:
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    xhtml = "{http://www.w3.org/1999/xhtml}link"
    root = ET.parse(built / "sitemap.xml").getroot()
    entries = {url.findtext("s:loc", namespaces=namespaces): url for url in root}
    audit = entries[ROOT + "2026/accessibility-audit/"]
    alternates = {link.get("hreflang"): link.get("href") for link in audit.iter(xhtml)}
    assert alternates == {
        "en-GB": ROOT + "2026/accessibility-audit/",
        "cy": ROOT + "cy/2026/archwiliad-hygyrchedd/",
    }
    assert not any(entries[ROOT + "2026/supplier-day/"].iter(xhtml))
    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert re.findall(r"Sitemap: (\S+)", robots) == [ROOT + "sitemap.xml", ROOT + "cy/sitemap.xml"]
    assert not (built / "cy" / "robots.txt").exists()


def test_search_indexes_each_language_apart(built: Path) -> None:
    assert (built / "pagefind").is_dir()
    assert (built / "cy" / "pagefind").is_dir()
    welsh = {p.name for p in (built / "cy" / "pagefind" / "index").iterdir()}
    english = {p.name for p in (built / "pagefind" / "index").iterdir()}
    assert welsh and all(name.startswith("cy_") for name in welsh)
    assert english and all(name.startswith("en_") for name in english)


def test_each_search_result_leads_to_a_page_of_its_own_part(built: Path) -> None:
    """Pagefind's UI puts the bundle's parent folder before a result's URL, so the Welsh
    bundle must hold `/2026/…` for /cy/2026/…: a full `/cy/…` came out as /cy/cy/…."""
    for prefix, lang in (("", "en-GB"), ("cy", "cy")):
        urls = indexed_urls(built / prefix / "pagefind")
        assert len(urls) == 4
        for url in urls:
            assert url.startswith("/2026/"), url
            assert _head(built / prefix / url.strip("/") / "index.html").lang == lang


@pytest.mark.slow
def test_every_page_of_both_languages_is_valid_html(built: Path) -> None:
    """The checker walks the whole output, so the Welsh part under cy/ is checked too."""
    welsh = [p for p in (built / "cy").rglob("*.html") if "pagefind" not in p.parts]
    english = [p for p in built.rglob("*.html") if p.parts[len(built.parts)] != "cy"]
    assert len(welsh) >= 30 and len(english) >= 30
    assert_every_page_is_valid_html(built)


def test_a_site_without_languages_reads_folders_and_ref_as_before(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {"weeknotes/cy/2026-01-09-one.md": note(title="Un", date="2026-01-09", ref="one")},
    )
    result = build_site(site)
    assert result.ok
    assert _head(site / "_site/2026/one/index.html").lang == "en-GB"
    assert not [d for d in result.diagnostics if d.code.startswith("front-matter")]


def test_a_language_the_site_does_not_have_is_a_located_error(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {"weeknotes/2026-01-09-one.md": note(title="Un", date="2026-01-09", lang="fr")},
        {**BASE, "languages": LANGUAGES},
    )
    result = build_site(site)
    assert not result.ok
    problem = next(d for d in result.diagnostics if d.code == "front-matter.language")
    assert problem.message == "'fr' is not one of the site's languages (en-GB, cy)"
    assert problem.location is not None
    assert problem.location.path == "weeknotes/2026-01-09-one.md"
    assert problem.location.line == 5  # ---, title, date, author, lang


def test_a_regional_tag_belongs_to_its_language(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {"weeknotes/2026-01-09-un.md": note(title="Un", date="2026-01-09", lang="cy-GB")},
        {**BASE, "languages": LANGUAGES},
    )
    assert build_site(site).ok
    assert _head(site / "_site/cy/2026/un/index.html").lang == "cy-GB"


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        ([{"code": "en-GB"}, {"code": "en-gb"}], "'en-GB' is listed twice"),
        ([{"code": "en-GB"}, {"code": "cy", "prefix": "Welsh Pages"}], "the prefix 'Welsh Pages'"),
        ([{"code": "en-GB"}, {"code": "cy", "prefix": ""}], "has no prefix, like a language"),
        ([{"code": "welsh"}], "'welsh' is not a language tag: did you mean 'cy' (Welsh)?"),
        ([{"code": "cy", "nmae": "Cymraeg"}], "unknown key 'languages.0.nmae'"),
        ("cy", "'languages' must be a list"),
    ],
)
def test_bad_languages_are_located_config_errors(
    tmp_path: Path, languages: object, message: str
) -> None:
    write_site(tmp_path, {}, {**BASE, "languages": languages})
    _, problems = load_config(tmp_path)
    assert any(message in p.message and p.location for p in problems), problems


def test_language_must_agree_with_the_first_of_languages(tmp_path: Path) -> None:
    write_site(tmp_path, {}, {**BASE, "language": "cy", "languages": LANGUAGES})
    _, problems = load_config(tmp_path)
    assert [p.code for p in problems] == ["config.languages"]
    assert "the first language is the site's default" in problems[0].message


def test_names_and_prefixes_have_defaults(tmp_path: Path) -> None:
    write_site(tmp_path, {}, {**BASE, "languages": LANGUAGES})
    config, problems = load_config(tmp_path)
    assert problems == [] and config is not None
    english, welsh = config.languages
    assert (english.name, english.prefix, english.read_in) == ("English", "", "Read in English")
    assert (welsh.name, welsh.prefix, welsh.read_in) == ("Cymraeg", "cy", "Darllen yn Gymraeg")
    assert config.language == "en-GB"


def test_a_term_has_a_name_per_language_and_one_address(built: Path) -> None:
    welsh = (built / "cy/theme/waste/index.html").read_text(encoding="utf-8")
    english = (built / "theme/waste/index.html").read_text(encoding="utf-8")
    assert "<title>Thema: Gwastraff – Tîm digidol Cyngor Morlais</title>" in welsh
    assert "Gwastraff" not in english
    assert _head(built / "cy/theme/waste/index.html").hreflang == {
        "en-GB": ROOT + "theme/waste/",
        "cy": ROOT + "cy/theme/waste/",
    }


def test_each_language_overrides_its_own_words(built: Path) -> None:
    welsh = (built / "cy/index.html").read_text(encoding="utf-8")
    english = (built / "index.html").read_text(encoding="utf-8")
    assert "Y nodiadau diweddaraf" in welsh
    assert "Y nodiadau diweddaraf" not in english
    assert "Latest notes" in english


def test_bad_term_names_and_words_in_a_language_are_located(tmp_path: Path) -> None:
    languages = [
        {"code": "en-GB"},
        {"code": "cy", "terms": ["waste"], "words": {"Latest nots": "Diweddaraf"}},
    ]
    write_site(tmp_path, {}, {**BASE, "languages": languages})
    _, problems = load_config(tmp_path)
    found = {(p.code, p.message) for p in problems}
    assert (
        "config.languages",
        "'terms' must map each taxonomy to its terms' names in this language",
    ) in found
    words = next(p for p in problems if p.code == "config.words")
    assert words.message == "the theme has no text 'Latest nots'"
    assert words.hint == "did you mean 'Latest notes'?"
    assert words.location is not None and words.location.line is not None


def test_the_static_folder_is_published_once_and_linked_from_every_language(built: Path) -> None:
    assert (built / "images" / "map.gif").is_file()
    assert not (built / "cy" / "images").exists()
    for page in ("cy/2026/diwrnod-shwmae/index.html", "2026/supplier-day/index.html"):
        assert 'src="/images/map.gif"' in (built / page).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "edit"),
    [
        ("weeknotes/cy/2026-03-20-diwrnod-shwmae.md", "\nUn frawddeg arall.\n"),  # Welsh body
        ("weeknotes/en/2026-03-06-week-notes.md", "\nOne more line.\n"),  # English body
        # a new Welsh note that translates the English-only one: both now have a switch
        ("weeknotes/cy/2026-03-27-supplier-day.md", None),
    ],
)
def test_a_rebuild_after_an_edit_equals_a_clean_build(
    tmp_path: Path, path: str, edit: str | None
) -> None:
    def site_in(name: str) -> Path:
        site = Path(shutil.copytree(FIXTURE, tmp_path / name))
        config = site / "config.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "search: false\n", "utf-8")
        return site

    def change(site: Path) -> None:
        target = site / path
        if edit is None:
            target.write_text(note(title="Cwrdd â chyflenwyr", date="2026-03-27"), "utf-8")
        else:
            target.write_text(target.read_text(encoding="utf-8") + edit, "utf-8")

    warm = site_in("warm")
    assert build_site(warm).ok
    change(warm)
    assert build_site(warm).ok
    clean = site_in("clean")
    change(clean)
    assert build_site(clean).ok
    built = {
        p.relative_to(warm / "_site"): p.read_bytes()
        for p in (warm / "_site").rglob("*")
        if p.is_file()
    }
    expected = {
        p.relative_to(clean / "_site"): p.read_bytes()
        for p in (clean / "_site").rglob("*")
        if p.is_file()
    }
    assert built == expected
    if edit is None:
        assert _head(warm / "_site/2026/supplier-day/index.html").switch == [
            ("/cy/2026/supplier-day/", "cy", "Darllen yn Gymraeg")
        ]
