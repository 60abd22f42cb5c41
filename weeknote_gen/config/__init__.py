"""Configuration: the `Config` schema read from config.yaml (`schema`), the language tags it
and notes may carry (`languages`), and the generated reference in docs/configuration.md
(`reference`). It may import only the base modules (`errors`, `yamldoc`). The names below are
re-exported so that the rest of the package says `from weeknote_gen.config import Config`;
`languages` and `reference` are imported by their full paths.
"""

from __future__ import annotations

from weeknote_gen.config.schema import (
    CACHE_DIR,
    CONFIG_FILE,
    CONTENT_DIR,
    DEFAULT_LEARNING_HEADINGS,
    DEFAULT_TAXONOMIES,
    FRONT_MATTER_FIELDS,
    PERMALINK_TOKENS,
    TEMPLATES_DIR,
    TOKEN_BYTES,
    WEEKDAYS,
    WINDOWS_DEVICE_NAMES,
    AuthorProfile,
    Config,
    FrontMatterOptions,
    MarkdownOptions,
    ReplyOptions,
    TaxonomyConfig,
    iso_week_monday,
    load_config,
)

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
