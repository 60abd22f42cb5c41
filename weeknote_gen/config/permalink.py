"""The permalink pattern: its tokens, and the checks that every address it makes can be a
folder on every common file system, Windows included.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from weeknote_gen.config.checker import Checker
from weeknote_gen.errors import did_you_mean
from weeknote_gen.yamldoc import YamlPath

PERMALINK_TOKENS = ("year", "month", "day", "week", "slug", "author")
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


def read_permalink(raw: Mapping[str, Any], check: Checker) -> str:
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
    if written in (".", ".."):
        return [
            (
                f"permalink cannot have a '{written}' folder ('{written}' means "
                + ("the folder above)" if written == ".." else "the folder itself)"),
                PERMALINK_EXAMPLE,
            )
        ]
    repeated = _repeated_token_problems(segment, written)
    problems = [
        *_odd_character_problems(text),
        *_folder_name_problems(written),
        *repeated,
    ]
    if not repeated:  # a token written twice already explains a folder that is too long
        problems.extend(_length_problems(segment, written, text))
    return problems


def _odd_character_problems(text: str) -> list[tuple[str, str]]:
    """The characters between the tokens that are not letters, digits, '-', '_' or '.'."""
    problems: list[tuple[str, str]] = []
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
    return problems


def _folder_name_problems(written: str) -> list[tuple[str, str]]:
    """A folder name that web servers hide or Windows cannot make: a leading or trailing '.',
    or a device name."""
    problems: list[tuple[str, str]] = []
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
    return problems


def _repeated_token_problems(segment: PermalinkSegment, written: str) -> list[tuple[str, str]]:
    """Each token used more than once in one folder, in the order first written."""
    problems: list[tuple[str, str]] = []
    names = [text for token, text in segment if token]
    for name in sorted({n for n in names if names.count(n) > 1}, key=names.index):
        problems.append(
            (
                f"'{{{name}}}' appears more than once in the permalink folder '{written}'",
                "use each token at most once between two '/', " + PERMALINK_EXAMPLE,
            )
        )
    return problems


def _length_problems(segment: PermalinkSegment, written: str, text: str) -> list[tuple[str, str]]:
    """A folder whose name can be longer than a file system allows, with every token at its
    longest."""
    problems: list[tuple[str, str]] = []
    longest = len(text.encode("utf-8")) + sum(
        TOKEN_BYTES.get(text, len(text) + 2) for token, text in segment if token
    )
    if longest > NAME_MAX:
        problems.append(
            (
                f"permalink folder '{written}' can be {longest} bytes long, more than the"
                f" {NAME_MAX} a folder name can have",
                "write less text between two '/'; a slug can be up to 100 bytes",
            )
        )
    return problems
