"""Keeping the theme's catalogues in step with the code: `make messages`.

Gathers every text the theme shows, from the templates (through Jinja's own Babel extractor)
and from the Python that builds page titles, labels and feeds (the `gettext`, `ngettext` and
`fill` calls on a `Words`), and updates each catalogue in `weeknote_gen/locale/` with Babel's
`Catalog.update`: new texts are added (English gets its own text as its translation, other
languages an empty one to fill in), texts no longer used are dropped, and translations already
written are kept. Run as `python -m tests.messages`; `tests/test_words.py` fails while a
catalogue is behind.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from weeknote_gen.words import CATALOGUES, DOMAIN, catalogue_path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "site_templates"
PACKAGE = ROOT / "weeknote_gen"
# The names a text is passed to, with the positions of its singular and plural.
PYTHON_KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "gettext": None,
    "ngettext": (1, 2),
    "fill": None,
}
TEMPLATE_KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
}
HEADER_COMMENT = """\
# The theme's words for weeknote-gen, in one language (see docs/theming.md).
# Kept in step with the templates and code by `make messages`: write translations here,
# never message ids."""
# The same whitespace handling as `make_environment`, so `{% trans %}` blocks read alike.
TEMPLATE_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}


def extract() -> Catalog:
    """Every text the templates and the package use, in the order they are first met."""
    template = Catalog(domain=DOMAIN, project="weeknote-gen", fuzzy=False)
    sources = (
        (TEMPLATES, "jinja2.ext:babel_extract", "**.html", TEMPLATE_KEYWORDS, TEMPLATE_OPTIONS),
        (TEMPLATES, "jinja2.ext:babel_extract", "**.md", TEMPLATE_KEYWORDS, TEMPLATE_OPTIONS),
        (PACKAGE, "python", "**.py", PYTHON_KEYWORDS, {}),
    )
    for folder, method, pattern, keywords, options in sources:
        found = extract_from_dir(
            str(folder),
            method_map=[(pattern, method)],
            options_map={pattern: options},
            keywords=keywords,
            comment_tags=("Translators:",),
        )
        for filename, lineno, message, comments, context in found:
            where = (folder.relative_to(ROOT) / filename).as_posix()
            template.add(
                message,
                None,
                [(where, lineno)],
                auto_comments=comments,
                context=context,
                flags=("python-format",) if _has_placeholder(message) else (),
            )
    return template


def _has_placeholder(message: str | tuple[str, ...]) -> bool:
    texts = (message,) if isinstance(message, str) else message
    return any("%(" in text for text in texts)


def updated(language: str, template: Catalog) -> bytes:
    """The `.po` text for `language` after bringing its catalogue in step with `template`."""
    path = catalogue_path(language)
    if path.is_file():
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language, domain=DOMAIN)
    else:
        catalogue = Catalog(
            locale=language,
            domain=DOMAIN,
            header_comment=HEADER_COMMENT,
            project="weeknote-gen",
            copyright_holder="weeknote-gen developers",
            last_translator="weeknote-gen developers",
            language_team=f"{language} (see docs/theming.md)",
        )
    catalogue.fuzzy = False
    template.creation_date = catalogue.creation_date  # no churn in the header
    catalogue.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalogue.revision_date = template.creation_date
    if language == "en":
        for message in catalogue:
            if message.id and not (
                message.string if isinstance(message.id, str) else all(message.string)
            ):
                message.string = message.id if isinstance(message.id, str) else tuple(message.id)
    out = io.BytesIO()
    write_po(out, catalogue, width=100, ignore_obsolete=True, include_lineno=False)
    return out.getvalue()


def main() -> None:
    for language in CATALOGUES:
        path = catalogue_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        template = extract()  # afresh: `Catalog.update` adopts the template's messages
        text = updated(language, template)
        if not path.is_file() or path.read_bytes() != text:
            path.write_bytes(text)
            print(f"updated {path.relative_to(ROOT)}")
    print(f"{len(template)} texts")


if __name__ == "__main__":
    main()
