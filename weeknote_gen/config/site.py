"""The site-wide settings besides the parts with modules of their own: its address, where it
is built and what it publishes as it is, the day weeknotes are dated, learning headings,
reply links and the accessibility statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from weeknote_gen.config.checker import Checker
from weeknote_gen.config.reserved import CACHE_DIR, CONFIG_FILE, CONTENT_DIR, TEMPLATES_DIR
from weeknote_gen.errors import did_you_mean
from weeknote_gen.yamldoc import YamlPath

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_LEARNING_HEADINGS = (
    "Something I'm learning",
    "What I learned",
    "Things I learned",
    "Learnings",
    "What we learned",  # team notes, written together, say "we"
    "Things we learned",
    # Welsh, for sites that write in both languages
    "Rhywbeth rwy'n ei ddysgu",
    "Rhywbeth rydw i'n ei ddysgu",
    "Beth ddysgais i",
    "Beth ddysgon ni",
)


@dataclass(frozen=True, slots=True)
class ReplyOptions:
    """How readers reply to a note, since a static site has no comments."""

    email: str = ""
    url_template: str = ""  # "{url}" is replaced by the note's absolute URL, URL-encoded


def read_base_url(raw: Mapping[str, Any], check: Checker) -> str:
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


def read_output_dir(raw: Mapping[str, Any], check: Checker) -> str:
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


def read_static_dir(raw: Mapping[str, Any], output_dir: str, check: Checker) -> str:
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


def read_weekday(raw: Mapping[str, Any], check: Checker) -> str:
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


def read_learning_headings(raw: Mapping[str, Any], check: Checker) -> tuple[str, ...]:
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


def read_reply(raw: object, check: Checker) -> ReplyOptions:
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


def read_accessibility_url(raw: Mapping[str, Any], check: Checker) -> str:
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
