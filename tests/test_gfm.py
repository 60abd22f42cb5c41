"""The github flavour construct by construct, in both flavours, and the body hygiene both
share: comments, the `<!--more-->` divider, heading levels, raw "tags" that are text,
typography, template code."""

from __future__ import annotations

import markdown as md
import pytest
from markdown.extensions.toc import slugify_unicode

from weeknote_gen.config import MarkdownOptions
from weeknote_gen.content.markdown import RenderedMarkdown, render_markdown, renderer_fingerprint
from weeknote_gen.content.markdown_headings import TocEntry, github_slug
from weeknote_gen.content.markdown_template_code import find_template_code

GITHUB = MarkdownOptions()
CLASSIC = MarkdownOptions(flavour="classic")
GITHUB_HTML = MarkdownOptions(allow_html=True)
CLASSIC_HTML = MarkdownOptions(allow_html=True, flavour="classic")


def html_of(body: str, options: MarkdownOptions = GITHUB) -> str:
    return render_markdown(body, options).html


def render(body: str, options: MarkdownOptions = GITHUB) -> RenderedMarkdown:
    return render_markdown(body, options)


def test_github_is_the_default_flavour() -> None:
    assert MarkdownOptions().flavour == "github"


# --------------------------------------------------------------------------- lists


def test_a_list_right_after_a_line_of_text_starts_a_list() -> None:
    body = "Done this week:\n* the importer\n* the retro"

    assert html_of(body) == (
        "<p>Done this week:</p>\n<ul>\n<li>the importer</li>\n<li>the retro</li>\n</ul>"
    )
    assert render(body).summary == "Done this week:"


def test_classic_keeps_such_a_list_in_the_paragraph() -> None:
    body = "Done this week:\n* the importer\n* the retro"

    assert html_of(body, CLASSIC) == "<p>Done this week:\n* the importer\n* the retro</p>"


@pytest.mark.parametrize("body", ["Text\n2. second", "Text\n*", "Text\n    - indented"])
def test_only_what_github_allows_interrupts_a_paragraph(body: str) -> None:
    assert html_of(body).startswith("<p>Text\n")
    assert "<li>" not in html_of(body)


def test_lists_nest_by_the_parents_text_column() -> None:
    body = "- a\n  - b\n    - c\n- d\n\n1. one\n   1. sub\n2. two"

    assert html_of(body) == (
        "<ul>\n<li>a<ul>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n</li>\n<li>d</li>\n</ul>\n"
        "<ol>\n<li>one<ol>\n<li>sub</li>\n</ol>\n</li>\n<li>two</li>\n</ol>"
    )


def test_classic_needs_four_spaces_to_nest() -> None:
    assert html_of("- a\n  - b", CLASSIC) == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    assert html_of("- a\n    - b", CLASSIC) == "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"


def test_four_space_nesting_still_works_in_the_github_flavour() -> None:
    assert html_of("- a\n    - b") == "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"


def test_paragraphs_and_code_inside_an_item_keep_their_place() -> None:
    html = html_of("- a\n\n  more about a\n\n      code in a\n- b")

    assert html.startswith("<ul>\n<li>\n<p>a</p>\n<p>more about a</p>\n<div class=")
    assert "<code>code in a\n</code>" in html
    assert html.endswith("<li>\n<p>b</p>\n</li>\n</ul>")


# --------------------------------------------------------------------------- autolinks


def test_bare_urls_are_linked() -> None:
    body = "See https://example.org/a, www.example.net and http://example.com/b?c=1."

    assert html_of(body) == (
        '<p>See <a href="https://example.org/a">https://example.org/a</a>, '
        '<a href="http://www.example.net">www.example.net</a> and '
        '<a href="http://example.com/b?c=1">http://example.com/b?c=1</a>.</p>'
    )


def test_urls_in_code_and_in_links_are_not_linked_again() -> None:
    body = "`https://example.org/code` [see https://example.org/x](https://example.org/y)"

    assert html_of(body) == (
        "<p><code>https://example.org/code</code> "
        '<a href="https://example.org/y">see https://example.org/x</a></p>'
    )


def test_classic_leaves_bare_urls_as_text() -> None:
    assert html_of("See https://example.org/a", CLASSIC) == "<p>See https://example.org/a</p>"


# --------------------------------------------------------------------------- strike, tasks


def test_double_tilde_strikes_through() -> None:
    assert html_of("~~old~~ new, H~2~O") == "<p><del>old</del> new, H~2~O</p>"
    assert html_of("~~old~~ new", CLASSIC) == "<p>~~old~~ new</p>"


def test_task_items_are_disabled_labelled_checkboxes() -> None:
    html = html_of("- [ ] write *the* retro\n- [x] ship it\n  - [ ] nested")

    assert html == (
        '<ul class="task-list">\n'
        '<li class="task-list-item"><label><input type="checkbox" disabled> write '
        "<em>the</em> retro</label></li>\n"
        '<li class="task-list-item"><label><input type="checkbox" disabled checked> ship it'
        '</label><ul class="task-list">\n'
        '<li class="task-list-item"><label><input type="checkbox" disabled> nested</label></li>\n'
        "</ul>\n</li>\n</ul>"
    )


def test_classic_shows_task_brackets_as_text() -> None:
    assert html_of("- [ ] todo", CLASSIC) == "<ul>\n<li>[ ] todo</li>\n</ul>"


# --------------------------------------------------------------------------- line breaks


def test_a_trailing_backslash_breaks_the_line() -> None:
    assert html_of("one\\\ntwo") == "<p>one<br>\ntwo</p>"
    assert html_of("one\\\ntwo", CLASSIC) == "<p>one\\\ntwo</p>"


def test_two_trailing_spaces_break_the_line_in_both_flavours() -> None:
    assert html_of("one  \ntwo") == html_of("one  \ntwo", CLASSIC) == "<p>one<br>\ntwo</p>"


def test_a_backslash_ending_a_paragraph_or_escaped_stays() -> None:
    assert html_of("last\\") == "<p>last\\</p>"
    assert html_of("one\\\\\ntwo") == "<p>one\\\ntwo</p>"


# --------------------------------------------------------------------------- headings


def test_atx_headings_may_be_indented_by_three_spaces() -> None:
    assert html_of("   ## Plans") == '<h2 id="plans">Plans</h2>'
    assert html_of("   ## Plans", CLASSIC) == "<p>## Plans</p>"


def test_a_hash_without_a_space_is_not_a_heading() -> None:
    assert html_of("#5 on the list") == "<p>#5 on the list</p>"


@pytest.mark.parametrize(
    ("title", "anchor"),
    [
        ("Next week", "next-week"),
        ("What's next?", "whats-next"),
        ("Tom & Jerry", "tom--jerry"),
        ("snake_case and kebab-case", "snake_case-and-kebab-case"),
        ("Überblick: Straße", "überblick-straße"),
        ("Привет, мир", "привет-мир"),
        ("हिन्दी शीर्षक", "हिन्दी-शीर्षक"),
        ("`code` in *it*", "code-in-it"),
        ("a -- b", "a----b"),
    ],
)
def test_heading_ids_are_made_as_github_makes_them(title: str, anchor: str) -> None:
    assert f'<h2 id="{anchor}">' in html_of(f"## {title}")
    assert github_slug(title.replace("`", "").replace("*", "")) == anchor


def test_repeated_headings_get_numbered_ids_and_links_to_them_work() -> None:
    rendered = render("[see](#plans-1)\n\n## Plans\n\n## Plans\n\n## Plans {#own}\n\n## Plans")

    assert [entry.anchor for entry in rendered.toc] == ["plans", "plans-1", "own", "plans-2"]
    assert '<a href="#plans-1">see</a>' in rendered.html


def test_classic_keeps_python_markdown_ids() -> None:
    rendered = render("## Plans\n\n### Tom & Jerry\n\n## Plans", CLASSIC)

    assert [entry.anchor for entry in rendered.toc] == ["plans", "tom-jerry", "plans_1"]
    assert slugify_unicode("Tom & Jerry", "-") == "tom-jerry"


@pytest.mark.parametrize("options", [GITHUB, CLASSIC])
def test_the_body_starts_at_h2_and_skips_no_level(options: MarkdownOptions) -> None:
    rendered = render("### First\n\n##### Deeper\n\n## Top\n\n#### Under top\n\n# Title", options)

    assert [(entry.level, entry.text) for entry in rendered.toc] == [
        (2, "First"),
        (3, "Deeper"),
        (2, "Top"),
        (3, "Under top"),
        (2, "Title"),
    ]
    assert "<h4" not in rendered.html and "<h5" not in rendered.html


@pytest.mark.parametrize("options", [GITHUB, CLASSIC])
def test_hash_headings_become_h2_as_before(options: MarkdownOptions) -> None:
    assert [(e.level, e.text) for e in render("# A\n\n## B\n\n### C", options).toc] == [
        (2, "A"),
        (2, "B"),
        (3, "C"),
    ]


# --------------------------------------------------------------------------- code is code


@pytest.mark.parametrize("options", [GITHUB, CLASSIC])
def test_nothing_inside_code_changes(options: MarkdownOptions) -> None:
    inside = (
        'text\n* item\n  - two\n~~x~~ https://example.org/ [ ] "q" -- ...\\\n   # h\n<!-- c -->'
    )
    fenced = html_of(f"```\n{inside}\n```", options)
    indented = html_of("Before.\n\n" + "\n".join("    " + line for line in inside.split("\n")))

    escaped = inside.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    expected = "<code>" + escaped + "\n</code>"
    assert expected in fenced
    assert expected in indented


def test_inline_code_is_not_touched() -> None:
    assert html_of('`"q" -- ... ~~x~~ <!-- c -->`') == (
        '<p><code>"q" -- ... ~~x~~ &lt;!-- c --&gt;</code></p>'
    )


# --------------------------------------------------------------------------- comments


@pytest.mark.parametrize("options", [GITHUB, CLASSIC, GITHUB_HTML, CLASSIC_HTML])
def test_html_comments_never_show(options: MarkdownOptions) -> None:
    html = html_of(
        "Before <!-- a note to self --> after.\n\n<!--\nblock\ncomment\n-->\n\nEnd.", options
    )

    assert html == "<p>Before  after.</p>\n<p>End.</p>"


@pytest.mark.parametrize(
    "divider", ["<!--more-->", "<!-- more -->", "<!--MORE-->", "<!--  More\n-->"]
)
@pytest.mark.parametrize("options", [GITHUB, CLASSIC, GITHUB_HTML])
def test_the_more_divider_ends_the_summary_and_never_shows(
    divider: str, options: MarkdownOptions
) -> None:
    body = f"## Intro\n\nFirst paragraph.\n\n- a point\n\n{divider}\n\nAfter the fold."

    rendered = render(body, options)

    assert rendered.summary == "First paragraph. a point"
    assert "more" not in rendered.html.lower()
    assert rendered.html.endswith("</ul>\n<p>After the fold.</p>")
    assert rendered.word_count == 8


def test_an_inline_more_divider_cuts_its_paragraph() -> None:
    rendered = render("One two <!--more--> three four.")

    assert rendered.summary == "One two"
    assert rendered.html == "<p>One two  three four.</p>"


def test_a_long_text_before_the_divider_is_still_cut() -> None:
    rendered = render(" ".join(["word"] * 100) + "\n\n<!--more-->\n\nRest.")

    assert rendered.summary == " ".join(["word"] * 60) + "…"


def test_without_a_divider_the_summary_is_the_first_paragraph() -> None:
    assert render("## Head\n\nFirst.\n\nSecond.").summary == "First."


# --------------------------------------------------------------------------- raw HTML


@pytest.mark.parametrize("options", [GITHUB_HTML, CLASSIC_HTML])
def test_raw_html_that_github_would_show_as_text_stays_text(options: MarkdownOptions) -> None:
    body = (
        "See <blog.example.net/post/> and <not a tag>, "
        "but <b>bold</b> and <my-widget>x</my-widget>."
    )

    assert html_of(body, options) == (
        "<p>See &lt;blog.example.net/post/&gt; and &lt;not a tag&gt;, "
        "but <b>bold</b> and <my-widget>x</my-widget>.</p>"
    )


# --------------------------------------------------------------------------- typography

SMARTY_CASES = [
    "'single' and \"double\" -- en --- em ...",
    "It's the '90s, isn't it? \"'Nested' quotes\" and '\"other\" nesting'",
    "He said \"*emphasis*\" and 'a [link](https://example.org/) inside'.",
    "Rock 'n' roll, 'tis the season; dots.... and -- dashes ---- too",
    '"Start" of text, then \\"escaped\\" and \\\'escaped\\\' quotes',
    "Tom &amp; Jerry's \"show\" -- it's &ldquo;done&rdquo;...",
    "- 'item' one\n- \"item\" two\n\n> 'quoted' -- text\n\n## 'Heading' -- \"here\"",
    "| 'a' | \"b\" |\n|---|---|\n| c -- d | e... |",
]


@pytest.mark.parametrize("body", SMARTY_CASES)
def test_typography_matches_smarty_byte_for_byte(body: str) -> None:
    reference = md.Markdown(extensions=["extra", "sane_lists", "smarty"], output_format="html")

    ours = html_of(body, CLASSIC).replace(
        '<div aria-label="Table" class="table-wrap" role="region" tabindex="0">', ""
    )
    expected = reference.convert(body)
    for level in ("h2",):
        expected = expected.replace(f"<{level}>", f'<{level} id="heading-here">')
    assert ours.replace("</table></div>", "</table>") == expected


def test_typography_leaves_code_and_attributes_alone() -> None:
    body = '"Quote" `"code" -- ...` [a "link"](https://example.org/ "a \'title\' -- here")'

    assert html_of(body) == (
        '<p>&ldquo;Quote&rdquo; <code>"code" -- ...</code> '
        '<a href="https://example.org/" title="a \'title\' -- here">a &ldquo;link&rdquo;</a></p>'
    )


def test_typography_in_headings_reaches_the_contents_as_characters() -> None:
    rendered = render('## We\'re done -- "mostly"')

    assert rendered.toc == (TocEntry(2, "were-done----mostly", "We’re done – “mostly”"),)


# --------------------------------------------------------------------------- classic unchanged


def test_classic_renders_as_python_markdown_did() -> None:
    body = (
        "Intro:\n* merged\n\n- a\n  - b\n\n~~x~~ https://example.org/ - [ ] t\n\n"
        'one\\\ntwo\n\n   ## Indented\n\n## Real "heading"\n\nIt\'s -- done...'
    )
    reference = md.Markdown(
        extensions=["extra", "toc", "sane_lists", "smarty"],
        extension_configs={"toc": {"slugify": slugify_unicode}},
        output_format="html",
    )

    assert html_of(body, CLASSIC) == reference.convert(body)


# --------------------------------------------------------------------------- cache key


def test_fingerprint_names_the_flavour_and_the_extensions_version() -> None:
    github, classic = renderer_fingerprint(GITHUB), renderer_fingerprint(CLASSIC)

    assert github != classic
    assert ";flavour=github;" in github and ";flavour=classic;" in classic
    assert "pymdown-extensions=" in github


# --------------------------------------------------------------------------- template code


def test_template_code_is_found_with_its_line() -> None:
    body = (
        'Intro {{< figure src="a.png" >}} here.\n'
        "\n"
        "{% include note.html %} and {{ page.title }}\n"
        "{{% notice %}}\n"
        "`{{ in code }}` stays, {{ but this }} counts\n"
        "\n"
        "```\n{{ fenced }}\n```\n"
        "\n"
        "    {{ indented code }}\n"
        "\n"
        "- item {{ in a list }}\n"
        "\n"
        "    {{ in the list item }}\n"
    )

    assert find_template_code(body) == [
        (1, '{{< figure src="a.png" >}}'),
        (3, "{% include note.html %}"),
        (3, "{{ page.title }}"),
        (4, "{{% notice %}}"),
        (5, "{{ but this }}"),
        (13, "{{ in a list }}"),
        (15, "{{ in the list item }}"),
    ]


def test_template_code_is_shown_as_written() -> None:
    assert html_of("{{ page.title }} {% raw %}") == "<p>{{ page.title }} {% raw %}</p>"


def test_a_body_without_template_code_has_none() -> None:
    assert find_template_code("Plain {text} and {{ unfinished") == []
