"""`config.yaml`: the strict schema, its defaults, and located problems with useful hints."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import fields
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from weeknote_gen.config import (
    PERMALINK_TOKENS,
    TOKEN_BYTES,
    WINDOWS_DEVICE_NAMES,
    AuthorProfile,
    Config,
    MarkdownOptions,
    TaxonomyConfig,
    load_config,
)
from weeknote_gen.config.reference import config_reference
from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.write.paths import check_artifacts
from weeknote_gen.urls import SLUG_LIMIT, note_url, output_path

MINIMAL = "title: Team weeknotes\nbase_url: https://notes.example.org/\n"
DEFAULT_TAXONOMIES = (
    TaxonomyConfig("team", "Team", "Teams"),
    TaxonomyConfig("theme", "Theme", "Themes"),
    TaxonomyConfig("learning", "Learning", "Learning"),
)
KNOWN_KEYS = (
    "title, description, base_url, language, languages, default_author, authors, taxonomies, "
    "per_page, permalink, output_dir, static_dir, markdown, feed_entries, image, reply, search, "
    "accessibility_url, taxonomy_terms, week_ends_on, dates_from_git, cadence, learning_headings, "
    "front_matter, words"
)


def load(site: Path, text: str) -> tuple[Config | None, list[Diagnostic]]:
    (site / "config.yaml").write_text(text, encoding="utf-8")
    return load_config(site)


def load_ok(site: Path, text: str) -> Config:
    config, problems = load(site, text)
    assert problems == []
    assert config is not None
    return config


def at(line: int | None = None, column: int | None = None) -> Location:
    return Location("config.yaml", line, column)


# --------------------------------------------------------------------------- valid configs


def test_minimal_config_gets_every_default(tmp_path: Path) -> None:
    config = load_ok(tmp_path, MINIMAL)

    assert config == Config(
        title="Team weeknotes",
        base_url="https://notes.example.org/",
        description="",
        language="en-GB",
        default_author="",
        authors=(),
        taxonomies=DEFAULT_TAXONOMIES,
        per_page=10,
        permalink="/{year}/{slug}/",
        output_dir="_site",
        markdown=MarkdownOptions(allow_html=False),
    )
    assert config.base_path == "/"
    assert config.taxonomy_names == ("team", "theme", "learning")


def test_base_url_gets_a_trailing_slash(tmp_path: Path) -> None:
    config = load_ok(tmp_path, "title: T\nbase_url: https://notes.example.org\n")

    assert config.base_url == "https://notes.example.org/"
    assert config.base_path == "/"


def test_base_url_with_a_sub_path_sets_base_path(tmp_path: Path) -> None:
    config = load_ok(tmp_path, "title: T\nbase_url: https://example.org/sub/path\n")

    assert config.base_url == "https://example.org/sub/path/"
    assert config.base_path == "/sub/path/"


def test_text_values_are_stripped(tmp_path: Path) -> None:
    config = load_ok(
        tmp_path,
        "title: '  Team weeknotes  '\nbase_url: https://x.org/\n"
        "description: ' What we did. '\ndefault_author: ' Ada Lovelace '\n",
    )

    assert (config.title, config.description, config.default_author) == (
        "Team weeknotes",
        "What we did.",
        "Ada Lovelace",
    )


def test_authors_are_read_in_order_with_their_details(tmp_path: Path) -> None:
    config = load_ok(
        tmp_path,
        MINIMAL + "authors:\n  Ada Lovelace:\n    role: Engineer\n    team: Platform\n"
        "  Grace Hopper:\n",
    )

    assert config.authors == (
        AuthorProfile(name="Ada Lovelace", role="Engineer", team="Platform"),
        AuthorProfile(name="Grace Hopper"),
    )


def test_taxonomy_given_as_a_mapping_keeps_custom_labels(tmp_path: Path) -> None:
    config = load_ok(
        tmp_path,
        MINIMAL + "taxonomies:\n  - team\n  - name: project\n    singular: Project\n"
        "    plural: Projects\n",
    )

    assert config.taxonomies == (
        TaxonomyConfig("team", "Team", "Teams"),
        TaxonomyConfig("project", "Project", "Projects"),
    )


def test_taxonomy_without_known_labels_is_capitalised_and_pluralised(tmp_path: Path) -> None:
    config = load_ok(tmp_path, MINIMAL + "taxonomies: [project, work-stream]\n")

    assert config.taxonomies == (
        TaxonomyConfig("project", "Project", "Projects"),
        TaxonomyConfig("work-stream", "Work stream", "Work streams"),
    )


def test_empty_taxonomy_list_means_no_taxonomies(tmp_path: Path) -> None:
    assert load_ok(tmp_path, MINIMAL + "taxonomies: []\n").taxonomies == ()


def test_every_permalink_token_is_accepted(tmp_path: Path) -> None:
    permalink = "/{year}/{month}/{day}/{week}/{author}/{slug}/"

    assert load_ok(tmp_path, MINIMAL + f"permalink: {permalink}\n").permalink == permalink


@pytest.mark.parametrize(
    ("value", "expected"), [("public", "public"), ("./build/site", "build/site")]
)
def test_safe_output_dir_is_normalised(tmp_path: Path, value: str, expected: str) -> None:
    assert load_ok(tmp_path, MINIMAL + f"output_dir: {value}\n").output_dir == expected


def test_per_page_and_allow_html_are_read(tmp_path: Path) -> None:
    config = load_ok(tmp_path, MINIMAL + "per_page: 25\nmarkdown:\n  allow_html: true\n")

    assert config.per_page == 25
    assert config.markdown == MarkdownOptions(allow_html=True)


def test_dates_from_git_is_off_unless_turned_on(tmp_path: Path) -> None:
    assert load_ok(tmp_path, MINIMAL).dates_from_git is False
    assert load_ok(tmp_path, MINIMAL + "dates_from_git: true\n").dates_from_git is True


def test_dates_from_git_written_as_text_is_an_error_at_its_line(tmp_path: Path) -> None:
    config, problems = load(tmp_path, MINIMAL + 'dates_from_git: "true"\n')

    assert config is None
    assert problems == [
        error(
            "config.dates-from-git",
            "'dates_from_git' must be true or false",
            at(3, 17),
            "write true or false, without quotes",
        )
    ]


@pytest.mark.parametrize("flavour", ["github", "classic"])
def test_markdown_flavour_is_read(tmp_path: Path, flavour: str) -> None:
    config = load_ok(tmp_path, MINIMAL + f"markdown:\n  flavour: {flavour}\n")

    assert config.markdown == MarkdownOptions(flavour=flavour)


def test_markdown_flavour_defaults_to_github(tmp_path: Path) -> None:
    assert load_ok(tmp_path, MINIMAL).markdown.flavour == "github"


def test_unknown_markdown_flavour_is_an_error_at_its_line(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "markdown:\n  flavour: commonmark\n")

    assert problems == [
        error(
            "config.markdown-flavour",
            "'commonmark' is not a Markdown flavour",
            at(4, 12),
            "use github (Markdown as GitHub shows it) or classic (plain Python-Markdown)",
        )
    ]


def test_crlf_line_endings_and_a_bom_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_bytes(b"\xef\xbb\xbftitle: T\r\nbase_url: https://x.org/\r\n")

    config, problems = load_config(tmp_path)

    assert problems == []
    assert config is not None
    assert (config.title, config.base_url) == ("T", "https://x.org/")


# --------------------------------------------------------------------------- unknown keys


def test_unknown_top_level_key_is_an_error_with_a_did_you_mean_hint(tmp_path: Path) -> None:
    config, problems = load(tmp_path, MINIMAL + "titel: Other\n")

    assert config is None
    assert problems == [
        error("config.unknown-key", "unknown key 'titel'", at(3, 1), "did you mean 'title'?")
    ]


def test_unknown_key_with_no_close_match_lists_the_known_keys(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "zzzz: 1\n")

    assert problems == [
        error("config.unknown-key", "unknown key 'zzzz'", at(3, 1), f"known keys: {KNOWN_KEYS}")
    ]


def test_unknown_author_key_names_its_full_path_and_position(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "authors:\n  Ada Lovelace:\n    rol: Engineer\n")

    assert problems == [
        error(
            "config.unknown-key",
            "unknown key 'authors.Ada Lovelace.rol'",
            at(5, 5),
            "did you mean 'role'?",
        )
    ]


def test_unknown_markdown_key_is_an_error(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "markdown:\n  allow_htm: true\n")

    assert problems == [
        error(
            "config.unknown-key",
            "unknown key 'markdown.allow_htm'",
            at(4, 3),
            "did you mean 'allow_html'?",
        )
    ]


def test_non_text_key_is_located_at_its_own_line(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "\n1: one\n")

    assert problems == [
        error("config.unknown-key", "unknown key '1'", at(4, 1), f"known keys: {KNOWN_KEYS}")
    ]


# --------------------------------------------------------------------------- required values


def test_missing_title_is_an_error(tmp_path: Path) -> None:
    config, problems = load(tmp_path, "base_url: https://x.org/\n")

    assert config is None
    assert problems == [
        error(
            "config.title",
            "'title' is required",
            at(1),
            "add a line such as: title: Our weeknotes",
        )
    ]


def test_title_that_is_a_number_is_reported_once_as_a_type_error(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "title: 12\nbase_url: https://x.org/\n")

    assert problems == [
        error("config.type", "'title' must be text", at(1, 8), "put the value in quotes")
    ]


def test_missing_base_url_is_an_error(tmp_path: Path) -> None:
    config, problems = load(tmp_path, "title: T\n")

    assert config is None
    assert problems == [
        error(
            "config.base-url",
            "'base_url' is required",
            at(1),
            "the address the site is published at, such as https://weeknotes.example.org/",
        )
    ]


@pytest.mark.parametrize("value", ["/notes/", "weeknotes.example.org", "ftp://x.org/"])
def test_base_url_must_be_an_absolute_http_address(tmp_path: Path, value: str) -> None:
    config, problems = load(tmp_path, f"title: T\nbase_url: {value}\n")

    assert config is None
    assert problems == [
        error(
            "config.base-url",
            f"base_url '{value}' is not an absolute http(s) address",
            at(2, 11),
            "write it in full, such as https://weeknotes.example.org/",
        )
    ]


def test_base_url_with_a_query_is_an_error(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "title: T\nbase_url: https://x.org/?a=1\n")

    assert problems == [
        error("config.base-url", "base_url cannot have a query or fragment", at(2, 11))
    ]


# --------------------------------------------------------------------------- YAML problems


def test_duplicate_key_is_an_error_naming_the_first_line(tmp_path: Path) -> None:
    config, problems = load(tmp_path, MINIMAL + "title: Again\n")

    assert config is None
    assert problems == [
        error(
            "yaml.duplicate-key",
            "key 'title' appears twice (first on line 1)",
            at(3, 1),
            "delete one of them: YAML keeps only one value per key",
        )
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "title: T\n\tbase_url: https://x.org/\n",
            error(
                "yaml.syntax",
                "invalid YAML: a tab character",
                Location("config.yaml", 2, 1),
                "YAML does not allow tabs for indentation: use spaces",
            ),
            id="tab",
        ),
        pytest.param(
            'title: "T\nbase_url: https://x.org/\n',
            error(
                "yaml.syntax",
                "invalid YAML: this quote is never closed",
                Location("config.yaml", 1, 8),
                "add the closing quote at the end of the value",
            ),
            id="unclosed-quote",
        ),
        pytest.param(
            "title: T\nbase_url: https://x.org/\ntaxonomies: [team, theme\n",
            error(
                "yaml.syntax",
                "invalid YAML: this list in [brackets] is never closed",
                Location("config.yaml", 3, 13),
                "add the closing ']' after the last item; quote items containing ',' or ': '",
            ),
            id="unclosed-bracket",
        ),
        pytest.param(
            "title: Weeknotes: the team\nbase_url: https://x.org/\n",
            error(
                "yaml.syntax",
                "invalid YAML: a ': ' where YAML does not expect one",
                Location("config.yaml", 1, 17),
                'a value containing ": " must be put in quotes, such as title: "Week 10: moving"',
            ),
            id="unquoted-colon",
        ),
    ],
)
def test_invalid_yaml_is_located_with_a_hint(
    tmp_path: Path, text: str, expected: Diagnostic
) -> None:
    config, problems = load(tmp_path, text)

    assert config is None
    assert problems == [expected]


@pytest.mark.parametrize(
    ("text", "shape"),
    [("- title\n- base_url\n", "a list"), ("", "empty"), ("just words\n", "a single value")],
)
def test_config_that_is_not_a_mapping_is_an_error(tmp_path: Path, text: str, shape: str) -> None:
    config, problems = load(tmp_path, text)

    assert config is None
    assert problems == [
        error(
            "config.not-mapping",
            f"config.yaml is {shape}, not 'key: value' lines",
            at(1),
            "start with 'title: My weeknotes' and 'base_url: https://…/'",
        )
    ]


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path)

    assert config is None
    assert problems == [
        error(
            "config.missing",
            f"no config.yaml in {tmp_path}",
            Location("config.yaml"),
            "run the command in your site folder, or point at it with --site DIR",
        )
    ]


@pytest.mark.parametrize(
    ("tag", "column"),
    [("!!python/object/apply:os.system", 8), ("!!python/object/new:os.system", 8)],
)
def test_python_object_tags_are_rejected_and_never_executed(
    tmp_path: Path, tag: str, column: int
) -> None:
    marker = tmp_path / "executed"
    text = f'title: {tag} ["touch {marker}"]\nbase_url: https://x.org/\n'

    config, problems = load(tmp_path, text)

    assert config is None
    assert not marker.exists()
    assert problems == [
        error(
            "yaml.syntax",
            f"invalid YAML: the tag {tag} is not allowed",
            at(1, column),
            "remove it: only text, numbers, true/false, lists and 'key: value' lines are read",
        )
    ]


# --------------------------------------------------------------------------- permalink


def test_permalink_with_an_unknown_token_suggests_the_close_one(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "permalink: /{yaer}/{slug}/\n")

    assert problems == [
        error(
            "config.permalink",
            "unknown token '{yaer}' in permalink",
            at(3, 12),
            "did you mean 'year'?",
        )
    ]


def test_permalink_without_slug_is_an_error(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "permalink: /{year}/{week}/\n")

    assert problems == [
        error(
            "config.permalink",
            "permalink must contain {slug}",
            at(3, 12),
            "for example: /{year}/{slug}/",
        )
    ]


def test_permalink_must_start_and_end_with_a_slash(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "permalink: '{year}/{slug}'\n")

    assert problems == [
        error(
            "config.permalink",
            "permalink must start and end with '/'",
            at(3, 12),
            "for example: /{year}/{slug}/",
        )
    ]


@pytest.mark.parametrize(
    ("permalink", "message", "hint"),
    [
        (
            "/{year}/./{slug}/",
            "permalink cannot have a '.' folder ('.' means the folder itself)",
            "for example: /{year}/{slug}/",
        ),
        (
            "/{year}/../{slug}/",
            "permalink cannot have a '..' folder ('..' means the folder above)",
            "for example: /{year}/{slug}/",
        ),
        ("/{year}//{slug}/", "permalink cannot contain '//'", "for example: /{year}/{slug}/"),
        *(
            (
                f"/{text}/{{slug}}/",
                f"permalink cannot contain '{character}'",
                "between the tokens write only letters, digits, '-', '_' and '.', for example:"
                " /{year}/{slug}/",
            )
            for text, character in [
                ("C:", ":"),
                ("%2e%2e", "%"),
                ("{year}\\x", "\\"),
                ("a b", " "),
                ("{year", "{"),
                ("?q", "?"),
            ]
        ),
        (
            "/.{year}/{slug}/",
            "permalink folder '.{year}' starts with '.', which hides it: web servers do not"
            " publish such folders",
            "for example: /{year}/{slug}/",
        ),
        (
            "/{year}/{slug}./",
            "permalink folder '{slug}.' ends with '.', which Windows drops from folder names",
            "for example: /{year}/{slug}/",
        ),
        (
            "/CON.notes/{slug}/",
            "permalink folder 'CON.notes' is a name Windows keeps for a device, so the folder"
            " cannot be made there",
            "choose another name, for example: /notes/{slug}/",
        ),
        (
            "/{slug}{slug}{slug}/",
            "'{slug}' appears more than once in the permalink folder '{slug}{slug}{slug}'",
            "use each token at most once between two '/', for example: /{year}/{slug}/",
        ),
        (
            "/{year}/{slug}-{author}-" + "x" * 54 + "/",
            "permalink folder '{slug}-{author}-"
            + "x" * 54
            + "' can be 256 bytes long, more than the 255 a folder name can have",
            "write less text between two '/'; a slug can be up to 100 bytes",
        ),
    ],
)
def test_permalink_that_could_not_be_a_clean_folder_path_is_refused(
    tmp_path: Path, permalink: str, message: str, hint: str
) -> None:
    config, problems = load(tmp_path, MINIMAL + f"permalink: '{permalink}'\n")

    assert config is None
    assert problems == [error("config.permalink", message, at(3, 12), hint)]


@pytest.mark.parametrize(
    "permalink",
    [
        "/{year}/{slug}/",
        "/{slug}/",
        "/{year}/{month}/{day}/{slug}/",
        "/{year}/week-{week}/{author}/{slug}/",
        "/nodiadau/wythnos_{week}/{slug}.html/",
        "/{year}/{year}-{month}/{slug}/",  # a token once in each of two folders
        "/{year}/{slug}-{author}-" + "x" * 53 + "/",  # 255 bytes at the longest
    ],
)
def test_permalink_with_clean_folders_is_accepted(tmp_path: Path, permalink: str) -> None:
    assert load_ok(tmp_path, MINIMAL + f"permalink: '{permalink}'\n").permalink == permalink


def test_permalink_token_lengths_match_the_slug_limit() -> None:
    assert TOKEN_BYTES["slug"] == TOKEN_BYTES["author"] == SLUG_LIMIT
    assert set(TOKEN_BYTES) == set(PERMALINK_TOKENS)


_PIECES = ["{year}", "{month}", "{day}", "{week}", "{slug}", "{author}", ".", "..", "%", ":"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=4).map("".join),
        min_size=1,
        max_size=4,
    ).map(lambda parts: "/" + "/".join(parts) + "/"),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
)
def test_an_accepted_permalink_gives_folders_every_file_system_can_make(
    permalink: str, day: dt.date
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "config.yaml").write_text(
            yaml.safe_dump({"title": "T", "base_url": "https://e.org/", "permalink": permalink}),
            encoding="utf-8",
        )
        config, problems = load_config(Path(scratch))
    if config is None:
        assert {p.code for p in problems} <= {"config.permalink", "config.character"}, problems
        return
    longest = "-".join(["word"] * 20)  # the longest slug, 99 bytes
    url = note_url(config.permalink, day=day, slug=longest + "x", author=longest + "y")
    assert check_artifacts([Artifact(output_path(url), b"")]) == []
    for folder in unquote(url).split("/")[1:-1]:
        assert folder and not folder.startswith(".") and not folder.endswith("."), url
        assert len(folder.encode("utf-8")) <= 255, url
        assert folder.split(".")[0].lower() not in WINDOWS_DEVICE_NAMES, url
        assert not set(folder) & set(':%\\<>"|?*'), url


# --------------------------------------------------------------------------- addresses


def test_author_url_and_email_must_be_a_web_address_and_an_email_address(tmp_path: Path) -> None:
    text = MINIMAL + (
        "authors:\n"
        "  Ada Byron:\n"
        "    url: javascript:alert(1)\n"
        "    email: Ada Byron <ada@example.org>\n"
        "  Grace Hopper:\n"
        "    url: https://example.org/grace hopper\n"
        "    email: grace.example.org\n"
        "  Alan Turing:\n"
        "    url: 'www.example.org/alan'\n"
    )
    config, problems = load(tmp_path, text)

    assert config is None
    email_hint = (
        "write just the address, such as team@example.org, without a name, spaces, quotes or"
        " <angle brackets>"
    )
    url_hint = (
        "write the full address, starting https://, such as https://example.org/people/ada-byron"
    )
    assert problems == [
        error(
            "config.authors",
            "Ada Byron's url 'javascript:alert(1)' is not an absolute http(s) address",
            at(5, 10),
            url_hint,
        ),
        error(
            "config.authors",
            "Ada Byron's email 'Ada Byron <ada@example.org>' is not an email address",
            at(6, 12),
            email_hint,
        ),
        error(
            "config.authors",
            "Grace Hopper's url 'https://example.org/grace hopper' has a space in it",
            at(8, 10),
            "write each space as %20, or remove it",
        ),
        error(
            "config.authors",
            "Grace Hopper's email 'grace.example.org' is not an email address",
            at(9, 12),
            email_hint,
        ),
        error(
            "config.authors",
            "Alan Turing's url 'www.example.org/alan' is not an absolute http(s) address",
            at(11, 10),
            url_hint,
        ),
    ]


def test_good_author_url_and_email_are_kept(tmp_path: Path) -> None:
    config = load_ok(
        tmp_path,
        MINIMAL + "authors:\n  Ada:\n    url: HTTPS://example.org/ada\n    email: a@b.org\n",
    )

    assert config.authors == (AuthorProfile("Ada", url="HTTPS://example.org/ada", email="a@b.org"),)


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        (
            "/accessibility/",
            "accessibility_url '/accessibility/' is not an absolute http(s) address",
            "write the full address, starting https://, such as"
            " https://www.example.gov.uk/accessibility",
        ),
        (
            "javascript:alert(1)",
            "accessibility_url 'javascript:alert(1)' is not an absolute http(s) address",
            "write the full address, starting https://, such as"
            " https://www.example.gov.uk/accessibility",
        ),
        (
            "https://[example.org/",
            "accessibility_url 'https://[example.org/' is not an absolute http(s) address",
            "write the full address, starting https://, such as"
            " https://www.example.gov.uk/accessibility",
        ),
        (
            "https://example.org/access\tibility",
            "accessibility_url 'https://example.org/access\\tibility' has a space in it",
            "write each space as %20, or remove it",
        ),
    ],
)
def test_accessibility_url_must_be_an_absolute_web_address(
    tmp_path: Path, value: str, message: str, hint: str
) -> None:
    escaped = value.replace("\t", "\\t")
    config, problems = load(tmp_path, MINIMAL + f'accessibility_url: "{escaped}"\n')

    assert config is None
    assert problems == [error("config.accessibility-url", message, at(3, 20), hint)]


def test_reply_email_and_url_template_are_checked_the_same_way(tmp_path: Path) -> None:
    text = MINIMAL + (
        'reply:\n  email: "team@example.org\\nBcc: x@evil.example"\n'
        "  url_template: https://forum.example.org/new?title=a b&link={url}\n"
    )
    config, problems = load(tmp_path, text)

    assert config is None
    assert problems == [
        error(
            "config.reply",
            "reply email 'team@example.org\\nBcc: x@evil.example' is not an email address",
            at(4, 10),
            "write just the address, such as team@example.org, without a name, spaces, quotes or"
            " <angle brackets>",
        ),
        error(
            "config.reply",
            "url_template has a space in it",
            at(5, 17),
            "write each space as %20, or remove it",
        ),
    ]


# --------------------------------------------------------------------------- characters


def look_for(escapes: str) -> str:
    return (
        f"delete it: look for {escapes} in double quotes, or type the value again if it was pasted"
    )


UNUSED = "a code Unicode keeps free and never uses for a character"


@pytest.mark.parametrize(
    ("escape", "described", "escapes"),
    [
        ("\\a", "the invisible control character U+0007", "\\a, \\x07 or \\u0007"),
        ("\\N", "the invisible control character U+0085", "\\N, \\x85 or \\u0085"),
        ("\\x9b", "the invisible control character U+009B", "\\x9b or \\u009b"),
        ("\\x7f", "the invisible control character U+007F", "\\x7f or \\u007f"),
        (
            "\\ud800",
            "U+D800, half of a pair of codes with no other half, which is not a character",
            "\\ud800",
        ),
        ("\\uFFFE", f"U+FFFE, {UNUSED}", "\\ufffe"),
        ("\\uFDD0", f"U+FDD0, {UNUSED}", "\\ufdd0"),
        ("\\U0010FFFF", f"U+10FFFF, {UNUSED}", "\\U0010ffff"),
    ],
)
def test_config_text_holding_a_character_that_is_not_text_is_an_error(
    tmp_path: Path, escape: str, described: str, escapes: str
) -> None:
    config, problems = load(tmp_path, MINIMAL + f'description: "Our{escape} notes"\n')

    assert config is None
    assert problems == [
        error("config.character", f"'description' holds {described}", at(3, 14), look_for(escapes))
    ]


def test_every_kind_of_config_text_is_checked_for_characters(tmp_path: Path) -> None:
    text = (
        'title: "Team\\x01"\n'
        "base_url: https://notes.example.org/\n"
        "authors:\n"
        '  "Ada\\u200e\\x1b[31m":\n'
        "    role: Lead\n"
        "  Grace:\n"
        '    role: "Lead\\ud800"\n'
        "taxonomy_terms:\n"
        '  team: [ICT, "Da\\x00ta"]\n'
    )
    config, problems = load(tmp_path, text)

    assert config is None
    assert problems == [
        error(
            "config.character",
            "'title' holds the invisible control character U+0001",
            at(1, 8),
            look_for("\\x01 or \\u0001"),
        ),
        error(
            "config.character",
            "an author's name holds the invisible control character U+001B",
            at(4, 3),
            look_for("\\e, \\x1b or \\u001b"),
        ),
        error(
            "config.character",
            "'role' holds U+D800, half of a pair of codes with no other half, which is not a"
            " character",
            at(7, 11),
            look_for("\\ud800"),
        ),
        error(
            "config.character",
            "a term of 'team' holds the invisible control character U+0000",
            at(9, 15),
            look_for("\\0, \\x00 or \\u0000"),
        ),
    ]


def test_tabs_newlines_and_letters_of_every_script_are_text(tmp_path: Path) -> None:
    config = load_ok(tmp_path, MINIMAL + 'description: "Nodiadau\\twythnosol\\n週報 \\u200b😀"\n')

    assert config.description == "Nodiadau\twythnosol\n週報 \u200b😀"


# --------------------------------------------------------------------------- other values


@pytest.mark.parametrize(
    "value", ["../out", "/tmp/x", ".", "weeknotes", "weeknotes/x", "site_templates", ".git"]
)
def test_unsafe_output_dir_is_an_error(tmp_path: Path, value: str) -> None:
    config, problems = load(tmp_path, MINIMAL + f"output_dir: '{value}'\n")

    assert config is None
    assert problems == [
        error(
            "config.output-dir",
            f"output_dir '{value}' must be a new folder inside the site folder",
            at(3, 13),
            "the default, _site, is a good choice",
        )
    ]


def test_reserved_name_cannot_be_a_taxonomy(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "taxonomies: [team, authors]\n")

    assert problems == [
        error("config.taxonomies", "'authors' is reserved and cannot be a taxonomy", at(3, 20))
    ]


def test_bad_taxonomy_names_are_each_reported(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "taxonomies: [team, team, Bad_Name, title]\n")

    assert problems == [
        error("config.taxonomies", "taxonomy 'team' is listed twice", at(3, 20)),
        error(
            "config.taxonomies",
            "taxonomy name 'Bad_Name' must be lower-case letters, digits and hyphens",
            at(3, 26),
        ),
        error("config.taxonomies", "'title' is reserved and cannot be a taxonomy", at(3, 36)),
    ]


def test_taxonomies_must_be_a_list(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "taxonomies: team\n")

    assert problems == [
        error(
            "config.taxonomies",
            "'taxonomies' must be a list",
            at(3, 13),
            "for example: [team, theme, learning]",
        )
    ]


@pytest.mark.parametrize("value", ["ten", "0", "-1", "1001", "true", "2.5", "'10'"])
def test_per_page_must_be_a_whole_number_in_range(tmp_path: Path, value: str) -> None:
    config, problems = load(tmp_path, MINIMAL + f"per_page: {value}\n")

    assert config is None
    assert problems == [
        error(
            "config.per-page",
            "'per_page' must be a whole number from 1 to 1000",
            at(3, 11),
            "write a number without quotes, such as per_page: 10",
        )
    ]


@pytest.mark.parametrize("value", ['"yes"', "1", "[true]"])
def test_allow_html_must_be_true_or_false(tmp_path: Path, value: str) -> None:
    _, problems = load(tmp_path, MINIMAL + f"markdown:\n  allow_html: {value}\n")

    assert problems == [
        error(
            "config.allow-html",
            "'allow_html' must be true or false",
            at(4, 15),
            "write true or false, without quotes",
        )
    ]


def test_language_must_be_a_language_tag(tmp_path: Path) -> None:
    _, problems = load(tmp_path, MINIMAL + "language: english please\n")

    assert problems == [
        error(
            "config.language",
            "'english please' is not a language tag",
            at(3, 11),
            "for example: en-GB",
        )
    ]


def test_several_problems_are_reported_at_once(tmp_path: Path) -> None:
    config, problems = load(tmp_path, "base_url: ftp://x.org/\nper_page: -1\nlangauge: en\n")

    assert config is None
    assert sorted(problems, key=Diagnostic.sort_key) == [
        error(
            "config.title",
            "'title' is required",
            at(1),
            "add a line such as: title: Our weeknotes",
        ),
        error(
            "config.base-url",
            "base_url 'ftp://x.org/' is not an absolute http(s) address",
            at(1, 11),
            "write it in full, such as https://weeknotes.example.org/",
        ),
        error(
            "config.per-page",
            "'per_page' must be a whole number from 1 to 1000",
            at(2, 11),
            "write a number without quotes, such as per_page: 10",
        ),
        error("config.unknown-key", "unknown key 'langauge'", at(3, 1), "did you mean 'language'?"),
    ]


def test_the_configuration_reference_in_the_docs_is_current() -> None:
    document = (Path(__file__).resolve().parent.parent / "docs" / "configuration.md").read_text(
        encoding="utf-8"
    )
    assert config_reference() in document, "run `make docs`"
    keys = {
        line.split("`")[1] for line in config_reference().splitlines() if line.startswith("| `")
    }
    assert keys == {f.name for f in fields(Config)}
    for row in config_reference().splitlines()[3:-1]:
        assert row.rstrip(" |").rsplit("|", 1)[1].strip(), f"no docstring for {row}"
