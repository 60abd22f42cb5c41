"""Reading config.yaml with located problems: every part of the config reports to one
`Checker`, so a site owner sees every mistake in the file at once, each at its line.

Also the readers of plain values (text, counts, true/false, web and email addresses) that
several parts share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from weeknote_gen.errors import Diagnostic, did_you_mean, error, warning
from weeknote_gen.yamldoc import YamlDocument, YamlPath, odd_character


class Checker:
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
                f"{what} '{shown(value)}' is not an absolute http(s) address",
                at,
                f"write the full address, starting https://, such as {example}",
            )
            return False
        if any(c.isspace() for c in value):
            self.fail(
                code,
                f"{what} '{shown(value)}' has a space in it",
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
                f"{what} '{shown(value)}' is not an email address",
                at,
                "write just the address, such as team@example.org, without a name, spaces,"
                " quotes or <angle brackets>",
            )
            return False
        return True


def shown(value: str) -> str:
    """A value for a one-line message: a newline or tab in it written as \\n or \\t."""
    return value.replace("\n", "\\n").replace("\t", "\\t")


def read_count(raw: Mapping[str, Any], key: str, default: int, check: Checker) -> int:
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


def read_flag(
    raw: Mapping[str, Any], key: str, default: bool, check: Checker, at: YamlPath = ()
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
