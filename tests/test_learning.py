"""Learning passages: which headings count, where a section ends, and what is kept."""

from __future__ import annotations

import pytest

from weeknote_gen.config import DEFAULT_LEARNING_HEADINGS, MarkdownOptions
from weeknote_gen.content.learning import extract_passages, heading_matches, plain_text
from weeknote_gen.content.markdown import render_markdown

HEADINGS = DEFAULT_LEARNING_HEADINGS


def passages(body: str, patterns: tuple[str, ...] = HEADINGS, page: str = "/2026/n/") -> list:
    html = render_markdown(body, MarkdownOptions()).html
    return list(extract_passages(html, patterns, page))


@pytest.mark.parametrize(
    "heading",
    [
        "Something I'm learning",
        "Something I\u2019m learning",  # curly, as smartypants writes it
        "SOMETHING I'M LEARNING",
        "  Something   I'm learning:  ",
        "Something I'm learning: facilitation",
        "Things I learned \u2013 this week",
        "Learnings",
        "What we learned",
    ],
)
def test_headings_that_match(heading: str) -> None:
    assert heading_matches(heading, HEADINGS)


@pytest.mark.parametrize(
    "heading", ["Something I'm learning to do", "What we learnt", "Learning", "Next week", ""]
)
def test_headings_that_do_not_match(heading: str) -> None:
    assert not heading_matches(heading, HEADINGS)


def test_the_section_runs_to_the_next_heading_of_the_same_level_and_keeps_subheadings() -> None:
    body = (
        "Intro.\n\n## This week\n\nWork.\n\n## Something I\u2019m learning\n\nFirst *point*.\n\n"
        "### A detail\n\nMore.\n\n## Next week\n\nPlans.\n"
    )
    [found] = passages(body)
    assert found.heading == "Something I\u2019m learning"
    assert found.anchor == "something-im-learning"
    assert found.html == "<p>First <em>point</em>.</p>\n<h3>A detail</h3>\n<p>More.</p>"
    assert found.text == "First point.\n\nA detail\n\nMore."


def test_a_deeper_heading_ends_at_a_heading_of_a_higher_level_and_is_renumbered() -> None:
    body = "## This week\n\n### What I learned\n\nA.\n\n#### Why\n\nB.\n\n## Next\n\nC.\n"
    [found] = passages(body)
    assert found.html == "<p>A.</p>\n<h3>Why</h3>\n<p>B.</p>"


def test_a_heading_inside_a_code_block_or_a_quote_does_not_count() -> None:
    body = (
        "```\n## Something I'm learning\nnot a heading\n```\n\n"
        "> ## Something I'm learning\n>\n> a quotation\n\n    ## Learnings\n\nEnd.\n"
    )
    assert passages(body) == []


def test_a_section_stops_at_the_footnotes_and_links_into_the_note_go_to_its_page() -> None:
    body = "## Learnings\n\nA claim[^1] and [a link](#top).\n\n[^1]: The source.\n"
    [found] = passages(body, page="/sub/2026/n/")
    assert 'href="/sub/2026/n/#fn:1"' in found.html
    assert 'href="/sub/2026/n/#top"' in found.html
    assert " id=" not in found.html  # ids would clash on a page of many passages
    assert "The source" not in found.html
    assert found.text == "A claim and a link."


def test_every_matching_section_is_kept_in_order_and_empty_ones_are_skipped() -> None:
    body = "## Learnings\n\n## What I learned\n\nOne.\n\n## Things I learned\n\nTwo.\n"
    assert [p.text for p in passages(body)] == ["One.", "Two."]


def test_configured_headings_replace_the_defaults_and_none_turns_it_off() -> None:
    body = "## TIL\n\nA thing.\n\n## Something I'm learning\n\nB.\n"
    assert [p.text for p in passages(body, ("til",))] == ["A thing."]
    assert passages(body, ()) == []


def test_plain_text_keeps_paragraphs_and_lists() -> None:
    markup = "<p>a <strong>b</strong></p><ul><li>one</li><li><p>two</p></li></ul><p>c</p>"
    assert plain_text(markup) == "a b\n\n- one\n- two\n\nc"
