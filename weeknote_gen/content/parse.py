"""Front matter, checked field by field, with what other generators write read as ours.

Notes arrive from Jekyll, Hugo, Eleventy, Pelican and home-made scripts, so a field may go by
another name (`description`, `tags`, `lang`), the title may be the body's first heading and the
date may be in the file name or the title. This stage finds each value where the note keeps
it and says where it looked when it finds none. Every complaint points at the line of the
offending key. Values that need the whole site to judge (slugs, URL clashes, unknown authors)
are left to `assemble`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from weeknote_gen.config import Config
from weeknote_gen.config.languages import read_language_tag
from weeknote_gen.config.site_languages import match_language
from weeknote_gen.content.date_text import read_date
from weeknote_gen.content.dates_from_names import date_from_path, date_from_title
from weeknote_gen.content.dating import FoundDate, date_key, iso_weekday, looked_in
from weeknote_gen.content.discover import SourceFile
from weeknote_gen.content.field_checks import FieldChecks, describe
from weeknote_gen.content.front_matter import split_front_matter
from weeknote_gen.content.git_history_dates import dates_from_git
from weeknote_gen.content.note_language import language_from_path, path_translation_key
from weeknote_gen.content.other_generators import (
    draft_from_status,
    in_drafts_folder,
    slug_and_old_address,
    split_names,
)
from weeknote_gen.content.title_heading import take_title_heading
from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.errors import note as note_diagnostic
from weeknote_gen.yamldoc import YamlDocument

EXAMPLE = "start the file with a block such as:\n  ---\n  title: Week 10\n  date: 2024-03-08\n  ---"
FRONT_MATTER = "front matter"  # where a date came from when the note gave one itself
# Dates from git history for the whole site, or the reason there are none.
GitDates = tuple[Mapping[str, FoundDate], str | None]


@dataclass(frozen=True, slots=True)
class ParsedNote:
    """A note's validated front matter and raw body; nothing here depends on other notes."""

    path: str
    title: str
    date: dt.date
    published: dt.datetime  # aware; midnight UTC when only a date was given
    has_time: bool
    authors: tuple[str, ...]
    terms: Mapping[str, tuple[str, ...]]  # taxonomy name -> names as written
    summary: str | None
    slug: str | None  # as written in front matter, judged by `note_slugs`
    draft: bool
    image: str | None  # for link previews: an address, a site path, or a path beside the note
    body: str
    body_line: int
    field_lines: Mapping[str, int]
    language: str | None = None  # the note's language tag when it differs from the site's
    aliases: tuple[str, ...] = ()  # old addresses of the note, each given a redirect page
    date_source: str = FRONT_MATTER  # or where else the date was found ("the file name")
    # On a site with `languages`: what its translations share (None on a one-language site)
    translation_key: str | None = None

    def location(self, field: str | None = None) -> Location:
        """Where a field (or the file) is, for diagnostics raised by later stages."""
        if field is None:
            return Location(self.path)
        return Location(self.path, self.field_lines.get(field, 1))


def git_history(site_dir: Path, sources: Sequence[SourceFile], config: Config) -> GitDates | None:
    """The dates git history gives the notes, read once for the whole site, when config asks
    for them (`dates_from_git: true`); they are used only for notes dated nowhere else."""
    if not config.dates_from_git:
        return None
    return dates_from_git(site_dir, [source.path for source in sources])


def parse_note(
    source: SourceFile, config: Config, history: GitDates | None = None
) -> tuple[ParsedNote | None, list[Diagnostic]]:
    """Split and validate one file; a note with any error is returned as None.

    `history` is what `dates_from_git` found for the whole site, when config asks for it."""
    path = source.path
    if not source.text.strip():
        return None, [error("note.empty", "the file is empty", Location(path, 1), EXAMPLE)]
    front, problems = split_front_matter(source.text, path)
    if front is None:
        return None, problems
    dates, problem = history if history is not None else (None, None)
    reader = _FieldReader(front.doc, path, config, dates, problem)
    return reader.read(front.body, front.body_line)


DATE_HINT = (
    "write it as YYYY-MM-DD (2024-03-08), or with a time and offset (2024-03-08T16:30:00+00:00)"
)


class _FieldReader(FieldChecks):
    """Reads each of our fields from a note's front matter (title, date, authors, terms, slug,
    draft, language, aliases), looking where other generators keep them when ours are absent.
    """

    def __init__(
        self,
        doc: YamlDocument,
        path: str,
        config: Config,
        git_dates: Mapping[str, FoundDate] | None = None,
        git_problem: str | None = None,
    ) -> None:
        super().__init__(doc, path, config)
        self.git_dates = git_dates
        self.git_problem = git_problem

    def read(self, body: str, body_line: int) -> tuple[ParsedNote | None, list[Diagnostic]]:
        self.check_keys()
        title, body = self.read_title(body, body_line)
        date, published, has_time, date_source = self.read_date(title)
        authors = self.read_authors()
        terms = {name: self.read_terms(name) for name in self.config.taxonomy_names}
        summary = self.optional_text("summary")
        slug, url_alias = self.read_slug()
        draft = self.read_draft()
        image = self.optional_text("image")
        language = self.read_language()
        translation_key = None
        if self.config.languages:
            language, translation_key = self.read_site_language(language)
        aliases = self.text_list(
            "aliases",
            self.raw.get("aliases"),
            "front-matter.aliases",
            "an old address, or a list of them",
        )
        if url_alias is not None and url_alias not in aliases:
            aliases = (*aliases, url_alias)
        if any(p.is_error for p in self.problems) or date is None or published is None:
            return None, self.problems
        field_lines = {
            str(key): line for (key, *rest), (line, _) in self.doc.key_marks.items() if not rest
        }
        for ours, written in self.source_keys.items():
            if written in field_lines and ours not in field_lines:
                field_lines[ours] = field_lines[written]
        note = ParsedNote(
            path=self.path,
            title=title,
            date=date,
            published=published,
            has_time=has_time,
            authors=authors,
            terms=terms,
            summary=summary,
            slug=slug,
            draft=draft,
            image=image,
            body=body,
            body_line=body_line,
            field_lines=field_lines,
            language=language,
            aliases=aliases,
            date_source=date_source,
            translation_key=translation_key,
        )
        return note, self.problems

    def read_title(self, body: str, body_line: int) -> tuple[str, str]:
        """The title, and the body without the heading it came from when it came from one (so
        the page keeps a single `h1`)."""
        value = self.raw.get("title")
        if value is None or (isinstance(value, str) and not value.strip()):
            heading = take_title_heading(body)
            if heading is not None:
                title, rest = heading
                if self.plain_text(title, "the title", Location(self.path, body_line)):
                    return title, rest
                return "", body
            self.problems.append(
                error(
                    "front-matter.title",
                    "the note has no title: no 'title' in front matter and no heading at the"
                    " start of the text",
                    self.at("title") if "title" in self.raw else Location(self.path, 1),
                    'add a line such as: title: "Week 10: moving house", or start the text'
                    " with a heading such as: # Week 10: moving house",
                )
            )
            return "", body
        if not isinstance(value, str):
            self.fail(
                "front-matter.title", "the title must be text", "title", "put the title in quotes"
            )
            return "", body
        if not self.plain_text(value, "the title", self.at("title")):
            return "", body
        return " ".join(value.split()), body

    def read_date(self, title: str) -> tuple[dt.date | None, dt.datetime | None, bool, str]:
        """From front matter (our `date`, then the names other tools use), else from the file's
        name or folders, else from the title, else from git history when config asks; else one
        error saying where it looked."""
        keys = [
            k
            for k, v in self.written.items()
            # `published: false` is Jekyll's draft switch, not a date; `date: true` is a bad date.
            if isinstance(k, str) and v is not None and (k == "date" or not isinstance(v, bool))
        ]
        key = date_key(keys)
        if key is not None:
            if key != "date":
                self.source_keys.setdefault("date", key)
            return (*self.read_date_value(self.written[key], key), FRONT_MATTER)
        weekday = iso_weekday(self.config.week_ends_on)
        found = date_from_path(self.path, weekday) or date_from_title(title, weekday)
        if found is None and self.git_dates is not None:
            found = self.git_dates.get(self.path)
        if found is not None:
            day = found.day
            stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
            return day, stamp, False, found.source
        if in_drafts_folder(self.path):
            # Jekyll's drafts have no date until they are published: left out, not an error.
            self.problems.append(
                note_diagnostic(
                    "draft.undated",
                    "this draft has no date yet, so it is left out, even with --drafts",
                    Location(self.path, 1),
                    "give it a date (or move it out of _drafts/ named by its date) to preview it",
                )
            )
            return None, None, False, FRONT_MATTER
        self.problems.append(
            error(
                "front-matter.date",
                "the note has no date",
                self.at("date") if "date" in self.written else Location(self.path, 1),
                looked_in(dates_from_git=self.config.dates_from_git, git_problem=self.git_problem)
                + "; add a line such as: date: 2024-03-08, or start the file name with the date",
            )
        )
        return None, None, False, FRONT_MATTER

    def read_date_value(
        self, value: object, key: str
    ) -> tuple[dt.date | None, dt.datetime | None, bool]:
        where = self.doc.locate(self.path, (key,))
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.problems.append(
                error(
                    "front-matter.date",
                    f"the date must be written as text such as 2024-03-08, not {describe(value)}",
                    where,
                    DATE_HINT,
                )
            )
            return None, None, False
        text = str(value).strip()
        parsed = read_date(text)
        if isinstance(parsed, str):
            written = date_from_title(text, iso_weekday(self.config.week_ends_on))
            if written is not None and parsed.startswith("is not a date in the form"):
                day = written.day
                return day, dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), False
            self.problems.append(
                error("front-matter.date", f"date '{text}' {parsed}", where, DATE_HINT)
            )
            return None, None, False
        return parsed

    def read_authors(self) -> tuple[str, ...]:
        if "author" in self.raw and "authors" in self.raw:
            self.fail(
                "front-matter.author", "use either 'author' or 'authors', not both", "authors"
            )
            return ()
        key = "authors" if "authors" in self.raw else "author"
        value = self.raw.get(key)
        before = len(self.problems)
        names = self.text_list(key, value, "front-matter.author", "a name, or a list of names")
        type_errors = len(self.problems) > before  # a name that is not text was reported
        if not names and not type_errors and self.config.default_author:
            return (self.config.default_author,)
        if not names and not type_errors:
            self.problems.append(
                error(
                    "front-matter.author",
                    "the note has no author",
                    self.at(key) if key in self.raw else Location(self.path, 1),
                    "add 'author: Your Name', or set default_author in config.yaml",
                )
            )
        if isinstance(value, str):
            # "Owain, Samantha and Laura" in one string is three people, as its writer meant;
            # an item of a list is one name as written.
            return tuple(dict.fromkeys(part for name in names for part in split_names(name)))
        return names

    def read_terms(self, taxonomy: str) -> tuple[str, ...]:
        return self.text_list(
            taxonomy, self.raw.get(taxonomy), "front-matter.term", "a term, or a list of terms"
        )

    def read_language(self) -> str | None:
        """The note's language tag (`lang: cy`), checked and written the standard way (`CY`
        → `cy`, `en_gb` → `en-GB`), so pages and feeds declare it correctly."""
        written = self.optional_text("language")
        if written is None:
            return None
        tag, problem = read_language_tag(written)
        if tag is None:
            self.fail(
                "front-matter.language",
                problem or f"'{written}' is not a language tag",
                "language",
                "write a language tag such as cy (Welsh), en-GB or ga (Irish)",
            )
        return tag

    def read_site_language(self, written: str | None) -> tuple[str | None, str]:
        """On a site with `languages`: the note's language (its `lang`, else its folder or
        suffix, else the default's, as None) and the key its translations share."""
        languages = self.config.languages
        if written is not None and match_language(written, languages) is None:
            codes = ", ".join(language.code for language in languages)
            self.fail(
                "front-matter.language",
                f"'{written}' is not one of the site's languages ({codes})",
                "language",
                "add it to 'languages' in config.yaml, or correct the note's 'lang'",
            )
        if written is None:
            found = language_from_path(self.path, languages)
            written = found.code if found is not None and found != languages[0] else None
        key = self.optional_text("translation_key")
        return written, key or path_translation_key(self.path, languages)

    def read_slug(self) -> tuple[str | None, str | None]:
        """The slug, and an old address to redirect from when the note gave a whole URL (Hugo's
        `url`, Jekyll's and Eleventy's `permalink`): its last part is the slug."""
        written = self.optional_text("slug")
        if written is None or self.source_keys.get("slug", "slug") == "slug":
            return written, None
        return slug_and_old_address(written)

    def read_draft(self) -> bool:
        if in_drafts_folder(self.path):
            return True  # Jekyll's folder of unpublished posts
        key = self.source_keys.get("draft", "draft")
        value = self.raw.get("draft", False)
        if value is None:
            return False
        if key == "published" and isinstance(value, bool):
            return not value
        if key == "status" and isinstance(value, str):
            draft = draft_from_status(value)
            if draft is not None:
                return draft
            self.fail(
                "front-matter.draft",
                f"status '{value}' is neither a draft nor published",
                "draft",
                "write status: draft or status: published",
            )
            return False
        if not isinstance(value, bool):
            self.fail(
                "front-matter.draft",
                f"'{key}' must be true or false",
                "draft",
                f"write {key}: true (without quotes), or remove the line",
            )
            return False
        return value
