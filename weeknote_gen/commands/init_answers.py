"""`weeknote-gen init`'s questions: the site's title, address, language, first authors and
teams, taken from the options, asked at a terminal, or defaulted.

Each answer goes through the same check whichever way it came, so a bad `--language` is
refused with the same "did you mean" as a bad answer typed at the prompt; at the prompt the
question is simply asked again. Nothing here writes a file.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from weeknote_gen.config.languages import read_language_tag
from weeknote_gen.errors import Diagnostic, error

DEFAULT_LANGUAGE = "en-GB"
PLACEHOLDER_BASE_URL = "https://example.org/weeknotes/"
# "Maya Okonjo (Digital Services)": a name, then its team in brackets.
_NAME_AND_TEAM = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<team>[^()]*)\)\s*$")
# A GitHub remote, by SSH or HTTPS: its owner and repository name give the Pages address.
_GITHUB_REMOTE = re.compile(
    r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/?$"
)

Check = Callable[[str], tuple[str | None, str | None]]


class InitCancelledError(Exception):
    """The person at the terminal ended the questions (end of input or Ctrl-C)."""


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    team: str = ""


@dataclass(frozen=True, slots=True)
class SiteAnswers:
    title: str
    base_url: str
    language: str
    authors: tuple[Author, ...]
    teams: tuple[str, ...]  # the teams given and the authors' own, each once, in order


@dataclass(frozen=True, slots=True)
class InitOptions:
    """What was given on the command line; None (or empty) where nothing was."""

    title: str | None = None
    base_url: str | None = None
    language: str | None = None
    authors: Sequence[str] = ()
    teams: Sequence[str] = ()


def check_title(text: str) -> tuple[str | None, str | None]:
    title = " ".join(text.split())
    return (title, None) if title else (None, "the title is empty")


def check_base_url(text: str) -> tuple[str | None, str | None]:
    """The address as config.yaml's reader will accept it, ending in `/`."""
    written = text.strip()
    parts = urlsplit(written)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None, (
            f"'{written}' is not a full web address: write it with https://, such as"
            f" {PLACEHOLDER_BASE_URL}"
        )
    if parts.query or parts.fragment:
        return None, f"'{written}' has a ? or # part, which a site's address cannot have"
    return (written if written.endswith("/") else written + "/"), None


def check_author(text: str) -> tuple[Author | None, str | None]:
    written = " ".join(text.split())
    matched = _NAME_AND_TEAM.match(written)
    name, team = (matched["name"], matched["team"].strip()) if matched else (written, "")
    if not name or any(mark in name for mark in "()"):
        return None, f"'{written}' is not a name, or a name followed by a team in brackets"
    return Author(name, team), None


def default_title(site_dir: Path) -> str:
    """ "Digital team weeknotes" for a folder called digital-team."""
    words = " ".join(re.split(r"[-_.\s]+", site_dir.resolve().name)).strip()
    if not words:
        return "Weeknotes"
    words = words[:1].upper() + words[1:]
    return words if "weeknote" in words.lower() else f"{words} weeknotes"


def default_base_url(site_dir: Path) -> str:
    """Where GitHub Pages will publish the site, when its git remote is on GitHub; otherwise
    a placeholder that builds but says plainly that it is one."""
    try:
        result = subprocess.run(
            ["git", "-C", str(site_dir), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return PLACEHOLDER_BASE_URL
    matched = _GITHUB_REMOTE.match(result.stdout.strip())
    if result.returncode != 0 or matched is None:
        return PLACEHOLDER_BASE_URL
    owner, repo = matched["owner"].lower(), matched["repo"]
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"


class Prompter:
    """Questions at a terminal: each answer is checked, and asked again until it is right."""

    def __init__(self, stdin: TextIO, out: TextIO) -> None:
        self.stdin = stdin
        self.out = out

    def _line(self, question: str) -> str:
        self.out.write(question)
        self.out.flush()
        try:
            line = self.stdin.readline()
        except KeyboardInterrupt:
            raise InitCancelledError from None
        if not line:
            raise InitCancelledError
        return line.strip()

    def ask(self, question: str, default: str, check: Check) -> str:
        shown = f" [{default}]" if default else ""
        while True:
            answer = self._line(f"{question}{shown}: ") or default
            value, problem = check(answer)
            if value is not None:
                return value
            print(f"  {problem}", file=self.out)

    def ask_authors(self, default: Sequence[Author]) -> list[Author]:
        names = ", ".join(_shown(author) for author in default)
        print(
            "First authors, one a line, as a name or a name with a team in brackets"
            " (Maya Okonjo (Digital Services)); an empty line ends the list.",
            file=self.out,
        )
        authors: list[Author] = []
        while True:
            shown = f" [{names}]" if names and not authors else ""
            answer = self._line(f"Author{shown}: ")
            if not answer:
                return authors or list(default)
            author, problem = check_author(answer)
            if author is None:
                print(f"  {problem}", file=self.out)
            else:
                authors.append(author)

    def ask_teams(self, default: Sequence[str]) -> list[str]:
        answer = self.ask("Teams, separated by commas", ", ".join(default), _check_any)
        return _split_teams(answer)


def gather_answers(
    site_dir: Path, options: InitOptions, prompter: Prompter | None, *, git_name: str
) -> tuple[SiteAnswers | None, list[Diagnostic]]:
    """Every answer, from the options first, then the prompter (at a terminal), then the
    defaults; the options' mistakes as problems, all at once."""
    problems: list[Diagnostic] = []

    def answer(option: str | None, question: str, default: str, check: Check, flag: str) -> str:
        if option is not None:
            value, problem = check(option)
            if value is None:
                problems.append(error(f"init.{flag}", problem or "", None, f"correct --{flag}"))
            return value or default
        return prompter.ask(question, default, check) if prompter else default

    title = answer(options.title, "Site title", default_title(site_dir), check_title, "title")
    base_url = answer(
        options.base_url,
        "Address it will be published at",
        default_base_url(site_dir),
        check_base_url,
        "base-url",
    )
    language = answer(
        options.language,
        "Language of the notes (a tag such as en-GB or cy)",
        DEFAULT_LANGUAGE,
        read_language_tag,
        "language",
    )
    authors = _authors(options, prompter, git_name, problems)
    given_teams = _split_teams(", ".join(options.teams))
    if not given_teams and prompter is not None:
        given_teams = prompter.ask_teams(_unique(a.team for a in authors if a.team))
    if not authors and not problems:
        problems.append(
            error(
                "init.author",
                "who writes the notes? No --author was given, and git has no user.name",
                None,
                'give one or more, such as --author "Maya Okonjo (Digital Services)"',
            )
        )
    if problems:
        return None, problems
    teams = _unique([*given_teams, *(a.team for a in authors if a.team)])
    return SiteAnswers(title, base_url, language, tuple(authors), tuple(teams)), []


def _authors(
    options: InitOptions, prompter: Prompter | None, git_name: str, problems: list[Diagnostic]
) -> list[Author]:
    default = [Author(git_name)] if git_name.strip() else []
    if not options.authors:
        return prompter.ask_authors(default) if prompter else default
    authors = []
    for written in options.authors:
        author, problem = check_author(written)
        if author is None:
            problems.append(error("init.author", problem or "", None, "correct --author"))
        else:
            authors.append(author)
    return authors


def _check_any(text: str) -> tuple[str | None, str | None]:
    return text, None


def _split_teams(text: str) -> list[str]:
    return _unique(" ".join(team.split()) for team in text.split(",") if team.strip())


def _unique(values: Iterable[str]) -> list[str]:
    """Each value once, in the order first given, ignoring case."""
    seen: set[str] = set()
    kept: list[str] = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return kept


def _shown(author: Author) -> str:
    return f"{author.name} ({author.team})" if author.team else author.name
