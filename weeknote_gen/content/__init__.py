"""Content: everything about notes before any page exists, from finding the files
(`discover`) through front matter, dates and field checks (`front_matter`, `dating`, `parse`)
and Markdown (`markdown`, `learning`) to the cross-note model and its advice (`model`,
`checks`). It may import the base modules, `config` and `urls`, and nothing that makes pages.
"""
