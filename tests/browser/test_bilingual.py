"""A bilingual site read in a browser: the language switch takes a reader between a page and
its translation, each language's search finds only that language's notes, and every kind of
Welsh page (and the English pages that now carry the switch) meets axe-core's WCAG 2.2 A/AA
rules. The site is tests/golden/sites/cymraeg, built from a copy with the tests' fixed clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import serve
from tests.browser.test_pages_in_browser import axe_violations
from tests.conftest import FIXED_NOW
from tests.test_bilingual_sites import FIXTURE
from weeknote_gen.engine.build import BuildOptions, build

pytestmark = pytest.mark.browser

TO_WELSH = "Darllen yn Gymraeg"
TO_ENGLISH = "Read in English"
WELSH_PAGE_TYPES = {
    "home": "/cy/",
    "note": "/cy/2026/archwiliad-hygyrchedd/",
    "note only in Welsh": "/cy/2026/diwrnod-shwmae/",
    "archive": "/cy/archive/",
    "weeks": "/cy/weeks/",
    "week": "/cy/weeks/2026-W11/",
    "authors": "/cy/authors/",
    "author": "/cy/authors/gwen-pritchard/",
    "author learning log": "/cy/authors/gwen-pritchard/learning/",
    "learning": "/cy/learning/",
    "learning log": "/cy/learning/log/",
    "teams": "/cy/team/",
    "team": "/cy/team/digital/",
    "team weeks": "/cy/team/digital/weeks/",
    "themes": "/cy/theme/",
    "theme": "/cy/theme/forms/",
    "theme in a team": "/cy/theme/forms/team/digital/",
    "search": "/cy/search/",
    "404": "/cy/404.html",
}
ENGLISH_PAGE_TYPES = {
    "home": "/",
    "note": "/2026/accessibility-audit/",
    "note only in English": "/2026/supplier-day/",
    "team": "/team/digital/",
    "search": "/search/",
    "404": "/404.html",
}
# The same notes' words in each language: the bulky waste form is in two notes of each.
WELSH_FORM_NOTES = {"/cy/2026/week-notes/", "/cy/2026/sprint-review/"}
ENGLISH_FORM_NOTES = {"/2026/week-notes/", "/2026/sprint-review/"}


@pytest.fixture(scope="module")
def bilingual_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("bilingual-browser") / "site"
    shutil.copytree(FIXTURE, site)
    result = build(site, BuildOptions(now=FIXED_NOW))
    assert result.ok, [d.format() for d in result.diagnostics]
    with serve(site / "_site") as url:
        yield url


def _switch_to(page: Page, words: str, lang: str, path: str, base: str) -> None:
    """Follow the language switch written in `words` and check where it lands and in what."""
    link = page.get_by_role("link", name=words, exact=True)
    expect(link).to_be_visible()
    expect(link).to_have_attribute("hreflang", lang)
    expect(link).to_have_attribute("lang", lang)
    link.click()
    page.wait_for_url(f"{base}{path}")
    expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.mark.parametrize(
    ("english", "welsh"),
    [
        ("/2026/accessibility-audit/", "/cy/2026/archwiliad-hygyrchedd/"),
        ("/team/digital/", "/cy/team/digital/"),
        ("/", "/cy/"),
    ],
    ids=["note", "team list", "home"],
)
def test_the_switch_leads_to_the_translation_and_back(
    page: Page, bilingual_url: str, english: str, welsh: str
) -> None:
    page.goto(f"{bilingual_url}{english}")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    heading = page.locator("h1").inner_text()
    _switch_to(page, TO_WELSH, "cy", welsh, bilingual_url)
    expect(page.get_by_role("link", name=TO_WELSH, exact=True)).to_have_count(0)
    _switch_to(page, TO_ENGLISH, "en-GB", english, bilingual_url)
    expect(page.locator("h1")).to_have_text(heading)


def test_the_welsh_note_lands_on_its_own_words(page: Page, bilingual_url: str) -> None:
    page.goto(f"{bilingual_url}/2026/accessibility-audit/")
    _switch_to(page, TO_WELSH, "cy", "/cy/2026/archwiliad-hygyrchedd/", bilingual_url)
    expect(page.locator("h1")).to_have_text("Nodiadau wythnos, 13 Mawrth")
    # The whole page is Welsh, the header's words included; only the switch is English.
    expect(page.get_by_role("navigation", name="Prif lywio")).to_be_visible()
    expect(page.locator(".site-header")).not_to_have_attribute("lang", "en-GB")


@pytest.mark.parametrize(
    ("path", "words"),
    [("/cy/2026/diwrnod-shwmae/", TO_ENGLISH), ("/2026/supplier-day/", TO_WELSH)],
)
def test_a_note_with_no_translation_shows_no_switch(
    page: Page, bilingual_url: str, path: str, words: str
) -> None:
    page.goto(f"{bilingual_url}{path}")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("link", name=words, exact=True)).to_have_count(0)
    expect(page.locator("a[hreflang]")).to_have_count(0)


def _search_result_paths(page: Page) -> set[str]:
    """The pages a search drawn by Pagefind's UI found, once it has drawn them."""
    message = page.locator(".pagefind-ui__message")
    expect(message).to_be_visible(timeout=10_000)
    expect(message).not_to_contain_text("Searching", timeout=10_000)
    expect(message).not_to_contain_text("Yn chwilio", timeout=10_000)
    results = page.locator(".pagefind-ui__result-link")
    return {(link.get_attribute("href") or "").split("#")[0] for link in results.all()}


@pytest.mark.parametrize(
    ("search", "lang", "own_word", "other_word", "expected"),
    [
        ("/cy/search/", "cy", "ffurflen", "form", WELSH_FORM_NOTES),
        ("/search/", "en-GB", "form", "ffurflen", ENGLISH_FORM_NOTES),
    ],
    ids=["Welsh", "English"],
)
def test_each_language_searches_only_its_own_notes(
    page: Page,
    bilingual_url: str,
    search: str,
    lang: str,
    own_word: str,
    other_word: str,
    expected: set[str],
) -> None:
    """Each result opens a page of this language's part, at its real address (a Welsh
    result once led to /cy/cy/…); the other language's word for the same thing finds nothing."""
    page.goto(f"{bilingual_url}{search}?q={own_word}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".pagefind-ui__result-link").first).to_be_visible(timeout=10_000)
    assert _search_result_paths(page) == expected
    page.locator(".pagefind-ui__result-link").first.click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".note__body")).to_contain_text(own_word)
    page.goto(f"{bilingual_url}{search}?q={other_word}")
    expect(page.locator(".pagefind-ui__message")).to_contain_text(other_word, timeout=10_000)
    assert _search_result_paths(page) == set()


def test_the_welsh_search_speaks_welsh(page: Page, bilingual_url: str) -> None:
    """Pagefind's own words (the count, Clear, Filters) and the filters' names come from the
    theme's Welsh catalogue, not Pagefind's English."""
    page.goto(f"{bilingual_url}/cy/search/?q=ffurflen")
    message = page.locator(".pagefind-ui__message")
    expect(message).to_have_text("2 canlyniad ar gyfer ffurflen", timeout=10_000)
    expect(page.locator(".pagefind-ui__search-clear")).to_have_text("Clirio")
    expect(page.locator(".pagefind-ui__search-input")).to_have_attribute(
        "placeholder", "Chwilio'r nodiadau"
    )
    panel = page.locator(".pagefind-ui__filter-panel")
    expect(panel).to_contain_text("Hidlwyr")
    expect(panel).to_contain_text("awdur", ignore_case=True)
    expect(panel).to_contain_text("tîm", ignore_case=True)
    expect(panel).not_to_contain_text("Author")
    page.goto(f"{bilingual_url}/search/?q=form")
    expect(page.locator(".pagefind-ui__message")).to_have_text("2 results for form", timeout=10_000)


def test_the_header_search_box_searches_the_welsh_index(page: Page, bilingual_url: str) -> None:
    page.goto(f"{bilingual_url}/cy/2026/archwiliad-hygyrchedd/")
    page.get_by_role("searchbox", name="Chwilio'r nodiadau").fill("ffurflen")
    page.get_by_role("button", name="Chwilio", exact=True).click()
    page.wait_for_url("**/cy/search/?q=ffurflen")
    expect(page.locator(".pagefind-ui__result-link").first).to_be_visible(timeout=10_000)
    paths = _search_result_paths(page)
    assert paths == WELSH_FORM_NOTES
    assert all(path.startswith("/cy/") for path in paths)


def _axe_after_search(page: Page, url: str, path: str) -> list[str]:
    page.goto(f"{url}{path}")
    if path.endswith("/search/"):
        page.fill(".pagefind-ui__search-input", "ffurflen" if "/cy/" in path else "form")
        expect(page.locator(".pagefind-ui__result").first).to_be_visible(timeout=10_000)
    return axe_violations(page)


@pytest.mark.parametrize("name", sorted(WELSH_PAGE_TYPES))
def test_every_welsh_page_type_meets_wcag_22_aa(page: Page, bilingual_url: str, name: str) -> None:
    assert _axe_after_search(page, bilingual_url, WELSH_PAGE_TYPES[name]) == []
    expect(page.locator("html")).to_have_attribute("lang", "cy")


@pytest.mark.parametrize("name", sorted(ENGLISH_PAGE_TYPES))
def test_english_pages_with_the_switch_meet_wcag_22_aa(
    page: Page, bilingual_url: str, name: str
) -> None:
    assert _axe_after_search(page, bilingual_url, ENGLISH_PAGE_TYPES[name]) == []
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")


@pytest.mark.parametrize("width", [390, 1280])
def test_no_welsh_page_scrolls_sideways(browser: Browser, bilingual_url: str, width: int) -> None:
    """Welsh words run longer than English ones, and the header has the switch's row too."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for path in WELSH_PAGE_TYPES.values():
            page.goto(f"{bilingual_url}{path}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (path, width, overflow)
    finally:
        context.close()
