"""`config.yaml`'s schema: `Config`, whose field docstrings are the generated reference, and
`read_config`, which reads every part of it through the modules that own them. The schema is
strict (unknown keys are errors with "did you mean" hints) and everything is checked in one
pass so a site owner sees every mistake in the file at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from weeknote_gen.config.authors import AuthorProfile, read_authors
from weeknote_gen.config.checker import Checker, read_count, read_flag
from weeknote_gen.config.front_matter import FrontMatterOptions, read_front_matter
from weeknote_gen.config.languages import read_language_tag
from weeknote_gen.config.markdown import MarkdownOptions, read_markdown
from weeknote_gen.config.permalink import read_permalink
from weeknote_gen.config.site import (
    DEFAULT_LEARNING_HEADINGS,
    ReplyOptions,
    read_accessibility_url,
    read_base_url,
    read_learning_headings,
    read_output_dir,
    read_reply,
    read_static_dir,
    read_weekday,
)
from weeknote_gen.config.site_languages import SiteLanguage, match_language, read_site_languages
from weeknote_gen.config.site_words import labels_in_language, labels_moved, read_words
from weeknote_gen.config.status import read_cadence
from weeknote_gen.config.taxonomies import (
    DEFAULT_TAXONOMIES,
    TaxonomyConfig,
    read_taxonomies,
    read_taxonomy_terms,
    taxonomy_with_role,
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
    """The language tag of the writing, for `<html lang>` and feeds. On a site with
    `languages`, the first of them."""
    languages: tuple[SiteLanguage, ...] = ()
    """The languages of a bilingual site, the default first: each `{code, name, title,
    description, prefix, read_in, terms, words}`. `code` is a language tag (`en-GB`, `cy`);
    `name` is the language as its speakers write it (from CLDR when left out: "Cymraeg");
    `title` and `description` are the site's in that language (the top-level ones when left
    out); `prefix` is the URL folder of its pages (none for the first language, its code for the
    others: `/cy/`); `read_in` is the link to a page's translation in this language, written in
    it ("Darllen yn Gymraeg", built in for Welsh and English); `terms` gives terms' names in
    this language (`{theme: {waste: Gwastraff}}`; a term's address stays the same); `words`
    overrides the theme's words in this language, as the top-level `words` does for the first. A
    note's language is its `lang`, else a folder named by a language (`weeknotes/cy/…`), else a
    suffix (`note.cy.md`), else the first language. Leave out for a one-language site."""
    default_author: str = ""
    """The author of notes that name none, and `weeknote-gen new`'s author when git's
    user.name is not one of `authors`."""
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
    `aliases`, `ref` and `translationKey` to `translation_key`; map a key to `null` to drop a
    built-in entry), and `ignore` lists keys accepted without a word (added to the built-in
    list: `layout`, `type`, `weight`, `categories`, `comments` and other keys that only steer
    another generator's layout)."""
    learning_headings: tuple[str, ...] = DEFAULT_LEARNING_HEADINGS
    """The headings whose section of a note is a learning, for the learning log, week pages
    and digests: matched at any heading level, ignoring case and straight or curly
    apostrophes, and also when followed by a colon or dash ("Something I'm learning: SQL").
    `[]` turns this off, leaving only the tags of the taxonomy with the `learning` role."""
    words: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    """The site's own text for any of the theme's words, which otherwise come from the
    catalogue of the site's `language` (English or Welsh; English for any other): each key is
    the theme's English text exactly as written, such as `Latest notes` or `Notes by
    %(name)s`, and its value the site's text, keeping the same `%(name)s` placeholders. A text
    that changes with a count (`%(num)d notes`) takes one text, or a list of one for each plural
    form of the language. See [Theming](theming.md#the-themes-words-languages-and-overrides)."""

    @property
    def base_path(self) -> str:
        """The URL path the site lives under ("/" or "/team/notes/"), for every internal link."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def in_language(self, language: SiteLanguage) -> Config:
        """The settings of one language's part of a bilingual site: its title, description
        and language, and an address under its prefix, so every link stays inside it."""
        prefix = f"{language.prefix}/" if language.prefix else ""
        taxonomies, words = self.taxonomies, {**self.words, **language.words}
        if language.code != self.language:  # `words` and the labels are the default's
            words = dict(language.words)
            taxonomies = labels_moved(taxonomies, self.language, self.words, language.code, words)
        return replace(
            self,
            title=language.title,
            description=language.description,
            language=language.code,
            base_url=self.base_url + prefix,
            taxonomies=taxonomies,
            words=words,
        )

    @property
    def root_path(self) -> str:
        """The URL path of the whole site, whichever language's part these settings are for:
        the static folder is published once, there, for every language."""
        language = match_language(self.language, self.languages) if self.languages else None
        if language and language.prefix and self.base_path.endswith(f"/{language.prefix}/"):
            return self.base_path[: -len(language.prefix) - 1]
        return self.base_path

    def term_names(self, taxonomy: str) -> Mapping[str, str]:
        """On a bilingual site, the names of terms given for this part's language (`terms`
        under its entry in `languages`), by the term as written."""
        language = match_language(self.language, self.languages) if self.languages else None
        return language.terms.get(taxonomy, {}) if language else {}

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
    "languages",
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
    "words",
)


def read_config(raw: dict[Any, Any], check: Checker) -> Config:
    check.unknown_keys(raw, _TOP_KEYS, ())
    title = check.text(raw, "title", ())
    written = raw.get("title")
    if written is None or (isinstance(written, str) and not written.strip()):
        check.fail(
            "config.title", "'title' is required", (), "add a line such as: title: Our weeknotes"
        )
    base_url = read_base_url(raw, check)
    description = check.text(raw, "description", ())
    written_language = check.text(raw, "language", (), "en-GB") or "en-GB"
    language, problem = read_language_tag(written_language)
    if language is None:
        check.fail("config.language", problem or "", ("language",), "for example: en-GB")
        language = written_language
    languages = read_site_languages(raw.get("languages"), title, description, check)
    if languages:
        if "language" in raw and language.lower() != languages[0].code.lower():
            check.fail(
                "config.languages",
                f"'language' says {language} but the first of 'languages' is"
                f" {languages[0].code}: the first language is the site's default",
                ("language",),
                "leave 'language' out, or list that language first",
            )
        language = languages[0].code
    words = read_words(raw.get("words"), check)
    taxonomies = labels_in_language(read_taxonomies(raw.get("taxonomies"), check), language, words)
    output_dir = read_output_dir(raw, check)
    return Config(
        title=title,
        base_url=base_url,
        description=description,
        language=language,
        languages=languages,
        default_author=check.text(raw, "default_author", ()),
        authors=read_authors(raw.get("authors"), check),
        taxonomies=taxonomies,
        per_page=read_count(raw, "per_page", 10, check),
        permalink=read_permalink(raw, check),
        output_dir=output_dir,
        static_dir=read_static_dir(raw, output_dir, check),
        markdown=read_markdown(raw.get("markdown"), check),
        feed_entries=read_count(raw, "feed_entries", 20, check),
        image=check.text(raw, "image", ()),
        reply=read_reply(raw.get("reply"), check),
        search=read_flag(raw, "search", True, check),
        accessibility_url=read_accessibility_url(raw, check),
        taxonomy_terms=read_taxonomy_terms(raw.get("taxonomy_terms"), taxonomies, check),
        week_ends_on=read_weekday(raw, check),
        dates_from_git=read_flag(raw, "dates_from_git", False, check),
        cadence=read_cadence(raw, check),
        learning_headings=read_learning_headings(raw, check),
        front_matter=read_front_matter(raw.get("front_matter"), taxonomies, check),
        words=words,
    )
