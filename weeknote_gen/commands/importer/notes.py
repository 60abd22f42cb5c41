"""Imported posts as notes: each one's file and text planned, then written, never over an
existing file and never left half written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from weeknote_gen.commands.importer.posts import Post, Skipped
from weeknote_gen.config import CONTENT_DIR
from weeknote_gen.yamldoc import dump_front_matter


@dataclass(frozen=True, slots=True)
class PlannedNote:
    path: str  # relative to the site folder
    text: str
    post: Post


@dataclass
class Plan:
    notes: list[PlannedNote] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: int = 0  # notes that could not be written (a full disk, a permission)


def plan_import(site_dir: Path, posts: Sequence[Post]) -> Plan:
    """Each post's file and text; a post whose file exists is skipped, never overwritten."""
    plan = Plan()
    claimed: set[str] = set()
    for post in posts:
        base = f"{CONTENT_DIR}/{post.date.year}/{post.date.isoformat()}-{post.slug}"
        path, number = f"{base}.md", 1
        while path in claimed:  # two posts of one day with one slug, in this import
            number += 1
            path = f"{base}-{number}.md"
        claimed.add(path)
        if (site_dir / path).exists():
            plan.skipped.append(Skipped(post.title, f"{path} already exists"))
            continue
        plan.notes.append(PlannedNote(path, note_text(post), post))
    return plan


def note_text(post: Post) -> str:
    fields: dict[str, object] = {"title": post.title, "date": post.date, "author": post.author}
    for taxonomy, terms in post.terms.items():
        fields[taxonomy] = terms[0] if len(terms) == 1 else list(terms)
    if post.summary:
        fields["summary"] = post.summary
    if post.draft:
        fields["draft"] = True
    body = post.body or "(This post had no text.)\n"
    return dump_front_matter(fields) + "\n" + body


def write_plan(site_dir: Path, plan: Plan) -> Plan:
    """Write the planned notes; one whose file appeared meanwhile is skipped, not replaced,
    and one that cannot be written is reported with the reason and not left half written."""
    written = Plan(skipped=list(plan.skipped))
    for note in plan.notes:
        target = site_dir / note.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_new(target, note.text)
        except FileExistsError:
            written.skipped.append(Skipped(note.post.title, f"{note.path} already exists"))
            continue
        except OSError as exc:
            reason = f"could not write {note.path}: {exc.strerror or exc}"
            written.skipped.append(Skipped(note.post.title, reason))
            written.failed += 1
            continue
        written.notes.append(note)
    return written


def _write_new(target: Path, text: str) -> None:
    """Create `target` with `text`, never replacing a file (FileExistsError), and removing
    what it created if the write fails part way."""
    handle = target.open("x", encoding="utf-8")
    try:
        with handle:
            handle.write(text)
    except OSError:
        target.unlink(missing_ok=True)
        raise


def format_summary(plan: Plan, skipped_on_reading: Sequence[Skipped], *, dry_run: bool) -> str:
    verb = "Would import" if dry_run else "Imported"
    count = len(plan.notes)
    lines = [f"{verb} {count} note{'s' if count != 1 else ''}" + (":" if count else ".")]
    for note in plan.notes:
        extra = []
        if note.post.draft:
            extra.append("draft")
        if note.post.dropped:
            extra.append("left out: " + ", ".join(note.post.dropped))
        lines.append(f"  {note.path}" + (f" ({'; '.join(extra)})" if extra else ""))
    skipped = [*skipped_on_reading, *plan.skipped]
    if skipped:
        lines.append(f"Skipped {len(skipped)}:")
        lines += [f"  {s.title}: {s.reason}" for s in skipped]
    return "\n".join(lines)
