"""Taxonomies: the tag fields of front matter that get their own pages, the roles that say
which of them names teams, themes and learnings, and the terms each may use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from weeknote_gen.config.checker import Checker
from weeknote_gen.config.reserved import FRONT_MATTER_FIELDS, RESERVED_SECTIONS
from weeknote_gen.errors import did_you_mean
from weeknote_gen.yamldoc import YamlPath

DEFAULT_TAXONOMY_LABELS = {
    "team": ("Team", "Teams"),
    "theme": ("Theme", "Themes"),
    "learning": ("Learning", "Learning"),
}
_TAXONOMY_KEYS = ("name", "singular", "plural", "role")
_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")

# The jobs a taxonomy can do besides its own pages: `team` (team weeks, digests and their
# feeds, week page groups, status groups, `new --team`), `theme` (the heat map of themes by
# team, front matter `tags`) and `learning` (learning tags in the learning log).
TAXONOMY_ROLES = ("team", "theme", "learning")


@dataclass(frozen=True, slots=True)
class TaxonomyConfig:
    """A tag field in front matter that gets its own pages, with the labels readers see."""

    name: str
    singular: str
    plural: str
    role: str | None = None  # as written; None: the role named like the taxonomy, if free


def taxonomy_with_role(taxonomies: Sequence[TaxonomyConfig], role: str) -> TaxonomyConfig | None:
    """The taxonomy doing `role`'s job: the one given `role: <role>`, else the one named
    `<role>` that has no role of its own, so configs written before roles keep their meaning."""
    given = next((t for t in taxonomies if t.role == role), None)
    if given is not None:
        return given
    return next((t for t in taxonomies if t.name == role and t.role is None), None)


DEFAULT_TAXONOMIES = tuple(
    TaxonomyConfig(name, *labels) for name, labels in DEFAULT_TAXONOMY_LABELS.items()
)


def read_taxonomies(raw: object, check: Checker) -> tuple[TaxonomyConfig, ...]:
    if raw is None:
        return DEFAULT_TAXONOMIES
    if not isinstance(raw, list):
        check.fail(
            "config.taxonomies",
            "'taxonomies' must be a list",
            ("taxonomies",),
            "for example: [team, theme, learning]",
        )
        return ()
    result: list[TaxonomyConfig] = []
    for index, item in enumerate(raw):
        at: YamlPath = ("taxonomies", index)
        if isinstance(item, dict):
            check.unknown_keys(item, _TAXONOMY_KEYS, at)
            name = check.text(item, "name", at)
        elif isinstance(item, str):
            name, item = item.strip(), {}
        else:
            check.fail("config.taxonomies", "each taxonomy must be a name", at)
            continue
        if not _NAME_RE.match(name):
            check.fail(
                "config.taxonomies",
                f"taxonomy name '{name}' must be lower-case letters, digits and hyphens",
                at,
            )
            continue
        if name in RESERVED_SECTIONS or name in FRONT_MATTER_FIELDS:
            check.fail("config.taxonomies", f"'{name}' is reserved and cannot be a taxonomy", at)
            continue
        if name in (t.name for t in result):
            check.fail("config.taxonomies", f"taxonomy '{name}' is listed twice", at)
            continue
        default = name.replace("-", " ").capitalize()
        singular, plural = DEFAULT_TAXONOMY_LABELS.get(name, (default, default + "s"))
        result.append(
            TaxonomyConfig(
                name,
                check.text(item, "singular", at) or singular,
                check.text(item, "plural", at) or plural,
                _read_role(item, name, result, check, at),
            )
        )
    return tuple(result)


def _read_role(
    item: Mapping[str, Any],
    name: str,
    earlier: Sequence[TaxonomyConfig],
    check: Checker,
    at: YamlPath,
) -> str | None:
    """A taxonomy's `role`, one of `TAXONOMY_ROLES`, given to one taxonomy at most."""
    role = check.text(item, "role", at)
    if not role:
        return None
    where: YamlPath = (*at, "role")
    if role not in TAXONOMY_ROLES:
        check.fail(
            "config.taxonomies",
            f"'{role}' is not a taxonomy role",
            where,
            did_you_mean(role, TAXONOMY_ROLES) or f"the roles are: {', '.join(TAXONOMY_ROLES)}",
        )
        return None
    holder = next((t for t in earlier if t.role == role), None)
    if holder is not None:
        check.fail(
            "config.taxonomies",
            f"the {role} role is given to both '{holder.name}' and '{name}'",
            where,
            f"a role belongs to one taxonomy: remove 'role: {role}' from one of them",
        )
        return None
    return role


def read_taxonomy_terms(
    raw: object, taxonomies: tuple[TaxonomyConfig, ...], check: Checker
) -> Mapping[str, tuple[str, ...]]:
    if raw is None:
        return {}
    at: YamlPath = ("taxonomy_terms",)
    if not isinstance(raw, dict):
        check.fail(
            "config.taxonomy-terms",
            "'taxonomy_terms' must be a mapping",
            at,
            "for example: {team: [ICT, Data]}",
        )
        return {}
    names = tuple(t.name for t in taxonomies)
    allowed: dict[str, tuple[str, ...]] = {}
    for name, terms in raw.items():
        if name not in names:
            hint = did_you_mean(str(name), names) or f"taxonomies: {', '.join(names)}"
            check.fail(
                "config.taxonomy-terms",
                f"'{name}' is not a taxonomy",
                (*at, str(name)),
                hint,
                key=True,
            )
            continue
        items = terms if isinstance(terms, list) else None
        if items is None or not all(isinstance(t, str) and t.strip() for t in items):
            check.fail(
                "config.taxonomy-terms",
                f"the terms for '{name}' must be a list of text",
                (*at, name),
            )
            continue
        plain = [
            check.plain_text(t, f"a term of '{name}'", (*at, name, i)) for i, t in enumerate(items)
        ]
        if not all(plain):
            continue
        allowed[name] = tuple(" ".join(t.split()) for t in items)
    return allowed
