"""Front matter, checked field by field, with what other generators write read as ours.

Notes arrive from Jekyll, Hugo, Eleventy, Pelican and home-made scripts, so a field may go by
another name (`description`, `tags`, `lang`), the title may be the body's first heading and the
date may be in the file name or the title. This stage finds each value where the note keeps
it and says where it looked when it finds none. Every complaint points at the line of the
offending key. Values that need the whole site to judge (slugs, URL clashes, unknown authors)
are left to `model`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from weeknote_gen.config import FRONT_MATTER_FIELDS, Config
from weeknote_gen.config.languages import read_language_tag
from weeknote_gen.content.dating import (
    FoundDate,
    date_from_path,
    date_from_title,
    date_key,
    dates_from_git,
    iso_weekday,
    looked_in,
)
from weeknote_gen.content.discover import SourceFile
from weeknote_gen.content.front_matter import split_front_matter
from weeknote_gen.errors import Diagnostic, Location, did_you_mean, error, warning
from weeknote_gen.errors import note as note_diagnostic
from weeknote_gen.yamldoc import YamlDocument, odd_character

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
    slug: str | None  # as written in front matter, judged by `model`
    draft: bool
    image: str | None  # for link previews: an address, a site path, or a path beside the note
    body: str
    body_line: int
    field_lines: Mapping[str, int]
    language: str | None = None  # the note's language tag when it differs from the site's
    aliases: tuple[str, ...] = ()  # old addresses of the note, each given a redirect page
    date_source: str = FRONT_MATTER  # or where else the date was found ("the file name")

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


def _yaml_text(value: object) -> str:
    """A value as it is written in YAML, for messages (not Python's spelling of it)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


MAX_TERMS = 100  # per taxonomy per note: each term is a page, and each term's feed lists them
TEXT_HINT = (
    "write each one as text, in quotes if it could be read as a number, a date or true/false"
    ' (such as "2024" or "NO")'
)
DATE_HINT = (
    "write it as YYYY-MM-DD (2024-03-08), or with a time and offset (2024-03-08T16:30:00+00:00)"
)
# Words that join several names in one `author` string: "Owain, Samantha and Laura".
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\+)\s*", re.IGNORECASE)
_DRAFT_STATUSES = frozenset({"draft", "hidden", "private", "pending", "unpublished"})
_LIVE_STATUSES = frozenset({"published", "publish", "public", "live"})


class _FieldReader:
    """Validates the mapping's fields, collecting every problem rather than stopping at one.

    Other generators' keys are first renamed to ours (`config.front_matter.renames`); where
    both are written, ours wins. `source_keys` remembers the name each field was written
    under, so a complaint points at the line the author wrote.
    """

    def __init__(
        self,
        doc: YamlDocument,
        path: str,
        config: Config,
        git_dates: Mapping[str, FoundDate] | None = None,
        git_problem: str | None = None,
    ) -> None:
        assert isinstance(doc.value, dict)
        self.git_dates = git_dates
        self.git_problem = git_problem
        self.written: dict[Any, Any] = doc.value
        self.doc = doc
        self.path = path
        self.config = config
        self.problems: list[Diagnostic] = []
        self.source_keys: dict[str, str] = {}
        self.raw: dict[Any, Any] = {}
        renames = config.front_matter.renames
        for key, value in self.written.items():
            if isinstance(key, str) and key in renames and key not in _SPECIAL_KEYS:
                continue  # after our own keys, so ours win
            self.raw[key] = value
            if isinstance(key, str):
                self.source_keys[key] = key
        for key, value in self.written.items():
            target = renames.get(key) if isinstance(key, str) else None
            shaped = key not in _SPECIAL_KEYS or isinstance(value, bool)
            if target == "slug" and not _is_old_address(value):
                shaped = False  # `permalink: pretty`, `/{{ page.fileSlug }}/`, `false`
            if target is not None and shaped and target not in self.raw:
                self.raw[target] = value
                self.source_keys[target] = key

    def at(self, key: str) -> Location:
        return self.doc.locate(self.path, (self.source_keys.get(key, key),))

    def at_key(self, key: str) -> Location:
        return self.doc.locate(self.path, (self.source_keys.get(key, key),), key=True)

    def fail(self, code: str, message: str, key: str, hint: str | None = None) -> None:
        self.problems.append(error(code, message, self.at(key), hint))

    def plain_text(self, value: str, what: str, where: Location) -> bool:
        """False, after reporting it, when `value` holds a character that is not text (which
        only a YAML escape such as "\\u0001" can write): it would reach pages and feeds as it
        is, or, for half a surrogate pair, stop the build when the page is written."""
        found = odd_character(value)
        if found is not None:
            problem, hint = found
            self.problems.append(
                error("front-matter.character", f"{what} holds {problem}", where, hint)
            )
        return found is None

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
        )
        return note, self.problems

    def check_keys(self) -> None:
        known = (*FRONT_MATTER_FIELDS, *self.config.taxonomy_names)
        options = self.config.front_matter
        quiet = {*options.renames, *options.ignored}
        # Keys that are not text, such as `2026:`, and where each is written, in file order.
        written = [k for (k, *rest) in self.doc.key_marks if not rest and k not in self.written]
        odd_keys = iter(written)
        for key in self.written:
            if not isinstance(key, str):
                text = next(odd_keys, _yaml_text(key))
                self.problems.append(
                    error(
                        "front-matter.key",
                        f"'{text}' is not a field name",
                        self.doc.locate(self.path, (text,), key=True),
                        f"the fields are: {', '.join(known)}",
                    )
                )
            elif key not in known and key not in quiet and date_key([key]) is None:
                self.problems.append(
                    warning(
                        "front-matter.unknown-key",
                        f"unknown field '{key}' is ignored",
                        self.doc.locate(self.path, (key,), key=True),
                        did_you_mean(key, known)
                        or f"known fields: {', '.join(known)}; to accept it quietly, add it to"
                        " front_matter.ignore in config.yaml",
                    )
                )

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
        if _in_drafts_folder(self.path):
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
                    f"the date must be written as text such as 2024-03-08, not {_describe(value)}",
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

    def text_list(self, key: str, value: object, code: str, expected: str) -> tuple[str, ...]:
        """A string or a list of strings, whitespace-tidied, empty items dropped."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if code == "front-matter.term" and len(items) > MAX_TERMS:
            self.problems.append(
                error(
                    code,
                    f"'{key}' has {len(items)} terms, more than the {MAX_TERMS} a note can have",
                    self.doc.locate(self.path, (key,), key=True),
                    "keep the few terms readers would look for this note under",
                )
            )
            return ()
        names: list[str] = []
        reported: set[tuple[Location, str]] = set()
        for index, item in enumerate(items):
            if not isinstance(item, str):
                where = self.doc.locate(
                    self.path, (key, index) if isinstance(value, list) else (key,)
                )
                if item is None:
                    message, hint = f"'{key}' has an empty item", "remove it, or fill it in"
                else:
                    message, hint = f"'{key}' must be {expected}, not {_describe(item)}", TEXT_HINT
                if (where, message) not in reported:  # one alias can repeat an item many times
                    reported.add((where, message))
                    self.problems.append(error(code, message, where, hint))
                continue
            if not self.plain_text(
                item,
                f"'{key}'",
                self.doc.locate(self.path, (key, index) if isinstance(value, list) else (key,)),
            ):
                continue
            name = " ".join(item.split())
            if name:
                names.append(name)
        return tuple(names)

    def optional_text(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(
                f"front-matter.{key}", f"'{key}' must be text", key, "put the value in quotes"
            )
            return None
        if not self.plain_text(value, f"'{key}'", self.at(key)):
            return None
        return value.strip() or None

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

    def read_slug(self) -> tuple[str | None, str | None]:
        """The slug, and an old address to redirect from when the note gave a whole URL (Hugo's
        `url`, Jekyll's and Eleventy's `permalink`): its last part is the slug."""
        written = self.optional_text("slug")
        if written is None or self.source_keys.get("slug", "slug") == "slug":
            return written, None
        path = written.split("?", 1)[0].split("#", 1)[0]
        last = path.rstrip("/").rsplit("/", 1)[-1]
        stem = last.rsplit(".", 1)[0] if last.lower().endswith((".html", ".htm")) else last
        return (stem or None), (path if path.startswith("/") else "/" + path)

    def read_draft(self) -> bool:
        if _in_drafts_folder(self.path):
            return True  # Jekyll's folder of unpublished posts
        key = self.source_keys.get("draft", "draft")
        value = self.raw.get("draft", False)
        if value is None:
            return False
        if key == "published" and isinstance(value, bool):
            return not value
        if key == "status" and isinstance(value, str):
            status = value.strip().lower()
            if status in _DRAFT_STATUSES or status in _LIVE_STATUSES:
                return status in _DRAFT_STATUSES
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


# Keys renamed only when their value has the shape of the field (`published: false` is a draft,
# `published: 2024-03-08` is a date), so the reader looks at them itself.
_SPECIAL_KEYS = frozenset({"published"})


# Jekyll's permalink styles and the marks of a pattern rather than one page's address
# (`/:year/:title/`, Eleventy's `/{{ page.fileSlug }}/`): they say how the old site made
# addresses, not where this note was, so they give no slug and no redirect.
_PERMALINK_STYLES = frozenset({"pretty", "date", "ordinal", "weekdate", "none"})
_PATTERN_MARKS = re.compile(r"[{}]|(?:^|/):\w")


def _is_old_address(value: object) -> bool:
    """Whether a `url` or `permalink` value is one page's old address."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(text) and text not in _PERMALINK_STYLES and _PATTERN_MARKS.search(text) is None


def _in_drafts_folder(path: str) -> bool:
    return "_drafts" in path.split("/")[:-1]


def split_names(text: str) -> list[str]:
    """One string naming several people, split where a list would: commas, semicolons, '&',
    '+' and 'and'."""
    return [" ".join(part.split()) for part in _NAME_SEPARATORS.split(text) if part.strip()]


_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
# Emphasis and code marks; `_` only at word edges, as in `snake_case_names` it is a letter.
_INLINE_MARKS = re.compile(r"(\*\*|\*|`|(?<!\w)__|(?<!\w)_)(.+?)\1(?!\w)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")


def take_title_heading(body: str) -> tuple[str, str] | None:
    """The title written as the text's first heading (notes with no front matter keep it
    there), and the body with that line blanked, so line numbers stay true.

    The heading counts when it is the first thing in the text, at any level, or the first
    `# ` (level 1) heading before any other heading. Code blocks and HTML comments are
    passed over: a `# line` in them is not a heading.
    """
    lines = body.split("\n")
    first_content = True
    fence: str | None = None  # the marker that opened the code block we are in
    in_comment = False
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if (
                opening is not None
                and opening.group(1).startswith(fence[0])
                and len(opening.group(1)) >= len(fence)
                and not line.strip().strip(fence[0])
            ):
                fence = None
            continue
        if opening is not None:
            fence = opening.group(1)
            first_content = False
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if not line.strip() or _COMMENT_LINE.match(line):
            continue
        if line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        heading = _ATX_HEADING.match(line)
        setext = (
            first_content
            and index + 1 < len(lines)
            and _SETEXT_H1.match(lines[index + 1]) is not None
        )
        if heading is not None and (first_content or len(heading.group(1)) == 1):
            title = _plain_heading(heading.group(2))
            if title:
                return title, "\n".join([*lines[:index], "", *lines[index + 1 :]])
        elif setext:
            title = _plain_heading(line)
            if title:
                return title, "\n".join([*lines[:index], "", "", *lines[index + 2 :]])
        if heading is not None:
            return None  # a lower heading came first: the text starts with a section
        first_content = False
    return None


def _plain_heading(text: str) -> str:
    """A heading's words as a reader sees them, without Markdown's marks, escapes or
    character references: titles are plain text everywhere."""
    text = _INLINE_LINK.sub(r"\1", text)
    text = _INLINE_MARKS.sub(r"\2", text)
    text = _ESCAPED.sub(r"\1", text)
    return " ".join(html.unescape(text).split())


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "empty" if value is None else type(value).__name__


_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_SHAPE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(.*)$")
_OFFSET_SHAPE = re.compile(r"^(?:Z|([+-])(\d{2}):?(\d{2}))$")
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_date(text: str) -> tuple[dt.date, dt.datetime, bool] | None:
    """`YYYY-MM-DD`, or an ISO datetime with an offset; None when it is neither."""
    result = read_date(text)
    return None if isinstance(result, str) else result


def read_date(text: str) -> tuple[dt.date, dt.datetime, bool] | str:
    """`YYYY-MM-DD`, or an ISO datetime with an offset; else what is wrong with it, worded to
    follow "date '…'".

    The shapes are checked first: `fromisoformat` also takes forms such as `2024-W10-1` that
    authors would not expect to be dates, and offsets such as `+05:60`.
    """
    shape = _DATETIME_SHAPE.match(text)
    if not _DATE_SHAPE.match(text) and shape is None:
        return "is not a date in the form YYYY-MM-DD"
    try:
        if shape is None:
            day = dt.date.fromisoformat(text)
            stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        else:
            day = dt.date.fromisoformat(shape.group(1))
            offset = shape.group(3).strip()
            if not offset:
                # Jekyll and Pelican write `2019-10-25 10:00:00` with no zone: the moment is
                # unclear, but the day is what places a weeknote, so the day is kept.
                dt.time.fromisoformat(shape.group(2))  # still a real time of day
                stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
                return _checked_year(day, stamp, has_time=False)
            matched = _OFFSET_SHAPE.match(offset)
            if matched is None:
                return f"has an offset '{offset}' that is not +HH:MM, -HH:MM or Z"
            sign, hours, minutes = matched.groups()
            if hours is not None and (int(hours) > 14 or int(minutes) > 59):
                return f"has an offset '{offset}' that no time zone has"
            clock = dt.time.fromisoformat(shape.group(2))
            zone = dt.UTC
            if hours is not None:
                delta = dt.timedelta(hours=int(hours), minutes=int(minutes))
                zone = dt.timezone(-delta if sign == "-" else delta)
            stamp = dt.datetime.combine(day, clock, tzinfo=zone)
    except ValueError:
        return "is not a real date" if shape is None else "is not a real date and time"
    return _checked_year(stamp.date(), stamp, has_time=shape is not None)


def _checked_year(
    day: dt.date, stamp: dt.datetime, *, has_time: bool
) -> tuple[dt.date, dt.datetime, bool] | str:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return f"is not between the years {FIRST_YEAR} and {LAST_YEAR}: is the year mistyped?"
    return day, stamp, has_time
