"""Where a site's templates and static files come from, and a fingerprint of them all.

Kept apart from `render` so that a rebuild can tell that nothing changed without loading
Jinja at all: an unchanged site is checked in a fraction of the time it takes to import it.
"""

from __future__ import annotations

import hashlib
from importlib.resources import files
from pathlib import Path

from weeknote_gen.config import TEMPLATES_DIR

STATIC_DIR = "static"


def builtin_theme_dir() -> Path:
    """The default theme: packaged inside the wheel, or the checkout's `site_templates/`."""
    packaged = Path(str(files("weeknote_gen"))) / "theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / TEMPLATES_DIR


def theme_dirs(site_dir: Path) -> tuple[Path, ...]:
    """Where templates are looked up, most specific first."""
    own = site_dir / TEMPLATES_DIR
    builtin = builtin_theme_dir()
    if own.is_dir() and own.resolve() != builtin.resolve():
        return (own, builtin)
    return (builtin,)


def templates_fingerprint(site_dir: Path, *, with_static: bool = False) -> str:
    """A hash of every template the site can use (its own, then the built-in theme), and
    with `with_static` of the theme's static files too."""
    digest = hashlib.sha256()
    for theme in theme_dirs(site_dir):
        for path in sorted(theme.rglob("*")):
            static = STATIC_DIR in path.relative_to(theme).parts[:1]
            if path.is_file() and (with_static or not static):
                digest.update(f"{path.relative_to(theme).as_posix()}\0".encode())
                digest.update(path.read_bytes())
        digest.update(b"\0theme\0")
    return digest.hexdigest()
