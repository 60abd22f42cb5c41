"""The text of the files `weeknote-gen init` writes: a commented `config.yaml`, `.gitignore`,
the GitHub workflow and a README for the site's authors.

The workflow is not written out here: it is the one weeknote-gen's own repository runs
(`.github/workflows/weeknotes.yml`, packaged in the wheel as `weeknote_gen/starter/`), with
what to install changed from the checkout itself to this version of weeknote-gen. So the
published site is built exactly as docs/ci.md describes, and there is one workflow to keep
up to date.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from weeknote_gen import __version__
from weeknote_gen.commands.init_answers import PLACEHOLDER_BASE_URL, SiteAnswers
from weeknote_gen.config import CACHE_DIR, CONTENT_DIR
from weeknote_gen.yamldoc import dump_scalar

WORKFLOW_PATH = ".github/workflows/weeknotes.yml"
OUTPUT_DIR = "_site"
_INSTALL_HERE = 'WEEKNOTE_GEN: "."'
_WORKFLOW_ADVICE = "# Copy this file into your site's repository"
_WORKFLOW_NAME = "\nname: "


def config_text(answers: SiteAnswers) -> str:
    """config.yaml, each key with a comment saying what it is for."""
    lines = [
        "# The settings of this weeknotes site, read by weeknote-gen. `weeknote-gen check`",
        "# points at the line of any mistake here; the documentation's Configuration page",
        "# lists every key there is.",
        "",
        "# The site's name: in every page's header, in browser tabs and in feed readers.",
        f"title: {dump_scalar(answers.title)}",
        "",
        "# One sentence about the site, for the home page, search engines and feed readers.",
        "# description: What our team worked on each week, written in the open.",
        "",
        "# The full address the site is published at. Every link is made under it, so a site",
        "# at https://your-organisation.github.io/weeknotes/ works in that sub-folder.",
        *(
            ["# This one is a placeholder: change it before the site is published."]
            if answers.base_url == PLACEHOLDER_BASE_URL
            else []
        ),
        f"base_url: {dump_scalar(answers.base_url)}",
        "",
        "# The language the notes are written in, as a language tag (en-GB is British",
        "# English, cy is Welsh). Browsers and screen readers choose their voice by it.",
        f"language: {dump_scalar(answers.language)}",
        "",
        "# The day a note is dated: `weeknote-gen new` dates this week's note on it.",
        "week_ends_on: friday",
        "",
        "# The tags that get pages of their own: each note's team, its themes, and what its",
        "# author is learning. Notes give them in their front matter, as `team: ICT`.",
        "taxonomies: [team, theme, learning]",
        "",
        *_teams_lines(answers),
        *_authors_lines(answers),
    ]
    return "\n".join(lines) + "\n"


def _teams_lines(answers: SiteAnswers) -> list[str]:
    if not answers.teams:
        return [
            "# The teams notes may name. Listing them makes a misspelt team a warning:",
            "# taxonomy_terms:",
            "#   team: [Digital Services, ICT]",
            "",
        ]
    teams = ", ".join(dump_scalar(team) for team in answers.teams)
    return [
        "# The teams notes may name: a note naming any other gets a warning, so a misspelt",
        "# team does not quietly start a page of its own.",
        "taxonomy_terms:",
        f"  team: [{teams}]",
        "",
    ]


def _authors_lines(answers: SiteAnswers) -> list[str]:
    lines = [
        "# The people who write. A note names its author in `author:`, and each person here",
        "# gets a page of their notes. Under a name you can add a role, a short bio, a url, an",
        "# email and a team; `weeknote-gen status` says who has not written yet this week.",
        "authors:",
    ]
    for author in answers.authors:
        lines.append(f"  {dump_scalar(author.name)}:")
        if author.team:
            lines.append(f"    team: {dump_scalar(author.team)}")
    if len(answers.authors) == 1:
        only = dump_scalar(answers.authors[0].name)
        lines += [
            "",
            "# The author of any note that names nobody, and whom `weeknote-gen new` writes as.",
            f"default_author: {only}",
        ]
    return lines


def gitignore_text() -> str:
    return (
        "# What weeknote-gen makes: the built site, and results kept to make the next build\n"
        "# quicker. Neither belongs in git; the GitHub workflow builds the site afresh.\n"
        f"/{OUTPUT_DIR}/\n/{CACHE_DIR}/\n"
    )


def workflow_text() -> str:
    """The packaged workflow, installing this version of weeknote-gen instead of the
    checkout it was written for."""
    text = _workflow_template().read_text(encoding="utf-8")
    head, found, rest = text.partition(_WORKFLOW_ADVICE)
    _, named, body = rest.partition(_WORKFLOW_NAME)
    if not found or not named or _INSTALL_HERE not in body:
        raise RuntimeError(f"the packaged {WORKFLOW_PATH} has changed shape: update init")
    advice = (
        "# Written by `weeknote-gen init`. WEEKNOTE_GEN says which weeknote-gen to install:\n"
        "# keep it pinned, so every build uses the same one, and raise the version to upgrade.\n"
        "# docs/ci.md in weeknote-gen explains each step.\n"
    )
    pinned = f'WEEKNOTE_GEN: "weeknote-gen=={__version__}"'
    return head + advice + _WORKFLOW_NAME.lstrip("\n") + body.replace(_INSTALL_HERE, pinned, 1)


def _workflow_template() -> Path:
    """Packaged inside the wheel, or the checkout's own workflow."""
    packaged = Path(str(files("weeknote_gen"))) / "starter" / "weeknotes.yml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / WORKFLOW_PATH


def readme_text(answers: SiteAnswers) -> str:
    """A short guide for the site's authors: write, preview, check, publish."""
    return f"""# {answers.title}

Our weeknotes: one short note a week from each of us, published as a website by
weeknote-gen.

## Setting up

You need Python 3.11 or later. Once, in this folder:

```sh
python -m pip install "weeknote-gen=={__version__}"
```

## Writing this week's note

```sh
weeknote-gen new
```

This creates this week's note in `{CONTENT_DIR}/` and prints its name, such as
`{CONTENT_DIR}/2026/2026-11-20-week-47-your-name.md`. Open it in any text editor. The lines
between the two `---` at the top say who wrote it, when, and for which team; below them,
replace the prompts with your week, in Markdown. Give your name with
`weeknote-gen new --author "Your Name"` if it picked the wrong one.

## Looking at it

```sh
weeknote-gen serve
```

shows the whole site at http://127.0.0.1:8000, and reloads the page each time you save.
Press Ctrl-C to stop it.

## Checking it

```sh
weeknote-gen check
```

reads every note as the real build will and lists every problem, with the file and line
and how to fix it. It ends `no problems found` when all is well.

## Publishing it

Commit your note and open a pull request: the notes are checked on it. When it is merged into
`main`, the workflow in `{WORKFLOW_PATH}` builds the site and publishes it with GitHub Pages,
at {answers.base_url}

Once, whoever looks after the repository sets **Settings**, **Pages**, **Build and
deployment**, **Source** to **GitHub Actions**, and makes sure `base_url` in `config.yaml` is
the address the site is published at.
"""
