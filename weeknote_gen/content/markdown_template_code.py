"""Template code another generator would have run (shortcodes, Liquid or Nunjucks tags),
found in a body so that a warning can tell the author it is shown as written.
"""

from __future__ import annotations

import re

from weeknote_gen.content.markdown_github import LIST_ITEM_RE, indentation, lines_beside_fences

_CODE_SPAN_RE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_TEMPLATE_RE = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{%.*?%\}|\{\{.*?\}\}")


def find_template_code(body: str) -> list[tuple[int, str]]:
    """Hugo shortcodes (`{{< … >}}`, `{{% … %}}`), Liquid or Nunjucks tags (`{% … %}`) and
    `{{ … }}` expressions in a body, as (line within the body, from 1; the snippet).

    weeknote-gen never runs such code: it shows it as written. Notes moved from another
    generator often carry it, and a warning tells the author. Code (fenced, indented, or an
    inline span) is where template code is shown on purpose, so it is skipped.
    """
    if "{{" not in body and "{%" not in body:
        return []  # nothing can match: most notes, and this check is all they cost
    found: list[tuple[int, str]] = []
    blank_before = True
    in_list = False
    for number, line, in_code in lines_beside_fences(body):
        if in_code:
            continue
        if not line.strip():
            blank_before = True
            continue
        column, rest = indentation(line)
        if column < 4:
            in_list = bool(LIST_ITEM_RE.match(rest)) or (in_list and not blank_before)
        elif blank_before and not in_list:
            continue  # indented code
        blank_before = False
        if "{" not in line:
            continue
        masked = _CODE_SPAN_RE.sub(lambda span: " " * len(span.group(0)), line)
        found.extend((number, match.group(0)) for match in _TEMPLATE_RE.finditer(masked))
    return found
