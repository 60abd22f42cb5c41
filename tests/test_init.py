"""`weeknote-gen init`: a new site that builds cleanly at once, questions at a terminal, never
a file overwritten, and notes already kept for Jekyll or Hugo pointed at rather than copied."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXED_NOW, REPO
from weeknote_gen import __version__
from weeknote_gen.cli import main
from weeknote_gen.config import load_config

FRIDAY = FIXED_NOW  # 2026-11-20, the day `new` dates week 47's notes on
TUESDAY = FIXED_NOW.replace(day=17)
MAYA = "Maya Okonjo (Digital Services)"


class FakeTerminal(io.StringIO):
    """Typed answers, one a line, from what looks like a terminal."""

    def isatty(self) -> bool:
        return True


class NotATerminal(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture(autouse=True)
def _quiet_world(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed clock, no git user name and, unless a test says otherwise, no terminal."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FRIDAY.timestamp())))
    monkeypatch.setattr("weeknote_gen.commands.init.git_user_name", lambda: "")
    monkeypatch.setattr("sys.stdin", NotATerminal(""))


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def init(site: Path, *options: str) -> tuple[int, str, str]:
    return run("init", str(site), *options)


def files_in(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_a_new_site_builds_cleanly_with_its_first_note(tmp_path: Path) -> None:
    site = tmp_path / "digital-team"
    code, out, err = init(site, "--yes", "--author", MAYA, "--base-url", "https://n.example.org")
    assert (code, err) == (0, "")
    note = "weeknotes/2026/2026-11-20-week-47-maya-okonjo.md"
    assert files_in(site) == sorted(
        [".github/workflows/weeknotes.yml", ".gitignore", "README.md", "config.yaml", note]
    )
    for path in files_in(site):
        assert f"wrote {path}" in out
    assert "weeknote-gen serve --site" in out
    assert "weeknote-gen new --site" in out
    config, problems = load_config(site)
    assert problems == []
    assert config is not None
    assert config.title == "Digital team weeknotes"
    assert config.base_url == "https://n.example.org/"
    assert config.default_author == "Maya Okonjo"
    assert config.taxonomy_terms["team"] == ("Digital Services",)
    code, out, err = run("build", "--site", str(site))
    # The first note is this week's, as `new` writes it: it builds, and the only advice is
    # that its prompts still wait for the author's words
    assert code == 0
    assert_only_prompt_advice(err)
    assert (site / "_site/2026/week-47-maya-okonjo/index.html").is_file()
    assert ".gitignore" not in out
    assert (site / ".gitignore").read_text(encoding="utf-8").splitlines()[-2:] == [
        "/_site/",
        "/.weeknote-cache/",
    ]


def test_the_first_note_is_the_one_new_would_write(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert init(site, "--author", MAYA)[0] == 0  # not a terminal: no --yes needed
    note = site / "weeknotes/2026/2026-11-20-week-47-maya-okonjo.md"
    written = note.read_bytes()
    note.unlink()
    code, out, _ = run("new", "--site", str(site))
    assert code == 0
    assert out.strip() == "weeknotes/2026/2026-11-20-week-47-maya-okonjo.md"
    assert note.read_bytes() == written


def test_before_the_weeks_day_the_first_note_is_dated_today_so_it_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(TUESDAY.timestamp())))
    site = tmp_path / "site"
    assert init(site, "--author", "Tom Ferris")[0] == 0
    note = site / "weeknotes/2026/2026-11-17-week-47-tom-ferris.md"
    assert "date: 2026-11-17" in note.read_text(encoding="utf-8")
    code, _, err = run("build", "--site", str(site))
    assert code == 0
    assert_only_prompt_advice(err)


def test_questions_at_a_terminal_ask_again_until_each_answer_is_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = [
        "Gwaith digidol",  # title
        "digital.example.org",  # not a full address: asked again
        "https://digital.example.org/notes",
        "welsh",  # not a tag: asked again, with the tag suggested
        "cy",
        "Maya Okonjo (Digital Services)",
        "Tom (Ferris",  # not a name: asked again
        "Tom Ferris",
        "",  # the end of the authors
        "",  # teams: the authors' teams, the default
    ]
    monkeypatch.setattr("sys.stdin", FakeTerminal("\n".join(answers) + "\n"))
    site = tmp_path / "site"
    code, out, err = init(site)
    assert (code, err) == (0, "")
    assert "is not a full web address" in out
    assert "did you mean 'cy' (Welsh)?" in out
    assert "'Tom (Ferris' is not a name" in out
    assert out.count("Language of the notes") == 2
    config, problems = load_config(site)
    assert problems == []
    assert config is not None
    assert (config.title, config.language) == ("Gwaith digidol", "cy")
    assert config.base_url == "https://digital.example.org/notes/"
    assert [(a.name, a.team) for a in config.authors] == [
        ("Maya Okonjo", "Digital Services"),
        ("Tom Ferris", ""),
    ]
    assert config.default_author == ""  # two authors: each names themselves
    assert config.taxonomy_terms["team"] == ("Digital Services",)
    code, _, err = run("build", "--site", str(site))
    assert code == 0
    assert_only_prompt_advice(err)


def test_the_options_given_are_not_asked_for_and_yes_asks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("Only the title\n\n\n\n\n"))
    site = tmp_path / "site"
    code, out, _ = init(
        site, "--base-url", "https://x.example.org/", "--author", "Ann", "--team", "Data"
    )
    assert code == 0
    assert "Site title" in out
    assert "Address" not in out
    assert "Author" not in out
    assert "Teams" not in out
    monkeypatch.setattr("sys.stdin", FakeTerminal(""))  # would end the questions at once
    assert init(tmp_path / "other", "--yes", "--author", "Ann")[0] == 0


def test_ending_the_questions_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("A title\n"))  # then the end of input
    site = tmp_path / "site"
    code, _, err = init(site)
    assert code == 2
    assert "nothing was written" in err
    assert not site.exists() or files_in(site) == []


def test_wrong_options_are_all_reported_and_nothing_is_written(tmp_path: Path) -> None:
    code, _, err = init(tmp_path, "--language", "en-UK", "--base-url", "notes.example.org")
    assert code == 2
    assert "'en-UK' is not a language tag" in err
    assert "'notes.example.org' is not a full web address" in err
    assert "[init.language]" in err
    assert "[init.base-url]" in err
    assert files_in(tmp_path) == []


def test_someone_must_write_the_notes(tmp_path: Path) -> None:
    code, _, err = init(tmp_path, "--yes")  # and git has no user.name
    assert code == 2
    assert "--author" in err
    assert files_in(tmp_path) == []


def test_git_user_name_is_the_default_author(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("weeknote_gen.commands.init.git_user_name", lambda: "Git Person")
    assert init(tmp_path, "--yes")[0] == 0
    config, _ = load_config(tmp_path)
    assert config is not None
    assert [a.name for a in config.authors] == ["Git Person"]


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    own = b"title: Our own\nbase_url: https://ours.example.org/\n# keep this comment\n"
    (tmp_path / "config.yaml").write_bytes(own)
    (tmp_path / "README.md").write_text("Our readme\n", encoding="utf-8")
    code, out, err = init(tmp_path, "--author", "Ann")
    assert (code, err) == (0, "")
    assert (tmp_path / "config.yaml").read_bytes() == own
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "Our readme\n"
    assert "kept config.yaml, which exists" in out
    assert "kept README.md, which exists" in out
    assert "wrote .gitignore" in out
    assert "base_url is a placeholder" not in out
    assert not [name for name in files_in(tmp_path) if "/." in f"/{name}" and ".yaml." in name]
    code, out, _ = init(tmp_path, "--author", "Ann")  # again: everything is there
    assert code == 0
    assert "wrote" not in out
    assert "no sample note" in out
    assert run("build", "--site", str(tmp_path))[0] == 0


def jekyll_site(root: Path) -> Path:
    posts = root / "_posts"
    posts.mkdir(parents=True)
    (posts / "2026-11-13-week-46.md").write_text(
        "---\nlayout: post\ntitle: Week 46\nauthor: Ann\n---\nA week.\n", encoding="utf-8"
    )
    (root / "_config.yml").write_text("title: Old site\n", encoding="utf-8")
    return root


def test_jekyll_posts_are_pointed_at_not_copied(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path / "old")
    code, out, err = init(site, "--author", "Ann")
    assert (code, err) == (0, "")
    assert "Found notes in _posts/ (Jekyll)" in out
    assert "config.yaml has no key" in out
    assert "  cp -R _posts weeknotes\n" in out
    assert not (site / "weeknotes").exists()  # nothing moved, no sample note
    shutil.copytree(site / "_posts", site / "weeknotes")  # what the printed command does
    code, _, err = run("build", "--site", str(site))
    assert code == 0, err
    assert (site / "_site/2026/week-46/index.html").is_file()


def test_notes_git_tracks_are_moved_with_git_mv(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    site = jekyll_site(tmp_path / "old")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for command in (["init", "-q"], ["add", "_posts"], ["commit", "-qm", "posts"]):
        subprocess.run(["git", *command], cwd=site, env=env, check=True)
    code, out, _ = init(site, "--author", "Ann")
    assert code == 0
    assert "  git mv _posts weeknotes\n" in out


def test_hugo_posts_go_to_a_folder_of_their_own(tmp_path: Path) -> None:
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "week-3.md").write_text(
        '+++\ntitle = "Week 3"\ndate = 2021-01-22T09:00:00Z\nauthor = "Ann"\n+++\nA week.\n',
        encoding="utf-8",
    )
    (tmp_path / "content" / "_index.md").write_text("+++\ntitle = 'Home'\n+++\n", encoding="utf-8")
    code, out, _ = init(tmp_path, "--author", "Ann")
    assert code == 0
    assert "Found notes in content/posts/ (Hugo)" in out
    assert "  mkdir -p weeknotes\n  cp -R content/posts weeknotes/posts\n" in out
    assert not (tmp_path / "weeknotes").exists()
    (tmp_path / "weeknotes").mkdir()
    shutil.copytree(posts, tmp_path / "weeknotes" / "posts")
    code, _, err = run("build", "--site", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / "_site/2021/week-3/index.html").is_file()


def load_workflow(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_workflow_is_the_shipped_one_pinned_to_this_version(tmp_path: Path) -> None:
    assert init(tmp_path, "--author", "Ann")[0] == 0
    written = tmp_path / ".github/workflows/weeknotes.yml"
    workflow = load_workflow(written)
    shipped = load_workflow(REPO / ".github/workflows/weeknotes.yml")
    assert workflow["env"]["WEEKNOTE_GEN"] == f"weeknote-gen=={__version__}"
    assert {**workflow, "env": shipped["env"]} == shipped  # the same jobs and steps
    build_steps = [step.get("run") for step in workflow["jobs"]["build"]["steps"]]
    assert "weeknote-gen build" in build_steps
    assert '"."' not in written.read_text(encoding="utf-8")


def test_the_readme_tells_authors_how_to_write_preview_check_and_publish(tmp_path: Path) -> None:
    assert init(tmp_path, "--author", "Ann", "--title", "Data weeknotes")[0] == 0
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Data weeknotes\n")
    for command in ("weeknote-gen new", "weeknote-gen serve", "weeknote-gen check"):
        assert command in readme
    assert "GitHub Pages" in readme


def test_init_is_listed_with_the_other_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--help")[0] == 0  # argparse prints help to sys.stdout itself
    assert "    init " in capsys.readouterr().out


def test_a_content_folder_of_section_pages_alone_is_not_notes(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "_index.md").write_text("+++\ntitle = 'Home'\n+++\n", encoding="utf-8")
    code, out, _ = init(tmp_path, "--author", "Ann")
    assert code == 0
    assert "Found notes" not in out
    assert "wrote weeknotes/2026/2026-11-20-week-47-ann.md" in out


def assert_only_prompt_advice(err: str) -> None:
    """A new site's first build says only that the first note's prompts (one each under
    "This week", "Next week" and the learning heading) still wait for the author's words."""
    codes = re.findall(r"\[([a-z.-]+)\]", err)
    assert codes == ["note.template-prompt"] * 3, err
