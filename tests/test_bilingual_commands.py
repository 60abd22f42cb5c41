"""`new --lang`, `digest --lang` and `status` on a bilingual site (tests/golden/sites/cymraeg):
a note started in Welsh goes where the site keeps Welsh notes with Welsh prompts, a digest
of the Welsh part holds only Welsh notes and addresses, and a person who wrote in either
language has written that week."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import yaml

from weeknote_gen.cli import main as cli_main

FIXTURE = Path(__file__).resolve().parent / "golden" / "sites" / "cymraeg"
# Friday 13 March 2026, in week 11; week 12 (16-22 March) has a Welsh note only
THIRTEENTH_MARCH = dt.datetime(2026, 3, 13, 12, tzinfo=dt.UTC)


def run(monkeypatch: pytest.MonkeyPatch, now: dt.datetime, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(now.timestamp())))
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "site"))


def _front_matter(text: str) -> dict[str, object]:
    block = text.split("---\n")[1]
    loaded = yaml.safe_load(block)
    assert isinstance(loaded, dict)
    return loaded


def test_new_in_welsh_goes_in_the_welsh_folder_with_welsh_prompts(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(
        monkeypatch,
        THIRTEENTH_MARCH,
        "new",
        "--site",
        str(site),
        "--lang",
        "cy",
        "--author",
        "Gwen Pritchard",
    )
    assert code == 0
    assert out.strip() == "weeknotes/cy/2026/2026-03-13-wythnos-11-gwen-pritchard.md"
    text = (site / out.strip()).read_text(encoding="utf-8")
    assert _front_matter(text)["title"] == "Wythnos 11"
    assert "lang" not in _front_matter(text)  # the folder says it
    assert "## Yr wythnos hon" in text
    assert "## Rhywbeth rwy'n ei ddysgu" in text  # a learning heading the site recognises
    assert "What did you work on" not in text


def test_new_in_welsh_without_a_welsh_folder_writes_lang(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.rmtree(site / "weeknotes" / "cy")
    code, out, _ = run(
        monkeypatch, THIRTEENTH_MARCH, "new", "Cyfarfod", "--site", str(site), "--lang", "cy"
    )
    assert code == 0
    assert out.strip() == "weeknotes/2026/2026-03-13-cyfarfod.md"
    assert _front_matter((site / out.strip()).read_text(encoding="utf-8"))["lang"] == "cy"


def test_new_in_the_default_language_is_as_before(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(monkeypatch, THIRTEENTH_MARCH, "new", "--site", str(site), "--lang", "en")
    assert code == 0
    text = (site / out.strip()).read_text(encoding="utf-8")
    assert out.strip() == "weeknotes/2026/2026-03-13-week-11-gwen-pritchard.md"
    assert "lang" not in _front_matter(text)
    assert "## Something I'm learning" in text


def test_new_in_a_language_the_site_lacks_is_a_usage_error(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(monkeypatch, THIRTEENTH_MARCH, "new", "--site", str(site), "--lang", "fr")
    assert code == 2
    assert "this site has no language 'fr'; its languages are: en-GB, cy [new.lang]" in err
    assert not (site / "weeknotes" / "2026").exists()


def test_a_digest_in_welsh_holds_the_welsh_notes(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("digest", "--site", str(site), "--week", "2026-W11", "--format", "text")
    code, welsh, _ = run(monkeypatch, THIRTEENTH_MARCH, *args, "--lang", "cy")
    assert code == 0
    assert "Nodiadau wythnos, 13 Mawrth" in welsh
    assert "https://digital.example.cymru/cy/2026/archwiliad-hygyrchedd/" in welsh
    assert "Week notes, 13 March" not in welsh
    # the digest's own words are Welsh too
    assert welsh.startswith("Tîm digidol Cyngor Morlais: Wythnos 11, 2026\n")
    assert "Dydd Llun 9 – Dydd Sul 15 Mawrth 2026 · 1 nodyn" in welsh
    assert "Gan Gwen Pritchard, 13 Mawrth 2026" in welsh
    assert "Pob nodyn: https://digital.example.cymru/cy/" in welsh
    code, english, _ = run(monkeypatch, THIRTEENTH_MARCH, *args)
    assert code == 0
    assert "Week notes, 13 March" in english
    assert "By Gwen Pritchard, 13 March 2026" in english
    assert "/cy/" not in english


def test_a_digest_in_a_language_the_site_lacks_is_a_usage_error(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(monkeypatch, THIRTEENTH_MARCH, "digest", "--site", str(site), "--lang", "de")
    assert code == 2
    assert "this site has no notes in 'de'; its languages are: en-GB, cy" in err


def test_status_counts_a_note_in_either_language(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = THIRTEENTH_MARCH + dt.timedelta(days=7)  # week 12: a Welsh note only
    code, out, _ = run(monkeypatch, later, "status", "--site", str(site))
    assert code == 0
    assert "Gwen Pritchard  written" in out
    assert "Everyone has written for week 12" in out
