"""A faster inline pass for Python-Markdown that renders exactly what its own does: patterns
a text cannot match are not tried, magiclink's costly expressions wait behind a cheap test,
and link text is found from the brackets alone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from xml.etree.ElementTree import Element

import markdown as md
from markdown.inlinepatterns import Pattern
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString


class _GatedPattern:
    """A pattern's regular expression behind a cheap test: magiclink's expressions have no
    literal start, so searching every run of text for them cost more than all of smarty's
    rules; most text has no `://`, `www.` or `@` to find."""

    def __init__(self, pattern: re.Pattern[str], hint: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.hint = hint

    def finditer(self, data: str, position: int = 0) -> Iterator[re.Match[str]]:
        if self.hint.search(data, position) is None:
            return iter(())
        return self.pattern.finditer(data, position)


def gate_pattern(converter: md.Markdown, name: str, hint: re.Pattern[str]) -> None:
    pattern = converter.inlinePatterns[name]
    pattern.compiled_re = _GatedPattern(pattern.compiled_re, hint)  # type: ignore[assignment]


# What a text must contain for an inline pattern to have any chance of matching it: each
# pattern's expression cannot match without it (they are all literal in the expressions).
# Inline processing only ever replaces matched stretches with placeholders (STX, letters,
# digits, `:`, ETX) or splits text, so it never makes one of these where there was none.
# Tests of `in` rather than expressions: a search for `[*_]` costs eight times as much.
_Need = Callable[[str], bool]
_REFERENCE_ID_RE = re.compile(r"\]\s?\[")


def _contains(needle: str) -> _Need:
    return lambda text: needle in text


_PATTERN_NEEDS: dict[str, _Need] = {
    "backtick": _contains("`"),
    "escape": _contains("\\"),
    "footnote": _contains("[^"),
    "link": _contains("]("),
    "reference": lambda text: _REFERENCE_ID_RE.search(text) is not None,
    "image_reference": lambda text: _REFERENCE_ID_RE.search(text) is not None,
    "short_reference": _contains("["),
    "image_link": _contains("!["),
    "short_image_ref": _contains("!["),
    "autolink": _contains("<"),
    "automail": _contains("<"),
    "html": _contains("<"),
    "linebreak": _contains("  \n"),
    "entity": _contains("&"),
    "em_strong": lambda text: "*" in text or "_" in text,
    "delimiter": _contains("~"),
    # magiclink's own test (`_GatedPattern`) is exact but slow to run on every text: these
    # are cheaper, and true whenever it is (no letter but W lower-cases to w).
    "magic-link": lambda text: "://" in text or "www." in text.lower(),
    "magic-mail": _contains("@"),
}
# Patterns that only ever make something of a reference defined in the note (`[id]: url`).
_REFERENCE_PATTERNS = ("reference", "short_reference", "image_reference", "short_image_ref")


def _never(text: str) -> bool:
    """For a pattern that cannot make anything of this note."""
    return False


class SelectiveInline(InlineProcessor):
    """Python-Markdown's inline pass, trying on each run of text only the patterns that
    could match it.

    The pass tries every pattern on every run of text, at the cost of a few Python calls
    each time; a text without `](` cannot hold an inline link, nor one without `` ` `` a
    code span, nor a note without reference definitions a reference link. A pattern skipped
    this way would have found nothing, so the output is the same. The patterns are also
    handed over as a plain list, which is much cheaper to index than the registry the pass
    otherwise reads them from on every step.
    """

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        text = "\x00".join(tree.itertext())
        registry = self.md.inlinePatterns
        needs = {
            id(registry[name]): needed
            for name, needed in _PATTERN_NEEDS.items()
            if name in registry
        }
        if not self.md.references:
            needs.update(
                (id(registry[name]), _never) for name in _REFERENCE_PATTERNS if name in registry
            )
        patterns: list[Pattern] = []
        self.needs: list[_Need | None] = []
        for pattern in registry:  # in priority order
            needed = needs.get(id(pattern))
            if needed is None or needed(text):
                patterns.append(pattern)
                self.needs.append(needed)
        self.inlinePatterns = patterns  # type: ignore[assignment]
        return super().run(tree, ancestors)

    # Python-Markdown's private `__handleInline`, which its other methods call by this name.
    def _InlineProcessor__handleInline(self, data: str, pattern_index: int = 0) -> str:  # noqa: N802
        """Apply each pattern in turn from `pattern_index`, each as often as it matches, as
        Python-Markdown does, passing over any whose needed text `data` lacks: matches only
        ever replace stretches with placeholders, so what is lacking never appears."""
        if isinstance(data, AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns, needs = self.inlinePatterns, self.needs
        start = 0
        while pattern_index < len(patterns):
            needed = needs[pattern_index]
            if needed is not None and not needed(data):
                pattern_index, start = pattern_index + 1, 0
                continue
            data, matched, start = apply(patterns[pattern_index], data, pattern_index, start)
            if not matched:
                pattern_index += 1
        return data


class _BracketEnds:
    """Where the bracket open at each position of one text closes, found from the brackets
    alone: between two brackets the answer is the same, so it is kept per stretch."""

    __slots__ = ("data", "ends", "positions")

    def __init__(self, data: str) -> None:
        self.data = data
        self.positions = [match.start() for match in _BRACKET_RE.finditer(data)]
        # Stretch k lies after k brackets; its depth is the count of `[` less `]` before it.
        # It is closed by the first later stretch that is shallower, which starts just past
        # the closing `]`; stretches still waiting are kept with strictly rising depths.
        self.ends: list[int | None] = [None] * (len(self.positions) + 1)
        depth = 0
        waiting: list[tuple[int, int]] = [(0, 0)]
        for stretch, position in enumerate(self.positions, start=1):
            depth += 1 if data[position] == "[" else -1
            while waiting and depth < waiting[-1][1]:
                self.ends[waiting.pop()[0]] = position + 1
            waiting.append((stretch, depth))

    def end(self, index: int) -> int | None:
        return self.ends[bisect.bisect_left(self.positions, index)]


_BRACKET_RE = re.compile(r"[\[\]]")
_last_bracket_ends = _BracketEnds("")


def link_text(data: str, index: int) -> tuple[str, int, bool]:
    """The text between a link's brackets, as `LinkInlineProcessor.getText` finds it (up to
    the `]` that closes the bracket open at `index`, nested pairs included), but found by
    visiting only the brackets: Python-Markdown walks every character of the paragraph in
    Python each time the paragraph changes, which was a sixth of all rendering time. The
    last text's answer is kept, since every link pattern asks about the same text in turn."""
    global _last_bracket_ends  # a one-entry cache
    ends = _last_bracket_ends
    if ends.data is not data:
        ends = _last_bracket_ends = _BracketEnds(data)
    end = ends.end(index)
    if end is None:
        return data[index:], len(data), False
    return data[index : end - 1], end, True
