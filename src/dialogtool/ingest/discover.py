"""Find the note files under the paths a user gives, and say which files are not notes.

Folders are walked without following symlinks to folders; the same file named twice is
found once; hidden files, Office lock files (~$x.docx), README files and the meta.yaml
manifest are not notes. A folder that cannot be listed is a failure, reported by name:
its notes would otherwise vanish from every count.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..files import printable, reason
from .meta import MANIFEST
from .readers import SUFFIXES

_IGNORED = re.compile(r"^(?:\.|~\$|readme(?:\.|$))", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, and why; `error` when it is a failure (a folder that
    cannot be read) rather than a file that is simply not a note."""

    path: str
    message: str
    error: bool = False


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Note files under the given files/folders, sorted; unsupported files are reported.

    Folders are walked without following symlinks to folders, so a link loop cannot hang.
    """
    found: dict[Path, Path] = {}  # resolved -> as given, so "raw/a.txt" and "/abs/raw/a.txt" are one note
    skipped: list[Problem] = []

    def add(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop, for one
            key = path.absolute()
        found.setdefault(key, path)

    def unreadable(exc: OSError) -> None:  # os.walk skips what it cannot list unless told
        where = printable(exc.filename if exc.filename is not None else "?")
        skipped.append(Problem(where, f"cannot read folder: {reason(exc)}; its notes are not coded", error=True))

    for root in paths:
        if not root.is_dir():
            if root.exists() or root.is_symlink():
                add(root)  # a file named on the command line: the reader says if it is no note
            else:
                skipped.append(Problem(printable(root), "no such file or folder"))
            continue
        for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder) / name
                if _IGNORED.match(name) or name == MANIFEST:
                    continue
                if path.suffix.lower() in SUFFIXES:
                    add(path)
                else:
                    skipped.append(Problem(printable(path), f"skipped: not a note ({path.suffix or 'no extension'})"))
    return sorted(found.values(), key=lambda p: p.as_posix()), skipped
