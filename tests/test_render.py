"""Render: theme lookup (site first, then built in), escaping, template errors as diagnostics."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import build_site, note
from weeknote_gen.output.render import theme_static
from weeknote_gen.output.theme import builtin_theme_dir, theme_dirs

HOSTILE = '<script>alert("x")</script> & "quotes"'


def test_the_builtin_theme_is_found_and_complete() -> None:
    theme = builtin_theme_dir()
    for name in ("base.html", "note.html", "list.html", "overview.html", "week.html", "404.html"):
        assert (theme / name).is_file(), name
    assert (theme / "static" / "style.css").is_file()


def test_a_site_without_templates_uses_the_builtin_theme(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": note()})
    assert theme_dirs(site) == (builtin_theme_dir(),)
    result = build_site(site)
    assert result.ok
    assert (site / "_site" / "static" / "style.css").read_bytes() == (
        builtin_theme_dir() / "static" / "style.css"
    ).read_bytes()


def test_a_site_overrides_single_templates_and_static_files(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            "weeknotes/a.md": note(),
            "site_templates/404.html": "custom {{ site.title }}\n",
            "site_templates/static/style.css": "body { color: red }\n",
            "site_templates/static/extra/logo.svg": "<svg></svg>\n",
        }
    )
    assert build_site(site).ok
    out = site / "_site"
    assert (out / "404.html").read_text(encoding="utf-8") == "custom Test weeknotes\n"
    assert (out / "static" / "style.css").read_text(encoding="utf-8") == "body { color: red }\n"
    assert (out / "static" / "extra" / "logo.svg").is_file()
    assert "<article" in (out / "2026" / "a" / "index.html").read_text(encoding="utf-8")


def test_untrusted_text_is_escaped_everywhere(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {"weeknotes/a.md": note(title=HOSTILE, authors=[HOSTILE], theme=HOSTILE, summary=HOSTILE)},
        config={"title": HOSTILE, "base_url": "https://e.org/", "description": HOSTILE},
    )
    assert build_site(site).ok
    for page in (site / "_site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>" not in text, page
        assert 'alert("x")' not in text, page
    note_page = (site / "_site" / "2026" / "a" / "index.html").read_text(encoding="utf-8")
    assert (
        "<h1>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;</h1>"
        in note_page
    )
    assert (
        '<a href="/authors/script-alert-x-script-quotes/" data-pagefind-filter="author">'
        "&lt;script&gt;"
    ) in note_page


def test_template_errors_are_reported_once_with_their_line(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "weeknotes/a.md": note(),
            "weeknotes/b.md": note(title="B", date="2026-01-02"),
            "site_templates/note.html": "line one\n{{ missing.attribute }}\n",
        }
    )
    result = build_site(site)
    assert not result.ok
    assert [d.format() for d in result.diagnostics] == [
        "site_templates/note.html:2: error: template error: 'missing' is undefined"
        " [template.render]\n  hint: check the name, or use `{% if x is defined %}`"
    ]
    assert not (site / "_site").exists()


def test_a_template_syntax_error_says_what_to_look_for(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "weeknotes/a.md": note(),
            "site_templates/note.html": "line one\n{% if note %}\n{{ note.title }\n",
        }
    )
    result = build_site(site)
    assert not result.ok
    assert [d.format() for d in result.diagnostics] == [
        "site_templates/note.html:3: error: template syntax error: unexpected '}'"
        " [template.syntax]\n  hint: look at the tags on this line and the lines above it: each {{"
        " needs a closing }}, each {% a closing %}, and each {% if %}, {% for %} and {% block %}"
        " a matching {% endif %}, {% endfor %} or {% endblock %}"
    ]


def test_pygments_stylesheet_is_generated_unless_the_theme_has_one(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({})
    generated, _ = theme_static(site)
    assert any(a.path == "static/pygments.css" and b".codehilite" in a.data for a in generated)
    site = make_site({"site_templates/static/pygments.css": "/* mine */"}, name="own")
    own, _ = theme_static(site)
    assert [a.data for a in own if a.path == "static/pygments.css"] == [b"/* mine */"]
