"""The configuration reference in docs/configuration.md, generated from `Config` itself.

Each field of `Config` is followed by a docstring; this module turns those into the table of
keys, so the documentation cannot drift from the schema (a test compares the two, and
`make docs` rewrites the table).
"""

from __future__ import annotations

import ast
import inspect
import itertools
import sys
import textwrap
from dataclasses import MISSING, Field, fields
from pathlib import Path

from weeknote_gen.config.front_matter import FrontMatterOptions
from weeknote_gen.config.markdown import MarkdownOptions
from weeknote_gen.config.schema import Config
from weeknote_gen.config.site import ReplyOptions
from weeknote_gen.config.taxonomies import DEFAULT_TAXONOMIES

REFERENCE_BEGIN = "<!-- BEGIN GENERATED: config reference (make docs) -->"
REFERENCE_END = "<!-- END GENERATED: config reference -->"
_TYPE_LABELS = {
    "str": "text",
    "int": "whole number",
    "bool": "`true` or `false`",
    "tuple[AuthorProfile, ...]": "mapping of name to details",
    "tuple[TaxonomyConfig, ...]": "list",
    "Mapping[str, tuple[str, ...]]": "mapping of taxonomy to a list of terms",
    "MarkdownOptions": "mapping",
    "ReplyOptions": "mapping",
    "FrontMatterOptions": "mapping of `rename` and `ignore`",
    "Mapping[str, str | tuple[str, ...]]": "mapping of the theme's text to the site's",
}


def config_reference() -> str:
    """The table of every `config.yaml` key, made from `Config`'s field docstrings.

    docs/configuration.md carries this between two markers; a test fails when it is out of
    date, and `make docs` rewrites it.
    """
    source = textwrap.dedent(inspect.getsource(Config))
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    defaults = {f.name: f for f in fields(Config)}
    rows = ["| key | type | default | what it is for |", "| --- | --- | --- | --- |"]
    statements = body.body
    for statement, following in itertools.pairwise(statements):
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            continue
        name = statement.target.id
        documented = isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
        doc = following.value.value if documented else ""  # type: ignore[attr-defined]
        kind = _TYPE_LABELS.get(
            ast.unparse(statement.annotation), ast.unparse(statement.annotation)
        )
        text = " ".join(str(doc).split())
        rows.append(f"| `{name}` | {kind} | {_default_text(defaults[name])} | {text} |")
    return "\n".join([REFERENCE_BEGIN, *rows, REFERENCE_END])


def _default_text(item: Field[object]) -> str:
    if item.default is MISSING and item.default_factory is MISSING:
        return "required"
    factory = item.default_factory
    value = factory() if callable(factory) else item.default
    if value == DEFAULT_TAXONOMIES:
        return "`[team, theme, learning]`"
    if isinstance(value, MarkdownOptions):
        return "`{allow_html: false, flavour: github}`"
    if isinstance(value, FrontMatterOptions):
        return "the built-in tables (see [Moving your weeknotes here](moving-here.md))"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value in ("", (), {}, ReplyOptions()):
        return "none"
    return f"`{value}`"


def update_document(path: Path) -> bool:
    """Replace the generated table in `path`; True if the file changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(REFERENCE_BEGIN), text.index(REFERENCE_END) + len(REFERENCE_END)
    updated = text[:start] + config_reference() + text[end:]
    if updated == text:
        return False
    path.write_text(updated, encoding="utf-8")
    return True


if __name__ == "__main__":  # `python -m weeknote_gen.config.reference docs/configuration.md`
    for name in sys.argv[1:]:
        print(f"{name}: {'updated' if update_document(Path(name)) else 'already current'}")
