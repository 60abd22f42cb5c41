"""The new-note template's prompts ("What did you work on? …") left in a note as written.

`weeknote-gen new` starts a note from `new_note.md`, whose paragraphs are questions for the
author. One left unanswered is not the author's writing: `check` says where it is, and
learning passages and inferred summaries leave it out, so a digest never mails a question back
as someone's learning. Which paragraphs are prompts is worked out once per site from the
template itself (rendered in each language, see `output.note_prompts`) and passed here as a
set of keys; this module only compares text with them, so the stages that use it stay pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from weeknote_gen.content.markdown_github import LIST_ITEM_RE, indentation

# What Markdown's typography changes in a prompt's text, put back as typed, so a prompt is
# recognised whether it is read from the Markdown or from the HTML.
_TYPED = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "--",
        "\u2014": "---",
        "\u2026": "...",
        "\u00a0": " ",
    }
)
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
_NOT_PARAGRAPH = ("#", ">", "<", "|")
_SETEXT_UNDERLINE_RE = re.compile(r" {0,3}(=+|-+) *")


def prompt_key(text: str) -> str:
    """Text as prompts are compared: typography undone, spacing ignored; case is kept (a
    prompt left in place is exactly as the template wrote it)."""
    return " ".join(text.translate(_TYPED).split())


def prompt_keys(paragraphs: Iterable[str]) -> frozenset[str]:
    """The keys of a template's prompt paragraphs, the empty ones left out."""
    return frozenset(key for key in map(prompt_key, paragraphs) if key)


def is_prompt(text: str, prompts: frozenset[str]) -> bool:
    return bool(prompts) and prompt_key(text) in prompts


def paragraphs(markdown: str) -> list[tuple[int, str]]:
    """The plain paragraphs of some Markdown, as (line of their first line, from 1; their
    text with its lines joined): not headings, lists, quotations, tables, HTML or code, which
    a prompt never is."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    block: list[str] = []
    start = 0
    plain = False

    def finish() -> None:
        if block and plain and not _SETEXT_UNDERLINE_RE.fullmatch(block[-1]):
            found.append((start, " ".join(line.strip() for line in block)))
        block.clear()

    for number, line in enumerate(markdown.split("\n"), start=1):
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            continue
        opening = _FENCE_RE.match(line)
        if opening or not stripped:
            finish()
            fence = opening.group(1) if opening else None
            continue
        if not block:
            column, rest = indentation(line)
            start = number
            plain = column < 4 and not rest.startswith(_NOT_PARAGRAPH)
            plain = plain and not LIST_ITEM_RE.match(rest)
        block.append(line)
    finish()
    return found


def find_prompts(body: str, prompts: frozenset[str]) -> list[tuple[int, str]]:
    """The paragraphs of a note's body that are one of the template's prompts, as (line
    within the body, from 1; the prompt)."""
    if not prompts:
        return []
    return [(line, text) for line, text in paragraphs(body) if prompt_key(text) in prompts]
