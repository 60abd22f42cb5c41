"""Work tracked per output file: after an edit, only the outputs that read what changed are
made again, and the result is byte for byte what a clean build makes."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXED_NOW, build_site, note, write_site
from tests.test_output import files_under
from weeknote_gen.engine.build import BuildOptions, BuildState, build
from weeknote_gen.engine.codec import PAGES
from weeknote_gen.engine.load import LoadOptions, load_site
from weeknote_gen.engine.records import SiteDigests, page_keys
from weeknote_gen.engine.stages import plan_pages
from weeknote_gen.output.render import make_environment, template_fingerprints
from weeknote_gen.output.theme import templates_fingerprint

CONFIG = {"title": "T", "base_url": "https://e.org/", "per_page": 3, "search": False}
THEMES = ["maps", "data", "open"]


def _site(root: Path) -> Path:
    files = {
        f"weeknotes/2026-01-{day:02d}-n{day}.md": note(
            title=f"Note {day}",
            date=f"2026-01-{day:02d}",
            author=["Ada Byron", "Bo Li"][day % 2],
            theme=[THEMES[day % 3]],
            body=f"What happened on day {day}.\n\nMore on day {day}.\n\n"
            f"## Something I'm learning\n\nTopic {day}.\n",
        )
        for day in range(1, 25)
    }
    return write_site(root, files, CONFIG)


def _made_again(
    site: Path, edit: str, new: str, path: str = "weeknotes/2026-01-12-n12.md"
) -> set[str]:
    """The URLs of the pages a rebuild made (not took from the memo) after replacing `edit`
    with `new` in `path` (note 12); the output checked against a clean build of the same
    files."""
    first = BuildState.on_disk(site)
    assert build(site, BuildOptions(now=FIXED_NOW), first).ok
    first.memo.save()
    text = (site / path).read_text(encoding="utf-8")
    assert edit in text
    (site / path).write_text(text.replace(edit, new), encoding="utf-8")
    second = BuildState.on_disk(site)
    assert build(site, BuildOptions(now=FIXED_NOW), second).ok
    clean = site.parent / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("_site", ".weeknote-cache"))
    assert build_site(clean).ok
    assert files_under(site / "_site") == files_under(clean / "_site")
    made = second.memo.table(PAGES).used - first.memo.table(PAGES).used
    loaded = load_site(site, LoadOptions(now=FIXED_NOW))
    assert loaded.site is not None
    specs, _ = plan_pages(loaded.site)
    env = make_environment(site, loaded.site.config)
    every = templates_fingerprint(site)
    used = template_fingerprints(env, {spec.template for spec in specs}, every)
    keys = page_keys(specs, SiteDigests.of(loaded.site), used)
    assert len(set(keys)) == len(keys)
    return {spec.url for spec, key in zip(specs, keys, strict=True) if key in made}


def _url(site: Path, day: int) -> str:
    loaded = load_site(site, LoadOptions(now=FIXED_NOW))
    assert loaded.site is not None
    return loaded.site.notes[f"weeknotes/2026-01-{day:02d}-n{day}.md"].url


def test_a_body_edit_renders_the_notes_own_page_and_no_other(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    made = _made_again(site, "More on day 12.", "More on day 12, late.")
    assert made == {_url(site, 12)}  # its summary, learning and reading time are the same


def test_a_title_edit_renders_the_pages_that_show_the_note(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    made = _made_again(site, "title: Note 12", "title: Note twelve")
    assert {_url(site, 11), _url(site, 12), _url(site, 13)} <= made  # it, and its neighbours
    assert "/archive/" in made  # every note's card
    assert _url(site, 2) not in made  # a note far away, not related: left alone
    assert len(made) < 20


def test_a_learning_edit_renders_the_learning_logs_that_show_it(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    made = _made_again(site, "Topic 12.", "Topic twelve, and more.")
    assert _url(site, 12) in made
    assert any("learning" in url for url in made)
    assert _url(site, 2) not in made


def test_a_template_edit_renders_the_pages_made_from_it(tmp_path: Path) -> None:
    """A page depends on its own template and those it extends or includes, not on the
    rest: an edit to the 404 page's template makes the 404 page again and nothing else."""
    site = _site(tmp_path / "site")
    builtin = Path(__file__).resolve().parent.parent / "site_templates" / "404.html"
    own = site / "site_templates" / "404.html"
    own.parent.mkdir(exist_ok=True)
    own.write_text(builtin.read_text(encoding="utf-8"), encoding="utf-8")
    made = _made_again(site, "{% block", "{# edited #}{% block", "site_templates/404.html")
    assert made == {"/404.html"}
