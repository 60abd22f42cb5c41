"""An incremental build must always equal a clean build: random edit sequences, both ways.

The most common bug in incremental generators is a list page (home, author, term, week,
archive, feed, sitemap) that does not notice a note it lists has changed, appeared,
disappeared, or moved. Hypothesis applies random edits to a site that is rebuilt with its
cache after each one, and compares the output with a fresh build of the same files. An edit
of a later paragraph alone leaves the note's card as it was, so the CLI build after it is a
delta build (`engine.delta`), unless the text brings a new problem.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXED_NOW, build_site, note, write_site
from tests.test_output import files_under
from weeknote_gen.engine.build import BuildOptions, BuildState, build
from weeknote_gen.engine.preview import preview_notes

CONFIG = {"title": "T", "base_url": "https://e.org/", "per_page": 2, "search": False}
AUTHORS = ["Ada Byron", "Bo Li", "Cy Young"]
THEMES = ["agile", "maps", "data", "open"]
TITLES = ["Alpha", "Beta", "Gamma", "Delta"]

edits = st.one_of(
    st.tuples(
        st.just("write"),
        st.integers(0, 5),
        st.sampled_from(TITLES),
        st.integers(1, 28),
        st.sampled_from(AUTHORS),
        st.lists(st.sampled_from(THEMES), max_size=2, unique=True),
        st.booleans(),
    ),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(
        st.just("text"),
        st.integers(0, 5),
        st.sampled_from(
            ["Short.", "A *longer* week.", "Done.\n\n## Something I'm learning\n\nPatience."]
        ),
    ),
    st.tuples(
        st.just("later"),
        st.integers(0, 5),
        st.sampled_from(
            [
                "More.",
                "A *second* thought.",
                "See [it](n1.md) again.",
                "Now [gone](x.md).",
                "{{< x >}}",
            ]
        ),
    ),
    st.tuples(st.just("template"), st.sampled_from(["", "<p>custom footer</p>"])),
    st.tuples(st.just("config"), st.integers(1, 3)),
)


def apply(site: Path, edit: tuple[object, ...]) -> None:
    kind = edit[0]
    if kind == "write":
        _, index, title, day, author, themes, draft = edit
        body = f"Body of {title}. See [the first](n0.md).\n"
        text = note(
            title=f"{title} {index}",
            date=f"2026-02-{day:02d}",
            author=author,
            theme=list(themes),
            draft=draft,
            body=body,
        )  # type: ignore[arg-type]
        (site / "weeknotes" / f"n{index}.md").write_text(text, encoding="utf-8")
    elif kind == "text":  # only the body: the dev server's fast path
        path = site / "weeknotes" / f"n{edit[1]}.md"
        if path.is_file():
            front, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
            path.write_text(f"{front}---\n{edit[2]} See [the first](n0.md).\n", encoding="utf-8")
    elif kind == "later":  # a later paragraph only: the card stays, so a CLI build is a delta
        existing = sorted((site / "weeknotes").glob("n*.md"))  # one of them, to be sure
        if existing:
            path = existing[int(edit[1]) % len(existing)]  # type: ignore[call-overload]
            front, _, body = path.read_text(encoding="utf-8").rpartition("---\n")
            first = body.split("\n\n")[0].rstrip("\n")
            path.write_text(f"{front}---\n{first}\n\n{edit[2]}\n", encoding="utf-8")
    elif kind == "delete":
        (site / "weeknotes" / f"n{edit[1]}.md").unlink(missing_ok=True)
    elif kind == "template":
        footer = site / "site_templates" / "404.html"
        if edit[1]:
            footer.parent.mkdir(exist_ok=True)
            footer.write_text(
                f"{{% extends 'base.html' %}}{{% block main %}}{edit[1]}{{% endblock %}}",
                encoding="utf-8",
            )
        else:
            footer.unlink(missing_ok=True)
    else:
        write_site(site, {}, {**CONFIG, "per_page": edit[1]})


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(edits, min_size=1, max_size=6))
def test_incremental_builds_equal_clean_builds(
    tmp_path: Path, sequence: list[tuple[object, ...]]
) -> None:
    work = tmp_path / "work"
    shutil.rmtree(work, ignore_errors=True)
    site = write_site(
        work / "site", {"weeknotes/n0.md": note(title="Start", date="2026-02-01")}, CONFIG
    )
    assert build_site(site).ok
    for edit in sequence:
        apply(site, edit)
        incremental = build_site(site)
        clean_site = work / "clean"
        shutil.rmtree(clean_site, ignore_errors=True)
        shutil.copytree(site, clean_site, ignore=shutil.ignore_patterns("_site", ".weeknote-cache"))
        clean = build_site(clean_site)
        assert incremental.ok == clean.ok
        assert [d.format() for d in incremental.diagnostics] == [
            d.format() for d in clean.diagnostics
        ]
        if clean.ok:
            assert files_under(site / "_site") == files_under(clean_site / "_site"), edit


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(edits, min_size=1, max_size=6))
def test_the_dev_servers_warm_rebuilds_and_previews_equal_clean_builds(
    tmp_path: Path, sequence: list[tuple[object, ...]]
) -> None:
    """As `serve` runs: one BuildState in memory across builds, and the fast path for each
    changed note first, whose page must be exactly what the rebuild then writes."""
    work = tmp_path / "warm"
    shutil.rmtree(work, ignore_errors=True)
    site = write_site(
        work / "site", {"weeknotes/n0.md": note(title="Start", date="2026-02-01")}, CONFIG
    )
    state = BuildState()
    options = BuildOptions(now=FIXED_NOW)
    assert build(site, options, state).ok
    for edit in sequence:
        apply(site, edit)
        changed = {site / "weeknotes" / f"n{edit[1]}.md"} if edit[0] == "text" else set()
        shown = preview_notes(site, changed, state) or []
        previews = {page: (site / "_site" / page).read_bytes() for page in shown}
        warm = build(site, options, state)
        clean_site = work / "clean"
        shutil.rmtree(clean_site, ignore_errors=True)
        shutil.copytree(site, clean_site, ignore=shutil.ignore_patterns("_site", ".weeknote-cache"))
        clean = build_site(clean_site)
        assert warm.ok == clean.ok
        if clean.ok:
            expected = files_under(clean_site / "_site")
            assert files_under(site / "_site") == expected, edit
            for page, data in previews.items():
                assert data == expected[page], page
