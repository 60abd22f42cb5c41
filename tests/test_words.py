"""The theme's words: the catalogues are complete and consistent, a Welsh site says its words
in Welsh (dates, plurals and `lang` too), a site's `words:` overrides win, and a site in a
language with no catalogue marks its English words as English."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import build_site, note
from tests.messages import extract
from weeknote_gen.config.site_words import placeholders
from weeknote_gen.words import CATALOGUES, message_ids, read_catalogue, words_for

# --------------------------------------------------------------------------- the catalogues


def _ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return (message_id,) if isinstance(message_id, str) else tuple(message_id)


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_text_the_theme_uses_is_in_the_catalogue(language: str) -> None:
    used = {message.id for message in extract() if message.id}
    held = {message.id for message in read_catalogue(language) if message.id}
    assert not used - held, f"run `make messages`: missing from {language}"
    assert not held - used, f"run `make messages`: no longer used but kept in {language}"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_text_is_translated_with_the_same_placeholders(language: str) -> None:
    catalogue = read_catalogue(language)
    for message in catalogue:
        if not message.id:
            continue
        forms = _ids(message.string)
        assert all(forms), f"{language}: no translation for {message.id!r}"
        if not isinstance(message.id, str):
            assert len(forms) == catalogue.num_plurals, message.id
        wanted = placeholders(_ids(message.id)[-1])  # a plural's forms all follow its plural
        for form in forms:
            assert placeholders(form) == wanted, (language, message.id, form)


def test_english_is_the_ids_as_written() -> None:
    for message in read_catalogue("en"):
        if message.id:
            assert message.string == message.id


def test_welsh_has_its_six_plural_forms() -> None:
    catalogue = read_catalogue("cy")
    assert catalogue.num_plurals == 6
    assert "n == 6 ? 4" in catalogue.plural_expr


def test_a_catalogue_loads_quickly_and_once() -> None:
    read_catalogue.cache_clear()
    started = time.perf_counter()
    read_catalogue("cy")
    took = time.perf_counter() - started
    assert took < 0.5, f"reading the Welsh catalogue took {took * 1000:.0f} ms"
    assert read_catalogue("cy") is read_catalogue("cy")


# --------------------------------------------------------------------------- words


def test_dates_and_weeks_in_each_language() -> None:
    english, welsh = words_for("en-GB"), words_for("cy-GB")
    assert english.format_date(dt.date(2019, 7, 12)) == "12 July 2019"
    assert welsh.format_date(dt.date(2022, 11, 24)) == "24 Tachwedd 2022"
    assert english.week_label(2026, 24) == "Week 24, 2026"
    assert welsh.week_label(2026, 24) == "Wythnos 24, 2026"
    assert english.week_span(dt.date(2019, 7, 8), dt.date(2019, 7, 14)) == (
        "Monday 8 – Sunday 14 July 2019"
    )
    assert welsh.week_span(dt.date(2022, 10, 31), dt.date(2022, 11, 6)) == (
        "Dydd Llun 31 Hydref – Dydd Sul 6 Tachwedd 2022"
    )
    assert welsh.tag == "cy"
    assert english.tag == "en-GB"
    assert words_for("fr").tag == "en-GB"
    assert words_for("en-US").tag == "en-US"


def test_welsh_plurals_follow_the_count() -> None:
    welsh = words_for("cy")
    said = [welsh.ngettext("%(num)d note", "%(num)d notes", n) for n in (1, 2, 3, 6, 7)]
    assert said == ["1 nodyn", "2 nodyn", "3 nodyn", "6 nodyn", "7 o nodiadau"]


def test_an_override_wins_over_the_catalogue() -> None:
    welsh = words_for("cy", {"Latest notes": "Yr wythnos hon", "%(num)d note": "%(num)d darn"})
    assert welsh.gettext("Latest notes") == "Yr wythnos hon"
    assert welsh.gettext("Archive") == "Archif"
    assert welsh.ngettext("%(num)d note", "%(num)d notes", 7) == "7 darn"


# --------------------------------------------------------------------------- built sites

WELSH_NOTES = {
    "weeknotes/2022-11-24-wythnos.md": note(
        title="Wythnos brysur",
        date="2022-11-24",
        author="Siân Jones",
        summary="Roedd hi'n wythnos brysur.",
        body="## Rhywbeth rwy'n ei ddysgu\n\nMae'n werth gofyn.\n",
    ),
    "weeknotes/2022-11-25-ail.md": note(
        title="Ail nodyn",
        date="2022-11-25",
        author="Siân Jones",
    ),
}


def _config(language: str, **more: object) -> dict[str, object]:
    return {
        "title": "Nodiadau'r tîm",
        "base_url": "https://nodiadau.example.org/",
        "language": language,
        **more,
    }


def _built(make_site: Callable[..., Path], config: dict[str, object]) -> Path:
    site = make_site(WELSH_NOTES, config=config)
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    return site / "_site"


def _page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_a_welsh_site_says_its_words_in_welsh(make_site: Callable[..., Path]) -> None:
    out = _built(make_site, _config("cy"))
    home = _page(out, "index.html")
    assert '<html lang="cy">' in home
    assert "Nodiadau diweddaraf" in home
    assert "Neidio i&#39;r prif gynnwys" in home or "Neidio i'r prif gynnwys" in home
    assert "Tanysgrifio:" in home
    assert "Latest notes" not in home and "Skip to main content" not in home
    assert 'lang="en-GB"' not in home
    assert "24 Tachwedd 2022" in home
    page = _page(out, "2022/wythnos/index.html")
    assert '<html lang="cy">' in page
    assert "Gan <a" in page and "24 Tachwedd 2022" in page
    assert "Wythnos 47, 2022" in page
    assert "munud o ddarllen" in page
    assert "Nodyn nesaf" in page
    assert 'lang="en-GB"' not in page
    week = _page(out, "weeks/2022-W47/index.html")
    assert "2 nodyn" in week
    assert "Dydd Llun 21 – Dydd Sul 27 Tachwedd 2022" in week
    authors = _page(out, "authors/index.html")
    assert "2 nodyn" in authors and "Mwyaf gweithgar" in authors
    feed = _page(out, "feed.xml")
    assert 'xml:lang="cy"' in feed


def test_a_welsh_site_with_a_region_reads_welsh(make_site: Callable[..., Path]) -> None:
    out = _built(make_site, _config("cy-GB"))
    home = _page(out, "index.html")
    assert '<html lang="cy-GB">' in home
    assert "Nodiadau diweddaraf" in home
    assert not re.search(r'lang="(cy|en-GB)"', home)


def test_a_site_overrides_a_word(make_site: Callable[..., Path]) -> None:
    out = _built(
        make_site,
        _config("cy", words={"Latest notes": "Yr wythnos hon & cynt", "Search": "Canfod"}),
    )
    home = _page(out, "index.html")
    assert "Yr wythnos hon &amp; cynt" in home
    assert "Nodiadau diweddaraf" not in home
    assert '<button type="submit">Canfod</button>' in home
    english = _built(make_site, {**_config("en-GB"), "words": {"Latest notes": "This week"}})
    assert "This week" in _page(english, "index.html")


def test_a_site_in_a_language_without_a_catalogue_marks_its_english_words(
    make_site: Callable[..., Path],
) -> None:
    out = _built(make_site, _config("fr"))
    home = _page(out, "index.html")
    assert '<html lang="fr">' in home
    assert '<a class="skip-link" href="#main-content" lang="en-GB">Skip to main content</a>' in home
    assert '<header class="site-header" lang="en-GB">' in home
    assert '<footer class="site-footer" lang="en-GB">' in home
    page = _page(out, "2022/wythnos/index.html")
    assert '<header class="site-header" lang="en-GB">' in page
    assert '<p class="byline" lang="en-GB">' in page
    assert "data-pagefind-meta" not in page  # the note is in the site's language


def test_a_word_the_theme_does_not_have_is_a_located_error(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(WELSH_NOTES, config=_config("cy", words={"Latest note": "Newydd"}))
    result = build_site(site)
    assert not result.ok
    (problem,) = [d for d in result.diagnostics if d.code == "config.words"]
    assert "Latest note" in problem.message
    assert problem.hint == "did you mean 'Latest notes'?"
    assert problem.location is not None and problem.location.line is not None


def test_an_override_must_keep_its_placeholders(make_site: Callable[..., Path]) -> None:
    site = make_site(WELSH_NOTES, config=_config("cy", words={"Notes by %(name)s": "Nodiadau"}))
    result = build_site(site)
    assert not result.ok
    assert any("%(name)s" in d.message for d in result.diagnostics if d.code == "config.words")


def test_a_site_that_gives_every_text_has_its_own_words() -> None:
    every = {text: text.upper() for text in message_ids()}
    assert words_for("ga", every).tag == "ga"
    assert words_for("ga", {"Latest notes": "Nótaí is déanaí"}).tag == "en-GB"
