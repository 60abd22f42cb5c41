"""Loading config.yaml: reading and decoding the file, the located errors when it is missing
or is not a mapping, and advice about a config that loads but probably does not do what its
owner meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from weeknote_gen.config.checker import Checker
from weeknote_gen.config.reserved import CONFIG_FILE
from weeknote_gen.config.schema import Config, read_config
from weeknote_gen.config.taxonomies import TAXONOMY_ROLES
from weeknote_gen.errors import Diagnostic, Location, decode_text, error
from weeknote_gen.yamldoc import load_yaml


def load_config(site_dir: Path) -> tuple[Config | None, list[Diagnostic]]:
    """Read and validate `config.yaml`, reporting every problem in it at once."""
    path = CONFIG_FILE
    config_file = site_dir / CONFIG_FILE
    try:
        data = config_file.read_bytes()
    except FileNotFoundError:
        return None, [
            error(
                "config.missing",
                f"no {CONFIG_FILE} in {site_dir}",
                Location(path),
                "run the command in your site folder, or point at it with --site DIR",
            )
        ]
    except OSError as exc:
        return None, [
            error(
                "config.unreadable",
                f"cannot read {CONFIG_FILE}: {exc.strerror}",
                Location(path),
                "check that the file can be read (its permissions)",
            )
        ]
    text, problem = decode_text(data, path, "config.unreadable")
    if text is None:
        return None, [problem] if problem is not None else []
    doc, problems = load_yaml(text, path)
    if doc is None:
        return None, problems
    if not isinstance(doc.value, dict):
        shape = (
            "empty"
            if doc.value is None
            else "a list"
            if isinstance(doc.value, list)
            else ("a single value")
        )
        return None, [
            error(
                "config.not-mapping",
                f"{CONFIG_FILE} is {shape}, not 'key: value' lines",
                Location(path, 1),
                "start with 'title: My weeknotes' and 'base_url: https://…/'",
            )
        ]
    checker = Checker(doc, path)
    config = read_config(doc.value, checker)
    if checker.problems:
        return None, checker.problems
    _advise_on_roles(config, doc.value, checker)
    return config, checker.warnings


def _advise_on_roles(config: Config, raw: Mapping[str, Any], check: Checker) -> None:
    """Say so when config.yaml gives people a team but no taxonomy has the team role (such
    as after renaming `team` to `squad` without `role: team`): week pages, digests and
    `new` would otherwise drop the teams without a word."""
    if config.taxonomy_for("team") is not None:
        return
    written = raw.get("authors")
    for profile in config.authors:
        if profile.team and isinstance(written, dict):
            key = next(k for k in written if isinstance(k, str) and k.strip() == profile.name)
            names = [t.name for t in config.taxonomies if t.name not in TAXONOMY_ROLES]
            example = names[0] if names else "squad"
            check.warn(
                "config.no-team-role",
                f"{profile.name}'s team is given, but no taxonomy has the team role, so notes"
                " are not grouped by team and 'new' does not write the team",
                ("authors", key, "team"),
                f"give the taxonomy that names teams a role under taxonomies, such as"
                f" '- {{name: {example}, role: team}}', or call it team",
            )
            return
