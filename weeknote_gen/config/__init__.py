"""Configuration: config.yaml read into the `Config` schema (`schema`), which assembles one
module per concern (the site, authors, taxonomies, Markdown, front matter, permalinks, status),
checked with located problems (`checker`) and loaded from the file (`load`); the language tags
config and notes may carry (`languages`); and the generated reference in docs/configuration.md
(`reference`). It may import only the base modules (`errors`, `yamldoc`). The names below are
re-exported so that the rest of the package says `from weeknote_gen.config import Config`;
`languages` and `reference` are imported by their full paths.
"""

from __future__ import annotations

from weeknote_gen.config.authors import AuthorProfile
from weeknote_gen.config.front_matter import FrontMatterOptions
from weeknote_gen.config.load import load_config
from weeknote_gen.config.markdown import MarkdownOptions
from weeknote_gen.config.permalink import PERMALINK_TOKENS, TOKEN_BYTES, WINDOWS_DEVICE_NAMES
from weeknote_gen.config.reserved import (
    CACHE_DIR,
    CONFIG_FILE,
    CONTENT_DIR,
    FRONT_MATTER_FIELDS,
    TEMPLATES_DIR,
)
from weeknote_gen.config.schema import Config
from weeknote_gen.config.site import DEFAULT_LEARNING_HEADINGS, WEEKDAYS, ReplyOptions
from weeknote_gen.config.status import iso_week_monday
from weeknote_gen.config.taxonomies import DEFAULT_TAXONOMIES, TaxonomyConfig

__all__ = [
    "CACHE_DIR",
    "CONFIG_FILE",
    "CONTENT_DIR",
    "DEFAULT_LEARNING_HEADINGS",
    "DEFAULT_TAXONOMIES",
    "FRONT_MATTER_FIELDS",
    "PERMALINK_TOKENS",
    "TEMPLATES_DIR",
    "TOKEN_BYTES",
    "WEEKDAYS",
    "WINDOWS_DEVICE_NAMES",
    "AuthorProfile",
    "Config",
    "FrontMatterOptions",
    "MarkdownOptions",
    "ReplyOptions",
    "TaxonomyConfig",
    "iso_week_monday",
    "load_config",
]
