"""`config.yaml`: a strict schema where unknown keys are errors with "did you mean" hints.

Everything is checked in one pass so a site owner sees every mistake in the file at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from weeknote_gen.config.languages import read_language_tag
from weeknote_gen.errors import (
    Diagnostic,
    Location,
    decode_text,
    did_you_mean,
    error,
    warning,
)
from weeknote_gen.yamldoc import YamlDocument, YamlPath, load_yaml, odd_character

CONFIG_FILE = "config.yaml"
CONTENT_DIR = "weeknotes"
TEMPLATES_DIR = "site_templates"
CACHE_DIR = ".weeknote-cache"
PERMALINK_TOKENS = ("year", "month", "day", "week", "slug", "author")
RESERVED_SECTIONS = frozenset(
    {"authors", "weeks", "archive", "page", "static", "search", "feeds", "tags"}
)
# Front matter fields besides the taxonomies; a taxonomy may not shadow one.
FRONT_MATTER_FIELDS = (
    "title",
    "date",
    "author",
    "authors",
    "summary",
    "slug",
    "draft",
    "image",
    "language",
    "aliases",
)
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
}
# Keys that only steer another generator's layout or collections: accepted without a word.
DEFAULT_FRONT_MATTER_IGNORED = (
    "layout",
    "type",
    "weight",
    "hidetitle",
    "hide_title",
    "ref",
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
    "translationKey",
    "translation_key",
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
DEFAULT_TAXONOMY_LABELS = {
    "team": ("Team", "Teams"),
    "theme": ("Theme", "Themes"),
    "learning": ("Learning", "Learning"),
}


# --------------------------------------------------------------------------- the schema


@dataclass(frozen=True, slots=True)
class AuthorProfile:
    """What config says about a person; notes refer to them by name."""

    name: str
    role: str = ""
    bio: str = ""
    url: str = ""
    email: str = ""
    team: str = ""
    active_from: dt.date | None = None  # `active: {from, to}`: when they are expected to write
    active_to: dt.date | None = None
    away: tuple[tuple[dt.date, dt.date], ...] = ()  # the Mondays of each away span's first
    # and last ISO week, in the order written


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


MARKDOWN_FLAVOURS = ("github", "classic")


@dataclass(frozen=True, slots=True)
class MarkdownOptions:
    allow_html: bool = False
    # "github" reads Markdown the way GitHub shows it (lists after a line of text, 2-space
    # nesting, bare URLs, ~~strike~~, task lists, `\` line breaks, GitHub's heading ids);
    # "classic" is plain Python-Markdown as weeknote-gen rendered it before.
    flavour: str = "github"


@dataclass(frozen=True, slots=True)
class FrontMatterOptions:
    """How other generators' front matter keys are read: renamed to ours, or ignored."""

    renames: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FRONT_MATTER_RENAMES))
    ignored: tuple[str, ...] = DEFAULT_FRONT_MATTER_IGNORED


@dataclass(frozen=True, slots=True)
class ReplyOptions:
    """How readers reply to a note, since a static site has no comments."""

    email: str = ""
    url_template: str = ""  # "{url}" is replaced by the note's absolute URL, URL-encoded


DEFAULT_LEARNING_HEADINGS = (
    "Something I'm learning",
    "What I learned",
    "Things I learned",
    "Learnings",
    "What we learned",  # team notes, written together, say "we"
    "Things we learned",
)
DEFAULT_TAXONOMIES = tuple(
    TaxonomyConfig(name, *labels) for name, labels in DEFAULT_TAXONOMY_LABELS.items()
)


@dataclass(frozen=True, slots=True)
class Config:
    """The settings in `config.yaml`. Each field's docstring is its entry in the generated
    reference (docs/configuration.md), so the documentation cannot drift from the schema."""

    title: str
    """The site's name, shown in the header, page titles and feeds. Required."""
    base_url: str
    """The full address the site is published at, such as `https://notes.example.org/` or
    `https://example.org/team/notes/`; every link works under its path. Required."""
    description: str = ""
    """One sentence about the site, for the home page, search engines and feeds."""
    language: str = "en-GB"
    """The language tag of the writing, for `<html lang>` and feeds."""
    default_author: str = ""
    """The author of notes that name none, and the default for `weeknote-gen new`."""
    authors: tuple[AuthorProfile, ...] = ()
    """A mapping of each author's name to `role`, `bio`, `url` (a full `http(s)://` address),
    `email` and `team`; and, for `weeknote-gen status`, `active: {from: 2024-01-01, to: …}` (the
    dates between which they are expected to write; `to` is optional) and `away` (a list of ISO
    weeks such as `2026-W31`, or spans such as `2026-W31 to 2026-W33`)."""
    taxonomies: tuple[TaxonomyConfig, ...] = DEFAULT_TAXONOMIES
    """The tag fields that get their own pages: names, or `{name, singular, plural, role}`.
    `role` (`team`, `theme` or `learning`, each given to one taxonomy at most) says which
    taxonomy does that job: team weeks, digests and status groups for `team`, the heat map and
    front matter `tags` for `theme`, learning tags for `learning`. A taxonomy named `team`,
    `theme` or `learning` has that role unless another taxonomy is given it."""
    taxonomy_terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Optional allowed terms per taxonomy, such as `{team: [ICT, Data]}`; a note using another
    term gets a warning."""
    per_page: int = 10
    """How many notes each list page shows (1 to 1000)."""
    permalink: str = "/{year}/{slug}/"
    """The URL of each note, from `{year} {month} {day} {week} {slug} {author}`; must contain
    `{slug}`, and between the tokens only letters, digits, `-`, `_`, `.` and `/`."""
    output_dir: str = "_site"
    """The folder the site is built into, inside the site folder."""
    static_dir: str = "static"
    """A folder inside the site folder whose files are published as they are at the site's
    root, under base_url's path: `static/images/a.png` becomes `/images/a.png`, and `CNAME`,
    `favicon.ico` or a site moved from Jekyll, Hugo or Eleventy keeps its pictures and files
    where links expect them. It need not exist."""
    markdown: MarkdownOptions = MarkdownOptions()
    """Markdown options: `allow_html: true` renders raw HTML in notes instead of showing it as
    text (only for sites whose authors are all trusted); `flavour: github` (the default) reads
    Markdown as GitHub shows it, `flavour: classic` as plain Python-Markdown."""
    feed_entries: int = 20
    """How many notes each Atom and JSON feed holds (1 to 1000)."""
    image: str = ""
    """The picture link previews show when a note has no `image` of its own: an address or a
    path from the site's root."""
    reply: ReplyOptions = ReplyOptions()
    """Reply links under each note: `email` gives "Reply by email", `url_template` (with
    `{url}`) gives "Discuss this note"."""
    search: bool = True
    """Build the Pagefind search index, the search page and the header search box."""
    accessibility_url: str = ""
    """The full `http(s)://` address of the site's accessibility statement, linked from every
    page's footer."""
    week_ends_on: str = "friday"
    """The weekday a weeknote is usually dated; `weeknote-gen new` uses this week's one."""
    dates_from_git: bool = False
    """Date a note with no date of its own (in front matter, its file name, its folders or its
    title) by the commit that added it to git, following renames. Needs the whole history, so a
    shallow clone is reported rather than trusted: in GitHub Actions give `actions/checkout`
    `fetch-depth: 0`."""
    cadence: str = "weekly"
    """How often each author is expected to write, for `weeknote-gen status`: `weekly` (one note
    per ISO week, the only cadence for now)."""
    front_matter: FrontMatterOptions = FrontMatterOptions()
    """Other generators' front matter keys: `rename` maps a key to one of ours (added to the
    built-in table, which maps `description` and `excerpt` to `summary`, `tags` to the
    taxonomy with the `theme` role, `lang` to `language`, `published: false` to a draft, `url`
    and `permalink` to the slug with a redirect from the old address, `redirect_from` to
    `aliases`; map a key to `null` to drop a built-in entry), and `ignore` lists keys accepted
    without a word (added to the built-in list: `layout`, `type`, `weight`, `categories`,
    `ref`, `comments` and other keys that only steer another generator's layout)."""
    learning_headings: tuple[str, ...] = DEFAULT_LEARNING_HEADINGS
    """The headings whose section of a note is a learning, for the learning log, week pages
    and digests: matched at any heading level, ignoring case and straight or curly
    apostrophes, and also when followed by a colon or dash ("Something I'm learning: SQL").
    `[]` turns this off, leaving only the tags of the taxonomy with the `learning` role."""

    @property
    def base_path(self) -> str:
        """The URL path the site lives under ("/" or "/team/notes/"), for every internal link."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def taxonomy_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.taxonomies)

    def taxonomy_for(self, role: str) -> TaxonomyConfig | None:
        """The taxonomy with `role` (one of `TAXONOMY_ROLES`), or None when the site has none:
        every feature that means "the team taxonomy" asks here, never for a name."""
        return taxonomy_with_role(self.taxonomies, role)


_TOP_KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "default_author",
    "authors",
    "taxonomies",
    "per_page",
    "permalink",
    "output_dir",
    "static_dir",
    "markdown",
    "feed_entries",
    "image",
    "reply",
    "search",
    "accessibility_url",
    "taxonomy_terms",
    "week_ends_on",
    "dates_from_git",
    "cadence",
    "learning_headings",
    "front_matter",
)
_FRONT_MATTER_KEYS = ("rename", "ignore")
_AUTHOR_KEYS = ("role", "bio", "url", "email", "team")
_AUTHOR_SCHEDULE_KEYS = ("active", "away")  # read by `_read_schedule`, for `status`
_MARKDOWN_KEYS = ("allow_html", "flavour")
_TAXONOMY_KEYS = ("name", "singular", "plural", "role")
_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")


class _Checker:
    """Collects located problems while reading one config document."""

    def __init__(self, doc: YamlDocument, path: str) -> None:
        self.doc = doc
        self.path = path
        self.problems: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []  # advice about a config that loads

    def warn(self, code: str, message: str, yaml_path: YamlPath, hint: str) -> None:
        self.warnings.append(warning(code, message, self.doc.locate(self.path, yaml_path), hint))

    def fail(
        self,
        code: str,
        message: str,
        yaml_path: YamlPath,
        hint: str | None = None,
        *,
        key: bool = False,
    ) -> None:
        location = self.doc.locate(self.path, yaml_path, key=key)
        self.problems.append(error(code, message, location, hint))

    def unknown_keys(
        self, mapping: Mapping[Any, Any], allowed: tuple[str, ...], at: YamlPath
    ) -> None:
        for key in mapping:
            if key not in allowed:
                where = ".".join(str(p) for p in (*at, key))
                hint = did_you_mean(str(key), allowed) or f"known keys: {', '.join(allowed)}"
                self.fail(
                    "config.unknown-key", f"unknown key '{where}'", (*at, str(key)), hint, key=True
                )

    def text(self, mapping: Mapping[str, Any], key: str, at: YamlPath, default: str = "") -> str:
        value = mapping.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail("config.type", f"'{key}' must be text", (*at, key), "put the value in quotes")
            return default
        if not self.plain_text(value, f"'{key}'", (*at, key)):
            return default
        return value.strip()

    def plain_text(self, value: str, what: str, at: YamlPath, *, key: bool = False) -> bool:
        """False, after reporting it, when `value` holds a character that is not text."""
        found = odd_character(value)
        if found is not None:
            problem, hint = found
            self.fail("config.character", f"{what} holds {problem}", at, hint, key=key)
        return found is None

    def web_address(self, value: str, code: str, what: str, at: YamlPath, example: str) -> bool:
        """False, after reporting it, unless `value` is an absolute http(s) address that needs
        no tidying: no spaces (a link would end there) and no control characters."""
        try:
            parts = urlsplit(value)
        except ValueError:  # such as an unclosed '[' in the host
            parts = urlsplit("")
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            self.fail(
                code,
                f"{what} '{_shown(value)}' is not an absolute http(s) address",
                at,
                f"write the full address, starting https://, such as {example}",
            )
            return False
        if any(c.isspace() for c in value):
            self.fail(
                code,
                f"{what} '{_shown(value)}' has a space in it",
                at,
                "write each space as %20, or remove it",
            )
            return False
        return True

    def email_address(self, value: str, code: str, what: str, at: YamlPath) -> bool:
        """False, after reporting it, unless `value` looks like one plain email address."""
        if "@" not in value or any(c in ' <>"' or c.isspace() for c in value):
            self.fail(
                code,
                f"{what} '{_shown(value)}' is not an email address",
                at,
                "write just the address, such as team@example.org, without a name, spaces,"
                " quotes or <angle brackets>",
            )
            return False
        return True


def _shown(value: str) -> str:
    """A value for a one-line message: a newline or tab in it written as \\n or \\t."""
    return value.replace("\n", "\\n").replace("\t", "\\t")


def load_config(site_dir: Path) -> tuple[Config | None, list[Diagnostic]]:
    """Read and validate `config.yaml`, reporting every problem in it at once."""
    path = CONFIG_FILE
    config_file = site_dir / CONFIG_FILE
    try:
        data = config_file.read_bytes()
    except FileNotFoundError:
        return None, [
            error(
                "config.missing",
                f"no {CONFIG_FILE} in {site_dir}",
                Location(path),
                "run the command in your site folder, or point at it with --site DIR",
            )
        ]
    except OSError as exc:
        return None, [
            error(
                "config.unreadable",
                f"cannot read {CONFIG_FILE}: {exc.strerror}",
                Location(path),
                "check that the file can be read (its permissions)",
            )
        ]
    text, problem = decode_text(data, path, "config.unreadable")
    if text is None:
        return None, [problem] if problem is not None else []
    doc, problems = load_yaml(text, path)
    if doc is None:
        return None, problems
    if not isinstance(doc.value, dict):
        shape = (
            "empty"
            if doc.value is None
            else "a list"
            if isinstance(doc.value, list)
            else ("a single value")
        )
        return None, [
            error(
                "config.not-mapping",
                f"{CONFIG_FILE} is {shape}, not 'key: value' lines",
                Location(path, 1),
                "start with 'title: My weeknotes' and 'base_url: https://…/'",
            )
        ]
    checker = _Checker(doc, path)
    config = _read_config(doc.value, checker)
    if checker.problems:
        return None, checker.problems
    _advise_on_roles(config, doc.value, checker)
    return config, checker.warnings


def _advise_on_roles(config: Config, raw: Mapping[str, Any], check: _Checker) -> None:
    """Say so when config.yaml gives people a team but no taxonomy has the team role (such
    as after renaming `team` to `squad` without `role: team`): week pages, digests and
    `new` would otherwise drop the teams without a word."""
    if config.taxonomy_for("team") is not None:
        return
    written = raw.get("authors")
    for profile in config.authors:
        if profile.team and isinstance(written, dict):
            key = next(k for k in written if isinstance(k, str) and k.strip() == profile.name)
            names = [t.name for t in config.taxonomies if t.name not in TAXONOMY_ROLES]
            example = names[0] if names else "squad"
            check.warn(
                "config.no-team-role",
                f"{profile.name}'s team is given, but no taxonomy has the team role, so notes"
                " are not grouped by team and 'new' does not write the team",
                ("authors", key, "team"),
                f"give the taxonomy that names teams a role under taxonomies, such as"
                f" '- {{name: {example}, role: team}}', or call it team",
            )
            return


def _read_config(raw: dict[Any, Any], check: _Checker) -> Config:
    check.unknown_keys(raw, _TOP_KEYS, ())
    title = check.text(raw, "title", ())
    written = raw.get("title")
    if written is None or (isinstance(written, str) and not written.strip()):
        check.fail(
            "config.title", "'title' is required", (), "add a line such as: title: Our weeknotes"
        )
    base_url = _read_base_url(raw, check)
    description = check.text(raw, "description", ())
    written_language = check.text(raw, "language", (), "en-GB") or "en-GB"
    language, problem = read_language_tag(written_language)
    if language is None:
        check.fail("config.language", problem or "", ("language",), "for example: en-GB")
        language = written_language
    taxonomies = _read_taxonomies(raw.get("taxonomies"), check)
    output_dir = _read_output_dir(raw, check)
    return Config(
        title=title,
        base_url=base_url,
        description=description,
        language=language,
        default_author=check.text(raw, "default_author", ()),
        authors=_read_authors(raw.get("authors"), check),
        taxonomies=taxonomies,
        per_page=_read_count(raw, "per_page", 10, check),
        permalink=_read_permalink(raw, check),
        output_dir=output_dir,
        static_dir=_read_static_dir(raw, output_dir, check),
        markdown=_read_markdown(raw.get("markdown"), check),
        feed_entries=_read_count(raw, "feed_entries", 20, check),
        image=check.text(raw, "image", ()),
        reply=_read_reply(raw.get("reply"), check),
        search=_read_flag(raw, "search", True, check),
        accessibility_url=_read_accessibility_url(raw, check),
        taxonomy_terms=_read_taxonomy_terms(raw.get("taxonomy_terms"), taxonomies, check),
        week_ends_on=_read_weekday(raw, check),
        dates_from_git=_read_flag(raw, "dates_from_git", False, check),
        cadence=_read_cadence(raw, check),
        learning_headings=_read_learning_headings(raw, check),
        front_matter=_read_front_matter(raw.get("front_matter"), taxonomies, check),
    )


def _read_base_url(raw: Mapping[str, Any], check: _Checker) -> str:
    base_url = check.text(raw, "base_url", ())
    if not base_url and raw.get("base_url") not in (None, ""):
        return "https://example.invalid/"  # not text: reported already
    if not base_url:
        check.fail(
            "config.base-url",
            "'base_url' is required",
            (),
            "the address the site is published at, such as https://weeknotes.example.org/",
        )
        return "https://example.invalid/"
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        check.fail(
            "config.base-url",
            f"base_url '{base_url}' is not an absolute http(s) address",
            ("base_url",),
            "write it in full, such as https://weeknotes.example.org/",
        )
    elif parts.query or parts.fragment:
        check.fail("config.base-url", "base_url cannot have a query or fragment", ("base_url",))
    return base_url if base_url.endswith("/") else base_url + "/"


def _read_authors(raw: object, check: _Checker) -> tuple[AuthorProfile, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        check.fail(
            "config.authors",
            "'authors' must map each name to details",
            ("authors",),
            "write each name on its own line ending in ':', such as 'Ada Byron:', then indent "
            "its role, bio, url, email and team below it",
        )
        return ()
    profiles = []
    for name, details in raw.items():
        at: YamlPath = ("authors", str(name))
        if not isinstance(name, str) or not name.strip():
            check.fail("config.authors", "author names must be text", at, key=True)
            continue
        if not check.plain_text(name, "an author's name", at, key=True):
            continue
        if details is None:
            details = {}
        if not isinstance(details, dict):
            check.fail(
                "config.authors",
                f"details for '{name}' must be a mapping",
                at,
                f"known keys: {', '.join(_AUTHOR_KEYS)}",
            )
            continue
        check.unknown_keys(details, (*_AUTHOR_KEYS, *_AUTHOR_SCHEDULE_KEYS), at)
        values = {key: check.text(details, key, at) for key in _AUTHOR_KEYS}
        if values["url"] and not check.web_address(
            values["url"],
            "config.authors",
            f"{name.strip()}'s url",
            (*at, "url"),
            "https://example.org/people/ada-byron",
        ):
            values["url"] = ""
        if values["email"] and not check.email_address(
            values["email"], "config.authors", f"{name.strip()}'s email", (*at, "email")
        ):
            values["email"] = ""
        active_from, active_to, away = _read_schedule(details, at, check)
        profiles.append(
            AuthorProfile(
                name=name.strip(),
                **values,
                active_from=active_from,
                active_to=active_to,
                away=away,
            )
        )
    return tuple(profiles)


def _read_taxonomies(raw: object, check: _Checker) -> tuple[TaxonomyConfig, ...]:
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
    check: _Checker,
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


def _read_count(raw: Mapping[str, Any], key: str, default: int, check: _Checker) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        check.fail(
            f"config.{key.replace('_', '-')}",
            f"'{key}' must be a whole number from 1 to 1000",
            (key,),
            f"write a number without quotes, such as {key}: {default}",
        )
        return default
    return value


def _read_flag(
    raw: Mapping[str, Any], key: str, default: bool, check: _Checker, at: YamlPath = ()
) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        check.fail(
            f"config.{key.replace('_', '-')}",
            f"'{key}' must be true or false",
            (*at, key),
            "write true or false, without quotes",
        )
        return default
    return value


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _read_weekday(raw: Mapping[str, Any], check: _Checker) -> str:
    day = check.text(raw, "week_ends_on", (), "friday").lower() or "friday"
    if day not in WEEKDAYS:
        check.fail(
            "config.week-ends-on",
            f"'{day}' is not a day of the week",
            ("week_ends_on",),
            did_you_mean(day, WEEKDAYS) or "for example: friday",
        )
        return "friday"
    return day


def _read_learning_headings(raw: Mapping[str, Any], check: _Checker) -> tuple[str, ...]:
    value = raw.get("learning_headings")
    if value is None:
        return DEFAULT_LEARNING_HEADINGS
    at: YamlPath = ("learning_headings",)
    if not isinstance(value, list) or not all(isinstance(h, str) and h.strip() for h in value):
        check.fail(
            "config.learning-headings",
            "'learning_headings' must be a list of headings",
            at,
            'for example: ["Something I\'m learning", "What I learned"]',
        )
        return DEFAULT_LEARNING_HEADINGS
    plain = [check.plain_text(h, "a learning heading", (*at, i)) for i, h in enumerate(value)]
    if not all(plain):  # every odd heading reported, not just the first
        return DEFAULT_LEARNING_HEADINGS
    return tuple(" ".join(h.split()) for h in value)


def _read_taxonomy_terms(
    raw: object, taxonomies: tuple[TaxonomyConfig, ...], check: _Checker
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


def _read_reply(raw: object, check: _Checker) -> ReplyOptions:
    if raw is None:
        return ReplyOptions()
    at: YamlPath = ("reply",)
    if not isinstance(raw, dict):
        check.fail(
            "config.reply",
            "'reply' must be a mapping",
            at,
            "for example: {email: team@example.org}",
        )
        return ReplyOptions()
    check.unknown_keys(raw, ("email", "url_template"), at)
    email = check.text(raw, "email", at)
    template = check.text(raw, "url_template", at)
    if email and not check.email_address(email, "config.reply", "reply email", (*at, "email")):
        email = ""
    if any(c.isspace() for c in template):
        check.fail(
            "config.reply",
            "url_template has a space in it",
            (*at, "url_template"),
            "write each space as %20, or remove it",
        )
        template = ""
    if template and ("{url}" not in template or not template.startswith(("https://", "http://"))):
        check.fail(
            "config.reply",
            "url_template must be an http(s) address containing {url}",
            (*at, "url_template"),
            "for example: https://forum.example.org/new?link={url}",
        )
    return ReplyOptions(email=email, url_template=template)


def _read_accessibility_url(raw: Mapping[str, Any], check: _Checker) -> str:
    address = check.text(raw, "accessibility_url", ())
    if address and not check.web_address(
        address,
        "config.accessibility-url",
        "accessibility_url",
        ("accessibility_url",),
        "https://www.example.gov.uk/accessibility",
    ):
        return ""
    return address


def _read_permalink(raw: Mapping[str, Any], check: _Checker) -> str:
    permalink = check.text(raw, "permalink", (), "/{year}/{slug}/")
    at: YamlPath = ("permalink",)
    pieces = re.split(r"(\{[^{}]*\})", permalink)  # text, token, text, token, ..., text
    tokens = [piece[1:-1] for piece in pieces[1::2]]
    for token in tokens:
        if token not in PERMALINK_TOKENS:
            check.fail(
                "config.permalink",
                f"unknown token '{{{token}}}' in permalink",
                at,
                did_you_mean(token, PERMALINK_TOKENS)
                or f"tokens: {' '.join('{' + t + '}' for t in PERMALINK_TOKENS)}",
            )
    if not permalink.startswith("/") or not permalink.endswith("/"):
        check.fail(
            "config.permalink", "permalink must start and end with '/'", at, PERMALINK_EXAMPLE
        )
    elif "slug" not in tokens:
        check.fail("config.permalink", "permalink must contain {slug}", at, PERMALINK_EXAMPLE)
    problems: list[tuple[str, str]] = []
    for segment in _permalink_segments(pieces):
        for problem in _permalink_segment_problems(segment):
            if problem not in problems:
                problems.append(problem)
    for message, hint in problems:
        check.fail("config.permalink", message, at, hint)
    return permalink


PERMALINK_EXAMPLE = "for example: /{year}/{slug}/"
NAME_MAX = 255  # bytes in one file or folder name, on every common file system
# The longest each token can be, in bytes: dates are from the years 1900 to 2999, and slugs
# (of notes and of authors) are cut to urls.SLUG_LIMIT.
TOKEN_BYTES = {"year": 4, "month": 2, "day": 2, "week": 2, "slug": 100, "author": 100}
# Names Windows keeps for devices, in any case and with any extension: a folder cannot have
# one, so a site using one could not be cloned or built on a Windows laptop.
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
)
_PERMALINK_CHARACTER = re.compile(r"[\w.-]")  # between tokens: letters, digits, _ - and .

PermalinkSegment = list[tuple[bool, str]]  # (is a token, its name or the text)


def _permalink_segments(pieces: list[str]) -> list[PermalinkSegment]:
    """The folders of a permalink (`re.split` pieces: text, token, text, ...), each as its
    tokens and text in order; leaving out the empty ones before the first '/' and after the
    last, but not any between two '/' in a row."""
    segments: list[PermalinkSegment] = [[]]
    for index, piece in enumerate(pieces):
        if index % 2:
            segments[-1].append((True, piece[1:-1]))
            continue
        first, *rest = piece.split("/")
        if first:
            segments[-1].append((False, first))
        for text in rest:
            segments.append([(False, text)] if text else [])
    if not segments[0]:
        segments.pop(0)
    if segments and not segments[-1]:
        segments.pop()
    return segments


def _permalink_segment_problems(segment: PermalinkSegment) -> list[tuple[str, str]]:
    """What is wrong with one folder of a permalink, as (message, hint) pairs."""
    if not segment:
        return [("permalink cannot contain '//'", PERMALINK_EXAMPLE)]
    written = "".join("{" + text + "}" if token else text for token, text in segment)
    text = "".join(text for token, text in segment if not token)
    problems: list[tuple[str, str]] = []
    if written in (".", ".."):
        return [
            (
                f"permalink cannot have a '{written}' folder ('{written}' means "
                + ("the folder above)" if written == ".." else "the folder itself)"),
                PERMALINK_EXAMPLE,
            )
        ]
    odd = sorted({c for c in text if not _PERMALINK_CHARACTER.fullmatch(c)})
    if odd:
        listed = ", ".join(f"'{c}'" if c.isprintable() else f"U+{ord(c):04X}" for c in odd)
        problems.append(
            (
                f"permalink cannot contain {listed}",
                "between the tokens write only letters, digits, '-', '_' and '.', "
                + PERMALINK_EXAMPLE,
            )
        )
    if written.startswith("."):
        problems.append(
            (
                f"permalink folder '{written}' starts with '.', which hides it: web servers"
                " do not publish such folders",
                PERMALINK_EXAMPLE,
            )
        )
    elif written.endswith("."):
        problems.append(
            (
                f"permalink folder '{written}' ends with '.', which Windows drops from folder"
                " names",
                PERMALINK_EXAMPLE,
            )
        )
    if written.split(".")[0].lower() in WINDOWS_DEVICE_NAMES:
        problems.append(
            (
                f"permalink folder '{written}' is a name Windows keeps for a device, so the"
                " folder cannot be made there",
                "choose another name, for example: /notes/{slug}/",
            )
        )
    names = [text for token, text in segment if token]
    for name in sorted({n for n in names if names.count(n) > 1}, key=names.index):
        problems.append(
            (
                f"'{{{name}}}' appears more than once in the permalink folder '{written}'",
                "use each token at most once between two '/', " + PERMALINK_EXAMPLE,
            )
        )
    longest = len(text.encode("utf-8")) + sum(
        TOKEN_BYTES.get(text, len(text) + 2) for token, text in segment if token
    )
    if longest > NAME_MAX and not any(p[0].startswith("'{") for p in problems):
        problems.append(
            (
                f"permalink folder '{written}' can be {longest} bytes long, more than the"
                f" {NAME_MAX} a folder name can have",
                "write less text between two '/'; a slug can be up to 100 bytes",
            )
        )
    return problems


def _read_output_dir(raw: Mapping[str, Any], check: _Checker) -> str:
    output_dir = check.text(raw, "output_dir", (), "_site") or "_site"
    pure = PurePosixPath(output_dir.replace("\\", "/"))
    unsafe = (
        pure.is_absolute()
        or ".." in pure.parts
        or str(pure) in (".", "")
        or pure.parts[0] in (CONTENT_DIR, TEMPLATES_DIR, ".git", CONFIG_FILE)
    )
    if unsafe:
        check.fail(
            "config.output-dir",
            f"output_dir '{output_dir}' must be a new folder inside the site folder",
            ("output_dir",),
            "the default, _site, is a good choice",
        )
        return "_site"
    return str(pure)


def _read_static_dir(raw: Mapping[str, Any], output_dir: str, check: _Checker) -> str:
    """A folder inside the site that is none of the folders the tool reads or writes: its
    files are published whole, so it must not be the notes, the theme or the output."""
    static_dir = check.text(raw, "static_dir", (), "static") or "static"
    pure = PurePosixPath(static_dir.replace("\\", "/"))
    output = PurePosixPath(output_dir)
    unsafe = (
        pure.is_absolute()
        or ".." in pure.parts
        or str(pure) in (".", "")
        or pure.parts[0] in (CONTENT_DIR, TEMPLATES_DIR, ".git", CONFIG_FILE, CACHE_DIR)
        or ":" in pure.parts[0]
        or pure.parts[: len(output.parts)] == output.parts
        or output.parts[: len(pure.parts)] == pure.parts
    )
    if unsafe:
        check.fail(
            "config.static-dir",
            f"static_dir '{static_dir}' must be a folder inside the site folder, apart from"
            " weeknotes/, site_templates/ and the output folder",
            ("static_dir",),
            "the default, static, is a good choice",
        )
        return "static"
    return str(pure)


def _read_markdown(raw: object, check: _Checker) -> MarkdownOptions:
    if raw is None:
        return MarkdownOptions()
    if not isinstance(raw, dict):
        check.fail(
            "config.markdown",
            "'markdown' must be a mapping",
            ("markdown",),
            "for example: {allow_html: false, flavour: github}",
        )
        return MarkdownOptions()
    check.unknown_keys(raw, _MARKDOWN_KEYS, ("markdown",))
    allow_html = _read_flag(raw, "allow_html", False, check, ("markdown",))
    flavour = check.text(raw, "flavour", ("markdown",), "github") or "github"
    if flavour not in MARKDOWN_FLAVOURS:
        check.fail(
            "config.markdown-flavour",
            f"'{flavour}' is not a Markdown flavour",
            ("markdown", "flavour"),
            "use github (Markdown as GitHub shows it) or classic (plain Python-Markdown)",
        )
        flavour = "github"
    return MarkdownOptions(allow_html=allow_html, flavour=flavour)


def _read_front_matter(
    raw: object, taxonomies: tuple[TaxonomyConfig, ...], check: _Checker
) -> FrontMatterOptions:
    """The built-in tables with the site's additions. A built-in rename to a role (`tags` →
    `theme`) goes to the taxonomy with that role, whatever its name; one whose target the site
    does not have (`tags` on a site without a theme taxonomy) is dropped, so the key is
    reported as unknown rather than silently lost."""
    ours = (*FRONT_MATTER_FIELDS, *(t.name for t in taxonomies))
    renames: dict[str, str] = {}
    for other, target in DEFAULT_FRONT_MATTER_RENAMES.items():
        if target in TAXONOMY_ROLES:
            holder = taxonomy_with_role(taxonomies, target)
            target = holder.name if holder else ""
        if target in ours:
            renames[other] = target
    ignored = list(DEFAULT_FRONT_MATTER_IGNORED)
    if raw is None:
        return FrontMatterOptions(renames, tuple(ignored))
    at: YamlPath = ("front_matter",)
    example = "for example: {rename: {subtitle: summary}, ignore: [hero_image]}"
    if not isinstance(raw, dict):
        check.fail("config.front-matter", "'front_matter' must be a mapping", at, example)
        return FrontMatterOptions(renames, tuple(ignored))
    check.unknown_keys(raw, _FRONT_MATTER_KEYS, at)
    rename = raw.get("rename")
    if rename is not None and not isinstance(rename, dict):
        check.fail(
            "config.front-matter",
            "'front_matter.rename' must map other names to ours",
            (*at, "rename"),
            example,
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
    ignore = raw.get("ignore")
    if ignore is not None:
        if not isinstance(ignore, list) or not all(isinstance(k, str) for k in ignore):
            check.fail(
                "config.front-matter",
                "'front_matter.ignore' must be a list of keys",
                (*at, "ignore"),
                example,
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
    return FrontMatterOptions(renames, tuple(ignored))


# --------------------------------------------------------------------------- cadence, for status

CADENCES = ("weekly",)
_ISO_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AWAY_EXAMPLE = "for example: away: [2026-W31, 2026-W40 to 2026-W42]"
MAX_AWAY_WEEKS = 106  # in one span: two years; a longer absence is better written as `active`


def iso_week_monday(text: str) -> dt.date | None:
    """The Monday of an ISO week written `2026-W31` or `2026W31` (any case), or None if it
    is not one. The one reader of week names: `away` here, and `--week` via `urls.parse_week`."""
    found = _ISO_WEEK_RE.match(text.strip())
    if found is None:
        return None
    try:
        return dt.date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
    except ValueError:  # week 0, or week 53 of a year with 52
        return None


def _read_cadence(raw: Mapping[str, Any], check: _Checker) -> str:
    cadence = check.text(raw, "cadence", (), "weekly").lower() or "weekly"
    if cadence not in CADENCES:
        check.fail(
            "config.cadence",
            f"cadence '{cadence}' is not one weeknote-gen knows",
            ("cadence",),
            "write cadence: weekly (one note per ISO week), or leave it out",
        )
        return "weekly"
    return cadence


def _read_schedule(
    details: Mapping[str, Any], at: YamlPath, check: _Checker
) -> tuple[dt.date | None, dt.date | None, tuple[tuple[dt.date, dt.date], ...]]:
    """An author's `active: {from, to}` and `away: [week or 'week to week', ...]`."""
    active_from = active_to = None
    active = details.get("active")
    where: YamlPath = (*at, "active")
    if isinstance(active, dict):
        check.unknown_keys(active, ("from", "to"), where)
        active_from = _read_day(active, "from", where, check)
        active_to = _read_day(active, "to", where, check)
        if active_from and active_to and active_to < active_from:
            check.fail(
                "config.authors",
                f"'active' ends ({active_to}) before it starts ({active_from})",
                (*where, "to"),
                "swap the dates, or correct the year",
            )
            active_to = None
    elif active is not None:
        check.fail(
            "config.authors",
            "'active' must be a mapping with 'from' and, if they have stopped, 'to'",
            where,
            "for example: active: {from: 2024-01-01, to: 2026-03-31}",
        )
    away = details.get("away")
    where = (*at, "away")
    if away is None:
        return active_from, active_to, ()
    if isinstance(away, str):
        away = [away]
    if not isinstance(away, list):
        check.fail("config.authors", "'away' must be a list of ISO weeks", where, AWAY_EXAMPLE)
        return active_from, active_to, ()
    spans = []
    for index, item in enumerate(away):
        span = _read_away_span(item, (*where, index), check)
        if span is not None:
            spans.append(span)
    return active_from, active_to, tuple(spans)


def _read_day(raw: Mapping[str, Any], key: str, at: YamlPath, check: _Checker) -> dt.date | None:
    value = raw.get(key)
    if value is None:
        return None
    text = str(value).strip() if isinstance(value, str | int) else ""
    day = None
    if _DAY_RE.match(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
    if day is None:
        check.fail(
            "config.authors",
            f"'{key}' must be a date written YYYY-MM-DD",
            (*at, key),
            f"for example: {key}: 2024-01-01",
        )
    return day


def _read_away_span(item: object, at: YamlPath, check: _Checker) -> tuple[dt.date, dt.date] | None:
    text = item.strip() if isinstance(item, str) else ""
    first_text, _, last_text = text.partition(" to ")
    first = iso_week_monday(first_text)
    last = iso_week_monday(last_text) if last_text else first
    if first is None or last is None:
        check.fail(
            "config.authors",
            f"'{_shown(str(item))}' is not an ISO week such as 2026-W31,"
            " or a span such as 2026-W31 to 2026-W33",
            at,
            AWAY_EXAMPLE,
        )
        return None
    if last < first:
        check.fail(
            "config.authors",
            f"the span '{text}' ends before it starts",
            at,
            "write the earlier week first",
        )
        return None
    if (last - first).days // 7 + 1 > MAX_AWAY_WEEKS:
        check.fail(
            "config.authors",
            f"the span '{text}' is more than {MAX_AWAY_WEEKS} weeks long",
            at,
            "for a long absence, end their 'active' dates instead",
        )
        return None
    return first, last
