"""Templates: the one Jinja environment, the theme's files, and template errors as diagnostics.

A site's own `site_templates/` comes first and the built-in theme fills in whatever it does
not override, file by file, so a team can restyle one template without copying the rest.
"""

from __future__ import annotations

import hashlib
import os
import traceback
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path

import jinja2

from weeknote_gen.config import TEMPLATES_DIR, Config
from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.markdown import pygments_css
from weeknote_gen.output import Artifact, Memo
from weeknote_gen.pages import PageSpec
from weeknote_gen.theme import STATIC_DIR, templates_fingerprint, theme_dirs
from weeknote_gen.urls import output_path, site_href

Environment = jinja2.Environment  # for stages that keep one without importing Jinja
BUILTIN_LABEL = "(built-in theme)"


def make_environment(site_dir: Path, config: Config) -> jinja2.Environment:
    """The only Jinja environment: strict about undefined names, escaping everything."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme_dirs(site_dir)]),
        # HTML and XML are escaped; the Markdown template for `new` must not be.
        autoescape=lambda name: name is None or not name.endswith(".md"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["asset"] = lambda path: site_href(config, f"/{STATIC_DIR}/{path}")
    env.filters["plural"] = _plural
    return env


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    word = singular if count == 1 else (plural or singular + "s")
    return f"{count} {word}"


def render_pages(
    specs: Iterable[PageSpec],
    env: jinja2.Environment,
    site_dir: Path,
    memo: Memo | None = None,
    views: dict[object, str] | None = None,
) -> tuple[list[Artifact], list[Diagnostic]]:
    """Render every page in memory; a broken template is reported once, not once per page.

    With a `memo`, a page whose fingerprint (every template's text, and everything its
    template is given) was seen before is not rendered again: its bytes are reused. The
    context is the page's whole input, so an unchanged fingerprint means unchanged output.
    `views` carries the fingerprints of views (a note's card, the navigation) from one build
    to the next, so a long-lived caller fingerprints only the views that changed.
    """
    artifacts: list[Artifact] = []
    problems: list[Diagnostic] = []
    reported: set[str] = set()
    templates = templates_fingerprint(site_dir) if memo is not None else ""
    hasher = _Hasher(views if views is not None else {})
    for spec in specs:
        key = ""
        if memo is not None:
            context = hasher.digest(spec.context)
            key = hashlib.sha256(f"{templates}\0{spec.template}\0{context}".encode()).hexdigest()
            kept = memo.get(key)
            if isinstance(kept, tuple):  # (compressed bytes, sha256, size)
                artifacts.append(Artifact.stored(output_path(spec.url), *kept))
                continue
        try:
            text = env.get_template(spec.template).render(spec.context)
        except jinja2.TemplateError as exc:
            problem = _template_problem(exc, spec.template, site_dir)
            if problem.format() not in reported:
                reported.add(problem.format())
                problems.append(problem)
            continue
        artifact = Artifact(output_path(spec.url), text.encode("utf-8"))
        if memo is not None:
            memo.put(key, (zlib.compress(artifact.data, 1), artifact.sha256, artifact.size))
        artifacts.append(artifact)
    if views is not None:  # keep what this build used, so the memo does not grow forever
        views.clear()
        views.update(hasher.used)
    return artifacts, problems


class _Hasher:
    """A hash of everything in a template context, as `repr` would show it, computing each
    view once: once per build for views shared by many pages (by `id`, valid while the specs
    hold them all), and once per change for views equal to last build's (by value)."""

    def __init__(self, known: dict[object, str]) -> None:
        self.known = known
        self.used: dict[object, str] = {}
        self.by_id: dict[int, str] = {}

    def digest(self, value: object) -> str:
        if isinstance(value, str) and len(value) > LONG_TEXT:  # a note's body, say
            found = self.known.get(value)
            if found is None:
                found = hashlib.sha1(value.encode(), usedforsecurity=False).hexdigest()
            self.used[value] = found
            return f"s{found}"  # apart from the digests of views, which are never quoted
        if value is None or isinstance(value, str | int | float | bool):
            return repr(value)
        found = self.by_id.get(id(value))
        if found is not None:
            return found
        hashable = is_dataclass(value) and type(value) not in _UNHASHABLE
        if hashable:
            try:
                found = self.known.get(value)
            except TypeError:  # a dataclass holding a dict or list
                _UNHASHABLE.add(type(value))
                hashable = False
            if found is not None:
                self.used[value] = self.by_id[id(value)] = found
                return found
        if isinstance(value, tuple | list):
            text = "(" + ",".join(self.digest(item) for item in value) + ")"
        elif isinstance(value, Mapping):
            text = "{" + ",".join(f"{k!r}:{self.digest(v)}" for k, v in value.items()) + "}"
        elif is_dataclass(value):
            parts = (f"{f.name}={self.digest(getattr(value, f.name))}" for f in fields(value))
            text = f"{type(value).__name__}(" + ",".join(parts) + ")"
        else:
            text = repr(value)
        digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
        self.by_id[id(value)] = digest
        if hashable:
            self.used[value] = digest
        return digest


_UNHASHABLE: set[type] = set()
LONG_TEXT = 256  # characters; longer strings are fingerprinted once and remembered


def _template_problem(exc: jinja2.TemplateError, template: str, site_dir: Path) -> Diagnostic:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        location = _template_location(exc.filename, exc.name or template, exc.lineno, site_dir)
        return error(
            "template.syntax",
            f"template syntax error: {exc.message}",
            location,
            "look at the tags on this line and the lines above it: each {{ needs a closing }},"
            " each {% a closing %}, and each {% if %}, {% for %} and {% block %} a matching"
            " {% endif %}, {% endfor %} or {% endblock %}",
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return error(
            "template.missing",
            f"template '{exc.name}' was not found",
            None,
            f"add it to {TEMPLATES_DIR}/ or check the name",
        )
    filename, line = _failing_template_frame(exc, template)
    location = _template_location(filename, template, line, site_dir)
    hint = (
        "check the name, or use `{% if x is defined %}`"
        if isinstance(exc, jinja2.UndefinedError)
        else None
    )
    return error("template.render", f"template error: {exc.message or exc}", location, hint)


def _failing_template_frame(exc: BaseException, fallback: str) -> tuple[str | None, int | None]:
    """Jinja rewrites tracebacks so template lines appear as frames; use the deepest one."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt")) or frame.filename.endswith(fallback):
            found = (frame.filename, frame.lineno)
    return found


def _template_location(
    filename: str | None, name: str, line: int | None, site_dir: Path
) -> Location:
    """A site's own template by its path; a built-in one by a label, as authors cannot edit it."""
    if filename:
        try:
            relative = Path(filename).resolve().relative_to(site_dir.resolve())
            return Location(relative.as_posix(), line)
        except ValueError:
            name = Path(filename).name
    return Location(f"{BUILTIN_LABEL}/{name}", line)


def render_text(
    site_dir: Path, config: Config, name: str, context: dict[str, object]
) -> tuple[str | None, list[Diagnostic]]:
    """Render a non-HTML template of the theme (such as `new_note.md`), errors as data."""
    try:
        text = make_environment(site_dir, config).get_template(name).render(context)
    except jinja2.TemplateError as exc:
        return None, [_template_problem(exc, name, site_dir)]
    return text, []


def theme_static(site_dir: Path) -> tuple[list[Artifact], list[Diagnostic]]:
    """Static files of the theme (site's own first), plus the code-highlighting stylesheet."""
    chosen: dict[str, Path] = {}
    for theme in reversed(theme_dirs(site_dir)):
        root = theme / STATIC_DIR
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                path = Path(dirpath) / name
                if name.startswith(".") or path.is_symlink():
                    continue
                chosen[f"{STATIC_DIR}/{path.relative_to(root).as_posix()}"] = path
    artifacts: list[Artifact] = []
    problems: list[Diagnostic] = []
    for relative in sorted(chosen):
        try:
            artifacts.append(Artifact(relative, chosen[relative].read_bytes()))
        except OSError as exc:
            problems.append(error("theme.unreadable", f"cannot read {relative}: {exc.strerror}"))
    pygments = f"{STATIC_DIR}/pygments.css"
    if pygments not in chosen:
        artifacts.append(Artifact(pygments, pygments_css().encode("utf-8")))
    return artifacts, problems
