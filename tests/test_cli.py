"""The command line: exit codes, the report format and the summary line, every --help."""

from __future__ import annotations

import io
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
        "weeknotes/a.md:3:7: error: date '2024-13-01' is not a valid date [front-matter.date]",
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


@pytest.mark.parametrize("command", [[], ["build"], ["serve"]])
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
