"""Advice about content that builds but is probably not what the author meant: warnings only.

A typo in a tag silently splits a topic across two pages, and a note dated next year silently
disappears; these checks say so, with the line to fix. `--strict` turns them into errors for
teams that want CI to insist.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from weeknote_gen.config import Config
from weeknote_gen.content.markdown_template_code import find_template_code
from weeknote_gen.content.model import is_scheduled
from weeknote_gen.content.parse import ParsedNote
from weeknote_gen.content.template_prompts import find_prompts
from weeknote_gen.errors import Diagnostic, Location, did_you_mean, warning
from weeknote_gen.urls import format_date, slugify

SIMILARITY = 0.85  # "agil"/"agile" and "team-wellbeing"/"team-well-being" are; "data"/"date" not


def check_notes(
    notes: Sequence[ParsedNote],
    config: Config,
    *,
    now: dt.datetime,
    include_future: bool,
    prompts: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """Every advisory problem across `notes` (drafts included: they will be published).
    `prompts` are the keys of the new-note template's paragraphs (`output.note_prompts`)."""
    problems: list[Diagnostic] = []
    for note in notes:
        problems.extend(_empty_body(note))
        problems.extend(_template_code(note))
        problems.extend(_template_prompts(note, prompts))
        if not include_future and not note.draft and is_scheduled(note, now):
            problems.append(
                warning(
                    "note.scheduled",
                    f"the note is dated {format_date(note.date)}, in the future, so it will not"
                    " be published until then",
                    note.location("date"),
                    "check the date; build with --future to preview it now",
                )
            )
    for taxonomy in config.taxonomies:
        problems.extend(_near_duplicates(notes, taxonomy.name, taxonomy.singular.lower()))
        allowed = config.taxonomy_terms.get(taxonomy.name)
        if allowed is not None:
            problems.extend(_not_allowed(notes, taxonomy.name, allowed, taxonomy.plural.lower()))
    return problems


def _empty_body(note: ParsedNote) -> Iterator[Diagnostic]:
    if not note.body.strip():
        yield warning(
            "note.empty-body",
            "the note has no text after its front matter",
            Location(note.path, note.body_line - 1),  # the closing '---' line
            "write the note below the closing '---' line, or mark it 'draft: true' for now",
        )


def _template_code(note: ParsedNote) -> Iterator[Diagnostic]:
    """Hugo shortcodes and Liquid or Nunjucks tags left in a note moved from another
    generator: they are shown as written, never run, so the author should know."""
    for line, snippet in find_template_code(note.body):
        shown = snippet if len(snippet) <= 60 else snippet[:57] + "…"
        yield warning(
            "body.template-code",
            f"'{shown}' is template code from another generator; it is shown as written, not run",
            Location(note.path, note.body_line + line - 1),
            "write it as Markdown instead (a picture is ![what it shows](/images/board.png);"
            " links from the site's root are put under base_url by themselves), or put it in"
            " `backticks` to show it as code",
        )


def _template_prompts(note: ParsedNote, prompts: frozenset[str]) -> Iterator[Diagnostic]:
    """A prompt of the new-note template left as `new` wrote it: a question, not the
    author's words (learning passages and summaries leave it out, and so should the note)."""
    for line, prompt in find_prompts(note.body, prompts):
        shown = prompt if len(prompt) <= 60 else prompt[:57] + "…"
        yield warning(
            "note.template-prompt",
            f"'{shown}' is a prompt from the new-note template, left as it was written",
            Location(note.path, note.body_line + line - 1),
            "write your own words in its place, or delete it",
        )


def _near_duplicates(
    notes: Sequence[ParsedNote], taxonomy: str, label: str
) -> Iterator[Diagnostic]:
    """Terms whose slugs are nearly the same: the rarer spelling is probably a typo."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for note in notes:
        for name in note.terms.get(taxonomy, ()):
            slug = slugify(name)
            counts[slug] += 1
            spelling.setdefault(slug, name)
    suspects = _similar_pairs(sorted(counts))
    rarer_of: dict[str, str] = {}
    for a, b in suspects:
        rare, common = (a, b) if (counts[a], b) < (counts[b], a) else (b, a)
        rarer_of.setdefault(rare, common)
    for note in notes:
        for name in note.terms.get(taxonomy, ()):
            likely = rarer_of.get(slugify(name))
            if likely is not None:
                used = counts[likely]
                yield warning(
                    "term.near-duplicate",
                    f"{label} '{name}' looks like '{spelling[likely]}'"
                    f" (used in {used} note{'s' if used != 1 else ''}): is it a typo?",
                    note.location(taxonomy),
                    "use the same spelling as the other notes, so they share one page",
                )


def _similar_pairs(slugs: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of slugs with the same first letter that one slip turns into each other (a
    character added, dropped, changed, or two swapped), and that are long enough for the
    slip to be a typo rather than another word ("agil" and "agile", not "data" and "date").

    Two such slugs share a variant with one character deleted, and how alike they are is the
    share of both that the variant keeps. Grouping the slugs by those variants finds them in
    near-linear time, where comparing every pair would take minutes for 10,000 terms.
    """
    by_variant: defaultdict[str, list[str]] = defaultdict(list)
    for slug in slugs:
        for variant in {slug, *(slug[:i] + slug[i + 1 :] for i in range(len(slug)))}:
            by_variant[variant].append(slug)
    pairs: set[tuple[str, str]] = set()
    for variant, group in by_variant.items():
        for index, a in enumerate(group):
            for b in group[index + 1 :]:
                if a[:1] == b[:1] and 2 * len(variant) / (len(a) + len(b)) >= SIMILARITY:
                    pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def _not_allowed(
    notes: Sequence[ParsedNote], taxonomy: str, allowed: Sequence[str], label: str
) -> Iterator[Diagnostic]:
    """A controlled vocabulary (`taxonomy_terms` in config): anything else is flagged."""
    allowed_slugs = {slugify(name) for name in allowed}
    for note in notes:
        for name in note.terms.get(taxonomy, ()):
            if slugify(name) not in allowed_slugs:
                yield warning(
                    "term.not-allowed",
                    f"'{name}' is not one of the {label} listed in config.yaml",
                    note.location(taxonomy),
                    did_you_mean(name, list(allowed)) or f"use one of: {', '.join(allowed)}",
                )
