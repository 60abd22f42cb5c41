"""Dates from git history: the author date of the commit that added each note, read with one
`git log` for the whole site, and refused (with a message saying why) when history cannot be
trusted, such as in a shallow clone.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from weeknote_gen.content.dating import GIT_HISTORY, FoundDate

# --------------------------------------------------------------------------- git history

GIT_TIMEOUT_SECONDS = 120.0
FETCH_WHOLE_HISTORY = (
    "fetch the whole history: in GitHub Actions, give actions/checkout `fetch-depth: 0` under "
    "`with:`; elsewhere, run `git fetch --unshallow`"
)


def dates_from_git(site_dir: Path, paths: Sequence[str]) -> tuple[dict[str, FoundDate], str | None]:
    """The author date of the commit that added each note, following renames, for the notes
    `paths` (relative to `site_dir`, with `/`); or no dates and a message saying why history
    cannot be trusted.

    One `git log` reads the whole history of the checked-out branch, so 800 notes cost what
    one does; a second, smaller call first checks that `site_dir` is in a repository that is
    not a shallow clone, because a shallow clone's history starts at its newest commit and
    would date every note by that commit, silently. The author date, in the author's own time
    zone, is the day the note was written: unlike the committer date it survives rebases and
    cherry-picks. A note added, deleted and added again keeps its first date; a copy of last
    week's note is a new note. Paths git has never seen (a note not yet committed) are left
    out of the result; the caller decides what that means.
    """
    probe = _run_git(site_dir, "rev-parse", "--is-shallow-repository", "--show-prefix")
    if isinstance(probe, str):
        return {}, probe
    if probe.returncode != 0:
        return {}, _repository_problem(probe.stderr)
    shallow, _, prefix = probe.stdout.partition("\n")
    if shallow.strip() == "true":
        return {}, (
            "git history is incomplete: the site is in a shallow clone, so notes cannot be "
            "dated by the commits that added them; " + FETCH_WHOLE_HISTORY
        )
    log = _run_git(
        site_dir,
        "-c",
        "log.showSignature=false",
        "-c",
        "log.showRoot=true",  # the first commit's files too, whatever the user's config says
        "-c",
        "diff.relative=false",
        "log",
        "--reverse",
        "--topo-order",
        "-M",
        "--name-status",
        "-z",
        "--no-color",
        "--format=%x01%aI",
    )
    if isinstance(log, str):
        return {}, log
    if log.returncode != 0:
        if _has_no_commits(site_dir):
            return {}, None  # a new repository: nothing committed, nothing dated
        return {}, _repository_problem(log.stderr)
    first = _first_added(log.stdout)
    prefix = prefix.strip("\n")
    found: dict[str, FoundDate] = {}
    for path in paths:
        day = first.get(prefix + path)
        if day is not None:
            found[path] = FoundDate(day, GIT_HISTORY)
    return found, None


# Variables that would point git at another repository than the site's own folder.
_GIT_LOCATIONS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")


def _run_git(site_dir: Path, *args: str) -> subprocess.CompletedProcess[str] | str:
    """Run git in `site_dir`, or say why it could not be run at all.

    Messages in the C locale, so that "not a git repository" can be recognised; paths are
    passed through as the bytes they are (surrogate escapes), like `os.listdir`'s."""
    try:
        return subprocess.run(
            ["git", "-C", str(site_dir), *args],
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",
            env={
                **{k: v for k, v in os.environ.items() if k not in _GIT_LOCATIONS},
                "LC_ALL": "C",
                "LANGUAGE": "",
            },
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        return (
            "git history cannot be read: git is not installed, or not on the PATH; install "
            "git, or set dates_from_git: false in config.yaml"
        )
    except subprocess.TimeoutExpired:
        return (
            f"git history cannot be read: git took more than {GIT_TIMEOUT_SECONDS:.0f} seconds "
            "to list it"
        )
    except OSError as exc:
        return f"git history cannot be read: git could not be run ({exc.strerror or exc})"


def _repository_problem(stderr: str) -> str:
    said = next((line.strip() for line in stderr.splitlines() if line.strip()), "")
    if "not a git repository" in said:
        return (
            "git history cannot be read: the site folder is not in a git repository; commit "
            "the notes to git, or set dates_from_git: false in config.yaml"
        )
    return "git history cannot be read: " + (said or "git failed and said nothing")


def _has_no_commits(site_dir: Path) -> bool:
    head = _run_git(site_dir, "rev-parse", "--quiet", "--verify", "HEAD")
    return not isinstance(head, str) and head.returncode != 0 and not head.stderr.strip()


def _first_added(output: str) -> dict[str, dt.date]:
    """Each path's first date from `git log --reverse --name-status -z --format=%x01%aI`.

    The output is NUL-separated: a `\\x01` and an author date start each commit, then each
    change is a status (`A`, `M`, `D`, `R097`, `C100`…) and one path, or two for a rename or
    a copy. Paths are consumed by count, never matched, so no file name can pass for a
    commit.
    """
    first: dict[str, dt.date] = {}
    tokens = output.split("\0")
    day: dt.date | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if token.startswith("\x01"):
            day = dt.date.fromisoformat(token[1:11])
            continue
        if not token or day is None:
            continue
        status = token[0]
        if status in "RC":
            old, new = tokens[index], tokens[index + 1]
            index += 2
            if status == "R":
                first[new] = first.pop(old, day)
            else:
                first.setdefault(new, day)
            continue
        path = tokens[index]
        index += 1
        if status == "A":
            first.setdefault(path, day)
    return first
