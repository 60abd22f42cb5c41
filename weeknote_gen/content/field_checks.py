"""The machinery every front matter field check shares: fields read under our names, each
complaint located at the line the author wrote, keys nobody knows, and the common shapes
(optional text, text or a list of text) with characters that are not text refused.
"""

from __future__ import annotations

from typing import Any

from weeknote_gen.config import FRONT_MATTER_FIELDS, Config
from weeknote_gen.config.reserved import TRANSLATION_KEY
from weeknote_gen.content.dating import date_key
from weeknote_gen.content.other_generators import read_as_ours
from weeknote_gen.errors import Diagnostic, Location, did_you_mean, error, warning
from weeknote_gen.yamldoc import YamlDocument, odd_character


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


class FieldChecks:
    """Collects every problem with a note's fields rather than stopping at one.

    Other generators' keys are first renamed to ours (`config.front_matter.renames`); where
    both are written, ours wins. `source_keys` remembers the name each field was written
    under, so a complaint points at the line the author wrote.
    """

    def __init__(self, doc: YamlDocument, path: str, config: Config) -> None:
        assert isinstance(doc.value, dict)
        self.written: dict[Any, Any] = doc.value
        self.doc = doc
        self.path = path
        self.config = config
        self.problems: list[Diagnostic] = []
        self.raw, self.source_keys = read_as_ours(self.written, config.front_matter.renames)

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

    def check_keys(self) -> None:
        bilingual = (TRANSLATION_KEY,) if self.config.languages else ()
        known = (*FRONT_MATTER_FIELDS, *bilingual, *self.config.taxonomy_names)
        options = self.config.front_matter
        quiet = {*options.renames, *options.ignored, TRANSLATION_KEY}
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
                    message, hint = f"'{key}' must be {expected}, not {describe(item)}", TEXT_HINT
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


def describe(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "empty" if value is None else type(value).__name__
