"""The build engine: the cache and its file formats (`codec`, `cache`), the stages that do the
work (`stages`, imported only once something must be built), the timed build (`build`) and
the dev server's fast path (`preview`). It may import every folder above it (the base
modules, `config`, `urls`, `content`, `site`, `output`), never a command or the CLI.
"""
