"""`weeknote-gen import`: WordPress (WXR), RSS and Atom files into notes that build cleanly."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BASIC_CONFIG, FIXED_NOW, build_site
from weeknote_gen.cli import main
from weeknote_gen.commands.importer.to_markdown import html_to_markdown

FIXTURES = Path(__file__).parent / "import_fixtures"
CONFIG = {
    **BASIC_CONFIG,
    "authors": {name: {} for name in ("Gwen Tallis", "Sam Reid", "Maya Okonjo", "Priya Shah")},
}


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))


def files_under(site: Path) -> dict[str, str]:
    root = site / "weeknotes"
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*.md"))
    }


def test_wordpress_import_writes_posts_and_drafts_and_explains_skips(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({}, config=CONFIG)
    code, out, err = run(
        "import", "wordpress", str(FIXTURES / "wordpress.xml"), "--site", str(site)
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Imported 3 notes:",
        "  weeknotes/2019/2019-07-12-week-28-counting-laptops.md (left out: [gallery])",
        "  weeknotes/2019/2019-07-19-wythnos-29-café.md (left out: [contact-form-7], a form)",
        "  weeknotes/2019/2019-07-26-week-30-not-finished.md (draft)",
        "Skipped 4:",
        "  About these weeknotes: a page, not a post",
        "  board: an uploaded file (pictures stay linked from the posts that show them)",
        "  Home: a menu item",
        "  An old idea: in the bin",
    ]
    notes = files_under(site)
    assert notes["weeknotes/2019/2019-07-12-week-28-counting-laptops.md"] == (
        "---\n"
        "title: 'Week 28: Counting laptops & finding servers'\n"
        "date: 2019-07-12\n"
        "author: Gwen Tallis\n"
        "team: ICT\n"
        "theme:\n"
        "- legacy systems\n"
        "- working in the open\n"
        "summary: We counted every laptop & found three servers.\n"
        "---\n"
        "\n"
        "Someone asked me what ICT actually does all week.\n"
        "\n"
        "This week we counted every laptop.  \n"
        "Then we counted them again.\n"
        "\n"
        "![Our kanban board](https://weeknotes.example.gov.uk/wp-content/uploads/2019/07/board.jpg)\n"
        "\n"
        "*The board, after a long Tuesday*\n"
        "\n"
        "## What we learned\n"
        "\n"
        "- Asset registers drift\n"
        "- People are **very** helpful when asked\n"
        "\n"
        "We wrote about it on [the blog](https://example.org/blog)."
        " The old notation [gallery] is shown as written.\n"
    )
    welsh = notes["weeknotes/2019/2019-07-19-wythnos-29-café.md"]
    assert "title: 'Wythnos 29: Café, cymraeg a’r “cynllun”'" in welsh
    assert "The sequence ]]> closes a CDATA section" in welsh  # CDATA split in two, rejoined
    assert "<https://www.youtube.com/watch?v=abc123>" in welsh  # an embed stays as its link
    for gone in ("Post Comment", "alert", "contact-form", "wp:paragraph", "Uncategorized"):
        assert gone not in welsh
    assert "comment must not be imported" not in "".join(notes.values())
    draft = notes["weeknotes/2019/2019-07-26-week-30-not-finished.md"]
    assert "draft: true\n" in draft
    assert '```\nprint("hi")\n```' in draft


def test_imported_notes_build_without_warnings(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=CONFIG)
    assert run("import", "wordpress", str(FIXTURES / "wordpress.xml"), "--site", str(site))[0] == 0
    assert run("import", "feed", str(FIXTURES / "feed-rss.xml"), "--site", str(site))[0] == 0
    assert run("import", "feed", str(FIXTURES / "feed-atom.xml"), "--site", str(site))[0] == 0
    result = build_site(site, drafts=True)
    assert result.ok
    assert [d.format() for d in result.diagnostics] == []
    assert result.notes == 7


def test_dry_run_writes_nothing(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=CONFIG)
    code, out, _ = run(
        "import", "wordpress", str(FIXTURES / "wordpress.xml"), "--dry-run", "--site", str(site)
    )
    assert code == 0
    assert out.startswith("Would import 3 notes:\n")
    assert not (site / "weeknotes").exists()


def test_an_existing_file_is_never_overwritten(make_site: Callable[..., Path]) -> None:
    existing = "weeknotes/2019/2019-07-12-week-28-counting-laptops.md"
    site = make_site({existing: "my own words\n"}, config=CONFIG)
    code, out, _ = run("import", "wordpress", str(FIXTURES / "wordpress.xml"), "--site", str(site))
    assert code == 0
    assert (site / existing).read_text(encoding="utf-8") == "my own words\n"
    assert f"  Week 28: Counting laptops & finding servers: {existing} already exists" in out
    assert out.startswith("Imported 2 notes:")
    # a second run imports nothing new and changes nothing
    before = files_under(site)
    code, out, _ = run("import", "wordpress", str(FIXTURES / "wordpress.xml"), "--site", str(site))
    assert (code, files_under(site)) == (0, before)
    assert out.startswith("Imported 0 notes.\nSkipped 7:")


def test_author_map_and_term_mapping_flags(make_site: Callable[..., Path], tmp_path: Path) -> None:
    config = {**CONFIG, "authors": {"Gwen T.": {}, "Sam Reid": {}}}
    site = make_site({}, config=config)
    authors = tmp_path / "authors.yaml"
    authors.write_text("gtallis: Gwen T.\n", encoding="utf-8")
    code, _, err = run(
        "import",
        "wordpress",
        str(FIXTURES / "wordpress.xml"),
        "--author-map",
        str(authors),
        "--categories-to",
        "theme",
        "--tags-to",
        "none",
        "--site",
        str(site),
    )
    assert (code, err) == (0, "")
    text = files_under(site)["weeknotes/2019/2019-07-12-week-28-counting-laptops.md"]
    assert "author: Gwen T.\ntheme: ICT\nsummary:" in text


def test_unknown_taxonomy_and_unknown_authors_are_explained(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({}, config={**BASIC_CONFIG, "authors": {"Someone Else": {}}})
    code, _, err = run(
        "import",
        "feed",
        str(FIXTURES / "feed-rss.xml"),
        "--categories-to",
        "topics",
        "--site",
        str(site),
    )
    assert code == 2
    assert "'topics' is not one of the site's taxonomies" in err
    code, _, err = run("import", "feed", str(FIXTURES / "feed-rss.xml"), "--site", str(site))
    assert code == 0
    assert "note: not in config.yaml yet: Maya Okonjo" in err


def test_rss_and_atom_imports(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=CONFIG)
    code, out, _ = run("import", "feed", str(FIXTURES / "feed-rss.xml"), "--site", str(site))
    assert code == 0
    assert out.splitlines() == [
        "Imported 2 notes:",
        "  weeknotes/2026/2026-11-20-weeknote-47-dashboards-nobody-opens.md",
        "  weeknotes/2026/2026-11-13-weeknote-46-moving-desks.md",
        "Skipped 1:",
        "  No date on this one: it has no date",
    ]
    code, out, _ = run("import", "feed", str(FIXTURES / "feed-atom.xml"), "--site", str(site))
    assert out.splitlines() == [
        "Imported 2 notes:",
        "  weeknotes/2026/2026-11-13-week-46-alt-text.md",
        "  weeknotes/2026/2026-11-20-week-47-ideas.md (draft)",
        "Skipped 2:",
        "  BLOG_NAME: a Blogger 'settings' entry, not a post",
        "  Nice work: a Blogger 'comment' entry, not a post",
    ]
    notes = files_under(site)
    medium = notes["weeknotes/2026/2026-11-20-weeknote-47-dashboards-nobody-opens.md"]
    assert "theme:\n- data\n- user-research\n" in medium
    assert "![A chart of visits, mostly zero](https://cdn.example.com/chart.png)" in medium
    assert "1. Ask who needs them\n2. Archive the rest" in medium
    blogger = notes["weeknotes/2026/2026-11-13-week-46-alt-text.md"]
    assert "title: 'Week 46: alt text & other small things'" in blogger
    assert "author: Priya Shah\ntheme: accessibility\n" in blogger
    assert "Not ready to share: *a plan*." in notes["weeknotes/2026/2026-11-20-week-47-ideas.md"]


def test_xml_that_declares_entities_is_refused(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=CONFIG)
    bomb = site / "bomb.xml"
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "ha"}">' for i in range(10))
    bomb.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss>&e9;</rss>')
    code, _, err = run("import", "wordpress", str(bomb), "--site", str(site))
    assert code == 1
    assert "declares XML entities" in err
    external = site / "external.xml"
    external.write_text('<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>')
    assert run("import", "feed", str(external), "--site", str(site))[0] == 1
    assert not (site / "weeknotes").exists()


def test_broken_xml_and_wrong_kind_of_file(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=CONFIG)
    broken = site / "broken.xml"
    broken.write_text("<rss><channel><item></channel></rss>")
    code, _, err = run("import", "wordpress", str(broken), "--site", str(site))
    assert code == 1
    assert "not well-formed XML" in err
    other = site / "other.xml"
    other.write_text("<html><body>hi</body></html>")
    code, _, err = run("import", "feed", str(other), "--site", str(site))
    assert code == 1
    assert "not an RSS 2.0 or Atom file: it starts with <html>" in err


def test_missing_file_is_a_usage_error(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=CONFIG)
    assert run("import", "feed", str(site / "nope.xml"), "--site", str(site))[0] == 2


def test_classic_editor_paragraphs_and_escaping() -> None:
    body, dropped = html_to_markdown(
        "First line\nsecond line\n\n<p>A *starred* word & <b>bold</b>.</p>\n\n[audio src=x.mp3]",
        wordpress=True,
    )
    assert body == "First line  \nsecond line\n\nA \\*starred\\* word & **bold**.\n"
    assert dropped == ("[audio]",)


def test_a_large_export_is_read_one_post_at_a_time(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "wordpress.xml", tmp_path / "copy.xml")
    from weeknote_gen.commands.importer.posts import TermMapping
    from weeknote_gen.commands.importer.wordpress import read_wordpress

    posts = read_wordpress(tmp_path / "copy.xml", {}, TermMapping("team", "theme")).posts
    assert [p.slug for p in posts] == [
        "week-28-counting-laptops",
        "wythnos-29-café",
        "week-30-not-finished",
    ]


def test_a_post_id_cannot_steer_the_file_outside_the_site(make_site: Callable[..., Path]) -> None:
    # With no title and no post_name the file is named after wp:post_id, which is text
    # from the export like any other: a hostile one must not lead out of weeknotes/.
    site = make_site({}, config=CONFIG)
    export = site / "hostile.xml"
    export.write_text(
        '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><title></title>'
        "<dc:creator>Gwen Tallis</dc:creator><wp:post_id>x/../../../../escaped</wp:post_id>"
        "<wp:post_date>2019-07-12 15:30:00</wp:post_date><wp:post_type>post</wp:post_type>"
        "<wp:status>publish</wp:status></item></channel></rss>",
        encoding="utf-8",
    )
    code, out, err = run("import", "wordpress", str(export), "--site", str(site))
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == "  weeknotes/2019/2019-07-12-post-x-escaped.md"
    assert list(files_under(site)) == ["weeknotes/2019/2019-07-12-post-x-escaped.md"]
    assert not list(site.parent.rglob("escaped*"))


def test_a_note_that_cannot_be_written_is_reported_and_not_left_half_written(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({}, config=CONFIG)
    failing = "2019-07-12-week-28-counting-laptops.md"
    real_open = Path.open

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    def open_(path: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        if path.name == failing and mode == "x":
            # The file is created, then the disk fills up while writing it.
            real_open(path, mode, *args, **kwargs).close()  # type: ignore[call-overload]
            return FullDisk()
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", open_)
    code, out, _ = run("import", "wordpress", str(FIXTURES / "wordpress.xml"), "--site", str(site))
    monkeypatch.undo()

    assert code == 1
    assert f"could not write weeknotes/2019/{failing}: No space left on device" in out
    assert out.startswith("Imported 2 notes:")  # the others went ahead
    assert not (site / "weeknotes/2019" / failing).exists()  # nothing half written
