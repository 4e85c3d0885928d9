"""Answers worked out in earlier runs, kept in a file of the user's cache folder: the
lemmas of words (`lemma_memo`) and which codebook words a text word satisfies (the matcher's).

Both are worked out once per distinct word, and most of the words a run meets an earlier run
has met too: the codebook's own every time, and those of notes coded before. A memo is one
file per kind, holding a `key` (a digest of everything that decides the answers: the code
that computes them, simplemma's version, the codebook's compiled words) and the answers. A
file with another key is read as empty and replaced by the next save, so a change to any of
those inputs never serves a stale answer, and the folder holds one file per kind, not one
per codebook edit.

The file's content is checked against a digest stored with it, so a torn or damaged file
reads as empty and is replaced. It is written whole to a temporary file and renamed
(`files.write_bytes`), after merging the answers on disk by then (when their key is the
same): processes saving at once each leave a whole file, and an answer one process's rename
loses is simply worked out again by a later run. Answers are stored with `marshal`, which
reads 40,000 words in a few milliseconds; the file is the user's own, like the cache folder.

Worker processes of a `code --jobs N` run hand their new answers back to the parent with
each result (`take_new`, `remember`), and the parent saves them all when the run ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import DialogtoolError
from ..files import read_bytes, write_bytes

_MAGIC = b"dialogtool memo 1\n"
_DIGEST = 16  # bytes of blake2b over the rest of the file, after the magic line
MAX_ENTRIES = 400_000  # beyond this, a save starts the file afresh with the run's own answers
MAX_BYTES = 64 * 2**20


class Memo:
    """Answers read from the file (`known`) and those worked out by this process since (`new`)."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path = path
        self.key = key
        self.known: dict[str, Any] = read_memo(path, key) if path is not None else {}
        self.new: dict[str, Any] = {}

    def get(self, word: str) -> Any:
        found = self.known.get(word)
        return found if found is not None else self.new.get(word)

    def add(self, word: str, answer: Any) -> None:
        self.new[word] = answer

    def take_new(self) -> dict[str, Any]:
        """The answers worked out since the last call, moved to `known` (a worker hands them to its parent)."""
        fresh, self.new = self.new, {}
        self.known.update(fresh)
        return fresh

    def store(self) -> None:
        """Merge the new answers into the file (module docstring); a cache that cannot be written is skipped."""
        if self.path is None or not self.new:
            return
        merged = read_memo(self.path, self.key)
        if len(merged) + len(self.new) > MAX_ENTRIES:
            merged = {}
        merged.update(self.new)
        with contextlib.suppress(OSError, DialogtoolError):
            write_bytes(self.path, encode(merged, self.key))
        self.known.update(self.new)
        self.new = {}


def memo_key(parts: Iterable[bytes]) -> str:
    """A digest of what decides a memo's answers (and of marshal's format and Python's version)."""
    digest = hashlib.sha256(f"{marshal.version} {sys.version_info[:2]}".encode())
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def source_bytes(paths: Iterable[Path]) -> list[bytes] | None:
    """The content of the source files a memo's answers depend on, None when one cannot be read."""
    try:
        return [path.read_bytes() for path in paths]
    except OSError:
        return None


def encode(answers: dict[str, Any], key: str) -> bytes:
    body = key.encode("ascii") + b"\n" + marshal.dumps(answers)
    return _MAGIC + hashlib.blake2b(body, digest_size=_DIGEST).digest() + body


def read_memo(path: Path, key: str) -> dict[str, Any]:
    """The answers in the file; empty when there is none, it is not whole, or its key is another."""
    try:
        data = read_bytes(path, MAX_BYTES, "cache")
    except DialogtoolError:  # none yet, or not a regular file, or larger than any this module writes
        return {}
    head = len(_MAGIC) + _DIGEST
    stored, body = data[len(_MAGIC) : head], data[head:]
    if not data.startswith(_MAGIC) or hashlib.blake2b(body, digest_size=_DIGEST).digest() != stored:
        return {}
    line, _, payload = body.partition(b"\n")
    if line != key.encode("ascii"):
        return {}
    try:
        answers = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return {}
    return answers if isinstance(answers, dict) else {}


# The memos this process has opened, by name: each is read once, and saved when `code` ends.
_OPEN: dict[str, Memo] = {}


def opened(name: str, make: Callable[[], Memo]) -> Memo:
    """This process's memo of that name, made (and its file read) on first use."""
    found = _OPEN.get(name)
    if found is None:
        found = _OPEN[name] = make()
    return found


def forget() -> None:
    """Drop the memos this process opened, unsaved (tests that change the cache folder)."""
    _OPEN.clear()


def take_new() -> dict[str, dict[str, Any]]:
    """Every open memo's answers since the last call, by memo name (a worker's, for its parent)."""
    return {name: fresh for name, memo in _OPEN.items() if (fresh := memo.take_new())}


def remember(answers: dict[str, dict[str, Any]]) -> None:
    """Answers a worker process worked out, to be saved with this process's own."""
    for name, fresh in answers.items():
        memo = _OPEN.get(name)
        if memo is not None:
            memo.new.update(fresh)


def save_all() -> None:
    """Save every open memo's new answers."""
    for memo in _OPEN.values():
        memo.store()
