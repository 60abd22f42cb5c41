"""Content: everything about notes before any page exists, from finding the files
(`discover`, `tree_identity`) through front matter in its shapes (`front_matter` and the
`*_front_matter` modules), dates (`dating`, `dates_from_names`, `git_history_dates`,
`date_text`) and field checks (`other_generators`, `title_heading`, `field_checks`, `parse`)
and Markdown (`markdown` and the `markdown_*` steps it is built from, `learning`) to the
cross-note model (`model`, `site_indexes`, `note_slugs`, `note_links`, `assemble`) and its
advice (`checks`). It may import the base modules, `config` and `urls`, and nothing that
makes pages.
"""
