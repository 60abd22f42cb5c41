"""`words:` in config.yaml: the site's own text for any of the theme's words.

Each key is a text as the theme writes it in English (a message id of the catalogues, such as
`Latest notes` or `Notes by %(name)s`), and its value the site's text, in the site's
language. A key the theme does not use is a located error with the nearest id suggested, since
an override that matches nothing would be silently ignored. Placeholders such as `%(title)s`
must be kept, or the page could not be made.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from weeknote_gen.config.checker import Checker
from weeknote_gen.config.taxonomies import DEFAULT_TAXONOMY_LABELS, TaxonomyConfig
from weeknote_gen.errors import did_you_mean
from weeknote_gen.words import Override, Words, catalogue_language, message_ids, words_for
from weeknote_gen.yamldoc import YamlPath

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def placeholders(text: str) -> set[str]:
    """The names of a text's `%(name)s` placeholders."""
    return set(_PLACEHOLDER.findall(text))


def read_words(raw: object, check: Checker, at: YamlPath = ("words",)) -> Mapping[str, Override]:
    """The site's overrides, by message id; the overrides with a problem are left out. `at`
    is where they are written: `words`, or a language's `words` on a bilingual site."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        check.fail(
            "config.words",
            "'words' must be a mapping of the theme's English text to the site's",
            at,
            'for example: {"Latest notes": "This week and before"}',
        )
        return {}
    known = message_ids()
    found: dict[str, Override] = {}
    for key, value in raw.items():
        override = _read_override(key, value, known, check, (*at, str(key)))
        if override is not None:
            found[str(key)] = override
    return found


def _read_override(
    key: Any, value: Any, known: frozenset[str], check: Checker, at: YamlPath
) -> Override | None:
    if not isinstance(key, str) or key not in known:
        hint = did_you_mean(str(key), sorted(known)) or (
            "write the theme's English text exactly as it is in"
            " weeknote_gen/locale/en/LC_MESSAGES/weeknote_gen.po"
        )
        check.fail("config.words", f"the theme has no text '{key}'", at, hint, key=True)
        return None
    forms = [value] if isinstance(value, str) else value
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) for f in forms):
        check.fail(
            "config.words",
            f"the text for '{key}' must be text, or a list of texts (one for each plural form)",
            at,
            "put the text in quotes",
        )
        return None
    if not all(check.plain_text(form, f"the text for '{key}'", at) for form in forms):
        return None
    wanted = placeholders(key)
    for form in forms:
        if placeholders(form) != wanted:
            names = ", ".join(f"%({name})s" for name in sorted(wanted)) or "none"
            check.fail(
                "config.words",
                f"the text for '{key}' must keep the same placeholders ({names})",
                at,
                f"write each of {names} once in the text" if wanted else "remove the placeholders",
            )
            return None
    return forms[0] if isinstance(value, str) else tuple(forms)


def _built_in_labels(words: Words) -> dict[str, str]:
    """The built-in taxonomies' labels in the words' language, each written out here so
    `make messages` finds it."""
    return {
        "Team": words.gettext("Team"),
        "Teams": words.gettext("Teams"),
        "Theme": words.gettext("Theme"),
        "Themes": words.gettext("Themes"),
        "Learning": words.gettext("Learning"),
    }


def labels_in_language(
    taxonomies: tuple[TaxonomyConfig, ...], language: str, overrides: Mapping[str, Override]
) -> tuple[TaxonomyConfig, ...]:
    """The taxonomies with the built-in English labels (`Team`, `Themes`, …) in the site's
    language and its `words:`; labels a site wrote itself (`singular: Squad`) are its own."""
    built_in = {label for labels in DEFAULT_TAXONOMY_LABELS.values() for label in labels}
    if catalogue_language(language) in (None, "en") and not built_in & overrides.keys():
        return taxonomies  # the labels as written: no catalogue to read for them
    said = _built_in_labels(words_for(language, overrides))
    assert built_in <= said.keys()
    return tuple(
        dataclasses.replace(
            taxonomy,
            singular=said.get(taxonomy.singular, taxonomy.singular),
            plural=said.get(taxonomy.plural, taxonomy.plural),
        )
        for taxonomy in taxonomies
    )


def labels_moved(
    taxonomies: tuple[TaxonomyConfig, ...],
    language: str,
    overrides: Mapping[str, Override],
    other: str,
    other_overrides: Mapping[str, Override],
) -> tuple[TaxonomyConfig, ...]:
    """Taxonomies labelled for `language` (by `labels_in_language`) labelled instead for
    `other`, another language of a bilingual site: the built-in labels follow, a site's own
    stay as written. The site's `words` are its default language's; `other` has its own."""
    english_of = {
        said: english for english, said in _built_in_labels(words_for(language, overrides)).items()
    }
    said = _built_in_labels(words_for(other, other_overrides))
    return tuple(
        dataclasses.replace(
            taxonomy,
            singular=said.get(english_of.get(taxonomy.singular, ""), taxonomy.singular),
            plural=said.get(english_of.get(taxonomy.plural, ""), taxonomy.plural),
        )
        for taxonomy in taxonomies
    )
