"""The people who write: `authors` in config.yaml, each name mapped to a profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from weeknote_gen.config.checker import Checker
from weeknote_gen.config.status import read_schedule
from weeknote_gen.yamldoc import YamlPath

_AUTHOR_KEYS = ("role", "bio", "url", "email", "team")
_AUTHOR_SCHEDULE_KEYS = ("active", "away")  # read by `read_schedule`, for `status`


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


def read_authors(raw: object, check: Checker) -> tuple[AuthorProfile, ...]:
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
        active_from, active_to, away = read_schedule(details, at, check)
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
