"""Slugs, note URLs and output paths, for any input (hypothesis).

Whatever a title, a slug or a permalink pattern holds (dot segments, percent-encoded dots,
backslashes, drive letters, Windows device names, invisible characters, very long text),
a note's URL is a clean URL path, its file stays inside the output folder, and two notes only
share a URL when the build says so.
"""

from __future__ import annotations

import datetime as dt
import os.path
import re
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import build_site, note, write_site
from weeknote_gen.config import WINDOWS_DEVICE_NAMES, load_config
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.write.paths import check_artifacts
from weeknote_gen.urls import SLUG_LIMIT, note_url, output_path, slugify

# Pieces that have broken path handling somewhere, mixed into generated text.
TRICKY = [
    "..",
    ".",
    "%2e%2e",
    "%2E%2e",
    "%2f",
    "%",
    "\\",
    "..\\",
    "/",
    "//",
    "C:",
    "c:\\",
    "CON",
    "NUL",
    "aux.txt",
    "com1",
    ".hidden",
    "~",
    "?",
    "#",
    " ",
    "\u202e",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u0345",
    "e\u0301",
    "\u00e9",
    "ß",
    "İ",
    "ﬁ",
    "日本",
    "{slug}",
    "{year}",
    "\x00",
    "\t",
]
tricky_text = st.lists(st.sampled_from(TRICKY) | st.text(max_size=6), max_size=8).map("".join)
long_text = st.integers(min_value=50, max_value=400).map(lambda n: "week " * n)
any_text = tricky_text | st.text() | long_text

NAME_MAX = 255  # bytes in one file or folder name, on every common file system
SLUG_SHAPE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@settings(max_examples=300, deadline=None)
@given(any_text)
@example("..")
@example("%2e%2e")
@example("C:\\Windows")
@example("\u202eevil\u200b")
@example("\u0345")
def test_a_slug_is_words_and_hyphens_only(text: str) -> None:
    slug = slugify(text)
    if not slug:
        return
    assert SLUG_SHAPE.fullmatch(slug), slug
    # No controls, format characters (U+202E, U+200B), spaces, punctuation or symbols.
    categories = {unicodedata.category(c) for c in slug.replace("-", "")}
    assert not {c for c in categories if c[0] in "CZPS"}, slug
    assert len(slug.encode("utf-8")) <= SLUG_LIMIT <= NAME_MAX // 2
    # A slug written in front matter is accepted when it is its own slug.
    assert slugify(slug) == slug


def is_canonical_url_path(url: str) -> bool:
    """Percent-encoded exactly once, as `quote` would: decoding and encoding again gives it
    back, and no '%' is left that does not start an escape."""
    return quote(unquote(url)) == url and not re.search(r"%(?![0-9A-F]{2})", url)


def check_note_path(url: str) -> None:
    """The invariants of a note's URL and of the file it is written to."""
    assert url.startswith("/") and url.endswith("/"), url
    assert "//" not in url, url
    assert is_canonical_url_path(url), url
    segments = unquote(url).split("/")[1:-1]
    assert all(s not in ("", ".", "..") for s in segments), url
    path = output_path(url)
    assert not PurePosixPath(path).is_absolute()
    assert "\\" not in path, path
    joined = f"/out/{path}"
    resolved = os.path.normpath(joined)
    assert resolved.startswith("/out/"), path
    assert resolved == joined, path  # nothing for normpath to fold


def permalinks() -> st.SearchStrategy[str]:
    piece = st.sampled_from(["{year}", "{month}", "{day}", "{week}", "{slug}", "{author}"])
    segment = st.lists(piece | st.sampled_from(TRICKY) | st.text(max_size=4), max_size=3)
    return st.lists(segment.map("".join), min_size=1, max_size=4).map(
        lambda parts: "/" + "/".join(parts) + "/"
    )


def read_permalink(permalink: str) -> str | None:
    """The permalink as the config reader accepts it, or None when it refuses it."""
    with tempfile.TemporaryDirectory() as scratch:
        config_file = Path(scratch) / "config.yaml"
        raw = {"title": "T", "base_url": "https://e.org/", "permalink": permalink}
        config_file.write_text(yaml.safe_dump(raw), encoding="utf-8")
        config, problems = load_config(Path(scratch))
    if config is None or any(p.severity == "error" for p in problems):
        return None
    return config.permalink


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    permalinks(),
    any_text,
    any_text,
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)),
)
@example("/{year}/../{slug}/", "x", "ada", dt.date(2026, 1, 9))
@example("/%2e%2e/{slug}/", "x", "ada", dt.date(2026, 1, 9))
@example("/{year}/./{slug}/", "x", "ada", dt.date(2026, 1, 9))
@example("/C:/{slug}/", "x", "ada", dt.date(2026, 1, 9))
@example("/{year}\\{slug}/", "x", "ada", dt.date(2026, 1, 9))
def test_a_note_url_is_clean_or_the_build_refuses_it(
    permalink: str, title: str, author: str, day: dt.date
) -> None:
    accepted = read_permalink(permalink)
    slug, author_slug = slugify(title), slugify(author)
    if accepted is None or not slug or not author_slug:
        return  # refused with a diagnostic (config.permalink) or no slug to place
    url = note_url(accepted, day=day, slug=slug, author=author_slug)
    refused = check_artifacts([Artifact(output_path(url), b"")])
    if refused:
        # The last line of defence refused to write it: the build reports, writes nothing.
        assert {p.code for p in refused} == {"output.unsafe-path"}
        return
    check_note_path(url)


# Names that look different but may land on one URL (case, normal forms, spacing, device
# names), for notes in different folders.
CLASHING_NAMES = [
    "Week-One",
    "week-one",
    "WEEK ONE",
    "week_one",
    "week--one",
    "Wéek one",
    "We\u0301ek one",
    "week\u200bone",
    "CON",
    "con",
    "aux.txt",
]


@settings(max_examples=12, deadline=None)
@given(st.lists(st.sampled_from(CLASHING_NAMES), min_size=2, max_size=4))
def test_two_notes_never_share_a_url_unless_the_build_says_so(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        files = {
            f"weeknotes/{i}/{name}.md": note(title=f"Note {i}", date="2026-01-09")
            for i, name in enumerate(names)
        }
        config = {"title": "T", "base_url": "https://e.org/", "search": False}
        root = write_site(Path(scratch) / "site", files, config)
        result = build_site(root)
        slugs = [slugify(name) for name in names]
        if WINDOWS_DEVICE_NAMES & set(slugs):  # "con": a folder Windows cannot make
            assert not result.ok
            assert "front-matter.slug" in {d.code for d in result.diagnostics}
            assert not (root / "_site").exists()
            return
        if len(set(slugs)) < len(slugs):
            assert not result.ok
            assert "url.clash" in {d.code for d in result.diagnostics}
            assert not (root / "_site").exists()
            return
        assert result.ok, [d.format() for d in result.diagnostics]
        pages = sorted((root / "_site" / "2026").glob("*/index.html"))
        assert len(pages) == len(names)
        # Distinct even on a file system that ignores case or normal form (macOS, Windows).
        folded = {unicodedata.normalize("NFD", p.parent.name).casefold() for p in pages}
        assert len(folded) == len(names)
