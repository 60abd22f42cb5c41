"""The prompts of the new-note template, as every language of the site would write them.

`new` writes `new_note.md` (the site's own, else the built-in one, whose prompts are texts of
the theme's catalogues) in the note's language. A paragraph of it left in a note is a prompt
nobody answered, so the keys of those paragraphs are handed to the content stages, which warn
about them and leave them out of learning passages and summaries. They are found by rendering
the template, not from a copy of its words: in every catalogue's language and in each of the
site's languages (with its `words:`), twice, for two different notes, so that a paragraph naming
the author, the week or the title (which no other note repeats) is not taken for a prompt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from weeknote_gen.config import Config
from weeknote_gen.content.template_prompts import paragraphs, prompt_keys
from weeknote_gen.output.render import render_text
from weeknote_gen.output.theme import theme_dirs
from weeknote_gen.urls import WeekId
from weeknote_gen.words import CATALOGUES

NEW_NOTE_TEMPLATE = "new_note.md"

# Two notes with nothing in common, so that only what the template itself says is in both.
_SAMPLE_NOTES = (
    ("Week 2", "Ada Lovelace", dt.date(2001, 1, 12)),
    ("Sprint review", "Bo Li", dt.date(2002, 7, 19)),
)


def note_template_prompts(site_dir: Path, config: Config) -> frozenset[str]:
    """The keys (`content.template_prompts.prompt_key`) of the template's paragraphs in every
    language it may be written in: the site's own template's and the built-in one's (notes
    written before a site had its own still hold those); none from a template that does not
    render (`new` reports its problem)."""
    keys: set[str] = set()
    themes = theme_dirs(site_dir)
    has_own = len(themes) > 1 and (themes[0] / NEW_NOTE_TEMPLATE).is_file()
    for settings in _each_language(config):
        for own_theme in (True, False) if has_own else (False,):
            renders = [
                _render(site_dir, settings, sample, own_theme=own_theme) for sample in _SAMPLE_NOTES
            ]
            if None in renders:
                continue
            first, second = (prompt_keys(t for _, t in paragraphs(r or "")) for r in renders)
            keys |= first & second
    return frozenset(keys)


def _each_language(config: Config) -> list[Config]:
    """The settings `new` renders the template with: the site's, each of its languages', and
    each catalogue's language (a note may be written in any, and left as written)."""
    chosen = [config, *(config.in_language(language) for language in config.languages)]
    written = {settings.language for settings in chosen}
    chosen += [
        replace(config, language=tag, words={}) for tag in CATALOGUES.values() if tag not in written
    ]
    return chosen


def _render(
    site_dir: Path, settings: Config, sample: tuple[str, str, dt.date], *, own_theme: bool
) -> str | None:
    title, author, day = sample
    context: dict[str, object] = {
        "title": title,
        "author": author,
        "week": WeekId.of(day),
        "date": day,
    }
    text, _ = render_text(site_dir, settings, NEW_NOTE_TEMPLATE, context, own_theme=own_theme)
    return text
