"""Markdown bodies to HTML: safety, headings and toc, note links, summaries, extensions."""

from __future__ import annotations

import pytest

from weeknote_gen.config import MarkdownOptions
from weeknote_gen.content.markdown import RenderedMarkdown, render_markdown, renderer_fingerprint
from weeknote_gen.content.markdown_code_style import pygments_css
from weeknote_gen.content.markdown_headings import TocEntry
from weeknote_gen.content.markdown_summary import reading_minutes

SAFE = MarkdownOptions()
TRUSTED = MarkdownOptions(allow_html=True)


def render(body: str, options: MarkdownOptions = SAFE) -> RenderedMarkdown:
    return render_markdown(body, options)


def html_of(body: str, options: MarkdownOptions = SAFE) -> str:
    return render(body, options).html


# --------------------------------------------------------------------------- raw HTML


def test_raw_inline_html_is_escaped_by_default() -> None:
    body = "Hi <script>alert(1)</script> and <b>bold</b>."

    assert html_of(body) == (
        "<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt;.</p>"
    )


def test_raw_html_block_is_escaped_by_default() -> None:
    html = html_of('<div class="x">\nblock\n</div>\n\nafter')

    assert "<div" not in html
    assert html.startswith("<p>&lt;div class=")
    assert "&lt;/div&gt;</p>" in html
    assert html.endswith("<p>after</p>")


def test_raw_inline_html_is_kept_when_allowed() -> None:
    body = "Hi <script>alert(1)</script> and <b>bold</b>."

    assert html_of(body, TRUSTED) == "<p>Hi <script>alert(1)</script> and <b>bold</b>.</p>"


def test_raw_html_block_is_kept_when_allowed() -> None:
    html = html_of('<div class="x">\nblock\n</div>\n\nafter', TRUSTED)

    assert html.startswith('<div class="x">\nblock\n</div>')
    assert html.endswith("<p>after</p>")


# --------------------------------------------------------------------------- unsafe URLs


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " JavaScript:alert(1) ",
        "<JavaScript : alert(1)>",
        "<java script:alert(1)>",
        "java\tscript:alert(1)",
        "javascript&#58;alert(1)",
        "&#106;avascript:alert(1)",
        "JaVaScRiPt&colon;alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
    ],
)
def test_unsafe_link_targets_are_dropped_but_the_link_text_kept(href: str) -> None:
    assert html_of(f"[x]({href})") == "<p><a>x</a></p>"


def test_unsafe_link_target_is_dropped_even_when_html_is_allowed() -> None:
    assert html_of("[x](javascript:alert(1))", TRUSTED) == "<p><a>x</a></p>"


def test_unsafe_reference_link_target_is_dropped() -> None:
    assert html_of("[x][1]\n\n[1]: javascript:alert(1)") == "<p><a>x</a></p>"


def test_unsafe_image_source_is_dropped() -> None:
    assert html_of("![pic](data:image/png;base64,AAAA)") == '<p><img alt="pic"></p>'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[x](https://example.org/)", '<p><a href="https://example.org/">x</a></p>'),
        ("[x](mailto:ada@example.org)", '<p><a href="mailto:ada@example.org">x</a></p>'),
        ("[x](#plans)", '<p><a href="#plans">x</a></p>'),
    ],
)
def test_safe_link_targets_are_kept(body: str, expected: str) -> None:
    assert html_of(body) == expected


def test_attr_list_event_handlers_and_style_are_stripped() -> None:
    body = '[x](https://example.org/){onclick="alert(1)" style="color:red" .ok}'

    assert html_of(body) == '<p><a class="ok" href="https://example.org/">x</a></p>'


def test_attr_list_event_handler_on_an_image_is_stripped() -> None:
    body = '![pic](https://example.org/photo.png){onerror="alert(1)" ONLOAD="alert(2)"}'

    assert html_of(body) == '<p><img alt="pic" src="https://example.org/photo.png"></p>'


# --------------------------------------------------------------------------- headings


def test_level_one_heading_in_the_body_becomes_h2() -> None:
    assert html_of("# Heading\n\nText") == '<h2 id="heading">Heading</h2>\n<p>Text</p>'


def test_attr_list_handler_on_a_heading_is_stripped() -> None:
    assert html_of('# Heading {onclick="alert(1)"}') == '<h2 id="heading">Heading</h2>'


def test_toc_lists_h2_and_h3_with_level_anchor_and_text() -> None:
    rendered = render("# Top\n\n## Plans\n\n### Tom & Jerry\n\n## Plans\n\nText.")

    assert rendered.toc == (
        TocEntry(2, "top", "Top"),
        TocEntry(2, "plans", "Plans"),
        TocEntry(3, "tom--jerry", "Tom & Jerry"),
        TocEntry(2, "plans-1", "Plans"),
    )
    assert '<h3 id="tom--jerry">Tom &amp; Jerry</h3>' in rendered.html


def test_classic_toc_keeps_python_markdowns_anchors() -> None:
    body = "# Top\n\n## Plans\n\n### Tom & Jerry\n\n## Plans\n\nText."

    assert render(body, MarkdownOptions(flavour="classic")).toc == (
        TocEntry(2, "top", "Top"),
        TocEntry(2, "plans", "Plans"),
        TocEntry(3, "tom-jerry", "Tom & Jerry"),
        TocEntry(2, "plans_1", "Plans"),
    )


def test_body_without_headings_has_an_empty_toc() -> None:
    assert render("Just text.").toc == ()


# --------------------------------------------------------------------------- note links


def test_links_to_notes_become_numbered_placeholders() -> None:
    rendered = render("See [last week](../2025/x.md#part) and [this](w02.md).")

    assert rendered.html == (
        '<p>See <a href="wg-note-link:0">last week</a> and <a href="wg-note-link:1">this</a>.</p>'
    )
    assert rendered.note_links == ("../2025/x.md#part", "w02.md")


def test_absolute_md_url_is_not_a_note_link() -> None:
    rendered = render("[ext](https://x.org/a.md)")

    assert rendered.html == '<p><a href="https://x.org/a.md">ext</a></p>'
    assert rendered.note_links == ()


def test_note_link_numbers_restart_for_each_render() -> None:
    render("[a](a.md) [b](b.md)")

    rendered = render("[c](c.md)")

    assert rendered.html == '<p><a href="wg-note-link:0">c</a></p>'
    assert rendered.note_links == ("c.md",)


# --------------------------------------------------------------------------- summary, words


def test_summary_is_plain_text_of_the_first_paragraph() -> None:
    body = (
        'She said "Tom &amp; Jerry" -- it\'s *done*[^1].\n\nSecond paragraph.\n\n[^1]: A footnote.'
    )

    assert render(body).summary == "She said “Tom & Jerry” – it’s done."


def test_summary_skips_headings_lists_and_quotes() -> None:
    body = "## Heading\n\n- item\n\n> quoted\n\nFirst real paragraph.\n\nSecond."

    assert render(body).summary == "First real paragraph."


def test_summary_is_empty_without_a_paragraph() -> None:
    assert render("## Only a heading").summary == ""


def test_long_summary_is_cut_at_a_word_with_an_ellipsis() -> None:
    body = " ".join(["word"] * 100)

    assert render(body).summary == " ".join(["word"] * 60) + "…"


def test_cut_summary_drops_trailing_punctuation_before_the_ellipsis() -> None:
    body = " ".join(["abcd,"] * 80)

    assert render(body).summary == " ".join(["abcd,"] * 49) + " abcd…"


def test_summary_of_exactly_the_limit_is_not_cut() -> None:
    body = "x" * 298 + " y"

    assert render(body).summary == body


def test_word_count_counts_text_in_every_block() -> None:
    body = "One two three.\n\n## Four five\n\n- six\n\n```\nseven eight\n```\n"

    assert render(body).word_count == 8


def test_word_count_ignores_footnote_markup() -> None:
    assert render("One two[^1] three.\n\n[^1]: Four.").word_count == 4


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (1, 1), (220, 1), (440, 2), (660, 3), (2200, 10)]
)
def test_reading_minutes_rounds_at_220_words_a_minute(words: int, minutes: int) -> None:
    assert reading_minutes(words) == minutes


# --------------------------------------------------------------------------- extensions


def test_fenced_code_with_a_language_is_highlighted() -> None:
    html = html_of("```python\ndef f(x):\n    return 1\n```\n")

    assert html == (
        '<div class="codehilite"><pre tabindex="0"><span></span><code>'
        '<span class="k">def</span><span class="w"> </span><span class="nf">f</span>'
        '<span class="p">(</span><span class="n">x</span><span class="p">):</span>\n'
        '    <span class="k">return</span> <span class="mi">1</span>\n'
        "</code></pre></div>"
    )


def test_fenced_code_without_a_language_is_not_guessed() -> None:
    assert html_of("```\nplain\n```\n") == (
        '<div class="codehilite"><pre tabindex="0"><span></span><code>plain\n</code></pre></div>'
    )


def test_tables_are_rendered_in_a_focusable_scrolling_region() -> None:
    assert html_of("| a | b |\n|---|---|\n| 1 | 2 |\n") == (
        '<div aria-label="Table" class="table-wrap" role="region" tabindex="0">'
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table></div>"
    )


def test_footnotes_are_rendered() -> None:
    html = html_of("Text[^1].\n\n[^1]: A note.")

    assert html.startswith(
        '<p>Text<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>.</p>\n'
        '<div class="footnote">'
    )
    assert (
        '<li id="fn:1">\n<p>A note.&#160;<a aria-label="Back to reference 1 in the text"'
        ' class="footnote-backref" href="#fnref:1"'
    ) in html


def test_footnote_backlink_uses_the_configured_title() -> None:
    html = html_of("Text[^1].\n\n[^1]: A note.")

    assert 'title="Back to reference 1 in the text"' in html


def test_definition_lists_are_rendered() -> None:
    assert html_of("Term\n: Definition\n") == "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>"


def test_abbreviations_are_rendered() -> None:
    body = "The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n"

    assert html_of(body) == (
        '<p>The <abbr title="Hyper Text Markup Language">HTML</abbr> spec.</p>'
    )


def test_abbreviations_do_not_leak_into_the_next_render() -> None:
    html_of("The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n")

    assert html_of("No HTML here.") == "<p>No HTML here.</p>"


def test_smarty_makes_quotes_and_dashes_typographic() -> None:
    assert html_of("'single' and \"double\" -- en --- em ...") == (
        "<p>&lsquo;single&rsquo; and &ldquo;double&rdquo; &ndash; en &mdash; em &hellip;</p>"
    )


# --------------------------------------------------------------------------- CSS, cache keys


def test_pygments_css_styles_codehilite_with_a_dark_variant() -> None:
    css = pygments_css()

    assert ".codehilite .k {" in css
    assert "@media (prefers-color-scheme: dark) {\n" in css
    light, dark = css.split("@media (prefers-color-scheme: dark) {")
    assert ".codehilite" in light
    assert "  .codehilite" in dark
    assert css.endswith("\n}\n")


def test_renderer_fingerprint_changes_with_allow_html() -> None:
    assert renderer_fingerprint(SAFE) != renderer_fingerprint(TRUSTED)
    assert renderer_fingerprint(SAFE) == renderer_fingerprint(MarkdownOptions(allow_html=False))
    assert renderer_fingerprint(SAFE).endswith(";allow_html=False;flavour=github;v5")


def test_rendering_the_same_body_twice_gives_identical_results() -> None:
    body = (
        "# Plans\n\nText[^1] with [a link](w02.md) and `code`.\n\n"
        "*[HTML]: Hyper Text Markup Language\n\n[^1]: A note.\n"
    )

    first = render(body)
    second = render(body)

    assert first == second
    assert first.note_links == ("w02.md",)
    assert first.toc == (TocEntry(2, "plans", "Plans"),)


def test_relative_pictures_and_file_links_become_asset_placeholders() -> None:
    rendered = render_markdown(
        "![board](pics/board.jpg) [slides](deck.pdf#p2) [page](other/) [note](n.md)\n",
        SAFE,
    )
    assert rendered.html == (
        '<p><img alt="board" src="wg-asset-link:0"> <a href="wg-asset-link:1">slides</a>'
        ' <a href="other/">page</a> <a href="wg-note-link:0">note</a></p>'
    )
    assert rendered.asset_links == ("pics/board.jpg", "deck.pdf#p2")
    assert rendered.note_links == ("n.md",)


def test_links_that_are_not_urls_are_left_as_written_without_a_crash() -> None:
    rendered = render_markdown("see https://e.com]/ and [a](http://[x) and [b](//[y)\n", SAFE)

    assert 'href="http://[x"' in rendered.html
    assert rendered.note_links == ()


def test_the_summary_passes_over_a_code_block_at_the_start() -> None:
    body = "```\nsome code\n<!--more-->\n```\n\nThe first words.\n"

    assert render_markdown(body, SAFE).summary == "The first words."
