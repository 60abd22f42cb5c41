"""Each language's part of the site, planned: its pages, theme files, media, static files and
redirect pages, checked against every path the site makes before any of it is made.

Most sites are one part; a bilingual site has one per language, each under its prefix, whose
pages are then given their counterparts in the other languages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from weeknote_gen.config.site_languages import SiteLanguage
from weeknote_gen.content.discover import Content
from weeknote_gen.engine.load import LoadedSite, Steps
from weeknote_gen.errors import Diagnostics
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.urls import output_path

if TYPE_CHECKING:  # only for annotations: `stages` loads these when a build needs them
    from weeknote_gen.content.model import Site
    from weeknote_gen.engine.records import SiteDigests
    from weeknote_gen.output.render import Environment
    from weeknote_gen.site.page_spec import PageSpec


@dataclass(slots=True)
class Part:
    """One language's part of the site as planned (the whole site, on most sites)."""

    language: SiteLanguage | None
    site: Site
    env: Environment
    specs: tuple[PageSpec, ...]
    before_feeds: list[Artifact]  # the theme's static files, then media
    after_feeds: list[Artifact]  # the static folder's files and redirect pages
    prefix: str  # the folder of the output its files go in ("" for the default language)
    # Once its pages are keyed: what they read, their keys, their templates' fingerprints.
    read: SiteDigests | None = None
    keys: list[str] = field(default_factory=list)
    templates: dict[str, str] = field(default_factory=dict)


def plan_parts(
    site_dir: Path,
    loaded: LoadedSite,
    content: Content,
    steps: Steps,
    problems: Diagnostics,
    *,
    strict: bool,
) -> list[Part] | None:
    """Which pages exist in each language's part of the site (one part on most sites),
    and the static files and redirect pages, checked against every path the site makes
    before any of it is made; None if anything failed (a clash, say)."""
    from weeknote_gen.engine import stages

    parts: list[Part] = []
    for language, site in loaded.sites:
        prefix = language.prefix if language else ""
        specs, found = steps.run("plan", functools.partial(stages.plan_pages, site))
        problems.extend(found)
        if problems.has_errors(strict=strict):
            return None
        env = stages.make_environment(site_dir, site.config)
        theme = stages.theme_files(site_dir, problems)
        media = stages.media(site, content.assets)
        generated = [
            *(output_path(spec.url) for spec in specs),
            *(artifact.path for artifact in (*theme, *media)),
            *(feed.path for feed in stages.plan_feeds(site)),
        ]
        static = content.static if not parts else []  # once, at the site's root
        extra, found = stages.site_files(site, static, specs, generated)
        problems.extend(found)
        parts.append(Part(language, site, env, specs, [*theme, *media], extra, prefix))
    if problems.has_errors(strict=strict):
        return None
    if len(parts) > 1:
        _translate(parts, loaded)
    return parts


def _translate(parts: list[Part], loaded: LoadedSite) -> None:
    """Each page of a bilingual site given its counterparts in the other languages."""
    from weeknote_gen.site.alternates import LanguagePart, with_alternates

    keys = {note.path: note.translation_key for note in loaded.parsed}
    planned = [LanguagePart(p.language, p.site, p.specs) for p in parts if p.language]
    for part, specs in zip(parts, with_alternates(planned, keys), strict=True):
        part.specs = specs
