"""Templates: the one Jinja environment, the theme's files, and template errors as diagnostics.

A site's own `site_templates/` comes first and the built-in theme fills in whatever it does
not override, file by file, so a team can restyle one template without copying the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import threading
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import jinja2.meta
from markupsafe import escape

from weeknote_gen.config import TEMPLATES_DIR, Config
from weeknote_gen.content.markdown_code_style import CODE_BLOCK, pygments_css
from weeknote_gen.errors import Diagnostic, Location, error
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.output.theme import STATIC_DIR, builtin_theme_dir, theme_dirs
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.urls import output_path, site_href, theme_asset_url
from weeknote_gen.words import Words, words_for

Environment = jinja2.Environment  # for stages that keep one without importing Jinja
BUILTIN_LABEL = "(built-in theme)"


def make_environment(
    site_dir: Path, config: Config, *, own_theme: bool = True
) -> jinja2.Environment:
    """The only Jinja environment: strict about undefined names, escaping everything, with the
    theme's words in the site's language (`_`, `gettext` and `ngettext` in templates).
    Without `own_theme`, the built-in theme's templates only, as if the site had none."""
    themes = theme_dirs(site_dir) if own_theme else (builtin_theme_dir(),)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in themes]),
        # HTML and XML are escaped; the Markdown template for `new` must not be.
        autoescape=lambda name: name is None or not name.endswith(".md"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    install_words(env, words_for(config.language, config.words))
    env.globals["asset"] = lambda path: site_href(config, theme_asset_url(path))
    env.filters["plural"] = _plural
    return env


def install_words(env: jinja2.Environment, words: Words) -> None:
    """The words as Jinja's gettext functions (new style: `_("Page %(number)s", number=n)`).

    The catalogues' texts are the theme's own and may hold markup (a link in a sentence), so
    Jinja takes them as they are; a site's `words:` override is plain text from config.yaml,
    so it is escaped like any other value the site gives."""

    def gettext(message: str) -> str:
        text = words.gettext(message)
        return escape(text) if message in words.overridden else text

    def ngettext(singular: str, plural: str, count: int) -> str:
        text = words.translations.ngettext(singular, plural, count)
        return escape(text) if singular in words.overridden else text

    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=gettext, ngettext=ngettext, newstyle=True
    )


def template_fingerprints(
    env: jinja2.Environment, names: Iterable[str], every: str
) -> dict[str, str]:
    """For each template in `names`, a digest of its text and of every template it extends,
    includes or imports, however deep: a page made from it can change only if one of them
    did. A template that names another only at run time depends on `every` (the digest of
    all templates); one that is missing gets a digest of its name, and fails when rendered."""
    known: dict[str, str] = {}

    def digest(name: str, seen: frozenset[str]) -> str:
        if name in known:
            return known[name]
        try:
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            used = jinja2.meta.find_referenced_templates(env.parse(source))
        except jinja2.TemplateError:
            return hashlib.sha256(f"missing\0{name}".encode()).hexdigest()
        parts = [name, source]
        for other in sorted(used, key=lambda found: found or ""):
            if other is None:
                parts.append(every)
            elif other not in seen:
                parts.append(digest(other, seen | {other}))
        known[name] = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
        return known[name]

    return {name: digest(name, frozenset({name})) for name in names}


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    word = singular if count == 1 else (plural or singular + "s")
    return f"{count} {word}"


def render_pages(
    specs: Iterable[PageSpec],
    env: jinja2.Environment,
    site_dir: Path,
    jobs: int = 1,
    *,
    packed: bool = False,
) -> tuple[list[Artifact], list[Diagnostic]]:
    """Every page of `specs` in memory (`render_pages_lazily`, collected), and the problems:
    a broken template is reported once, not once per page."""
    artifacts: list[Artifact] = []
    problems: list[Diagnostic] = []
    reported: set[str] = set()
    for outcome in render_pages_lazily(specs, env, site_dir, jobs, packed=packed):
        if not isinstance(outcome, Diagnostic):
            artifacts.append(outcome)
        elif outcome.format() not in reported:
            reported.add(outcome.format())
            problems.append(outcome)
    return artifacts, problems


def render_pages_lazily(
    specs: Iterable[PageSpec],
    env: jinja2.Environment,
    site_dir: Path,
    jobs: int = 1,
    *,
    packed: bool = False,
) -> Iterator[Artifact | Diagnostic]:
    """Each page of `specs`, in order, as it is rendered: its file, or why it failed.

    With `jobs` above 1, spans of pages are rendered in forked processes (`fork_iter`) while
    the caller writes those already done; the pages come out as a serial run's. With
    `packed`, each page also comes compressed, with its digest and size (worked out where it
    was rendered, so a worker spares the parent the work), ready for the engine to remember
    (`Artifact.packed`).
    """
    specs = list(specs)
    job = _RenderJob(specs, env, site_dir, packed)
    if len(specs) < PARALLEL_PAGES:
        jobs = 1
    elif jobs > 1:
        job.compile_templates()  # once, before the fork, rather than once in each worker
    for results in fork_iter(_render_span, job, spans(len(specs), jobs), jobs):
        for index, outcome in results:
            if isinstance(outcome, Diagnostic):
                yield outcome
                continue
            path = output_path(specs[index].url)
            if isinstance(outcome, bytes):
                yield Artifact(path, outcome)
            else:
                yield Artifact.stored(path, *outcome)


PARALLEL_PAGES = 64  # below this many pages, starting processes costs more than it saves
# A page rendered and packed: compressed bytes, sha256, size, and the bytes themselves.
_Packed = tuple[bytes, str, int, bytes]


class _RenderJob:
    """What rendering pages reads, set up in the parent and inherited by forked workers."""

    def __init__(
        self, specs: list[PageSpec], env: jinja2.Environment, site_dir: Path, packed: bool
    ) -> None:
        self.specs = specs
        self.env = env
        self.site_dir = site_dir
        self.packed = packed

    def compile_templates(self) -> None:
        for name in sorted({spec.template for spec in self.specs}):
            with contextlib.suppress(jinja2.TemplateError):  # reported page by page, later
                self.env.get_template(name)

    def render(self, spec: PageSpec) -> _Packed | bytes | Diagnostic:
        try:
            text = self._page(spec)
        except jinja2.TemplateError as exc:
            return _template_problem(exc, spec.template, self.site_dir)
        data = text.encode("utf-8")
        if not self.packed:
            return data
        return zlib.compress(data, 1), hashlib.sha256(data).hexdigest(), len(data), data

    def _page(self, spec: PageSpec) -> str:
        """The page's HTML. The code stylesheet is linked only from pages showing code: a
        note's page knows from its body (`page_has_code`); any other page that turns out to
        show some (a learning passage with code on a week page) is rendered again with it."""
        template = self.env.get_template(spec.template)
        has_code = bool(spec.context.get("page_has_code", False))
        text = template.render(spec.context, alternates=spec.alternates, page_has_code=has_code)
        if not has_code and CODE_BLOCK in text:
            text = template.render(spec.context, alternates=spec.alternates, page_has_code=True)
        return text


def _render_span(job: _RenderJob, span: range) -> list[tuple[int, _Packed | bytes | Diagnostic]]:
    return [(index, job.render(job.specs[index])) for index in span]


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
    site_dir: Path,
    config: Config,
    name: str,
    context: dict[str, object],
    *,
    own_theme: bool = True,
) -> tuple[str | None, list[Diagnostic]]:
    """Render a non-HTML template of the theme (such as `new_note.md`), errors as data;
    without `own_theme`, the built-in theme's, whatever the site has of its own."""
    try:
        env = make_environment(site_dir, config, own_theme=own_theme)
        text = env.get_template(name).render(context)
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


# --------------------------------------------------------------------------- the process pool
# Markdown (`stages`), pages (here) and feeds (`feeds`) all go through `fork_map`. What the
# work reads (the site, the page specs, the Jinja environment, the caches) is put in a
# module-level slot *before* the workers fork, so each worker reads it from memory it shares
# copy-on-write with the parent: only task numbers go to a worker and only results come
# back, never the whole site. Forking is fast and needs no `__main__` guard in scripts that
# call `build`, but is only safe from a single-threaded process (forking one with threads,
# such as the dev server, can deadlock): then, where fork is missing, or if the pool breaks,
# the work is done here, in the same order, with the same results.

_S = TypeVar("_S")
_T = TypeVar("_T")
_R = TypeVar("_R")

# What the workers run and read: set just before a pool forks, cleared after. Never pickled.
_shared: tuple[Callable[[Any, Any], Any], Any] | None = None
pools_run = 0  # pools that finished their work: tests check that the parallel path ran


def can_fork(jobs: int, tasks: int) -> bool:
    """Whether a pool is worth starting and safe: more than one job and one task, no threads."""
    if jobs <= 1 or tasks < 2:
        return False
    if threading.active_count() > 1:
        return False
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(
    work: Callable[[_S, _T], _R],
    shared: _S,
    tasks: Sequence[_T],
    jobs: int,
) -> list[_R]:
    """`[work(shared, task) for task in tasks]`, across up to `jobs` forked processes (the
    caller passes 1 when the work is too small to pay for them). `work` must not change
    `shared` in ways the parent relies on: a worker's changes stay in the worker."""
    return list(fork_iter(work, shared, tasks, jobs))


def fork_iter(
    work: Callable[[_S, _T], _R],
    shared: _S,
    tasks: Sequence[_T],
    jobs: int,
) -> Iterator[_R]:
    """`fork_map`, each result given as soon as it and those before it are done, so the
    caller can use them (write them out, say) while the workers go on."""
    global _shared, pools_run
    if not can_fork(jobs, len(tasks)):
        yield from (work(shared, task) for task in tasks)
        return
    _shared = (work, shared)
    done = 0
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for result in pool.map(_run, tasks):
                yield result
                done += 1
        pools_run += 1
    except (OSError, BrokenProcessPool):
        yield from (work(shared, task) for task in tasks[done:])
    finally:
        _shared = None


def _run(task: Any) -> Any:
    """In a worker: the work and what it reads were inherited from the parent at the fork."""
    assert _shared is not None, "fork_map's workers are forked after the work is set"
    work, shared = _shared
    return work(shared, task)


def spans(count: int, jobs: int, per_job: int = 8, least: int = 1) -> list[range]:
    """`range(count)` cut into consecutive spans, about `per_job` for each process (so a slow
    span does not leave the others idle at the end), each at least `least` long."""
    size = max(least, -(-count // max(1, jobs * per_job)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]
