"""Output: turning the planned site into files, from the in-memory `Artifact` (`artifact`)
and the folder writer (`write`) to templates and rendering (`theme`, `render`), feeds
(`atom`, `json_feed` and `sitemap`, made by `feeds`), redirect pages and the search index.
It may import the base modules, `config`, `urls`, `content` and `site`, never the engine
that drives it.
"""
