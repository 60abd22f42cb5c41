"""How notes' Markdown is read: the flavour, and whether raw HTML is rendered."""

from __future__ import annotations

from dataclasses import dataclass

from weeknote_gen.config.checker import Checker, read_flag

MARKDOWN_FLAVOURS = ("github", "classic")
_MARKDOWN_KEYS = ("allow_html", "flavour")


@dataclass(frozen=True, slots=True)
class MarkdownOptions:
    allow_html: bool = False
    # "github" reads Markdown the way GitHub shows it (lists after a line of text, 2-space
    # nesting, bare URLs, ~~strike~~, task lists, `\` line breaks, GitHub's heading ids);
    # "classic" is plain Python-Markdown as weeknote-gen rendered it before.
    flavour: str = "github"


def read_markdown(raw: object, check: Checker) -> MarkdownOptions:
    if raw is None:
        return MarkdownOptions()
    if not isinstance(raw, dict):
        check.fail(
            "config.markdown",
            "'markdown' must be a mapping",
            ("markdown",),
            "for example: {allow_html: false, flavour: github}",
        )
        return MarkdownOptions()
    check.unknown_keys(raw, _MARKDOWN_KEYS, ("markdown",))
    allow_html = read_flag(raw, "allow_html", False, check, ("markdown",))
    flavour = check.text(raw, "flavour", ("markdown",), "github") or "github"
    if flavour not in MARKDOWN_FLAVOURS:
        check.fail(
            "config.markdown-flavour",
            f"'{flavour}' is not a Markdown flavour",
            ("markdown", "flavour"),
            "use github (Markdown as GitHub shows it) or classic (plain Python-Markdown)",
        )
        flavour = "github"
    return MarkdownOptions(allow_html=allow_html, flavour=flavour)
