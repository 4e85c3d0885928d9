"""Where the tool keeps what it stores for speed: one `.dialogtool/` folder inside the coded folder.

Every cache and index (the parsed-note cache, the codes index, `code`'s stamps, and any
cache added later) takes its path from `cache_path`, so all of them land in one folder
that reviewers never need to look at. The folder carries its own `.gitignore` holding
`*` (as pytest's `.pytest_cache` does), so `git add -A` in a repository around the coded
folder stages the coded YAML files and nothing else, whatever the project's own
`.gitignore` says.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from ..files import write_text

CACHE_DIR = ".dialogtool"
_GITIGNORE = "# Written by dialogtool: caches that make it fast, never committed.\n*\n"
# Where earlier versions kept their caches, beside the coded files; removed when the new folder is made.
_LEGACY = (".dialogtool-cache", ".dialogtool-codes.json", ".dialogtool-written.json", ".dialogtool-index.json")


def cache_path(coded_dir: Path, name: str, *, create: bool = False) -> Path:
    """The path of cache `name` (a file, or `folder/file`) for `coded_dir`.

    With `create`, the cache folder (and the one `name` is in) is made first, with its
    `.gitignore`; an OSError then propagates, and callers that write a cache treat it
    as "no cache" (a read-only coded folder still works, only slower).
    """
    root = coded_dir / CACHE_DIR
    target = root / name
    if create:
        if not (root / ".gitignore").exists():
            root.mkdir(exist_ok=True)
            write_text(root / ".gitignore", _GITIGNORE)
            _remove_legacy(coded_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _remove_legacy(coded_dir: Path) -> None:
    """Older versions' caches beside the coded files: they would show in `git status` forever."""
    for name in _LEGACY:
        old = coded_dir / name
        with contextlib.suppress(OSError):
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            elif old.is_file():
                old.unlink()
