"""Asking git one question (its user's name, a remote's address, which files it tracks):
the answer, or None when git is missing, slow, or says no, since every caller then falls
back to something that works without git."""

from __future__ import annotations

import subprocess
from pathlib import Path

GIT_TIMEOUT = 10  # seconds: a question git answers at once, unless something is wrong


def git_output(*args: str, folder: Path | None = None) -> str | None:
    """What `git ARGS` prints, stripped (run in `folder` when given); None when it fails."""
    where = ["-C", str(folder)] if folder is not None else []
    try:
        result = subprocess.run(
            ["git", *where, *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None
