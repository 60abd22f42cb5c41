"""The new-note template's prompts left in a note: warned about at their lines, and never
shown as the note's learning or summary (learning log, week pages, digests, feeds)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, build_site, note
from weeknote_gen.cli import main
from weeknote_gen.commands.digest import render
from weeknote_gen.commands.digest_contents import digest_site, make_digest
from weeknote_gen.config import load_config
from weeknote_gen.content.learning import extract_passages, summary_without_prompts
from weeknote_gen.content.template_prompts import find_prompts, paragraphs, prompt_keys
from weeknote_gen.output.note_prompts import note_template_prompts

CONFIG = {"title": "T", "base_url": "https://e.org/", "default_author": "Ada Lovelace"}
WORKED_ON = "What did you work on? What went well, and what was hard?"
PLANNING = "What are you planning, and what might get in the way?"
NOTICED = "One thing you noticed, read or tried this week. It can be small."
WELSH_WORKED_ON = "Ar beth fuoch chi'n gweithio? Beth aeth yn dda, a beth oedd yn anodd?"
WELSH_PLANNING = "Beth ydych chi'n ei gynllunio, a beth allai fynd yn y ffordd?"
WELSH_NOTICED = (
    "Un peth y sylwoch arno, y darllenoch neu y rhoesoch gynnig arno'r wythnos hon."
    " Gall fod yn fach."
)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))
    monkeypatch.setattr("weeknote_gen.commands.new.git_user_name", lambda: "")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def fresh_note(site: Path, *args: str) -> Path:
    code, out, _ = run("new", *args, "--site", str(site))
    assert code == 0
    return site / out.strip()


def prompt_warnings(site: Path) -> list[tuple[str, int]]:
    code, out, _ = run("check", "--format", "json", "--site", str(site))
    assert code == 0  # a warning, not an error
    return [
        (d["file"], d["line"])
        for d in json.loads(out)["diagnostics"]
        if d["code"] == "note.template-prompt"
    ]


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(text) + 1


def test_a_fresh_note_is_warned_about_at_each_prompts_line(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({}, config=CONFIG)
    path = fresh_note(site)
    relative = path.relative_to(site).as_posix()
    # The front matter takes lines 1-5 and a blank line follows it.
    assert [line_of(path, prompt) for prompt in (WORKED_ON, PLANNING, NOTICED)] == [9, 13, 17]
    assert prompt_warnings(site) == [(relative, 9), (relative, 13), (relative, 17)]
    result = build_site(site)
    assert [(d.code, d.location.line if d.location else None) for d in result.diagnostics] == [
        ("note.template-prompt", 9),
        ("note.template-prompt", 13),
        ("note.template-prompt", 17),
    ]


def test_a_fresh_note_has_no_learning_in_the_log_the_digest_or_the_feed(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({}, config=CONFIG)
    fresh_note(site)
    build_site(site)
    output = site / "_site"
    log = (output / "learning/log/index.html").read_text(encoding="utf-8")
    week = (output / "weeks/2026-W47/index.html").read_text(encoding="utf-8")
    for page in (log, week):
        assert "noticed, read or tried" not in page
        assert "What did you work on" not in page  # nor as the inferred summary
    # The feeds carry the note as written, but give no prompt as its summary.
    assert "<summary" not in (output / "feed.xml").read_text(encoding="utf-8")
    (item,) = json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"]
    assert item.get("summary", "") == ""
    digest_site_value, problems = digest_site(site, FIXED_NOW)
    assert digest_site_value is not None, problems
    (entry,) = [n for group in make_digest(digest_site_value).groups for n in group.notes]
    assert (entry.summary, entry.learnings) == ("", ())
    for form in ("text", "markdown", "html"):
        mail = render(make_digest(digest_site_value), form)  # type: ignore[arg-type]
        assert "noticed, read or tried" not in mail and "What did you work on" not in mail


def test_an_edited_note_gives_no_warning_and_keeps_its_learning(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({}, config=CONFIG)
    path = fresh_note(site)
    text = path.read_text(encoding="utf-8")
    for prompt, words in (
        (WORKED_ON, "Moved the rota into the shared drive."),
        (PLANNING, "Train two people on it."),
        (NOTICED, "Short handovers beat long documents."),
    ):
        text = text.replace(prompt, words)
    path.write_text(text, encoding="utf-8")
    assert prompt_warnings(site) == []
    build_site(site)
    log = (site / "_site/learning/log/index.html").read_text(encoding="utf-8")
    assert "Short handovers beat long documents." in log
    digested, _ = digest_site(site, FIXED_NOW)
    assert digested is not None
    (entry,) = [n for group in make_digest(digested).groups for n in group.notes]
    assert entry.summary == "Moved the rota into the shared drive."
    assert [learning.text for learning in entry.learnings] == [
        "Short handovers beat long documents."
    ]


def test_a_half_answered_note_keeps_the_answers_and_drops_the_prompts(
    make_site: Callable[..., Path],
) -> None:
    body = (
        f"## This week\n\n{WORKED_ON}\n\nMoved the rota.\n\n"
        f"## Something I\u2019m learning\n\n{NOTICED}\n\nPairing helps.\n\n- on Mondays\n"
    )
    site = make_site({"weeknotes/a.md": note(body, date="2026-11-20")}, config=CONFIG)
    assert prompt_warnings(site) == [("weeknotes/a.md", 8), ("weeknotes/a.md", 14)]
    digested, _ = digest_site(site, FIXED_NOW)
    assert digested is not None
    (entry,) = [n for group in make_digest(digested).groups for n in group.notes]
    assert entry.summary == "Moved the rota."  # the first paragraph that is not a prompt
    assert [learning.text for learning in entry.learnings] == ["Pairing helps.\n\n- on Mondays"]


def test_welsh_prompts_are_known_on_an_english_site_and_a_bilingual_one(
    make_site: Callable[..., Path],
) -> None:
    english = make_site(
        {"weeknotes/a.md": note(f"## Dysgu\n\n{WELSH_NOTICED}\n", date="2026-11-20")},
        config=CONFIG,
    )
    assert prompt_warnings(english) == [("weeknotes/a.md", 8)]
    bilingual = make_site(
        {},
        config={**CONFIG, "languages": [{"code": "en-GB"}, {"code": "cy"}]},
        name="bilingual",
    )
    path = fresh_note(bilingual, "--lang", "cy")
    welsh = (WELSH_WORKED_ON, WELSH_PLANNING, WELSH_NOTICED)
    relative = path.relative_to(bilingual).as_posix()
    assert prompt_warnings(bilingual) == [(relative, line_of(path, p)) for p in welsh]


def test_the_sites_own_template_gives_its_prompts_not_its_per_note_lines(
    make_site: Callable[..., Path],
) -> None:
    template = (
        "Notes by {{ author }} for {{ week.label }}.\n\n## Wins\n\n"
        "{{ _('What made you smile?') }}\n\n```\nWhat went wrong?\n```\n"
    )
    site = make_site({"site_templates/new_note.md": template}, config=CONFIG)
    config, _ = load_config(site)
    assert config is not None
    prompts = note_template_prompts(site, config)
    assert "What made you smile?" in prompts
    assert WORKED_ON in prompts  # the built-in catalogues' prompts are still known
    assert not any(key.startswith("Notes by") for key in prompts)
    assert "What went wrong?" not in prompts  # code is not a paragraph
    path = fresh_note(site)
    assert prompt_warnings(site) == [
        (path.relative_to(site).as_posix(), line_of(path, "What made you smile?"))
    ]


def test_prompts_are_matched_whole_and_however_typography_wrote_them() -> None:
    prompts = prompt_keys(["Something I'm trying?", PLANNING])
    body = (
        "Something I'm trying?\n\nSomething I'm trying? Yes, pairing.\n\n"
        f"    {PLANNING}\n\n```\n{PLANNING}\n```\n\n> {PLANNING}\n\n- {PLANNING}\n\n"
        f"{PLANNING}\n===\n"
    )
    assert find_prompts(body, prompts) == [(1, "Something I'm trying?")]
    assert paragraphs("one\ntwo\n\nthree") == [(1, "one two"), (4, "three")]
    html_body = (
        "<h2>Learning</h2>\n<p>Something I\u2019m trying?</p>\n<p>Pairing.</p>"
        "\n<h2>Next</h2>\n<p>More.</p>"
    )
    (passage,) = extract_passages(html_body, ["Learning"], "", prompts)
    assert (passage.html, passage.text) == ("<p>Pairing.</p>", "Pairing.")
    assert extract_passages(html_body, ["Learning"]) != (passage,)  # no prompts: kept
    assert summary_without_prompts("Something I\u2019m trying?", html_body, prompts) == "Pairing."
    assert summary_without_prompts("Mine.", html_body, prompts) == "Mine."
