"""Finding notes: sorted recursive `*.md` discovery, ignore rules, symlinks, decoding, digests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import build_site, note
from weeknote_gen.content.discover import (
    MAX_NOTE_BYTES,
    FileMemo,
    SourceFile,
    discover,
    discover_content,
)
from weeknote_gen.errors import SAVE_AS_UTF8, Location, Severity, error, warning

MakeSite = Callable[..., Path]
SYMLINK_HINT = "copy the file or folder into weeknotes/ instead of linking to it"


def symlink_message(target: Path) -> str:
    return f"this is a symbolic link (to {target}); links are not followed, so it was skipped"


def paths(files: tuple[SourceFile, ...]) -> list[str]:
    return [f.path for f in files]


def test_finds_markdown_files_recursively_sorted_by_path(make_site: MakeSite) -> None:
    site = make_site(
        {
            "weeknotes/intro.md": "intro\n",
            "weeknotes/2025/w01.md": "2025 w01\n",
            "weeknotes/2024/w02.md": "2024 w02\n",
            "weeknotes/2024/w01.md": "2024 w01\n",
            "weeknotes/2024/deep/w03.md": "2024 deep w03\n",
        }
    )

    files, problems = discover(site)

    assert problems == []
    assert paths(files) == [
        "weeknotes/2024/deep/w03.md",
        "weeknotes/2024/w01.md",
        "weeknotes/2024/w02.md",
        "weeknotes/2025/w01.md",
        "weeknotes/intro.md",
    ]
    assert [f.text for f in files] == [
        "2024 deep w03\n",
        "2024 w01\n",
        "2024 w02\n",
        "2025 w01\n",
        "intro\n",
    ]


def test_only_md_files_are_found(make_site: MakeSite) -> None:
    site = make_site(
        {
            "weeknotes/w01.md": "note\n",
            "weeknotes/notes.txt": "text\n",
            "weeknotes/w02.markdown": "other extension\n",
            "weeknotes/w03.md.bak": "backup\n",
            "weeknotes/photo.png": b"\x89PNG",
        }
    )

    files, problems = discover(site)

    assert problems == []
    assert paths(files) == ["weeknotes/w01.md"]


def test_files_outside_weeknotes_are_not_found(make_site: MakeSite) -> None:
    site = make_site({"weeknotes/w01.md": "note\n", "README.md": "readme\n"})

    files, _ = discover(site)

    assert paths(files) == ["weeknotes/w01.md"]


@pytest.mark.parametrize(
    "ignored",
    [
        "weeknotes/_draft.md",
        "weeknotes/.hidden.md",
        "weeknotes/2024/_wip.md",
        "weeknotes/2024/.#w01.md",
        "weeknotes/.git/p.md",
        "weeknotes/posts/_index.md",
    ],
)
def test_names_starting_with_dot_or_underscore_are_ignored(
    make_site: MakeSite, ignored: str
) -> None:
    site = make_site({"weeknotes/2024/w01.md": "kept\n", ignored: "---\ntitle: x\n---\n"})

    files, problems = discover(site)

    assert problems == []
    assert paths(files) == ["weeknotes/2024/w01.md"]


@pytest.mark.parametrize(
    "path", ["weeknotes/_partials/p.md", "weeknotes/2024/_drafts/deep/p.md", "weeknotes/_inc/a.md"]
)
def test_files_in_underscore_folders_that_are_not_notes_are_skipped_with_one_note(
    make_site: MakeSite, path: str
) -> None:
    site = make_site({"weeknotes/2024/w01.md": "kept\n", path: "just a partial\n"})

    content, problems = discover_content(site)

    assert paths(content.notes) == ["weeknotes/2024/w01.md"]
    assert content.skipped == (path,)
    assert [(p.severity, p.code, p.location) for p in problems] == [
        (Severity.NOTE, "content.skipped", Location(path))
    ]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("weeknotes/_posts/2019-10-18-week-notes.md", "No front matter, dated by name.\n"),
        ("weeknotes/_posts/notes.md", "---\ntitle: Week 1\n---\nBody\n"),
        ("weeknotes/_posts/hugo.md", "+++\ntitle = 'Week 1'\n+++\nBody\n"),
        ("weeknotes/_posts/json.md", '{"title": "Week 1"}\nBody\n'),
        ("weeknotes/_posts/pelican.md", "Title: Week 1\nDate: 2019-10-18\n\nBody\n"),
        ("weeknotes/_posts/2019_10_18.md", "Dated by name, with underscores.\n"),
        ("weeknotes/_posts/20191018-notes.md", "Dated by name, in eight digits.\n"),
    ],
)
def test_notes_in_underscore_folders_are_read(make_site: MakeSite, path: str, text: str) -> None:
    site = make_site({path: text})

    content, problems = discover_content(site)

    assert problems == []
    assert paths(content.notes) == [path]


def test_a_folder_of_markdown_that_gives_no_notes_is_an_error_saying_what_was_skipped(
    make_site: MakeSite,
) -> None:
    site = make_site(
        {"weeknotes/_includes/nav.md": "a partial\n", "weeknotes/_about.md": "about\n"}
    )

    content, problems = discover_content(site)

    assert content.notes == ()
    [problem] = problems
    assert problem.is_error and problem.code == "content.no-notes"
    assert "weeknotes/_about.md" in problem.message
    assert "weeknotes/_includes/nav.md" in problem.message


def test_an_empty_weeknotes_folder_is_not_an_error(make_site: MakeSite) -> None:
    site = make_site({"weeknotes/.keep": ""})

    content, problems = discover_content(site)

    assert content.notes == () and problems == []


def test_symlinked_file_is_skipped_with_a_warning(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"weeknotes/w01.md": "real\n"})
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("secret\n", encoding="utf-8")
    (site / "weeknotes" / "linked.md").symlink_to(secret)

    files, problems = discover(site)

    assert paths(files) == ["weeknotes/w01.md"]
    assert problems == [
        warning(
            "content.symlink",
            symlink_message(secret),
            Location("weeknotes/linked.md"),
            SYMLINK_HINT,
        )
    ]


def test_symlinked_folder_is_not_followed(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"weeknotes/w01.md": "real\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("secret\n", encoding="utf-8")
    (site / "weeknotes" / "shared").symlink_to(outside, target_is_directory=True)

    files, problems = discover(site)

    assert paths(files) == ["weeknotes/w01.md"]
    assert problems == [
        warning(
            "content.symlink", symlink_message(outside), Location("weeknotes/shared"), SYMLINK_HINT
        )
    ]


def test_non_utf8_file_is_an_encoding_error_at_the_bad_byte(make_site: MakeSite) -> None:
    site = make_site(
        {
            "weeknotes/a.md": "fine\n",
            "weeknotes/b.md": b"---\ntitle: ok\nab\xffcd\n",
        }
    )

    files, problems = discover(site)

    assert paths(files) == ["weeknotes/a.md"]
    assert problems == [
        error(
            "content.encoding",
            "the file is not UTF-8 (byte 0xff cannot be read)",
            Location("weeknotes/b.md", 3, 3),
            SAVE_AS_UTF8,
        )
    ]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [("---\ntitle: A\n".encode("utf-16"), "UTF-16"), ("---\n".encode("utf-32"), "UTF-32")],
)
def test_a_utf16_or_utf32_file_is_named_as_such(
    make_site: MakeSite, data: bytes, encoding: str
) -> None:
    site = make_site({"weeknotes/a.md": data})

    files, problems = discover(site)

    assert files == ()
    assert problems == [
        error(
            "content.encoding",
            f"the file is saved as {encoding}, not UTF-8",
            Location("weeknotes/a.md", 1, 1),
            SAVE_AS_UTF8,
        )
    ]


def test_a_nul_character_is_an_encoding_error_at_its_place(make_site: MakeSite) -> None:
    site = make_site({"weeknotes/a.md": b"---\ntitle: A\n---\nab\x00c\n"})

    files, problems = discover(site)

    assert files == ()
    assert [(p.code, p.location) for p in problems] == [
        ("content.encoding", Location("weeknotes/a.md", 4, 3))
    ]


def test_a_note_over_the_size_limit_is_refused_without_reading_it(make_site: MakeSite) -> None:
    site = make_site({"weeknotes/small.md": "---\n", "weeknotes/big.md": b""})
    with (site / "weeknotes" / "big.md").open("wb") as big:
        big.truncate(MAX_NOTE_BYTES + 1)  # sparse: no 2 MB written

    files, problems = discover(site)

    assert paths(files) == ["weeknotes/small.md"]
    assert [(p.code, p.location, p.message) for p in problems] == [
        (
            "content.too-large",
            Location("weeknotes/big.md"),
            "the note is 2.0 MB, more than the 2 MB a note can be",
        )
    ]


def test_latin1_on_the_first_line_is_located_at_line_one(make_site: MakeSite) -> None:
    site = make_site({"weeknotes/a.md": "café\n".encode("latin-1")})

    _, problems = discover(site)

    assert [(d.code, d.location) for d in problems] == [
        ("content.encoding", Location("weeknotes/a.md", 1, 4))
    ]


def test_utf8_bom_is_stripped(make_site: MakeSite) -> None:
    site = make_site({"weeknotes/a.md": b"\xef\xbb\xbf---\ntitle: A\n"})

    files, problems = discover(site)

    assert problems == []
    assert files[0].text == "---\ntitle: A\n"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"---\r\ntitle: A\r\n---\r\nBody\r\n", "---\ntitle: A\n---\nBody\n"),
        (b"one\rtwo\r", "one\ntwo\n"),
    ],
)
def test_line_endings_are_normalised_to_newline(make_site: MakeSite, raw: bytes, text: str) -> None:
    site = make_site({"weeknotes/a.md": raw})

    files, _ = discover(site)

    assert files[0].text == text


def test_sha256_is_of_the_raw_bytes(make_site: MakeSite) -> None:
    raw = b"\xef\xbb\xbf---\r\ntitle: Caf\xc3\xa9\r\n---\r\n"
    site = make_site({"weeknotes/a.md": raw})

    files, _ = discover(site)

    assert files[0] == SourceFile(
        "weeknotes/a.md", "---\ntitle: Café\n---\n", hashlib.sha256(raw).hexdigest()
    )


def test_missing_weeknotes_folder_is_an_error(make_site: MakeSite) -> None:
    site = make_site({})

    files, problems = discover(site)

    assert files == ()
    assert problems == [
        error(
            "content.missing",
            f"no weeknotes/ folder in {site}",
            Location("weeknotes"),
            "create weeknotes/ and put one Markdown file per weeknote in it",
        )
    ]


def test_empty_weeknotes_folder_finds_nothing_without_problems(make_site: MakeSite) -> None:
    site = make_site({})
    (site / "weeknotes").mkdir()

    assert discover(site) == ((), [])


def test_a_memo_skips_rereading_unchanged_files_but_never_misses_a_change(
    make_site: MakeSite,
) -> None:
    site = make_site(
        {
            "weeknotes/a.md": "---\ntitle: A\n---\nOne.\n",
            "weeknotes/b.md": "---\ntitle: B\n---\nTwo.\n",
            "weeknotes/board.png": b"picture",
        }
    )
    memo: FileMemo = {}
    first, _ = discover_content(site, memo)
    assert sorted(memo) == ["weeknotes/a.md", "weeknotes/b.md", "weeknotes/board.png"]

    (site / "weeknotes/b.md").write_text(
        "---\ntitle: B\n---\nTwo!\n", encoding="utf-8"
    )  # same size
    (site / "weeknotes/board.png").unlink()
    second, problems = discover_content(site, memo)

    assert problems == []
    assert second.notes[0] is first.notes[0]  # a.md was not read again
    assert second.notes[1].text.endswith("Two!\n")
    assert second.assets == ()
    assert sorted(memo) == ["weeknotes/a.md", "weeknotes/b.md"]
    assert discover_content(site)[0] == second  # the same as reading everything


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (FileNotFoundError(2, "No such file or directory"), "No such file or directory"),
        (PermissionError(13, "Permission denied"), "Permission denied"),
    ],
    ids=["vanishes", "turns-unreadable"],
)
def test_a_note_that_vanishes_or_turns_unreadable_mid_build_is_reported(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, failure: OSError, reason: str
) -> None:
    site = make_site({"weeknotes/a.md": note(title="A"), "weeknotes/b.md": note(title="B")})
    assert build_site(site).ok
    before = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    (site / "weeknotes/a.md").write_text(note(title="A again"), encoding="utf-8")
    read_bytes = Path.read_bytes

    def flaky(path: Path) -> bytes:  # found by the walk, gone (or locked) by the read
        if path.name == "b.md":
            raise failure
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", flaky)
    result = build_site(site)
    monkeypatch.undo()

    assert not result.ok
    assert [d.format() for d in result.diagnostics] == [
        f"weeknotes/b.md: error: cannot read the file: {reason} [content.unreadable]"
    ]
    after = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    assert after == before  # the previous site is untouched
    assert build_site(site).ok  # and once the file is back, all is well


def test_a_static_folder_reached_through_a_linked_folder_is_not_read(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site({"weeknotes/w01.md": "kept\n"})
    outside = tmp_path / "outside" / "inner"
    outside.mkdir(parents=True)
    (outside / "key.txt").write_text("secret\n", encoding="utf-8")
    (site / "assets").symlink_to(outside.parent)

    content, problems = discover_content(site, static_dir="assets/inner")

    assert content.static == ()
    assert [p.code for p in problems] == ["content.symlink"]
