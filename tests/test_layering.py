"""The import rules of ARCHITECTURE.md: stages import only stages above them, and each
third-party library is imported only by the module that owns it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "weeknote_gen"

# The module map, top to bottom: a module may import only modules listed above it.
ORDER = (
    "errors",
    "yamldoc",
    "languages",
    "config",
    "reference",
    "discover",
    "front_matter",
    "dating",
    "parse",
    "markdown",
    "learning",
    "urls",
    "model",
    "checks",
    "views",
    "charts",
    "pages",
    "output",
    "theme",
    "render",
    "feeds",
    "redirects",
    "search",
    "scaffold",
    "importer",
    "codec",
    "cache",
    "pipeline",
    "memo",
    "load",
    "status",
    "build",
    "digest",
    "preview",
    "serve",
    "cli",
)
THIRD_PARTY_OWNERS = {
    "yaml": {"yamldoc"},
    "frontmatter": {"front_matter"},
    "markdown": {"markdown"},
    "pygments": {"markdown"},
    "jinja2": {"render"},
    "watchdog": {"serve"},
    "pagefind": {"search"},
    "markdownify": {"importer"},
    "bs4": {"importer"},
    "babel": {"languages"},
}
ENTRY_POINTS = {"__init__", "__main__"}


def imports_of(path: Path) -> set[str]:
    """Top-level names imported by a module, package-internal ones as 'weeknote_gen.x'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in ENTRY_POINTS)


def test_every_module_is_on_the_map() -> None:
    assert set(modules()) <= set(ORDER)


@pytest.mark.parametrize("module", modules())
def test_imports_flow_down_the_module_map(module: str) -> None:
    allowed = set(ORDER[: ORDER.index(module)])
    internal = {
        name.split(".")[1]
        for name in imports_of(PACKAGE / f"{module}.py")
        if name.startswith("weeknote_gen.")
    }
    assert internal <= allowed, f"{module} imports {sorted(internal - allowed)} from below it"


@pytest.mark.parametrize("module", modules())
def test_third_party_libraries_stay_with_their_owner(module: str) -> None:
    for name in imports_of(PACKAGE / f"{module}.py"):
        top = name.split(".")[0]
        owners = THIRD_PARTY_OWNERS.get(top)
        if owners is not None:
            assert module in owners, f"{module} imports {top}, which belongs to {sorted(owners)}"


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from weeknote_gen.cli import main\nimport jinja2.sandbox\n", encoding="utf-8")
    assert imports_of(bad) == {"weeknote_gen.cli", "jinja2.sandbox"}


def test_the_architecture_page_lists_the_module_map_in_order() -> None:
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = page.split("## Module map", 1)[1].split("\n## ", 1)[0]
    listed = tuple(line.split("`")[1] for line in table.splitlines() if line.startswith("| `"))
    assert listed == ORDER, "update the module map in docs/architecture.md"
