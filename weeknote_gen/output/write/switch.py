"""The folder switch: the spare folder and the output folder exchanged in one rename where the
system can (Linux's `renameat2`), else in two, and tidied up after a build stopped in between."""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import sys
from pathlib import Path
from typing import Any

from weeknote_gen.output.write.files import remove_tree


def spare_folder(root: Path) -> Path:
    return root.with_name(f".{root.name}.spare")


def aside_folder(root: Path) -> Path:
    """Where the output folder waits for a moment where an atomic exchange is not possible."""
    return root.with_name(f".{root.name}.aside")


def recover(root: Path, spare: Path, aside: Path) -> None:
    """Tidy up after a build that stopped during a two-rename switch (no atomic exchange)."""
    staging = root.with_name(f".{root.name}.staging")  # the first build's folder, before 0.x
    if staging.is_dir() and not staging.is_symlink():
        remove_tree(staging)
    if not (aside.is_dir() and not aside.is_symlink()):
        return
    if not root.exists():
        aside.rename(root)  # stopped between the renames: the old site comes back
    elif not spare.exists():
        aside.rename(spare)
    else:
        remove_tree(aside)


def exchange(spare: Path, root: Path, aside: Path) -> None:
    """Swap the two folders: atomically where the system can (Linux's `renameat2`), else
    with two renames and a moment when the output folder is missing."""
    if _rename_exchange(spare, root):
        return
    root.rename(aside)
    spare.rename(root)
    aside.rename(spare)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None  # a C library without it (glibc before 2.28, some others)


def _rename_exchange(first: Path, second: Path) -> bool:
    function = _renameat2()
    if function is None:
        return False
    result = function(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # the kernel or this file system cannot exchange
    raise OSError(code, os.strerror(code), str(second))
