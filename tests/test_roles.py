"""Taxonomy roles: team, theme and learning features follow `role`, not a taxonomy's name.

The central check builds the repository's sample site twice, once as it is and once with its
taxonomies called squad, topic and skill (with roles, and the notes' fields renamed to match),
and finds every page the same but for those names in paths, links and search filters.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import BASIC_CONFIG, FIXED_NOW, REPO, build_site, note
from weeknote_gen.cli import main
from weeknote_gen.config import Config, TaxonomyConfig, load_config
from weeknote_gen.config.reference import config_reference
from weeknote_gen.errors import Diagnostic, Location, error, warning

RENAMED = {"team": "squad", "theme": "topic", "learning": "skill"}
ROLE_TAXONOMIES = [
    {"name": "squad", "role": "team"},
    {"name": "topic", "role": "theme"},
    {"name": "skill", "role": "learning"},
]
ROLE_CONFIG = {**BASIC_CONFIG, "taxonomies": ROLE_TAXONOMIES, "search": False}


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))


def load(site: Path, text: str) -> tuple[Config | None, list[Diagnostic]]:
    site.mkdir(parents=True, exist_ok=True)
    (site / "config.yaml").write_text(text, encoding="utf-8")
    return load_config(site)


HEAD = "title: Team weeknotes\nbase_url: https://notes.example.org/\n"


def at(line: int, column: int) -> Location:
    return Location("config.yaml", line, column)


# --------------------------------------------------------------------------- config


def test_roles_are_read_and_the_default_names_keep_theirs(tmp_path: Path) -> None:
    config, problems = load(
        tmp_path,
        HEAD + "taxonomies:\n"
        "  - {name: squad, role: team}\n"
        "  - {name: topic, role: theme}\n"
        "  - {name: skill, singular: Skill, plural: Skills, role: learning}\n"
        "  - project\n",
    )
    assert problems == []
    assert config is not None
    assert config.taxonomies == (
        TaxonomyConfig("squad", "Squad", "Squads", "team"),
        TaxonomyConfig("topic", "Topic", "Topics", "theme"),
        TaxonomyConfig("skill", "Skill", "Skills", "learning"),
        TaxonomyConfig("project", "Project", "Projects"),
    )
    assert [config.taxonomy_for(r) for r in ("team", "theme", "learning")] == list(
        config.taxonomies[:3]
    )

    default, _ = load(tmp_path, HEAD)
    assert default is not None
    assert [default.taxonomy_for(r).name for r in ("team", "theme", "learning")] == [  # type: ignore[union-attr]
        "team",
        "theme",
        "learning",
    ]
    only_project, _ = load(tmp_path, HEAD + "taxonomies: [project]\n")
    assert only_project is not None
    assert only_project.taxonomy_for("team") is None


def test_a_given_role_wins_over_a_name(tmp_path: Path) -> None:
    config, problems = load(
        tmp_path,
        HEAD + "taxonomies:\n"
        "  - team\n"
        "  - {name: squad, role: team}\n"
        "  - {name: theme, role: learning}\n",
    )
    assert problems == []
    assert config is not None
    assert config.taxonomy_for("team") == TaxonomyConfig("squad", "Squad", "Squads", "team")
    assert config.taxonomy_for("learning") == TaxonomyConfig("theme", "Theme", "Themes", "learning")
    assert config.taxonomy_for("theme") is None  # `theme` is doing the learning job


def test_bad_roles_are_located(tmp_path: Path) -> None:
    _, problems = load(
        tmp_path,
        HEAD + "taxonomies:\n"
        "  - {name: squad, role: teams}\n"
        "  - {name: crew, role: team}\n"
        "  - {name: band, role: team}\n"
        "  - {name: topic, role: [theme]}\n",
    )
    assert problems == [
        error(
            "config.taxonomies",
            "'teams' is not a taxonomy role",
            at(4, 25),
            "did you mean 'team'?",
        ),
        error(
            "config.taxonomies",
            "the team role is given to both 'crew' and 'band'",
            at(6, 24),
            "a role belongs to one taxonomy: remove 'role: team' from one of them",
        ),
        error("config.type", "'role' must be text", at(7, 25), "put the value in quotes"),
    ]
    _, problems = load(tmp_path, HEAD + "taxonomies: [{name: a, role: boss}]\n")
    assert problems == [
        error(
            "config.taxonomies",
            "'boss' is not a taxonomy role",
            at(3, 30),
            "the roles are: team, theme, learning",
        )
    ]


def test_tags_from_other_generators_go_to_the_theme_role(tmp_path: Path) -> None:
    config, _ = load(tmp_path, HEAD + "taxonomies: [{name: topic, role: theme}, team]\n")
    assert config is not None
    assert config.front_matter.renames["tags"] == "topic"
    config, _ = load(tmp_path, HEAD + "taxonomies: [{name: theme, role: team}]\n")
    assert config is not None
    assert "tags" not in config.front_matter.renames  # `theme` is the team taxonomy here


def test_authors_with_teams_and_no_team_role_get_a_located_warning(tmp_path: Path) -> None:
    text = (
        HEAD + "taxonomies: [squad, topic]\n"
        "authors:\n"
        "  Ada Byron: {role: Analyst}\n"
        "  Bo Li:\n"
        "    team: ICT\n"
    )
    config, problems = load(tmp_path, text)
    assert config is not None
    assert problems == [
        warning(
            "config.no-team-role",
            "Bo Li's team is given, but no taxonomy has the team role, so notes are not"
            " grouped by team and 'new' does not write the team",
            at(7, 11),
            "give the taxonomy that names teams a role under taxonomies, such as"
            " '- {name: squad, role: team}', or call it team",
        )
    ]
    fixed, problems = load(tmp_path, text.replace("[squad, topic]", "[{name: squad, role: team}]"))
    assert (fixed is not None, problems) == (True, [])


def test_check_reports_the_warning_once_even_when_nothing_changed(
    make_site: Callable[..., Path],
) -> None:
    config = {**BASIC_CONFIG, "taxonomies": ["squad"], "authors": {"Ada Lovelace": {"team": "X"}}}
    site = make_site({"weeknotes/a.md": note()}, config=config)
    first = build_site(site)
    again = build_site(site)  # replays the last build's report
    for result in (first, again):
        assert result.ok
        assert [d.code for d in result.diagnostics] == ["config.no-team-role"]
    code, out, _ = run("check", "--site", str(site))
    assert code == 0
    assert "config.yaml:" in out and "[config.no-team-role]" in out


# --------------------------------------------------------------------------- the built site


def _sample_site(root: Path, *, renamed: bool) -> Path:
    """The repository's sample site; `renamed` calls team, theme and learning squad, topic
    and skill (keeping the labels readers see), in config.yaml and in every note."""
    site = root / ("renamed" if renamed else "default")
    shutil.copytree(REPO / "weeknotes", site / "weeknotes")
    config = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    config["search"] = False  # Pagefind's index is not ours to compare
    if renamed:
        assert config["taxonomies"] == list(RENAMED)
        labels = {"team": ("Team", "Teams"), "theme": ("Theme", "Themes")}
        config["taxonomies"] = [
            {
                "name": new,
                "role": old,
                "singular": labels.get(old, ("Learning",))[0],
                "plural": labels.get(old, ("", "Learning"))[1],
            }
            for old, new in RENAMED.items()
        ]
        for path in (site / "weeknotes").rglob("*.md"):
            head, rule, body = path.read_text(encoding="utf-8").partition("\n---\n")
            for old, new in RENAMED.items():
                head = re.sub(rf"(?m)^{old}:", f"{new}:", head)
            path.write_text(head + rule + body, encoding="utf-8")
    (site / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = build_site(site)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    return site / "_site"


def _files(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()
    }


def _back_to_default_names(text: str) -> str:
    for old, new in RENAMED.items():
        text = text.replace(f"/{new}/", f"/{old}/")
        text = text.replace(f'data-pagefind-filter="{new}"', f'data-pagefind-filter="{old}"')
    return text


def test_a_renamed_site_has_the_same_pages_but_for_names(tmp_path: Path) -> None:
    default = _files(_sample_site(tmp_path, renamed=False))
    renamed_output = _sample_site(tmp_path, renamed=True)
    renamed = {
        "/".join({v: k for k, v in RENAMED.items()}.get(p, p) for p in path.split("/")): data
        for path, data in _files(renamed_output).items()
    }
    assert sorted(renamed) == sorted(default)
    changed = 0
    for path, data in default.items():
        if renamed[path] == data:
            continue
        changed += 1
        expected = data.decode("utf-8")
        actual = _back_to_default_names(renamed[path].decode("utf-8"))
        assert actual == expected, "\n".join(
            difflib.unified_diff(expected.splitlines(), actual.splitlines(), path, lineterm="")
        )
    assert changed > 50  # the names are on most pages: the comparison did compare them

    # The features that used to vanish, present under their new names.
    files = _files(renamed_output)
    assert "squad/ict/weeks/index.html" in files
    assert b"<entry>" in files["squad/ict/digest.xml"]
    assert b'class="chart chart--heat' in files["topic/index.html"]
    assert "topic/accessibility/squad/ict/index.html" in files
    assert "skill/log/index.html" in files and "learning/log/index.html" not in files
    assert b'href="/skill/log/"' in files["skill/index.html"]
    week = files["weeks/2026-W28/index.html"].decode("utf-8")
    assert '<h2><a href="/squad/digital-services/">Digital Services</a></h2>' in week


# --------------------------------------------------------------------------- commands


ROLE_NOTES = {
    "weeknotes/a.md": note(title="Counting laptops", squad="ICT", topic=["assets"], skill="SQL"),
    "weeknotes/b.md": note(
        title="Open data", author="Bo Li", date="2026-01-08", squad="Data", tags=["open data"]
    ),
}


def test_tags_become_topics_and_learning_tags_reach_the_log(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(ROLE_NOTES, config=ROLE_CONFIG)
    result = build_site(site)
    assert result.ok and result.diagnostics == ()
    assert (site / "_site/topic/open-data/index.html").is_file()
    log = (site / "_site/skill/log/index.html").read_text(encoding="utf-8")
    assert '<a href="/skill/sql/">SQL</a>' in log


def test_digest_and_status_group_by_the_team_role(make_site: Callable[..., Path]) -> None:
    site = make_site(ROLE_NOTES, config=ROLE_CONFIG)
    code, out, err = run("digest", "--format", "markdown", "--site", str(site))
    assert (code, err) == (0, "")
    data = out.index("## [Data](<https://notes.example.org/squad/data/>)")
    assert data < out.index("## [ICT](<https://notes.example.org/squad/ict/>)")
    code, out, err = run("digest", "--team", "ict", "--format", "markdown", "--site", str(site))
    assert (code, err) == (0, "")
    assert "Counting laptops" in out and "Open data" not in out

    code, out, _ = run("status", "--week", "2026-W02", "--format", "json", "--site", str(site))
    assert code == 0
    teams = {t["team"]: [p["name"] for p in t["people"]] for t in json.loads(out)["teams"]}
    assert teams == {"Data": ["Bo Li"], "ICT": ["Ada Lovelace"]}


def test_digest_team_without_a_team_role_says_how_to_set_it(
    make_site: Callable[..., Path],
) -> None:
    config = {**ROLE_CONFIG, "taxonomies": ["squad", "topic"]}
    site = make_site({"weeknotes/a.md": note(squad="ICT")}, config=config)
    code, out, err = run("digest", "--team", "ict", "--site", str(site))
    assert (code, out) == (2, "")
    assert err == (
        "weeknote-gen: error: this site has no teams: no taxonomy in config.yaml has the team"
        " role\n  hint: give the taxonomy that names teams 'role: team' under taxonomies, such"
        " as '- {name: squad, role: team}', or call it team\n"
    )


def test_new_writes_the_team_role_field(make_site: Callable[..., Path]) -> None:
    config = {**ROLE_CONFIG, "authors": {"Bo Li": {"team": "Data"}}}
    site = make_site({}, config=config)
    code, out, err = run("new", "--author", "Bo Li", "--site", str(site))
    assert (code, err) == (0, "Writing as Bo Li (--author)\n")
    assert "author: Bo Li\nsquad: Data\n" in (site / out.strip()).read_text(encoding="utf-8")
    code, out, err = run("new", "--team", "ICT", "--author", "Ada", "--site", str(site))
    assert (code, err) == (0, "Writing as Ada (--author)\n")
    assert "author: Ada\nsquad: ICT\n" in (site / out.strip()).read_text(encoding="utf-8")


def test_new_team_without_a_team_role_warns(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config={**ROLE_CONFIG, "taxonomies": ["squad"]})
    code, out, err = run("new", "--team", "ICT", "--author", "Ada", "--site", str(site))
    assert code == 0
    text = (site / out.strip()).read_text(encoding="utf-8")
    assert "ICT" not in text and "squad" not in text
    assert err == (
        "Writing as Ada (--author)\n"
        "warning: the team 'ICT' is left out: no taxonomy in config.yaml has the team role"
        " [new.no-team-role]\n  hint: give the taxonomy that names teams 'role: team' under"
        " taxonomies, or call it team\n1 warning\n"
    )


def test_import_defaults_follow_the_roles(make_site: Callable[..., Path]) -> None:
    fixtures = Path(__file__).parent / "import_fixtures"
    site = make_site({}, config=ROLE_CONFIG)
    code, _, _ = run("import", "wordpress", str(fixtures / "wordpress.xml"), "--site", str(site))
    assert code == 0
    text = (site / "weeknotes/2019/2019-07-12-week-28-counting-laptops.md").read_text("utf-8")
    assert "author: Gwen Tallis\nsquad: ICT\n" in text
    assert "\ntopic:" in text and "\nteam:" not in text and "\ntheme:" not in text

    bare = make_site({}, config={**ROLE_CONFIG, "taxonomies": ["squad"]}, name="bare")
    code, out, err = run("import", "feed", str(fixtures / "feed-rss.xml"), "--site", str(bare))
    assert (code, out) == (2, "")
    assert err.startswith(
        "weeknote-gen: error: no taxonomy has the theme role, so categories have nowhere to go\n"
        "  hint: name one with --categories-to (the site's taxonomies: squad)"
    )
    assert not (bare / "weeknotes").exists()


def test_the_configuration_reference_documents_role() -> None:
    row = next(r for r in config_reference().splitlines() if r.startswith("| `taxonomies` |"))
    assert "`{name, singular, plural, role}`" in row
    assert "each given to one taxonomy at most" in row
    guide = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert "### Roles" in guide and "| `role` | `team`, `theme` or `learning`" in guide
