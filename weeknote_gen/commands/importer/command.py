"""`weeknote-gen import wordpress|feed FILE`: the options checked against config.yaml, the file
read, the notes written (or, with --dry-run, only listed), and what was skipped explained."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from weeknote_gen.commands.importer.feeds import read_feed
from weeknote_gen.commands.importer.notes import format_summary, plan_import, write_plan
from weeknote_gen.commands.importer.posts import TermMapping, UnreadableExportError
from weeknote_gen.commands.importer.wordpress import read_wordpress
from weeknote_gen.commands.report import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from weeknote_gen.config import Config, load_config
from weeknote_gen.errors import format_report
from weeknote_gen.urls import slugify
from weeknote_gen.yamldoc import load_yaml

NOTHING_IMPORTED = "nothing was imported"


def run_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config, problems = load_config(args.site)
    if config is None:
        print(format_report(problems, outcome=NOTHING_IMPORTED), file=err)
        return EXIT_PROBLEMS
    targets = _taxonomy_targets(args, config, err)
    if targets is None:
        return EXIT_USAGE
    author_map: dict[str, str] = {}
    if args.author_map is not None:
        read_map = _read_author_map(args.author_map, err)
        if read_map is None:
            return EXIT_USAGE
        author_map = read_map
    if not args.file.is_file():
        print(f"weeknote-gen: error: {args.file} is not a file", file=err)
        return EXIT_USAGE
    mapping = TermMapping(
        categories="" if targets["categories"] == "none" else targets["categories"],
        tags="" if targets["tags"] == "none" else targets["tags"],
    )
    reader = read_wordpress if args.source == "wordpress" else read_feed
    try:
        read = reader(args.file, author_map, mapping)
    except UnreadableExportError as exc:
        print(f"weeknote-gen: error: cannot import {args.file}: {exc}", file=err)
        return EXIT_PROBLEMS
    plan = plan_import(args.site, read.posts)
    if not args.dry_run:
        plan = write_plan(args.site, plan)
    print(format_summary(plan, read.skipped, dry_run=args.dry_run), file=out)
    known = {slugify(p.name) for p in config.authors}
    strangers = sorted({n.post.author for n in plan.notes if slugify(n.post.author) not in known})
    if known and strangers:
        print(
            f"note: not in config.yaml yet: {', '.join(strangers)}; add them under 'authors:'"
            " (or map them with --author-map) to avoid a warning for each note",
            file=err,
        )
    return EXIT_PROBLEMS if plan.failed else EXIT_OK


def _taxonomy_targets(
    args: argparse.Namespace, config: Config, err: TextIO
) -> dict[str, str] | None:
    """The taxonomy categories and tags go to ("none" drops them), or None when the options
    name none the site has (the error is printed)."""
    targets = {"categories": args.categories_to, "tags": getattr(args, "tags_to", "none")}
    roles = {"categories": args.categories_role, "tags": args.tags_role}
    for what, taxonomy in targets.items():
        if taxonomy is None:  # not given: the taxonomy with the role, as `new` finds the team
            holder = config.taxonomy_for(roles[what])
            if holder is None:
                option = f"--{what}-to"
                print(
                    f"weeknote-gen: error: no taxonomy has the {roles[what]} role, so {what}"
                    f" have nowhere to go\n  hint: name one with {option} (the site's"
                    f" taxonomies: {', '.join(config.taxonomy_names) or 'none'}), or"
                    f" {option} none to drop them; or give a taxonomy 'role: {roles[what]}'"
                    " in config.yaml",
                    file=err,
                )
                return None
            taxonomy = targets[what] = holder.name
        if taxonomy != "none" and taxonomy not in config.taxonomy_names:
            names = ", ".join(config.taxonomy_names) or "none configured"
            print(
                f"weeknote-gen: error: '{taxonomy}' is not one of the site's taxonomies, so"
                f" {what} cannot go there\n  hint: choose one of: {names}, or 'none'",
                file=err,
            )
            return None
    return targets


def _read_author_map(path: Path, err: TextIO) -> dict[str, str] | None:
    """--author-map's file: each login or name in the export mapped to an author's name, or
    None when it cannot be read or is not such a mapping (the error is printed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"weeknote-gen: error: cannot read {path}: {exc}", file=err)
        return None
    doc, problems = load_yaml(text, str(path))
    value = doc.value if doc is not None else None
    if (
        doc is None
        or not isinstance(value, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        shown = format_report(problems, outcome=NOTHING_IMPORTED) if problems else ""
        print(
            (shown + "\n" if shown else "")
            + f"weeknote-gen: error: {path} must map each login to a name\n"
            "  hint: one line per person, such as: ada: Ada Lovelace",
            file=err,
        )
        return None
    return {k.strip(): " ".join(v.split()) for k, v in value.items()}
