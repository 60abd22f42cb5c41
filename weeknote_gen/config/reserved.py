"""The names weeknote-gen keeps for itself: the files and folders it reads and writes in a
site, the URL sections of its own pages, and the front matter fields of a note. Config values
and taxonomy names are checked against these, so they live apart from every part that reads
config.yaml.
"""

from __future__ import annotations

CONFIG_FILE = "config.yaml"
CONTENT_DIR = "weeknotes"
TEMPLATES_DIR = "site_templates"
CACHE_DIR = ".weeknote-cache"
RESERVED_SECTIONS = frozenset(
    {"authors", "weeks", "archive", "page", "static", "search", "feeds", "tags"}
)
# Front matter fields besides the taxonomies; a taxonomy may not shadow one.
FRONT_MATTER_FIELDS = (
    "title",
    "date",
    "author",
    "authors",
    "summary",
    "slug",
    "draft",
    "image",
    "language",
    "aliases",
)
# Read only on a site with `languages`; elsewhere accepted without a word, as it always was.
TRANSLATION_KEY = "translation_key"
