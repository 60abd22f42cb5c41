"""Which cache a file belongs to, and what went wrong with it.

One folder per cache format, tool and Python version (`cache_folder`), and in every file a
header line naming the cache format and a fingerprint of the code that wrote it
(`code_fingerprint`): a cache written by other code is never trusted, and the folders of other
versions are removed once a new cache is written. Anything unreadable, damaged, of another
shape or written by other code leaves a notice (`take_notices`) for the command to print: a
cache can only ever cost time, never a build.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sys
import threading
from pathlib import Path

from weeknote_gen import __version__

FORMAT = 4  # 4: tables as record files; 3: JSON through `codec`; 2 and before: pickles
_MAGIC = b"weeknote-gen cache"

UNREADABLE = "the build cache could not be read and was rebuilt"
OTHER_VERSION = "the build cache was made by another version of weeknote-gen and was rebuilt"

_notices: list[str] = []
_notices_lock = threading.Lock()


def take_notices() -> list[str]:
    """What went wrong with the cache since the last call, each told once (for the CLI to
    print as a one-line note: the build itself went ahead)."""
    with _notices_lock:
        found = list(dict.fromkeys(_notices))
        _notices.clear()
    return found


def note_damaged_cache() -> None:
    """A cached value turned out damaged only when used (a page that does not expand)."""
    _notice(UNREADABLE)


def _notice(text: str) -> None:
    with _notices_lock:
        _notices.append(text)


def cache_folder(root: Path) -> Path:
    """One folder per cache format, tool and Python version: a new one starts empty."""
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    return root / f"v{FORMAT}-{__version__}-{python}"


@functools.cache
def code_fingerprint() -> str:
    """The tool's own source, and the theme's catalogues of words (whose text goes into
    pages as code does): a cache written by any other code (a development checkout between
    releases, say) is not trusted, since what it computed may differ."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}".encode())
    package = Path(__file__).resolve().parent.parent
    for source in sorted([*package.rglob("*.py"), *package.rglob("*.po")]):
        digest.update(f"\0{source.relative_to(package).as_posix()}\0".encode())
        with contextlib.suppress(OSError):
            digest.update(source.read_bytes())
    return digest.hexdigest()


def _header() -> bytes:
    return _MAGIC + b" " + code_fingerprint().encode() + b"\n"


def read_cache_file(path: Path) -> tuple[bytes, os.stat_result] | None:
    """A cache file's bytes and status; None when there is none (a cold cache, with a
    notice when another version's cache is beside it) or it cannot be read (a notice)."""
    try:
        with path.open("rb") as handle:
            return handle.read(), os.fstat(handle.fileno())
    except FileNotFoundError:
        if _other_versions(path.parent):
            _notice(OTHER_VERSION)
    except OSError:
        _notice(UNREADABLE)
    return None


def _other_versions(folder: Path) -> list[Path]:
    """Cache folders beside `folder` made by other versions (of the tool, format or Python)."""
    parent = folder.parent
    if not folder.name.startswith("v") or not parent.is_dir():
        return []
    return [p for p in parent.iterdir() if p.is_dir() and p.name.startswith("v") and p != folder]


def _remove_other_versions(folder: Path) -> None:
    for other in _other_versions(folder):
        shutil.rmtree(other, ignore_errors=True)
