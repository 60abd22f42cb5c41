"""Other generators' front matter: the table of their field names read as ours, and the keys
accepted without a word, as built in and as a site adds to them under `front_matter`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from weeknote_gen.config.checker import Checker
from weeknote_gen.config.reserved import FRONT_MATTER_FIELDS, TRANSLATION_KEY
from weeknote_gen.config.taxonomies import TAXONOMY_ROLES, TaxonomyConfig, taxonomy_with_role
from weeknote_gen.errors import did_you_mean
from weeknote_gen.yamldoc import YamlPath

# Other generators' names for our fields, so notes kept for years in Jekyll, Hugo, Eleventy,
# Pelican or Astro build as they are. A target that is a taxonomy role (`theme`) means the
# taxonomy with that role, whatever the site calls it. `published` is Jekyll's inverse of
# `draft` when it is true/false (and a date elsewhere); `url` and `permalink` give a slug and a
# redirect from the old address. The names other tools use for the date are in
# `dating.DATE_KEYS`.
DEFAULT_FRONT_MATTER_RENAMES: Mapping[str, str] = {
    "description": "summary",
    "excerpt": "summary",
    "tags": "theme",
    "lang": "language",
    "published": "draft",
    "status": "draft",
    "url": "slug",
    "permalink": "slug",
    "redirect_from": "aliases",
    "author_name": "author",
    "cover_image": "image",
    "featured_image": "image",
    "ref": "translation_key",  # Jekyll sites kept in two languages
    "translationKey": "translation_key",  # Hugo's
}
# Keys that only steer another generator's layout or collections: accepted without a word.
DEFAULT_FRONT_MATTER_IGNORED = (
    "layout",
    "type",
    "weight",
    "hidetitle",
    "hide_title",
    "comments",
    "categories",
    "category",
    "keywords",
    "toc",
    "share",
    "menu",
    "sitemap",
    "lastmod",
    "modified",
    "updated",
    "last_modified_at",
    "series",
    "cover",
    "thumbnail",
    "images",
    "canonical_url",
    "canonicalURL",
    "outputs",
    "markup",
    "linkTitle",
    "expiryDate",
    "headless",
    "robots",
    "noindex",
    "id",
    "guid",
    "wordpress_id",
    "disqus_identifier",
    "eleventyNavigation",
    "eleventyExcludeFromCollections",
    "eleventyComputed",
    "pagination",
    "permalink_pattern",
    "featured",
    "pinned",
    "sticky",
    "header",
    "classes",
    "showToc",
    "math",
    "mermaid",
)
_FRONT_MATTER_KEYS = ("rename", "ignore")
_FRONT_MATTER_EXAMPLE = "for example: {rename: {subtitle: summary}, ignore: [hero_image]}"


@dataclass(frozen=True, slots=True)
class FrontMatterOptions:
    """How other generators' front matter keys are read: renamed to ours, or ignored."""

    renames: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FRONT_MATTER_RENAMES))
    ignored: tuple[str, ...] = DEFAULT_FRONT_MATTER_IGNORED


def read_front_matter(
    raw: object, taxonomies: tuple[TaxonomyConfig, ...], check: Checker
) -> FrontMatterOptions:
    """The built-in tables with the site's additions. A built-in rename to a role (`tags` →
    `theme`) goes to the taxonomy with that role, whatever its name; one whose target the site
    does not have (`tags` on a site without a theme taxonomy) is dropped, so the key is
    reported as unknown rather than silently lost."""
    ours = (*FRONT_MATTER_FIELDS, TRANSLATION_KEY, *(t.name for t in taxonomies))
    renames = _built_in_renames(taxonomies, ours)
    ignored = list(DEFAULT_FRONT_MATTER_IGNORED)
    if raw is None:
        return FrontMatterOptions(renames, tuple(ignored))
    at: YamlPath = ("front_matter",)
    if not isinstance(raw, dict):
        check.fail(
            "config.front-matter", "'front_matter' must be a mapping", at, _FRONT_MATTER_EXAMPLE
        )
        return FrontMatterOptions(renames, tuple(ignored))
    check.unknown_keys(raw, _FRONT_MATTER_KEYS, at)
    _add_renames(raw.get("rename"), ours, renames, check)
    _add_ignored(raw.get("ignore"), ours, ignored, check)
    return FrontMatterOptions(renames, tuple(ignored))


def _built_in_renames(
    taxonomies: tuple[TaxonomyConfig, ...], ours: tuple[str, ...]
) -> dict[str, str]:
    """The built-in renames this site can follow, a role resolved to the taxonomy doing it."""
    renames: dict[str, str] = {}
    for other, target in DEFAULT_FRONT_MATTER_RENAMES.items():
        if target in TAXONOMY_ROLES:
            holder = taxonomy_with_role(taxonomies, target)
            target = holder.name if holder else ""
        if target in ours:
            renames[other] = target
    return renames


def _add_renames(
    rename: object, ours: tuple[str, ...], renames: dict[str, str], check: Checker
) -> None:
    """The site's `rename` table into `renames`: another name to one of ours, or to null to
    drop a built-in entry."""
    at: YamlPath = ("front_matter",)
    if rename is not None and not isinstance(rename, dict):
        check.fail(
            "config.front-matter",
            "'front_matter.rename' must map other names to ours",
            (*at, "rename"),
            _FRONT_MATTER_EXAMPLE,
        )
    elif rename is not None:
        for other, target in rename.items():
            where: YamlPath = (*at, "rename", str(other))
            if not isinstance(other, str) or not other.strip():
                check.fail("config.front-matter", "a key to rename must be text", where)
            elif other in ours:
                check.fail(
                    "config.front-matter",
                    f"'{other}' is already a front matter field, so it cannot be renamed",
                    where,
                    key=True,
                )
            elif target is None:
                renames.pop(other, None)
            elif not isinstance(target, str) or target not in ours:
                check.fail(
                    "config.front-matter",
                    f"'{other}' is renamed to '{target}', which is not a front matter field",
                    where,
                    did_you_mean(str(target), ours) or f"the fields are: {', '.join(ours)}",
                )
            else:
                renames[other] = target


def _add_ignored(ignore: object, ours: tuple[str, ...], ignored: list[str], check: Checker) -> None:
    """The site's `ignore` list added to `ignored`; none of our own fields may be on it."""
    at: YamlPath = ("front_matter",)
    if ignore is not None:
        if not isinstance(ignore, list) or not all(isinstance(k, str) for k in ignore):
            check.fail(
                "config.front-matter",
                "'front_matter.ignore' must be a list of keys",
                (*at, "ignore"),
                _FRONT_MATTER_EXAMPLE,
            )
        else:
            for index, key in enumerate(ignore):
                if key in ours:
                    check.fail(
                        "config.front-matter",
                        f"'{key}' is a front matter field, so it cannot be ignored",
                        (*at, "ignore", index),
                    )
                elif key not in ignored:
                    ignored.append(key)
