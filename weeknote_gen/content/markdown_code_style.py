"""The stylesheet for code highlighted by Pygments, kept here beside the converter that asks
Pygments for the `codehilite` class these rules style.
"""

from __future__ import annotations

from pygments.formatters import HtmlFormatter

# How a highlighted code block starts: pages holding one load the code stylesheet.
CODE_BLOCK = '<div class="codehilite">'
PYGMENTS_LIGHT = "default"
PYGMENTS_DARK = "github-dark"


def pygments_css() -> str:
    """Stylesheet for highlighted code, light by default and dark when the reader prefers it."""
    light = _scoped_style(PYGMENTS_LIGHT)
    dark = _scoped_style(PYGMENTS_DARK)
    indented = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{indented}\n}}\n"


def _scoped_style(style: str) -> str:
    """Pygments' rules for code blocks only: it also emits bare `pre` and line-number rules,
    which would restyle every `<pre>` on the site."""
    rules = HtmlFormatter(style=style).get_style_defs(".codehilite")  # type: ignore[no-untyped-call]
    return "\n".join(line for line in rules.splitlines() if line.startswith(".codehilite"))
