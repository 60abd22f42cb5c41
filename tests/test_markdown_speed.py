"""The shortcuts that make rendering faster must never change what is rendered: the inline
pass that skips patterns a text cannot match, and the bracket scan for link text, are checked
here against Python-Markdown's own on text made to trip them up."""

from __future__ import annotations

import functools
import random

import markdown as md
import pytest
from markdown.treeprocessors import InlineProcessor

from weeknote_gen.config import MarkdownOptions
from weeknote_gen.content import markdown as rendering
from weeknote_gen.content.markdown_inline import link_text

TOKENS = (
    *("[", "]", "(", ")", "![", "](", "] [", "][", "[^1]", "[^1]: the note\n", "[ref]"),
    *("[ref]: /target 'Title'\n", "[x][ref]", "[x][]", "<", ">", "<b>", "</b>", "<a@b.c>"),
    *("<https://e.com/a>", "https://e.com/x_y", "www.Example.org", "a@b.com", '"', "'", "\\"),
    *("`", "``", "*", "**", "_", "~~", "&amp;", "&#x5B;", "  \n", "\n", "\n\n", "word", " "),
    *(" ", "- ", "1. ", "> ", "# ", "    ", "- [ ] ", "notes/a.md", "/img.png", "--", "..."),
)
# The converter builder itself, uncached: the tests below replace the cached one.
BUILD_CONVERTER = rendering._converter.__wrapped__  # type: ignore[attr-defined]
OPTIONS = [
    MarkdownOptions(allow_html=allow_html, flavour=flavour)
    for allow_html in (False, True)
    for flavour in ("github", "classic")
]


def _bodies() -> list[str]:
    chooser = random.Random(20261208)
    made = [
        "".join(chooser.choice(TOKENS) for _ in range(chooser.randint(1, 60))) for _ in range(300)
    ]
    return [
        *made,
        "[a [nested] link](/x) and [unclosed [brackets] here",
        "[" * 200 + "]" * 100 + "(x)",
        "Text with [ref] and [other][ref].\n\n[ref]: https://example.org",
        "A `code [span](x)` then [a](b) and ![image](c.png 'title')",
    ]


def _stock_converter(allow_html: bool, flavour: str) -> md.Markdown:
    """Our converter with Python-Markdown's own inline pass and link-text scan put back."""
    converter: md.Markdown = BUILD_CONVERTER(allow_html, flavour)
    converter.treeprocessors.register(InlineProcessor(converter), "inline", 20)
    for pattern in converter.inlinePatterns:
        pattern.__dict__.pop("getText", None)
    return converter


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: f"{o.flavour}-html{o.allow_html}")
def test_shortcuts_render_exactly_what_python_markdown_does(
    options: MarkdownOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = _bodies()
    fast = [rendering.render_markdown(body, options) for body in bodies]
    monkeypatch.setattr(rendering, "_converter", functools.cache(_stock_converter))
    stock = [rendering.render_markdown(body, options) for body in bodies]
    for body, quick, reference in zip(bodies, fast, stock, strict=True):
        assert quick == reference, body


def test_link_text_ends_where_the_open_bracket_closes() -> None:
    chooser = random.Random(7)
    for _ in range(500):
        data = "".join(chooser.choice("[]a ") for _ in range(chooser.randint(0, 40)))
        for index in range(len(data) + 1):
            depth = 1
            for position in range(index, len(data)):
                depth += {"[": 1, "]": -1}.get(data[position], 0)
                if depth == 0:
                    expected = (data[index:position], position + 1, True)
                    break
            else:
                expected = (data[index:], len(data), False)
            assert link_text(data, index) == expected, (data, index)
