"""The command line: exit codes, the report format and the summary line, every --help."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, note
from weeknote_gen import __version__
from weeknote_gen.cli import main


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))


def test_build_succeeds_with_a_one_line_summary(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": note(), "weeknotes/d.md": note(title="D", draft=True)})
    code, out, err = run("build", "--site", str(site))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Built ")
    assert " files (" in lines[0]
    assert " from 1 note, skipping 1 draft into " in lines[0]
    assert lines[0].endswith(" s")


def test_content_errors_exit_1_with_an_editor_style_report(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": "---\ntitle: Week 1\ndate: 2024-13-01\n---\n"})
    code, out, err = run("build", "--site", str(site))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "weeknotes/a.md:1: error: the note has no author [front-matter.author]",
        "  hint: add 'author: Your Name', or set default_author in config.yaml",
        "weeknotes/a.md:3:7: error: date '2024-13-01' is not a real date [front-matter.date]",
        "  hint: write it as YYYY-MM-DD (2024-03-08), or with a time and offset"
        " (2024-03-08T16:30:00+00:00)",
        "2 errors; nothing was written",
    ]


def test_warnings_are_printed_and_strict_makes_them_fail(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": note(tittle="x")})
    code, _, err = run("build", "--site", str(site))
    assert code == 0
    assert "warning: unknown field 'tittle' is ignored" in err
    assert err.rstrip().endswith("1 warning")
    code, _, err = run("build", "--strict", "--site", str(site))
    assert code == 1
    assert err.rstrip().endswith("1 error; nothing was written")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("build", "--site", str(tmp_path / "missing"))[0] == 2
    assert run("frobnicate")[0] == 2
    assert run()[0] == 2


def test_missing_config_is_a_content_error(tmp_path: Path) -> None:
    code, _, err = run("build", "--site", str(tmp_path))
    assert code == 1
    assert "error: no config.yaml in" in err


@pytest.mark.parametrize("command", [[], ["build"], ["serve"], ["check"], ["new"]])
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    assert "usage: weeknote-gen" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"weeknote-gen {__version__}\n"


def test_python_dash_m_runs_the_cli(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": note()})
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(FIXED_NOW.timestamp()))}
    result = subprocess.run(
        [sys.executable, "-m", "weeknote_gen", "build", "--site", str(site)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (site / "_site" / "index.html").is_file()


# --------------------------------------------------------------------------- check

BAD_NOTE = "---\ntitle: Week 1\ndate: 2026-13-01\nauthor: Ada\n---\nBody\n"


def test_check_passes_a_clean_site_and_writes_nothing(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": note()})
    code, out, err = run("check", "--site", str(site))
    assert (code, out, err) == (0, "Checked 1 note: no problems found.\n", "")
    assert not (site / "_site").exists()
    assert not (site / ".weeknote-cache").exists()


def test_check_reports_every_problem_for_authors(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": BAD_NOTE, "weeknotes/b.md": note(tittle="x")})
    code, out, _ = run("check", "--site", str(site))
    assert code == 1
    assert out.splitlines() == [
        "weeknotes/a.md:3:7: error: date '2026-13-01' is not a real date [front-matter.date]",
        "  hint: write it as YYYY-MM-DD (2024-03-08), or with a time and offset"
        " (2024-03-08T16:30:00+00:00)",
        "weeknotes/b.md:5:1: warning: unknown field 'tittle' is ignored [front-matter.unknown-key]",
        "  hint: did you mean 'title'?",
        "1 error and 1 warning; the site would not build",
    ]


def test_check_warnings_pass_unless_strict(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": note(tittle="x")})
    code, out, _ = run("check", "--site", str(site))
    assert code == 0
    assert out.endswith("Checked 1 note: no errors found.\n")
    assert run("check", "--strict", "--site", str(site))[0] == 1


def test_check_github_format_annotates_the_lines(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"weeknotes/a.md": BAD_NOTE, "weeknotes/b, c.md": note(tittle="x")})
    monkeypatch.chdir(site.parent)  # as in CI: the site is a folder of the repository
    code, out, _ = run("check", "--format", "github", "--site", site.name)
    assert code == 1
    assert out.splitlines() == [
        "::error file=site/weeknotes/a.md,line=3,col=7,title=front-matter.date::date"
        " '2026-13-01' is not a real date%0AHow to fix it: write it as YYYY-MM-DD (2024-03-08),"
        " or with a time and offset (2024-03-08T16:30:00+00:00)",
        "::warning file=site/weeknotes/b%2C c.md,line=5,col=1,title=front-matter.unknown-key::"
        "unknown field 'tittle' is ignored%0AHow to fix it: did you mean 'title'?",
    ]


def test_check_json_format(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": BAD_NOTE})
    code, out, _ = run("check", "--format", "json", "--site", str(site))
    assert code == 1
    assert json.loads(out) == {
        "ok": False,
        "errors": 1,
        "warnings": 0,
        "notes": 0,
        "diagnostics": [
            {
                "severity": "error",
                "code": "front-matter.date",
                "message": "date '2026-13-01' is not a real date",
                "file": "weeknotes/a.md",
                "line": 3,
                "column": 7,
                "hint": "write it as YYYY-MM-DD (2024-03-08), or with a time and offset"
                " (2024-03-08T16:30:00+00:00)",
            }
        ],
    }


def test_check_rejects_an_unknown_format(make_site: Callable[..., Path]) -> None:
    site = make_site({"weeknotes/a.md": note()})
    assert run("check", "--format", "xml", "--site", str(site))[0] == 2


# --------------------------------------------------------------------------- new

AUTHORS_CONFIG = {
    "title": "T",
    "base_url": "https://e.org/",
    "default_author": "Maya Okonjo",
    "authors": {"Maya Okonjo": {"team": "Digital Services"}, "Gwen Tallis": {"team": "ICT"}},
}


def test_new_creates_this_weeks_note_from_the_defaults(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("weeknote_gen.commands.new.git_user_name", lambda: "")
    site = make_site({}, config=AUTHORS_CONFIG)
    code, out, err = run("new", "--site", str(site))
    assert (code, err) == (
        0,
        "Writing as Maya Okonjo (default_author in config.yaml; git has no user.name: pass"
        " --author to choose)\n",
    )
    # FIXED_NOW is Friday 20 November 2026, in ISO week 47.
    assert out == "weeknotes/2026/2026-11-20-week-47-maya-okonjo.md\n"
    text = (site / out.strip()).read_text(encoding="utf-8")
    assert text.startswith(
        "---\ntitle: Week 47\ndate: 2026-11-20\nauthor: Maya Okonjo\nteam: Digital Services\n---\n"
    )
    assert "## This week" in text
    assert "## Next week" in text
    assert "## Something I'm learning" in text
    assert run("check", "--site", str(site))[0] == 0


def test_new_takes_title_author_team_and_date(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=AUTHORS_CONFIG)
    code, out, _ = run(
        "new",
        'Week 3: colons, quotes "and" more',
        "--author",
        "Gwen Tallis",
        "--date",
        "2026-01-16",
        "--site",
        str(site),
    )
    assert code == 0
    assert out == "weeknotes/2026/2026-01-16-week-3-colons-quotes-and-more.md\n"
    text = (site / out.strip()).read_text(encoding="utf-8")
    assert "title: 'Week 3: colons, quotes \"and\" more'\n" in text
    assert "author: Gwen Tallis\nteam: ICT\n" in text
    code, out, _ = run("new", "--team", "Data", "--author", "Bo Li", "--site", str(site))
    assert "team: Data" in (site / out.strip()).read_text(encoding="utf-8")


def test_new_never_overwrites(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=AUTHORS_CONFIG)
    _, out, _ = run("new", "--site", str(site))
    path = site / out.strip()
    path.write_text("my words", encoding="utf-8")
    code, again, err = run("new", "--site", str(site))
    assert (code, again) == (1, "")
    assert "already exists, so nothing was changed" in err
    assert path.read_text(encoding="utf-8") == "my words"


def test_new_falls_back_to_git_user_name(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("weeknote_gen.commands.new.git_user_name", lambda: "Git Person")
    site = make_site({})
    _, out, err = run("new", "--site", str(site))
    assert out == "weeknotes/2026/2026-11-20-week-47-git-person.md\n"
    assert err == "Writing as Git Person (git's user.name)\n"
    monkeypatch.setattr("weeknote_gen.commands.new.git_user_name", lambda: "")
    code, out, err = run("new", "Another", "--site", str(site))
    assert (code, out) == (2, "")
    assert "hint: run again with --author" in err


def test_new_uses_week_ends_on_and_the_sites_own_template(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {"site_templates/new_note.md": "\nNotes for {{ week.label }} by {{ author }}.\n"},
        config={**AUTHORS_CONFIG, "week_ends_on": "monday"},
    )
    _, out, _ = run("new", "--site", str(site))
    assert out == "weeknotes/2026/2026-11-16-week-47-maya-okonjo.md\n"
    text = (site / out.strip()).read_text(encoding="utf-8")
    assert text.endswith("---\n\nNotes for Week 47, 2026 by Maya Okonjo.\n")


def test_new_prefers_git_user_name_when_it_is_a_configured_author(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Matched by slug, as notes' authors are, and written as config.yaml spells it.
    monkeypatch.setattr("weeknote_gen.commands.new.git_user_name", lambda: "gwen  TALLIS")
    site = make_site({}, config=AUTHORS_CONFIG)
    code, out, err = run("new", "--site", str(site))
    assert (code, err) == (0, "Writing as Gwen Tallis (git's user.name, a configured author)\n")
    assert out == "weeknotes/2026/2026-11-20-week-47-gwen-tallis.md\n"
    text = (site / out.strip()).read_text(encoding="utf-8")
    assert "author: Gwen Tallis\nteam: ICT\n" in text


def test_new_falls_back_to_default_author_and_says_why(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("weeknote_gen.commands.new.git_user_name", lambda: "ada")
    site = make_site({}, config=AUTHORS_CONFIG)
    code, out, err = run("new", "--site", str(site))
    assert (code, err) == (
        0,
        "Writing as Maya Okonjo (default_author in config.yaml; git's user.name 'ada' is not a"
        " configured author: pass --author to choose)\n",
    )
    assert out == "weeknotes/2026/2026-11-20-week-47-maya-okonjo.md\n"
    unlisted = {k: v for k, v in AUTHORS_CONFIG.items() if k != "authors"}
    site = make_site({}, config=unlisted, name="unlisted")
    code, _, err = run("new", "--site", str(site))
    assert (code, err) == (
        0,
        "Writing as Maya Okonjo (default_author in config.yaml; config.yaml lists no authors to"
        " match git's user.name against: pass --author to choose)\n",
    )


def test_new_author_option_wins_over_git_and_default(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("weeknote_gen.commands.new.git_user_name", lambda: "Gwen Tallis")
    site = make_site({}, config=AUTHORS_CONFIG)
    code, out, err = run("new", "--author", "Bo Li", "--site", str(site))
    assert (code, err) == (0, "Writing as Bo Li (--author)\n")
    assert "author: Bo Li\n" in (site / out.strip()).read_text(encoding="utf-8")


def test_new_rejects_a_bad_date(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=AUTHORS_CONFIG)
    code, _, err = run("new", "--date", "next friday", "--site", str(site))
    assert code == 2
    assert "'next friday' is not a date" in err


def test_serve_reports_a_preview_that_crashes(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The dev server carries on after a failed preview (the full rebuild follows), so the
    # command line is where a bug in the fast path must still be seen.
    site = make_site({"weeknotes/a.md": note()})
    previewed: list[BaseException] = []

    class FakeServer:
        address = "http://127.0.0.1:0/"

        def __init__(self, *args: object, previewer: Callable[..., object], **kw: object) -> None:
            self.previewer = previewer

        def start(self, problems: object) -> None:
            try:
                self.previewer(frozenset({site / "weeknotes/a.md"}))
            except RuntimeError as exc:
                previewed.append(exc)
            raise KeyboardInterrupt

        def stop(self) -> None:
            pass

    def broken(*args: object) -> None:
        raise RuntimeError("preview bug")

    monkeypatch.setattr("weeknote_gen.commands.serve.DevServer", FakeServer)
    monkeypatch.setattr("weeknote_gen.engine.preview.preview_notes", broken)
    monkeypatch.setattr("weeknote_gen.commands.serve.signal.signal", lambda *args: None)
    code, _, err = run("serve", "--site", str(site), "--port", "0")
    assert code == 0
    assert len(previewed) == 1
    assert "The quick preview stopped unexpectedly: RuntimeError('preview bug')" in err
