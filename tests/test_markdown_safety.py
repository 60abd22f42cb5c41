"""Whatever Markdown an author writes, the default renderer emits no active content.

The invariant is checked on the output as a browser would read it (parsed with the standard
library's HTML parser, character references decoded, URL schemes found the way the URL
standard finds them), never by searching the text for the attack as written: a check that
looked for "javascript:" would miss "java&#x09;script:".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from weeknote_gen.config import MarkdownOptions
from weeknote_gen.content.markdown import render_markdown

SAFE = MarkdownOptions()
ACTIVE_ELEMENTS = frozenset(
    {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "base", "meta"}
    | {"link", "frame", "frameset", "applet", "template", "input", "button", "textarea"}
)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "srcset", "poster", "data", "background"}
    | {"xlink:href", "cite", "longdesc", "ping", "usemap", "codebase", "lowsrc", "dynsrc"}
)
ACTIVE_SCHEMES = frozenset({"javascript", "vbscript", "data", "livescript", "mocha"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def scheme_of(url: str) -> str:
    """The scheme a browser would see: leading and trailing controls and spaces stripped,
    tabs and newlines removed anywhere (as the URL standard does), then lower-cased."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, [(name, value or "") for name, value in attrs]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def active_content(markup: str) -> list[str]:
    """Everything in `markup` that could run code; empty when it is safe."""
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    problems = []
    for tag, attrs in parser.found:
        if tag in ACTIVE_ELEMENTS:
            problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                problems.append(f"{name}= on <{tag}>")
            if name in URL_ATTRIBUTES and scheme_of(value) in ACTIVE_SCHEMES:
                problems.append(f"{name}={value!r} on <{tag}>")
            if name == "srcset" and any(
                scheme_of(part) in ACTIVE_SCHEMES for part in value.split(",")
            ):
                problems.append(f"srcset={value!r} on <{tag}>")
    return problems


def rendered(body: str) -> str:
    return render_markdown(body, SAFE).html


# --------------------------------------------------------------------------- the checker itself


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<p onclick="x">a</p>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#1;javascript:alert(1)">x</a>',
        '<img src="data:image/svg+xml,<svg>">',
        "<svg/onload=alert(1)>",
        '<a style="x">a</a>',
    ],
)
def test_the_checker_sees_active_content(markup: str) -> None:
    assert active_content(markup)


def test_the_checker_passes_ordinary_markup() -> None:
    markup = '<p><a href="https://example.org/">x</a> <img alt="" src="pics/a.png"></p>'
    assert active_content(markup) == []


# --------------------------------------------------------------------------- known attacks

URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java&#x09;script:alert(1)",
    "java&#9;script:alert(1)",
    "java&Tab;script:alert(1)",
    "jav&#x61;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    "\x01javascript:alert(1)",
    "&#1;javascript:alert(1)",
    "\x00javascript:alert(1)",
    "java\x0bscript:alert(1)",
    " javascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript&#58;msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
]

RAW_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<div markdown="1">*x* <script>alert(1)</script></div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    "<!-- --><script>alert(1)</script><!-- -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<details open ontoggle=alert(1)>",
]

# Markdown constructs, each with a place for a URL ({u}) or for raw markup ({h}).
CONSTRUCTS = [
    "[text]({u})",
    "[text](<{u}>)",
    '[text]({u} "title")',
    "![picture]({u})",
    "![picture]({u}){{: onload=alert(1) }}",
    "<{u}>",
    "[text][ref]\n\n[ref]: {u}",
    "[ref]\n\n[ref]: {u}",
    "![picture][ref]\n\n[ref]: {u}",
    '[text](https://ok.example/){{: href="{u}" }}',
    '![picture](ok.png){{: src="{u}" }}',
    '[text](https://ok.example/){{: onclick="alert(1)" OnMouseOver="alert(2)" }}',
    "A paragraph\n{{: onclick=alert(1) style=color:red }}",
    "## Heading {{: onmouseover=alert(1) }}",
    'Word[^1]\n\n[^1]: A note with [a link]({u}){{: onclick="alert(1)" }}',
    "Word[^x]\n\n[^x]: {h}",
    "*[HTML]: {h}\n\nSome HTML here.",
    '*[HTML]: x" onmouseover="alert(1)\n\nSome HTML here.',
    "| a | b |\n|---|---|\n| [x]({u}) | {h} |",
    "Term\n: [definition]({u}) {h}",
    "> quoted {h} [x]({u})",
    "- item {h}\n- [x]({u})",
    "```\n{h}\n```",
    "`{h}`",
    "{h}",
    "{h}\n\nafter",
    "[TOC]\n\n## {h}",
]


@pytest.mark.parametrize("construct", CONSTRUCTS)
@pytest.mark.parametrize("url", URLS)
def test_no_construct_carries_an_active_url(construct: str, url: str) -> None:
    markup = rendered(construct.format(u=url, h="<b>bold</b>"))
    assert active_content(markup) == [], markup


@pytest.mark.parametrize("construct", CONSTRUCTS)
@pytest.mark.parametrize("raw", RAW_HTML)
def test_no_construct_lets_raw_html_through(construct: str, raw: str) -> None:
    markup = rendered(construct.format(u="https://ok.example/", h=raw))
    assert active_content(markup) == [], markup


def test_attack_text_stays_visible_as_text() -> None:
    markup = rendered("Look: <script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup


# --------------------------------------------------------------------------- generated Markdown


@st.composite
def fragments(draw: st.DrawFn) -> str:
    construct = draw(st.sampled_from(CONSTRUCTS))
    url = draw(st.sampled_from(URLS) | st.text(max_size=12).map(lambda t: f"javascript:{t}"))
    raw = draw(st.sampled_from(RAW_HTML))
    return construct.format(u=url, h=raw)


noise = st.sampled_from(["", " ", "\n", "\n\n", "    ", "*", "**", "`", "> ", "- ", "1. ", "|"])


@st.composite
def bodies(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(noise, fragments()), min_size=1, max_size=5))
    return "".join(n + f for n, f in parts)


@settings(max_examples=150, deadline=None)
@given(bodies())
@example("[a](javascript:alert(1)){: onclick=alert(1) }\n\n*[a]: <script>")
def test_generated_markdown_never_carries_active_content(body: str) -> None:
    markup = rendered(body)
    assert active_content(markup) == [], markup
