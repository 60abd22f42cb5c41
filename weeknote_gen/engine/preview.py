"""The dev server's fast path: an edited note's own page, before the rest of the site.

Rebuilding a site of thousands of notes takes seconds, most of it spent proving that pages
other than the edited one did not change. When an edit changes only a note's text (not its
title, date, tags or slug), its own page depends on nothing else that changed, so it can be
rendered from the last good build and shown at once; the full rebuild follows straight after
and makes every other page (lists, feeds, search) agree. Anything wider returns None and the
caller just rebuilds. Like Hugo's "fast render" mode, and never used by `build` itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from weeknote_gen.content.assemble import revise_body
from weeknote_gen.content.markdown import render_markdown
from weeknote_gen.content.parse import ParsedNote
from weeknote_gen.engine.build import BuildState, LastSite
from weeknote_gen.engine.load import load_note
from weeknote_gen.output.render import render_pages
from weeknote_gen.output.write.in_place import replace_files
from weeknote_gen.site.plan import plan_note_pages


def preview_notes(site_dir: Path, changed: Collection[Path], state: BuildState) -> list[str] | None:
    """Write the pages of the `changed` notes if only their text changed; the output paths
    written, or None when the change needs a full build (or there is no good build yet)."""
    last = state.last
    if last is None or not changed:
        return None
    edits = [_read_edit(site_dir, path, last) for path in changed]
    if any(edit is None for edit in edits):
        return None
    site = last.site
    keys = []
    for edit in edits:
        assert edit is not None
        rendered = render_markdown(edit.body, site.config.markdown)
        revised = revise_body(site, edit, rendered, set(last.parsed), last.assets)
        if revised is None:
            return None
        site, _ = revised
        keys.append(edit.path)
    specs = plan_note_pages(site, keys)
    pages, problems = render_pages(specs, last.environment, site_dir)
    if problems or replace_files(pages, last.output_dir, last.manifest):
        return None
    return [page.path for page in pages]


def _read_edit(site_dir: Path, path: Path, last: LastSite) -> ParsedNote | None:
    """The note at `path` re-read, if it is one the last build published and only its body
    differs from then."""
    root = site_dir.resolve()
    try:
        relative = path.resolve().relative_to(root).as_posix()
    except (OSError, ValueError):
        return None
    before = last.parsed.get(relative)
    if before is None or relative not in last.site.notes or path.is_symlink():
        return None
    note = load_note(root, relative, last.site.config)
    if note is None:
        return None
    if replace(note, body=before.body) != before:
        return None  # the front matter changed: other pages show it
    return note
