"""The one way dialogtool writes a file: whole, atomically, with the mode the umask gives.

Every file the tool writes — coded notes, caches and indexes, md/csv output, xlsx, docx,
PNG, qdpx, qdc — goes through `write_bytes` (or `write_text` / `write_with` on top of it):

- atomic: the data goes to a temporary file in the target's folder, then `os.replace`, so
  an interrupted run (Ctrl-C, kill -9) leaves the old file or the new one, never half of one;
- shared like any file: `mkstemp` creates files 0600, so the temporary file is given
  0666 minus the umask before the rename (a 0600 export surprised a colleague once);
- no fsync: it cost more than all of YAML writing on large runs, and the rename is what
  protects against interruption; after a power cut, re-run `code`.

Libraries that write to a file themselves (openpyxl, python-docx, matplotlib) write into a
memory buffer through `write_with`, and the buffer is written here.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def file_mode() -> int:
    """0666 minus the process's umask: what `open()` would give a new file.

    Read on every write (two system calls) rather than once at import, so a program that
    changes its umask is obeyed.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, creating the folder; OSError propagates to the caller."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str) -> None:
    """UTF-8, line endings exactly as in `text` (no translation on any platform)."""
    write_bytes(path, text.encode("utf-8"))


def write_with(path: Path, save: Callable[[BinaryIO], None]) -> None:
    """For a library that saves to a file object: `save(buffer)` fills memory, then one atomic write."""
    buffer = io.BytesIO()
    save(buffer)
    write_bytes(path, buffer.getvalue())
