"""The import rules of ARCHITECTURE.md: folders import only folders above them, modules inside
a folder import only modules above them in it, and each third-party library is imported only
by the module that owns it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "weeknote_gen"

# The folders, top to bottom, each with its modules in order: a module may import the modules
# listed above it in its own folder and anything in the folders above its folder. `base`,
# `urls` and `cli` are not folders on disk but layers of modules at the package's top level.
FOLDERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("errors", "yamldoc", "words")),
    (
        "config",
        (
            "config.languages",
            "config.reserved",
            "config.checker",
            "config.status",
            "config.authors",
            "config.taxonomies",
            "config.front_matter",
            "config.markdown",
            "config.permalink",
            "config.site",
            "config.site_words",
            "config.site_languages",
            "config.schema",
            "config.load",
            "config.reference",
        ),
    ),
    ("urls", ("urls",)),
    (
        "content",
        (
            "content.discover",
            "content.tree_identity",
            "content.front_matter_result",
            "content.toml_front_matter",
            "content.json_front_matter",
            "content.header_front_matter",
            "content.front_matter",
            "content.dating",
            "content.dates_from_names",
            "content.git_history_dates",
            "content.date_text",
            "content.other_generators",
            "content.title_heading",
            "content.field_checks",
            "content.note_language",
            "content.parse",
            "content.markdown_summary",
            "content.markdown_headings",
            "content.markdown_github",
            "content.markdown_template_code",
            "content.template_prompts",
            "content.markdown_links",
            "content.markdown_raw_html",
            "content.markdown_typography",
            "content.markdown_inline",
            "content.markdown_code_style",
            "content.markdown",
            "content.learning",
            "content.model",
            "content.site_indexes",
            "content.note_slugs",
            "content.note_links",
            "content.assemble",
            "content.checks",
        ),
    ),
    (
        "site",
        (
            "site.views",
            "site.chart_words",
            "site.charts",
            "site.page_spec",
            "site.planner",
            "site.note_pages",
            "site.author_pages",
            "site.taxonomy_pages",
            "site.week_pages",
            "site.learning_pages",
            "site.navigation_pages",
            "site.plan",
            "site.alternates",
        ),
    ),
    (
        "output",
        (
            "output.artifact",
            "output.write.report",
            "output.write.paths",
            "output.write.files",
            "output.write.manifest",
            "output.write.switch",
            "output.write.assembly",
            "output.write.in_place",
            "output.write.site",
            "output.theme",
            "output.render",
            "output.note_prompts",
            "output.atom",
            "output.json_feed",
            "output.sitemap",
            "output.feeds",
            "output.redirects",
            "output.search",
        ),
    ),
    (
        "engine",
        (
            "engine.codec_values",
            "engine.codec",
            "engine.snapshot_codec",
            "engine.note_codec",
            "engine.overlay_codec",
            "engine.cache_version",
            "engine.record_file",
            "engine.cache",
            "engine.memo",
            "engine.records",
            "engine.stages",
            "engine.load",
            "engine.noop",
            "engine.snapshot",
            "engine.snapshot_taking",
            "engine.delta_outputs",
            "engine.delta",
            "engine.file_stream",
            "engine.parts",
            "engine.build",
            "engine.preview",
        ),
    ),
    (
        "commands",
        (
            "commands.report",
            "commands.git_output",
            "commands.build",
            "commands.new",
            "commands.status",
            "commands.init_answers",
            "commands.init_existing",
            "commands.init_files",
            "commands.init",
            "commands.importer.posts",
            "commands.importer.safe_xml",
            "commands.importer.to_markdown",
            "commands.importer.feeds",
            "commands.importer.wordpress",
            "commands.importer.notes",
            "commands.importer.command",
            "commands.digest_contents",
            "commands.digest",
            "commands.live_reload",
            "commands.serve",
        ),
    ),
    ("cli", ("cli",)),
)
ORDER = tuple(module for _, modules in FOLDERS for module in modules)
FOLDER_NAMES = tuple(folder for folder, _ in FOLDERS)
# Modules at the package's top level and the layer each belongs to.
TOP_LEVEL = {"errors": "base", "yamldoc": "base", "words": "base", "urls": "urls", "cli": "cli"}
THIRD_PARTY_OWNERS = {
    "yaml": {"yamldoc"},
    "frontmatter": {"content.front_matter"},
    # Python-Markdown's classes are subclassed by each step of the Markdown split, and by
    # nothing outside it.
    "markdown": {
        "content.markdown_summary",
        "content.markdown_headings",
        "content.markdown_github",
        "content.markdown_links",
        "content.markdown_raw_html",
        "content.markdown_typography",
        "content.markdown_inline",
        "content.markdown",
    },
    "pygments": {"content.markdown_code_style"},
    "jinja2": {"output.render"},
    "watchdog": {"commands.serve"},
    "pagefind": {"output.search"},
    "markdownify": {"commands.importer.to_markdown"},
    "bs4": {"commands.importer.to_markdown"},
    "babel": {"config.languages", "words"},
}
ENTRY_POINTS = {"__init__", "__main__"}
# The one folder whose `__init__` re-exports names (so `from weeknote_gen.config import
# Config` works); every other folder's `__init__` is a docstring and nothing else.
RE_EXPORTING = {"config"}


def _is_internal_module(dotted: str) -> bool:
    """Whether 'weeknote_gen.a.b' names a module or folder of the package (not a name in one)."""
    parts = dotted.split(".")[1:]
    if not parts:
        return False
    where = PACKAGE.joinpath(*parts)
    return where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()


def imports_of(path: Path) -> set[str]:
    """Every module a file imports: third-party ones as written, package-internal ones as
    'weeknote_gen.x.y' (`from weeknote_gen.engine import stages` counts as
    'weeknote_gen.engine.stages', so a lazy import of a whole module is checked too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if _is_internal_module(submodule) else node.module)
    return names


def internal_imports(path: Path) -> set[str]:
    """The package's own modules a file imports, as 'folder.module' (the package itself,
    for `__version__`, left out: it imports nothing)."""
    return {
        name.removeprefix("weeknote_gen.")
        for name in imports_of(path)
        if name.startswith("weeknote_gen.")
    }


def module_path(module: str) -> Path:
    return PACKAGE.joinpath(*module.split(".")).with_suffix(".py")


def modules() -> list[str]:
    """Every module of the package as 'folder.module' (or 'module' at the top level),
    entry points and folders' `__init__` left out."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).with_suffix("")
        if relative.name in ENTRY_POINTS:
            continue
        found.append(".".join(relative.parts))
    return sorted(found)


def folder_inits() -> list[str]:
    return sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py"))


def folder_of(module: str) -> str | None:
    """The layer a module (or a folder, named alone) belongs to; None if it is in none."""
    if "." in module:
        folder = module.split(".")[0]
        return folder if folder in FOLDER_NAMES and folder not in TOP_LEVEL.values() else None
    if module in TOP_LEVEL:
        return TOP_LEVEL[module]
    return module if module in FOLDER_NAMES and module not in TOP_LEVEL.values() else None


def test_every_folder_is_known() -> None:
    folders = {path.parent.name for path in PACKAGE.glob("*/*.py")}
    unknown = sorted(folders - set(FOLDER_NAMES))
    assert not unknown, (
        f"weeknote_gen/{unknown[0]}/ is not a known folder: add it to FOLDERS in"
        " tests/test_layering.py (where it sits decides what it may import) and to the module"
        " map in docs/architecture.md"
    )


@pytest.mark.parametrize("module", modules())
def test_every_module_is_on_the_map(module: str) -> None:
    folder = folder_of(module)
    assert folder is not None, (
        f"{module} is in no known folder: put it in one of {list(FOLDER_NAMES)}, or add its"
        " folder to FOLDERS in tests/test_layering.py"
    )
    assert module in ORDER, f"{module} is not on the module map: add it to FOLDERS[{folder!r}]"


def test_every_module_on_the_map_exists() -> None:
    missing = [module for module in ORDER if not module_path(module).is_file()]
    assert not missing, f"on the map but not in weeknote_gen/: {missing}"


def allowed_imports(module: str) -> set[str]:
    """What a module may import: every module and folder above its folder, and the modules
    before it in its own folder."""
    folder = folder_of(module)
    assert folder is not None
    position = FOLDER_NAMES.index(folder)
    allowed: set[str] = set()
    for name, members in FOLDERS[:position]:
        allowed.update(members)
        allowed.add(name)  # the folder itself: `from weeknote_gen.config import Config`
    own = dict(FOLDERS)[folder]
    allowed.update(own[: own.index(module)])
    return allowed


@pytest.mark.parametrize("module", [m for m in ORDER if module_path(m).is_file()])
def test_imports_flow_down_the_module_map(module: str) -> None:
    internal = internal_imports(module_path(module))
    below = sorted(internal - allowed_imports(module))
    assert not below, f"{module} imports {below}, which are not above it on the module map"


@pytest.mark.parametrize("folder", folder_inits())
def test_folder_inits_import_only_their_own_folder(folder: str) -> None:
    """A folder's `__init__` runs before any module in it: it may re-export its own modules
    (config alone does) and must import nothing from folders below."""
    internal = internal_imports(PACKAGE / folder / "__init__.py")
    if folder not in RE_EXPORTING:
        assert not internal, f"weeknote_gen/{folder}/__init__.py should re-export nothing"
    own = set(dict(FOLDERS).get(folder, ()))
    members = dict(FOLDERS).get(folder, ())
    above = allowed_imports(members[0]) if members else set()
    assert internal <= own | above, f"{folder}/__init__ imports {sorted(internal - own - above)}"


@pytest.mark.parametrize("module", [*modules(), *(f"{f}.__init__" for f in folder_inits())])
def test_third_party_libraries_stay_with_their_owner(module: str) -> None:
    for name in imports_of(module_path(module)):
        top = name.split(".")[0]
        owners = THIRD_PARTY_OWNERS.get(top)
        if owners is not None:
            assert module in owners, f"{module} imports {top}, which belongs to {sorted(owners)}"


def test_no_relative_imports() -> None:
    """The checks above read absolute imports only, so a relative one would slip past them."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        relative = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level > 0]
        assert not relative, f"{path.relative_to(PACKAGE)} uses a relative import"


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from weeknote_gen.cli import main\nimport jinja2.sandbox\n"
        "from weeknote_gen.engine import stages\n",
        encoding="utf-8",
    )
    assert imports_of(bad) == {"weeknote_gen.cli", "jinja2.sandbox", "weeknote_gen.engine.stages"}
    assert "cli" not in allowed_imports("content.parse")
    assert "engine.stages" not in allowed_imports("output.render")
    assert "content.model" not in allowed_imports("content.parse")  # below it in its folder


def test_a_module_in_an_unknown_folder_is_reported() -> None:
    assert folder_of("widgets.gadget") is None
    assert folder_of("gadget") is None
    assert folder_of("content.gadget") == "content"


def test_the_architecture_page_lists_the_module_map_in_order() -> None:
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page.split("## Module map", 1)[1].split("\n## ", 1)[0]
    listed = tuple(line.split("`")[1] for line in section.splitlines() if line.startswith("| `"))
    assert listed == ORDER, "update the module map in docs/architecture.md"
    headings = [line.split("`")[1] for line in section.splitlines() if line.startswith("### `")]
    assert headings == list(FOLDER_NAMES), "one heading per folder, in order"


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def oversized(source: str, name: str) -> list[str]:
    """What in one module breaks the size rules: the module over 400 lines, or a function
    (or method) over 60, counted from its `def` to its last line."""
    found = []
    lines = source.count("\n")
    if lines > MAX_MODULE_LINES:
        found.append(f"{name}: {lines} lines (most {MAX_MODULE_LINES}): split it by concern")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(
                    f"{name}:{node.lineno}: {node.name} is {length} lines"
                    f" (most {MAX_FUNCTION_LINES}): cut it into named steps"
                )
    return found


def test_modules_and_functions_stay_small() -> None:
    """ARCHITECTURE.md's 'small': a module a reader can hold, a function one screen."""
    found = [
        problem
        for path in sorted(PACKAGE.rglob("*.py"))
        for problem in oversized(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    ]
    assert not found, "\n".join(found)


def test_the_size_check_sees_a_long_function_and_a_long_module() -> None:
    body = "\n".join(f"    x{n} = {n}" for n in range(61))
    long_function = f"def f() -> None:\n{body}\n"
    assert oversized(long_function, "m.py") == [
        "m.py:1: f is 62 lines (most 60): cut it into named steps"
    ]
    assert oversized("x = 1\n" * 401, "m.py") == ["m.py: 401 lines (most 400): split it by concern"]
    assert oversized("def f() -> None:\n    pass\n", "m.py") == []
