"""Reading the site as a person would: clicking through, searching, keyboard, small screens,
dark mode, and axe-core's WCAG 2.2 A/AA rules on every kind of page."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import AXE

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "home": "/",
    "note": "/2026/week-34-tom/",
    "note with code": "/2026/week-24-rhys/",
    "note in Welsh": "/2026/week-43-gwen/",
    "authors": "/authors/",
    "author": "/authors/maya-okonjo/",
    "taxonomy overview": "/theme/",
    "term": "/theme/information-sharing/",
    "week": "/weeks/2026-W30/",
    "week with learnings": "/weeks/2026-W31/",
    "team weeks": "/team/ict/weeks/",
    "learning log": "/learning/log/",
    "author learning log": "/authors/maya-okonjo/learning/",
    "weeks": "/weeks/",
    "archive": "/archive/",
    "search": "/search/",
    "404": "/404.html",
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]


def test_clicking_from_home_to_note_author_term_week_and_archive(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    # the header names the site; the page's own heading says what it shows
    expect(page.locator(".site-title")).to_have_text("Harrowdale Digital weeknotes")
    expect(page.locator("h1")).to_have_text("Latest notes")
    first_title = page.locator(".note-list__title a").first
    title = first_title.inner_text()
    first_title.click()
    expect(page.locator("h1")).to_have_text(title)
    author = page.locator(".note__header .byline a").first
    name = author.inner_text()
    author.click()
    expect(page.locator("h1")).to_have_text(name)
    page.locator(".terms dd a").first.click()
    expect(page.locator("h1")).to_contain_text(":")
    week = page.locator(".byline a", has_text="Week ").first
    label = week.inner_text()
    week.click()
    expect(page.locator("h1")).to_have_text(label)
    assert "/weeks/2026-W" in page.url
    page.locator(".site-footer a", has_text="Every note, week by week").click()
    expect(page.locator("h1")).to_have_text("Archive")


def test_search_finds_a_word_and_opens_the_result(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.fill("#site-search-query", "blueprint")
    page.press("#site-search-query", "Enter")
    page.wait_for_url("**/search/?q=blueprint")
    results = page.locator(".pagefind-ui__result-link")
    expect(results.first).to_be_visible(timeout=10_000)
    target = results.first.inner_text()
    results.first.click()
    expect(page.locator("h1")).to_have_text(target)
    expect(page.locator(".note__body")).to_contain_text("blueprint")
    assert page.url.endswith("/2026/week-25-maya/")


def test_search_finds_a_welsh_note_from_the_english_search_page(page: Page, base_url: str) -> None:
    """One index for the whole site: Pagefind's UI loads the index of the search page's
    language only, so a Welsh note indexed apart would never be found here."""
    page.goto(f"{base_url}/search/?q=llyfrgelloedd")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    link = page.locator(".pagefind-ui__result-link").first
    expect(link).to_be_visible(timeout=10_000)
    expect(link).to_have_text("Wythnos 43: Gliniaduron newydd i'r llyfrgelloedd")
    # The result, among the page's English words, says it is in Welsh.
    result = page.locator(".pagefind-ui__result", has=link).locator("[lang]").first
    expect(result).to_have_attribute("lang", "cy")
    assert axe_violations(page) == []
    link.click()
    page.wait_for_url("**/2026/week-43-gwen/")
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator(".site-header")).to_have_attribute("lang", "en-GB")


def test_search_results_can_be_filtered_by_author(page: Page, base_url: str) -> None:
    author_filter = page.locator(".pagefind-ui__filter-name", has_text="author")
    for attempt in range(2):
        page.goto(f"{base_url}/search/?q=week")
        expect(page.locator(".pagefind-ui__result").first).to_be_visible(timeout=10_000)
        try:  # Pagefind's UI once in a while draws no filter panel for a search from ?q=
            author_filter.wait_for(timeout=10_000)
            break
        except PlaywrightTimeoutError:
            if attempt:
                raise
    author_filter.click()
    page.locator(".pagefind-ui__filter-checkbox + label", has_text="Tom Ferris").click()
    expect(page.locator(".pagefind-ui__message")).to_contain_text("6 results")
    for link in page.locator(".pagefind-ui__result-link").all():
        href = (link.get_attribute("href") or "").split("#")[0]
        assert href.endswith("-tom/"), href


def test_keyboard_users_skip_straight_to_the_content(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/2026/week-30-maya/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-9999px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(browser: Browser, base_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for path in PAGE_TYPES.values():
            page.goto(f"{base_url}{path}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (path, width, overflow)
    finally:
        context.close()


def test_dark_mode_is_dark_and_readable(browser: Browser, base_url: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"{base_url}/2026/week-24-rhys/")
        colours = page.evaluate(
            "[getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )
        background, text = (json.loads("[" + c[c.index("(") + 1 : -1] + "]") for c in colours)
        assert sum(background) < 150 < sum(text)
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_accessibility_check_can_fail(page: Page) -> None:
    page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
    assert {v.split(":")[0] for v in axe_violations(page)} >= {"image-alt", "link-name"}


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_every_page_type_meets_wcag_22_aa(page: Page, base_url: str, name: str) -> None:
    page.goto(f"{base_url}{PAGE_TYPES[name]}")
    if name == "search":
        page.fill(".pagefind-ui__search-input", "bins")
        expect(page.locator(".pagefind-ui__result").first).to_be_visible(timeout=10_000)
    assert axe_violations(page) == []


CHARTED_PAGES = {"author": "/authors/maya-okonjo/", "theme overview": "/theme/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(CHARTED_PAGES))
def test_charts_meet_wcag_22_aa_with_their_tables_open(
    browser: Browser, base_url: str, name: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{base_url}{CHARTED_PAGES[name]}")
        filled = page.locator(".chart__svg .chart__cell:not(.chart__cell--0)").first
        expect(filled).to_be_visible()
        # the shade comes from the stylesheet's palette for this scheme, not the SVG's fallback
        fill = filled.evaluate("cell => getComputedStyle(cell).fill")
        attribute = filled.get_attribute("fill") or ""
        assert (fill == _rgb(attribute)) == (scheme == "light"), (fill, attribute)
        page.locator(".chart__data summary").click()
        expect(page.locator(".chart__data table")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()


def _rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_a_heat_map_square_is_reached_by_keyboard_and_opens_its_notes(
    page: Page, base_url: str
) -> None:
    page.goto(f"{base_url}/theme/")
    square = page.locator(".chart__link").first
    label = square.get_attribute("aria-label") or ""
    square.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == label
    page.keyboard.press("Enter")
    page.wait_for_url("**/team/**")
    theme, count = label.split(",")[0], int(label.rsplit(": ", 1)[1].split()[0])
    expect(page.locator("h1")).to_contain_text(f"Theme: {theme}")
    expect(page.locator(".note-list > li")).to_have_count(count)
