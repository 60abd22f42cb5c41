"""Moving a site here from Jekyll, Hugo or Eleventy: the static folder is published at the
site's root, root-relative links in notes work under a sub-path, and old addresses of notes
get redirect pages."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, build_site, note
from tests.test_noop import record
from tests.test_output import files_under
from tests.test_sample_site import VNU_JAR, broken_links
from weeknote_gen.config import Config, MarkdownOptions
from weeknote_gen.content.assemble import AssembleOptions, assemble, revise_body
from weeknote_gen.content.discover import SourceFile
from weeknote_gen.content.markdown import render_markdown, renderer_fingerprint
from weeknote_gen.content.markdown_links import SITE_LINK_SCHEME
from weeknote_gen.content.model import Site
from weeknote_gen.content.parse import parse_note
from weeknote_gen.content.tree_identity import tree_identity
from weeknote_gen.engine import noop as noop_module
from weeknote_gen.engine.build import BuildOptions, BuildState, build
from weeknote_gen.engine.preview import preview_notes
from weeknote_gen.errors import Diagnostic
from weeknote_gen.urls import alias_url

SUB_PATH = {"title": "Moved notes", "base_url": "https://example.org/team/notes/"}
ONE = "weeknotes/2026/2026-01-09-one.md"
TWO = "weeknotes/2026/2026-01-16-two.md"


def codes(problems: object) -> list[str]:
    return [d.code for d in problems]  # type: ignore[attr-defined]


def shown(problems: object) -> list[str]:
    return [d.format() for d in problems]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- the static folder


def test_the_static_folder_is_published_at_the_root_under_the_base_path(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            ONE: note(title="One"),
            "static/images/board.png": b"\x89PNG board",
            "static/CNAME": "notes.example.org\n",
            "static/.well-known/security.txt": "Contact: mailto:security@example.org\n",
            "static/old/notes.md": "# Not a note: published as it is\n",
        },
        config=SUB_PATH,
    )
    result = build_site(site)
    assert result.ok, shown(result.diagnostics)
    assert result.diagnostics == ()
    out = site / "_site"
    assert (out / "images/board.png").read_bytes() == b"\x89PNG board"
    assert (out / "CNAME").read_text() == "notes.example.org\n"
    assert (out / ".well-known/security.txt").is_file()
    assert (out / "old/notes.md").read_text() == "# Not a note: published as it is\n"
    assert not (out / "old/notes/index.html").exists()  # not rendered as a note
    sitemap = (out / "sitemap.xml").read_text()
    assert "board.png" not in sitemap


def test_a_missing_static_folder_is_fine_and_says_nothing(make_site: Callable[..., Path]) -> None:
    site = make_site({ONE: note(title="One")})
    result = build_site(site)
    assert result.ok
    assert result.diagnostics == ()


def test_static_dir_names_another_folder(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {ONE: note(title="One"), "public/robots-note.txt": "hello", "static/x.txt": "not used"},
        config={**SUB_PATH, "static_dir": "public"},
    )
    assert build_site(site).ok
    assert (site / "_site/robots-note.txt").read_text() == "hello"
    assert not (site / "_site/x.txt").exists()


@pytest.mark.parametrize(
    "folder", ["../outside", "/etc", "weeknotes", "site_templates/static", ".", "_site", "_site/x"]
)
def test_static_dir_must_be_a_folder_of_its_own_inside_the_site(
    make_site: Callable[..., Path], folder: str
) -> None:
    site = make_site({ONE: note(title="One")}, config={**SUB_PATH, "static_dir": folder})
    result = build_site(site)
    assert not result.ok
    assert codes(result.diagnostics) == ["config.static-dir"]
    assert result.diagnostics[0].location is not None
    assert result.diagnostics[0].location.line is not None


def test_links_in_the_static_folder_are_not_followed(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET OUTSIDE THE SITE")
    site = make_site({ONE: note(title="One"), "static/keep.txt": "kept"})
    (site / "static/leak.txt").symlink_to(secret)
    (site / "static/folder").symlink_to(tmp_path, target_is_directory=True)
    result = build_site(site)
    assert result.ok
    assert codes(result.diagnostics) == ["content.symlink", "content.symlink"]
    assert {d.location.path for d in result.diagnostics if d.location} == {
        "static/folder",
        "static/leak.txt",
    }
    assert "copy the file or folder into static/" in (result.diagnostics[0].hint or "")
    published = files_under(site / "_site")
    assert "keep.txt" in published
    assert not any(b"SECRET" in data for data in published.values())


def test_a_static_folder_that_is_a_link_is_skipped(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("SECRET")
    site = make_site({ONE: note(title="One")})
    (site / "static").symlink_to(elsewhere, target_is_directory=True)
    result = build_site(site)
    assert codes(result.diagnostics) == ["content.symlink"]
    assert not (site / "_site/secret.txt").exists()


@pytest.mark.parametrize(
    ("static_file", "named"),
    [
        ("static/feed.xml", "the site's own /feed.xml is there"),
        ("static/2026/one/index.html", f"the page of {ONE} is there"),
        ("static/authors/index.html", "the authors overview is there"),
        ("static/2026", f"a folder of that name holds the page of {ONE}"),
        ("static/index.html/x.png", "the home page is at /index.html, where a folder would"),
        ("static/pagefind/pagefind.js", "/pagefind/ is the search index's folder"),
        ("static/static/style.css", "the site's own /static/style.css is there"),
    ],
)
def test_a_static_file_where_the_site_puts_a_page_is_an_error_naming_both(
    make_site: Callable[..., Path], static_file: str, named: str
) -> None:
    site = make_site({ONE: note(title="One"), static_file: "mine"})
    result = build_site(site)
    assert not result.ok
    problem = result.diagnostics[0]
    assert problem.code == "static.clash"
    assert problem.location is not None and problem.location.path == static_file
    assert named in problem.message
    assert not (site / "_site").exists()  # nothing was written


def test_a_changed_static_file_is_published_by_the_next_build(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({ONE: note(title="One"), "static/a.txt": "first"})
    assert build_site(site).ok
    (site / "static/a.txt").write_text("second, longer")
    (site / "static/b.txt").write_text("new")
    assert build_site(site).ok
    assert (site / "_site/a.txt").read_text() == "second, longer"
    assert (site / "_site/b.txt").read_text() == "new"
    (site / "static/b.txt").unlink()
    again = build_site(site)
    assert again.ok
    assert not (site / "_site/b.txt").exists()
    assert again.report is not None and again.report.removed == 1


def test_a_rebuild_that_stops_early_still_sees_a_changed_static_file(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({ONE: note(title="One"), "static/a.txt": "first"})
    assert build_site(site).ok
    monkeypatch.setattr(noop_module, "RACY_NS", 0)  # file identities trusted at once
    assert build_site(site).ok
    assert record(site).quick  # the next unchanged rebuild stops after a walk of the tree
    (site / "static/a.txt").write_text("second")
    rebuilt = build_site(site)
    assert rebuilt.ok and "discover" in [name for name, _ in rebuilt.timings]
    assert (site / "_site/a.txt").read_text() == "second"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: (s / "static").mkdir(), id="folder-made"),
        pytest.param(lambda s: (s / "public/a.txt").write_text("other"), id="edit"),
        pytest.param(lambda s: (s / "public/b.txt").write_text("new"), id="add"),
        pytest.param(lambda s: shutil.rmtree(s / "public"), id="folder-removed"),
    ],
)
def test_any_change_to_the_static_folder_changes_the_trees_identity(
    make_site: Callable[..., Path], change: Callable[[Path], object]
) -> None:
    site = make_site({ONE: note(title="One"), "public/a.txt": "a"})
    before = tree_identity(site, "public"), tree_identity(site, "static")
    change(site)
    assert (tree_identity(site, "public"), tree_identity(site, "static")) != before


def test_building_a_site_with_static_files_and_redirects_twice_is_byte_identical(
    make_site: Callable[..., Path],
) -> None:
    files = {
        ONE: note("![b](/images/b.png)\n", title="One", aliases=["/old/one/", "/one.html"]),
        "static/images/b.png": b"\x89PNG",
        "static/z/y/x.txt": "x",
    }
    config = {**SUB_PATH, "search": False}  # Pagefind's filter files vary: see test_build
    first = make_site(files, config=config, name="first")
    second = make_site(files, config=config, name="second")
    for site in (first, second):
        assert build_site(site).ok
    assert files_under(first / "_site") == files_under(second / "_site")


# --------------------------------------------------------------------------- root-relative links


LINKS_BODY = """\
![board](/images/board.png)
![named](/static/images/board.png)
![previewed](../../static/images/board.png)

[the PDF](/assets/plan.pdf) and [the next week](/2026/two/) and [no slash](/2026/two#the-end)
and [an old address](/2019/10/18/week-notes/) and [another](/old.html?from=1) and [home](/).

[nowhere](/2019/nope/)

<https://example.org/absolute/> and [protocol relative](//cdn.example.org/x.js)
"""


def linked_site(make_site: Callable[..., Path]) -> Path:
    return make_site(
        {
            ONE: note(LINKS_BODY, title="One"),
            TWO: note(
                "## The end\n\nDone.\n",
                title="Two",
                date="2026-01-16",
                aliases=["/2019/10/18/week-notes/", "/old.html"],
            ),
            "static/images/board.png": b"\x89PNG",
            "static/assets/plan.pdf": b"%PDF",
        },
        config=SUB_PATH,
    )


class Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "img"):
            self.found.extend(v or "" for k, v in attrs if k in ("href", "src"))


def body_targets(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    article = html[html.index("<p><img") : html.index("cdn.example.org") + 40]
    parser = Targets()
    parser.feed(article)
    return parser.found


def test_root_relative_links_point_under_the_base_path_when_they_name_something(
    make_site: Callable[..., Path],
) -> None:
    site = linked_site(make_site)
    result = build_site(site)
    assert result.ok
    assert body_targets(site / "_site/2026/one/index.html") == [
        "/team/notes/images/board.png",
        "/team/notes/images/board.png",
        "/team/notes/images/board.png",
        "/team/notes/assets/plan.pdf",
        "/team/notes/2026/two/",
        "/team/notes/2026/two/#the-end",
        "/team/notes/2026/two/",  # an old address: straight to the note
        "/team/notes/2026/two/?from=1",
        "/team/notes/",
        "/2019/nope/",  # matches nothing: left as written, and warned
        "https://example.org/absolute/",
        "//cdn.example.org/x.js",
    ]
    assert broken_links_under_sub_path(site) == [LEFT_AS_WRITTEN]


LEFT_AS_WRITTEN = "team/notes/2026/one/index.html -> /2019/nope/"


def broken_links_under_sub_path(site: Path) -> list[str]:
    """The output served at /team/notes/, as the host will: every link checked (this moves
    the output folder, so call it last)."""
    mounted = site / "mounted"
    (mounted / "team").mkdir(parents=True)
    (site / "_site").rename(mounted / "team" / "notes")
    return broken_links(mounted)


def test_a_root_relative_link_to_nothing_is_warned_with_its_line_in_check_and_build(
    make_site: Callable[..., Path],
) -> None:
    site = linked_site(make_site)
    for write in (False, True):
        result = build_site(site, write=write)
        assert result.ok
        assert shown(result.diagnostics) == [
            f"{ONE}:13: warning: the link '/2019/nope/' is a path from the site's root, but no"
            " file in static/, note or old address of a note is there; it was left as written"
            " [link.unresolved]\n  hint: put the file in static/, link to the note's .md file,"
            " or add the path to that note's aliases"
        ]


def test_an_unresolved_link_in_a_reference_or_raw_html_is_placed_on_its_line() -> None:
    body = "Intro.\n\nSee [the plan][p].\n\n[p]: /plans/q3/\n"
    _, problems = model_site({ONE: note(body, title="One")})
    assert shown(problems)[0].startswith(f"{ONE}:10: warning: the link '/plans/q3/'")


# --------------------------------------------------------------------------- model and Markdown


CONFIG = Config(title="T", base_url="https://example.org/notes/")


def model_site(
    files: dict[str, str],
    *,
    aliases: dict[str, tuple[str, ...]] | None = None,
    static: frozenset[str] = frozenset(),
    **options: object,
) -> tuple[Site, list[Diagnostic]]:
    pairs = []
    for path, text in sorted(files.items()):
        parsed, problems = parse_note(SourceFile(path, text, "0"), CONFIG)
        assert parsed is not None, problems
        if aliases and path in aliases:
            parsed = replace(parsed, aliases=aliases[path])
        pairs.append((parsed, render_markdown(parsed.body, MarkdownOptions())))
    return assemble(
        pairs,
        CONFIG,
        AssembleOptions(now=FIXED_NOW, **options),  # type: ignore[arg-type]
        static=static,
    )


def test_markdown_leaves_root_relative_links_as_numbered_placeholders() -> None:
    rendered = render_markdown(
        "[a](/x/) ![b](/y.png) [c](//host/z) [d](/\\host/w) [e](rel.pdf) [f](/n.md)\n",
        MarkdownOptions(),
    )
    assert rendered.site_links == ("/x/", "/y.png")
    assert f'href="{SITE_LINK_SCHEME}0"' in rendered.html
    assert f'src="{SITE_LINK_SCHEME}1"' in rendered.html
    assert 'href="//host/z"' in rendered.html
    assert rendered.note_links == ("/n.md",)
    assert rendered.asset_links == ("rel.pdf",)
    assert renderer_fingerprint(MarkdownOptions()).endswith(";v5")


def test_a_site_link_that_is_not_a_safe_url_is_still_dropped() -> None:
    rendered = render_markdown("[x](javascript:alert(1)) [y](/ok/)\n", MarkdownOptions())
    assert "javascript" not in rendered.html
    assert rendered.site_links == ("/ok/",)


def test_link_text_with_markup_in_the_path_is_escaped_when_resolved() -> None:
    body = '[x](</a" onmouseover="alert(1)>)\n'
    site, problems = model_site({ONE: note(body, title="One")})
    html = site.notes[ONE].html
    assert "onmouseover=" not in html.replace("&quot; onmouseover=&quot;", "")
    assert codes(problems) == ["link.unresolved"]


def test_aliases_of_drafts_are_checked_but_get_no_page() -> None:
    site, problems = model_site(
        {ONE: note(title="One", draft=True)},
        aliases={ONE: ("/old/", "../escape/")},
    )
    assert site.aliases == {}
    assert codes(problems) == ["alias.unsafe"]


def test_an_old_address_is_mapped_to_its_note_and_spelled_as_a_folder_or_a_file() -> None:
    site, problems = model_site(
        {ONE: note(title="One")}, aliases={ONE: ("/2019/10/18/week-notes", "old.html", "/a b/")}
    )
    assert problems == []
    assert {url: r.note_key for url, r in site.aliases.items()} == {
        "/2019/10/18/week-notes/": ONE,
        "/a%20b/": ONE,
        "/old.html": ONE,
    }


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("/old/", "/old", f"the old address '/old' is an old address of {ONE}"),
        ("/old/", "/2026/one/", f"the old address '/2026/one/' is the URL of {ONE}"),
    ],
)
def test_an_old_address_taken_by_another_note_is_an_error_naming_both(
    first: str, second: str, message: str
) -> None:
    files = {ONE: note(title="One"), TWO: note(title="Two", date="2026-01-16")}
    _, problems = model_site(files, aliases={ONE: (first,), TWO: (second,)})
    assert [(d.code, d.message, d.location.path if d.location else "") for d in problems] == [
        ("alias.clash", message, TWO)
    ]


def test_a_notes_own_url_or_a_repeat_as_its_old_address_needs_no_redirect() -> None:
    site, problems = model_site({ONE: note(title="One")}, aliases={ONE: ("/x/", "/x", "/2026/one")})
    assert problems == []
    assert list(site.aliases) == ["/x/"]


@pytest.mark.parametrize(
    ("alias", "url"),
    [
        ("/2019/10/18/week-notes/", "/2019/10/18/week-notes/"),
        ("/2019/10/18/week-notes", "/2019/10/18/week-notes/"),
        ("posts/old", "/posts/old/"),
        ("/old.html", "/old.html"),
        ("/OLD.HTM", "/OLD.HTM"),
        ("/caf%C3%A9/", "/caf%C3%A9/"),
        ("/café/", "/caf%C3%A9/"),
        ("  /spaced/  ", "/spaced/"),
    ],
)
def test_alias_url(alias: str, url: str) -> None:
    assert alias_url(alias) == url


@pytest.mark.parametrize(
    ("alias", "reason"),
    [
        ("https://old.example.org/x/", "is a full address"),
        ("//old.example.org/x/", "is a full address"),
        ("javascript:alert(1)", "is a full address"),
        ("C:\\site\\x", "is a full address"),
        ("/a\\b/", "holds a backslash"),
        ("/a%5Cb/", "holds a backslash"),
        ("/../../etc/passwd", "'..'"),
        ("/a/%2e%2e/b/", "'..'"),
        ("/a//b/", "an empty"),
        ("/./a/", "'.'"),
        ("/", "home page"),
        ("", "home page"),
        ("/x/?p=12", "'?'"),
        ("/x/#top", "'#'"),
        ("/a\x01b/", "control character"),
        ("/a%00b/", "control character"),
        ("/a:b/", ":"),
        ('/a<b>"/', "which a file name cannot hold"),
        ("/" + "x" * 256 + "/", "longer than 255 bytes"),
        ("http://[::1/x", "is not a path"),
    ],
)
def test_unsafe_aliases_are_refused_saying_why(alias: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("?", r"\?")):
        alias_url(alias)


def test_revise_body_resolves_site_links_as_assemble_does() -> None:
    files = {
        ONE: note("Before. [two](/2026/two/) ![b](/b.png)\n", title="One"),
        TWO: note(title="Two", date="2026-01-16"),
    }
    site, _ = model_site(files, aliases={TWO: ("/old/",)}, static=frozenset({"b.png"}))
    edited = note("After. [old](/old/) ![b](/static/b.png) [gone](/gone/)\n", title="One")
    parsed, _ = parse_note(SourceFile(ONE, edited, "1"), CONFIG)
    assert parsed is not None
    revised = revise_body(
        site, parsed, render_markdown(parsed.body, MarkdownOptions()), {ONE, TWO}, frozenset()
    )
    assert revised is not None
    new, problems = revised
    assert '<a href="/notes/2026/two/">old</a>' in new.notes[ONE].html
    assert 'src="/notes/b.png"' in new.notes[ONE].html
    assert codes(problems) == ["link.unresolved"]


def test_the_dev_servers_fast_path_shows_rewritten_links_as_the_full_build_does(
    make_site: Callable[..., Path],
) -> None:
    site = linked_site(make_site)
    state = BuildState()
    assert build(site, BuildOptions(now=FIXED_NOW), state).ok
    page = site / "_site/2026/one/index.html"
    (site / ONE).write_text(note(LINKS_BODY + "\nMore.\n", title="One"), encoding="utf-8")
    assert preview_notes(site, {site / ONE}, state) == ["2026/one/index.html"]
    previewed = page.read_bytes()
    assert b'src="/team/notes/images/board.png"' in previewed
    assert build(site, BuildOptions(now=FIXED_NOW), state).ok
    assert page.read_bytes() == previewed


# --------------------------------------------------------------------------- redirect pages


def test_each_old_address_gets_a_redirect_page_listed_nowhere_else(
    make_site: Callable[..., Path],
) -> None:
    site = linked_site(make_site)
    (site / TWO).write_text(
        note(
            "## The end\n\nDone.\n",
            title='Two <&> "quoted"',
            date="2026-01-16",
            redirect_from=[
                "/2019/10/18/week-notes/",
                "/old.html",
            ],
        ),
        encoding="utf-8",
    )
    result = build_site(site)
    assert result.ok, shown(result.diagnostics)
    out = site / "_site"
    page = (out / "2019/10/18/week-notes/index.html").read_text(encoding="utf-8")
    assert page == (out / "old.html").read_text(encoding="utf-8")
    assert page == (
        "<!doctype html>\n"
        '<html lang="en-GB">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "<title>Moved: Two &lt;&amp;&gt; &quot;quoted&quot;</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        '<link rel="canonical" href="https://example.org/team/notes/2026/two/">\n'
        '<meta http-equiv="refresh" content="0; url=/team/notes/2026/two/">\n'
        "</head>\n"
        "<body>\n"
        '<p>This note has moved to <a href="/team/notes/2026/two/">Two &lt;&amp;&gt;'
        " &quot;quoted&quot;</a>.</p>\n"
        "</body>\n"
        "</html>\n"
    )
    listed = {
        path: data
        for path, data in files_under(out).items()
        if path.endswith((".xml", ".json")) or path.endswith("index.html")
    }
    assert len(listed) > 10
    for path, data in listed.items():
        if "week-notes" not in path:
            assert b"week-notes" not in data, path
            assert b"old.html" not in data, path
    assert broken_links_under_sub_path(site) == [LEFT_AS_WRITTEN]


def test_a_redirect_page_where_the_site_has_a_page_is_an_error_naming_both(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            ONE: note(title="One", aliases=["/authors/", "/images/a.png"]),
            "static/images/a.png": b"\x89PNG",
        }
    )
    result = build_site(site)
    assert not result.ok
    assert shown(result.diagnostics) == [
        f"{ONE}:5: error: the old address /authors/ would get a redirect page at"
        " /authors/index.html, but the authors overview is there [alias.clash]\n"
        "  hint: remove the old address from the note: the site has something else there now",
        f"{ONE}:5: error: the old address /images/a.png/ would get a redirect page at"
        " /images/a.png/index.html, but the file static/images/a.png is at /images/a.png,"
        " where a folder would have to be [alias.clash]\n"
        "  hint: remove the old address from the note: the site has something else there now",
    ]
    assert not (site / "_site").exists()


@pytest.mark.slow
def test_redirect_pages_are_valid_html(make_site: Callable[..., Path], tmp_path: Path) -> None:
    if shutil.which("java") is None or not VNU_JAR.is_file():
        pytest.fail("the Nu HTML Checker needs java and `npm install` (run `make test`)")
    site = make_site(
        {ONE: note(title='A "title" <with> & marks', aliases=["/old/", "/x.html", "/é/"])}
    )
    assert build_site(site).ok
    pages = [site / "_site" / p for p in ("old/index.html", "x.html", "é/index.html")]
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert (result.returncode, result.stderr) == (0, "")
