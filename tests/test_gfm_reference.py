"""Our github flavour against GitHub's own renderer (cmark-gfm) on one fixture holding every
construct the flavour promises: list structure, links, headings, strike, task items and line
breaks must come out the same.

Differences we make on purpose are normalised before comparing:
- the page title is the only h1, so a body's `#` heading is an h2 (GitHub: h1);
- quotes, dashes and ellipses are typographic (“ ” ‘ ’ – — …), GitHub leaves them straight;
- cmark-gfm gives headings no ids (github.com adds them after rendering), so the ids are
  checked against markdown-it's anchors plugin, an independent implementation of the rule.
(The fixture skips no heading level, so our heading shift changes nothing else; raw HTML is
not in it, since we escape it and GitHub filters it.)
"""

from __future__ import annotations

from pathlib import Path

import cmarkgfm
from bs4 import BeautifulSoup, Tag
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from weeknote_gen.config import MarkdownOptions
from weeknote_gen.content.markdown import render_markdown

FIXTURE = Path(__file__).parent / "fixtures" / "github-flavour.md"
STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."})


def _text(node: Tag) -> str:
    text = node.get_text().translate(STRAIGHT).replace("—", "---").replace("–", "--")
    return " ".join(text.split())


def _item_text(item: Tag) -> str:
    copy = BeautifulSoup(str(item), "html.parser")
    for nested in copy.find_all(["ul", "ol"]):
        if nested is not copy.li:
            nested.decompose()
    return _text(copy)


def _lists(soup: BeautifulSoup) -> list[object]:
    def shape(lst: Tag) -> tuple[str, list[object]]:
        items = []
        for item in lst.find_all("li", recursive=False):
            nested = [shape(child) for child in item.find_all(["ul", "ol"], recursive=False)]
            items.append((_item_text(item), nested))
        return lst.name, items

    return [shape(lst) for lst in soup.find_all(["ul", "ol"]) if not lst.find_parent(["ul", "ol"])]


def _headings(soup: BeautifulSoup) -> list[tuple[int, str]]:
    found = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    return [(max(2, int(h.name[1])), _text(h)) for h in found]  # h1 → h2: our title rule


def _features(markup: str) -> dict[str, object]:
    soup = BeautifulSoup(markup, "html.parser")
    return {
        "lists": _lists(soup),
        "links": [(a.get("href"), _text(a)) for a in soup.find_all("a")],
        "headings": _headings(soup),
        "strike": [_text(d) for d in soup.find_all("del")],
        "tasks": [
            (box.has_attr("checked"), _text(box.find_parent("li")))
            for box in soup.find_all("input", attrs={"type": "checkbox"})
        ],
        "breaks": [_lines(p) for p in soup.find_all("p") if p.find("br")],
    }


def _lines(paragraph: Tag) -> list[str]:
    """A paragraph's text, split where it has a line break."""
    copy = BeautifulSoup(str(paragraph), "html.parser")
    for line_break in copy.find_all("br"):
        line_break.replace_with("\x00")
    return [" ".join(line.split()) for line in copy.get_text().split("\x00")]


def test_github_flavour_matches_githubs_renderer() -> None:
    body = FIXTURE.read_text(encoding="utf-8")

    ours = _features(render_markdown(body, MarkdownOptions()).html)
    github = _features(cmarkgfm.github_flavored_markdown_to_html(body))

    assert ours["lists"] == github["lists"]
    assert ours["links"] == github["links"]
    assert ours["headings"] == github["headings"]
    assert ours["strike"] == github["strike"] == ["Dropped", "this one too"]
    assert ours["tasks"] == github["tasks"]
    assert ours["breaks"] == github["breaks"]
    assert ours["breaks"] == [
        [
            "A line ending in a backslash",
            "then one ending in two spaces",
            "and the last line.",
        ]
    ]


def test_heading_ids_match_an_independent_implementation() -> None:
    body = FIXTURE.read_text(encoding="utf-8")
    reference = MarkdownIt("gfm-like").use(anchors_plugin, max_level=6).render(body)

    ours = BeautifulSoup(render_markdown(body, MarkdownOptions()).html, "html.parser")
    theirs = BeautifulSoup(reference, "html.parser")

    our_ids = [h.get("id") for h in ours.find_all(["h2", "h3", "h4"])]
    assert our_ids == [h.get("id") for h in theirs.find_all(["h1", "h2", "h3", "h4"])]
    assert our_ids == [
        "week-12-what-moved",
        "indented-heading",
        "whats-next",
        "café--crème-déjà-vu",
        "привет-мир",
        "plans",
        "plans-1",
    ]
