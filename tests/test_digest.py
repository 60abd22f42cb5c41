"""`weeknote-gen digest`: the email a week's notes make, in HTML, plain text and Markdown."""

from __future__ import annotations

import io
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import FIXED_NOW, build_site, note
from weeknote_gen.cli import main
from weeknote_gen.commands.digest import render
from weeknote_gen.commands.digest_contents import digest_site, make_digest

CONFIG = {"title": "Team notes", "base_url": "https://example.org/sub/"}
BODY = (
    "First paragraph.\n\n## Something I\u2019m learning\n\nThat [maps](other.md) help"
    " & *small* steps.\n\n- one\n- two\n\n## Next week\n\nMore.\n"
)
NOTES = {
    "weeknotes/other.md": note(title="Other", date="2026-01-02", team="Data"),
    "weeknotes/a.md": note(
        BODY, title="Maps <&> us", date="2026-01-08", team=["ICT", "Data"], summary="Maps."
    ),
    "weeknotes/b.md": note(title="Data week", date="2026-01-09", author="Bo Li", team="Data"),
    "weeknotes/c.md": note(title="Lone", date="2026-01-07", team=[]),
}


@pytest.fixture
def site_dir(make_site: Callable[..., Path]) -> Path:
    return make_site(NOTES, config=CONFIG)


def digest_of(site_dir: Path, form: str, **choice: object) -> str:
    site, problems = digest_site(site_dir, FIXED_NOW)
    assert site is not None, problems
    return render(make_digest(site, **choice), form)  # type: ignore[arg-type]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_with_inline_styles_and_absolute_links(site_dir: Path) -> None:
    page = _Page()
    page.feed(digest_of(site_dir, "html"))
    names = [tag for tag, _ in page.tags]
    assert not {"script", "style", "link", "iframe", "form"} & set(names)
    assert "table" in names  # the frame email programs lay out reliably
    for tag, attrs in page.tags:
        if tag in ("p", "h1", "h2", "h3", "a", "td", "li", "ul"):
            assert attrs.get("style"), (tag, attrs)
        assert "class" not in attrs, (tag, attrs)
        for name in ("href", "src"):
            if name in attrs:
                parts = urlsplit(attrs[name] or "")
                assert (parts.scheme, parts.netloc) == ("https", "example.org"), attrs
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert "https://example.org/sub/2026/a/" in hrefs
    assert "https://example.org/sub/2026/other/" in hrefs  # the passage's link to a note


def test_html_escapes_titles(site_dir: Path) -> None:
    html = digest_of(site_dir, "html")
    assert "Maps &lt;&amp;&gt; us" in html
    assert "<&>" not in html


def test_text_version(site_dir: Path) -> None:
    assert digest_of(site_dir, "text") == (
        "Team notes: Week 2, 2026\n"
        "Monday 5 – Sunday 11 January 2026 · 3 notes\n"
        "https://example.org/sub/weeks/2026-W02/\n"
        "\n"
        "DATA\n"
        "====\n"
        "\n"
        "Data week\n"
        "By Bo Li, 9 January 2026\n"
        "https://example.org/sub/2026/b/\n"
        "\n"
        "A week of work.\n"
        "\n"
        "ICT\n"
        "===\n"
        "\n"
        "Maps <&> us\n"
        "By Ada Lovelace, 8 January 2026\n"
        "https://example.org/sub/2026/a/\n"
        "\n"
        "Maps.\n"
        "\n"
        "Something I\u2019m learning:\n"
        "  That maps help & small steps.\n"
        "\n"
        "  - one\n"
        "  - two\n"
        "\n"
        "NO TEAM GIVEN\n"
        "=============\n"
        "\n"
        "Lone\n"
        "By Ada Lovelace, 7 January 2026\n"
        "https://example.org/sub/2026/c/\n"
        "\n"
        "A week of work.\n"
        "\n"
        "Every note: https://example.org/sub/\n"
    )


def test_markdown_version_for_one_team(site_dir: Path) -> None:
    from weeknote_gen.urls import WeekId

    assert digest_of(site_dir, "markdown", week=WeekId(2026, 2), team="ict") == (
        "# Team notes: ICT, Week 2, 2026\n"
        "\n"
        "Monday 5 – Sunday 11 January 2026 · 1 note ·"
        " [Read the week online](<https://example.org/sub/weeks/2026-W02/>)\n"
        "\n"
        "## [ICT](<https://example.org/sub/team/ict/>)\n"
        "\n"
        "### [Maps \\<&\\> us](<https://example.org/sub/2026/a/>)\n"
        "\n"
        "By Ada Lovelace, 8 January 2026\n"
        "\n"
        "Maps.\n"
        "\n"
        "**Something I\u2019m learning**\n"
        "\n"
        "> That maps help & small steps.\n"
        ">\n"
        "> - one\n"
        "> - two\n"
        "\n"
        "[Every note](https://example.org/sub/)\n"
    )


def run(site_dir: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))
    out, err = io.StringIO(), io.StringIO()
    code = main(["digest", "--site", str(site_dir), *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_defaults_to_the_latest_week_and_can_write_a_file(
    site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(site_dir, "--format", "text", monkeypatch=monkeypatch)
    assert code == 0
    assert out.startswith("Team notes: Week 2, 2026\n")
    target = tmp_path / "digest.html"
    code, out, _ = run(
        site_dir, "--week", "2026-W01", "--output", str(target), monkeypatch=monkeypatch
    )
    assert (code, out) == (0, f"Wrote the digest of Week 1, 2026 to {target}\n")
    assert "Other" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2026-28"], "'2026-28' is not a week"),
        (["--week", "2026-W54"], "there is no week 2026-W54: weeks run from 1 to 52 or 53"),
        (["--week", "2019-W28"], "there are no notes in 2019-W28; the latest week with notes is"),
        (["--team", "nope"], "there is no team 'nope'; the teams are: data, ict"),
        (["--team", "ict", "--week", "2026-W01"], "no notes from ICT in 2026-W01"),
    ],
)
def test_cli_refuses_a_week_or_team_it_cannot_use(
    site_dir: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(site_dir, *args, monkeypatch=monkeypatch)
    assert (code, out) == (2, "")
    assert err.startswith("weeknote-gen: error: ") and message in err


def test_cli_reports_a_site_that_does_not_build(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = make_site({"weeknotes/a.md": note(date="2026-13-01")}, config=CONFIG, name="bad")
    code, out, err = run(broken, monkeypatch=monkeypatch)
    assert (code, out) == (1, "")
    assert "no digest was made" in err


def test_an_aligned_table_cell_keeps_one_style_with_its_alignment_last() -> None:
    from weeknote_gen.commands.digest import _inline_styles

    styled = _inline_styles('<td style="text-align: center;" class="x">3</td>')
    assert styled.count("style=") == 1
    assert styled.startswith('<td style="border:') and 'text-align: center;">3' in styled


def test_a_digest_reads_rendered_notes_from_the_build_cache(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_site(site_dir).ok  # fills .weeknote-cache/

    def refuse(*args: object) -> object:
        raise AssertionError("Markdown was rendered again")

    monkeypatch.setattr("weeknote_gen.engine.stages.render_markdown", refuse)
    site, problems = digest_site(site_dir, FIXED_NOW)
    assert site is not None and problems == []
