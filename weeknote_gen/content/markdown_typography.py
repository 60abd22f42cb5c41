"""Typography as smarty made it (curly quotes, dashes, the ellipsis), in one pass over the
element tree instead of smarty's second inline pass.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# The rules smarty applied, in its order, each over the whole text before the next; a
# replaced stretch becomes an opaque token (STX…ETX) that later rules see as neither a word
# nor a space, as smarty's placeholders were. Entity spellings of dashes smarty also looked
# for cannot occur here: Python-Markdown has already set every entity aside.
_PUNCT = r"""[!"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
_CLOSER = r"[^ \t\r\n\[{(\-\x02\x03]"
_OPENER = r"(\s|--|–|—)"
_RULE = tuple[re.Pattern[str], tuple[int | str, ...]]


def _rules(*rules: tuple[str, tuple[int | str, ...]]) -> tuple[_RULE, ...]:
    return tuple((re.compile(pattern, re.DOTALL), output) for pattern, output in rules)


_DASHES = _rules((r"(?<!-)---(?!-)", ("&mdash;",)), (r"(?<!-)--(?!-)", ("&ndash;",)))
_QUOTES = _rules(
    (rf"^'(?={_PUNCT}\B)", ("&rsquo;",)),
    (rf'^"(?={_PUNCT}\B)', ("&rdquo;",)),
    (r""""'(?=\w)""", ("&ldquo;", "&lsquo;")),
    (r"""'"(?=\w)""", ("&lsquo;", "&ldquo;")),
    (rf"""(?<={_CLOSER})'\"""", ("&rsquo;", "&rdquo;")),
    (rf"""(?<={_CLOSER})"'""", ("&rdquo;", "&rsquo;")),
    (r"(?<!\w)'(?=\d{2}s)", ("&rsquo;",)),
    (rf"{_OPENER}'(?=\w)", (1, "&lsquo;")),
    (rf"(?<={_CLOSER})'(?!\s|s\b|\d)", ("&rsquo;",)),
    (r"'(\s|s\b)", ("&rsquo;", 1)),
    (r"'", ("&lsquo;",)),
    (rf'{_OPENER}"(?=\w)', (1, "&ldquo;")),
    (r'"(?=\s)', ("&rdquo;",)),
    (rf'(?<={_CLOSER})"', ("&rdquo;",)),
    (r'"', ("&ldquo;",)),
)
_ELLIPSIS = _rules((r"(?<!\.)\.{3}(?!\.)", ("&hellip;",)))
_TOKEN_RE = re.compile("\x02wgq(\\d+)\x03")
_UNTOUCHED = frozenset({"code", "pre", "kbd", "script", "style", "samp"})


class Typography(Treeprocessor):
    """Curly quotes, apostrophes, en and em dashes from `--` and `---`, and the ellipsis, in
    one pass over the tree's text (smarty's second inline pass cost about half of rendering).
    Code, preformatted text and attributes are never touched."""

    def run(self, root: Element) -> None:
        self.entities: dict[str, str] = {}
        self._walk(root, is_root=True)

    def _walk(self, element: Element, is_root: bool = False) -> None:
        untouched = element.tag in _UNTOUCHED
        text = element.text
        if text and not is_root and not untouched and not isinstance(text, AtomicString):
            element.text = self._educate(text)
        for child in element:
            if not untouched:
                self._walk(child)
            tail = child.tail
            if tail and not untouched:
                child.tail = self._educate(tail)

    def _educate(self, text: str) -> str:
        has_single, has_double = "'" in text, '"' in text
        if not (has_single or has_double or "--" in text or "..." in text):
            return text
        outputs: list[str] = []
        rules: list[_RULE] = list(_DASHES)
        if has_single or has_double:
            rules += _QUOTES
        rules += _ELLIPSIS
        for pattern, output in rules:
            position = 0
            while match := pattern.search(text, position):
                token = f"\x02wgq{len(outputs)}\x03"
                outputs.append(
                    "".join(
                        match.group(part) if isinstance(part, int) else self._entity(part)
                        for part in output
                    )
                )
                text = text[: match.start()] + token + text[match.end() :]
                position = match.start() + len(token)
        if not outputs:
            return text
        return _TOKEN_RE.sub(lambda match: outputs[int(match.group(1))], text)

    def _entity(self, entity: str) -> str:
        """The entity's place in the raw-HTML stash, as smarty left it, so the output spells
        it `&rsquo;`; stored once per document."""
        placeholder = self.entities.get(entity)
        if placeholder is None:
            placeholder = self.entities[entity] = self.md.htmlStash.store(entity)
        return placeholder
