"""Language tags: canonical spelling of good tags, and a message (with the right tag to use,
where one can be guessed) for everything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from weeknote_gen.config import load_config
from weeknote_gen.config.languages import language_name, read_language_tag
from weeknote_gen.errors import Location, error


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("cy", "cy"),
        ("CY", "cy"),
        ("  cy \n", "cy"),
        ("cy-GB", "cy-GB"),
        ("en_gb", "en-GB"),
        ("EN-gb", "en-GB"),
        ("sr-latn-rs", "sr-Latn-RS"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"),
        ("ca-ES-VALENCIA", "ca-ES-valencia"),
        ("en-GB-x-Brummie", "en-GB-x-brummie"),
        ("x-klingon", "x-klingon"),
        ("en-u-ca-gregory", "en-u-ca-gregory"),
        ("gd", "gd"),  # Scottish Gaelic
        ("kw", "kw"),  # Cornish
        ("yue", "yue"),  # three letters, no two-letter code
        ("tl", "tl"),  # CLDR prefers fil, but tl is a valid tag
    ],
)
def test_good_tags_come_back_in_canonical_case(written: str, canonical: str) -> None:
    assert read_language_tag(written) == (canonical, None)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        # Real codes for Welsh that a tag must not use: it takes the shortest, cy.
        (
            "wel",
            "'wel' is not a language tag: 'wel' is a code for Welsh that web pages do not use;"
            " write 'cy'",
        ),
        (
            "cym",
            "'cym' is not a language tag: 'cym' is a code for Welsh that web pages do not use;"
            " write 'cy'",
        ),
        (
            "CYM-gb",
            "'CYM-gb' is not a language tag: 'CYM' is a code for Welsh that web pages do not"
            " use; write 'cy-GB'",
        ),
        (
            "eng",
            "'eng' is not a language tag: 'eng' is a code for English that web pages do not use;"
            " write 'en'",
        ),
        (
            "iw",
            "'iw' is not a language tag: 'iw' is a code for Hebrew that web pages do not use;"
            " write 'he'",
        ),
        # Names, in English or in the language itself.
        ("welsh", "'welsh' is not a language tag: did you mean 'cy' (Welsh)?"),
        ("Cymraeg", "'Cymraeg' is not a language tag: did you mean 'cy' (Welsh)?"),
        ("english", "'english' is not a language tag: did you mean 'en' (English)?"),
        ("Français", "'Français' is not a language tag: did you mean 'fr' (French)?"),
        (
            "British English",
            "'British English' is not a language tag: did you mean 'en-GB' (English)?",
        ),
        # A POSIX locale name.
        ("en_GB.UTF-8", "'en_GB.UTF-8' is not a language tag: did you mean 'en-GB' (English)?"),
        # Well formed, but no such language or region.
        ("zz", "'zz' is not a language tag: 'zz' is not the code of a language"),
        (
            "en-UK",
            "'en-UK' is not a language tag: 'UK' is not the code of a region; the code is 'GB'",
        ),
        ("en-QQ", "'en-QQ' is not a language tag: 'QQ' is not the code of a region or country"),
        ("sr-Latq", "'sr-Latq' is not a language tag: 'Latq' is not the code of a script"),
        ("en-latin", "'en-latin' is not a language tag: 'latin' is not a known variant"),
        # Badly formed.
        ("english please", "'english please' is not a language tag"),
        ("en--GB", "'en--GB' is not a language tag: it has an empty part"),
        ("en-GB-x", "'en-GB-x' is not a language tag: '-x' must be followed by a subtag"),
        (
            "cy-GB-GB",
            "'cy-GB-GB' is not a language tag: 'GB' is not a script, region or variant in the"
            " right place (the order is language-Script-REGION, as in sr-Latn-RS)",
        ),
        ("", "the language is empty"),
        ("  ", "the language is empty"),
        ("c" * 80, f"'{'c' * 63}…' is too long to be a language tag"),
    ],
)
def test_bad_tags_say_what_is_wrong(written: str, message: str) -> None:
    assert read_language_tag(written) == (None, message)


def test_language_names_come_from_the_tag_s_language_subtag() -> None:
    assert language_name("cy-GB") == "Welsh"
    assert language_name("en") == "English"
    assert language_name("qaa") == "qaa"  # private use: no name to give


def test_config_language_is_canonicalised(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(
        "title: Notes\nbase_url: https://notes.example.org/\nlanguage: cy_gb\n", encoding="utf-8"
    )
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config is not None
    assert config.language == "cy-GB"


def test_config_language_that_is_a_name_suggests_the_tag(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(
        "title: Notes\nbase_url: https://notes.example.org/\nlanguage: Welsh\n", encoding="utf-8"
    )
    config, problems = load_config(tmp_path)
    assert config is None
    assert problems == [
        error(
            "config.language",
            "'Welsh' is not a language tag: did you mean 'cy' (Welsh)?",
            Location("config.yaml", 3, 11),
            "for example: en-GB",
        )
    ]
