"""Lemmas worked out in earlier runs, kept in the user's cache folder, so that a run whose
words were all seen before never loads simplemma.

Each distinct word's lemmas cost simplemma's default strategy about 15 µs in Bokmål and
Nynorsk together, and the first word costs importing simplemma (30 ms: its package imports
a language detector and rules for thirty languages). A `code` of 50 notes looks up 2,000 to
3,000 words, the codebook's 500 included, most of which an earlier run has seen: the
codebook's words every time, and the words of notes coded before. So the lemmas found are
kept here, word by word, and simplemma is asked only about words no run has asked about.

The file's name carries a digest of what decides the lemmas: simplemma's version (its
`__metadata__.py`), the source of `lemmas` and `lemma_tables`, and marshal's format, so an
upgrade or a change to either module starts a new file instead of reading stale lemmas. Its
content is checked against a digest stored with it, so a torn or damaged file reads as
empty and is replaced. It is written whole to a temporary file and renamed (`files.write_bytes`),
after merging what is on disk by then: processes saving at once each leave a whole file,
and a word a process's rename loses is simply worked out again by a later run.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import sys
from pathlib import Path

from ..errors import DialogtoolError
from ..files import read_bytes, write_bytes
from .lemma_tables import cache_folder

_MAGIC = b"dialogtool lemmas 1\n"
_DIGEST = 16  # bytes of blake2b over the payload, after the magic line
MAX_WORDS = 400_000  # beyond this, a save starts the file afresh with the run's own words (about 20 MiB)
MAX_BYTES = 64 * 2**20

Lemmas = tuple[str, ...]


class LemmaMemo:
    """Words' lemmas from the file (`known`) and those worked out by this process since (`new`)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, Lemmas] = read_memo(path) if path is not None else {}
        self.new: dict[str, Lemmas] = {}

    def get(self, word: str) -> Lemmas | None:
        found = self.known.get(word)
        return found if found is not None else self.new.get(word)

    def add(self, word: str, lemmas: Lemmas) -> None:
        self.new[word] = lemmas

    def take_new(self) -> dict[str, Lemmas]:
        """The words worked out since the last call, moved to `known` (a worker hands them to its parent)."""
        fresh, self.new = self.new, {}
        self.known.update(fresh)
        return fresh

    def save(self) -> None:
        """Merge the new words into the file (see the module docstring); a cache that cannot be written is skipped."""
        if self.path is None or not self.new:
            return
        merged = read_memo(self.path)
        if len(merged) + len(self.new) > MAX_WORDS:
            merged = {}
        merged.update(self.new)
        with contextlib.suppress(OSError, DialogtoolError):
            write_bytes(self.path, encode(merged))
        self.known.update(self.new)
        self.new = {}


def memo_path() -> Path | None:
    """The file for the installed simplemma and this code, or None if simplemma cannot be found."""
    sources = key_sources()
    if sources is None:
        return None
    digest = hashlib.sha256(f"{marshal.version} {sys.version_info[:2]}".encode())
    try:
        for source in sources:
            digest.update(source.read_bytes() + b"\0")
    except OSError:
        return None
    return cache_folder() / f"lemmas-{digest.hexdigest()[:20]}.bin"


def key_sources() -> list[Path] | None:
    """The files whose content decides the lemmas: this package's `lemmas` and `lemma_tables`
    and simplemma's `__metadata__.py` (its version), found without importing simplemma."""
    spec = importlib.util.find_spec("simplemma")
    if spec is None or not spec.submodule_search_locations:
        return None
    here = Path(__file__).parent
    simplemma = Path(next(iter(spec.submodule_search_locations)))
    return [here / "lemmas.py", here / "lemma_tables.py", simplemma / "__metadata__.py"]


def encode(words: dict[str, Lemmas]) -> bytes:
    payload = marshal.dumps(words)
    return _MAGIC + hashlib.blake2b(payload, digest_size=_DIGEST).digest() + payload


def read_memo(path: Path) -> dict[str, Lemmas]:
    """The words in the file; empty when there is none or it is not whole (see the module docstring)."""
    try:
        data = read_bytes(path, MAX_BYTES, "lemma cache")
    except DialogtoolError:  # none yet, or not a regular file, or larger than any this module writes
        return {}
    head = len(_MAGIC) + _DIGEST
    stored, payload = data[len(_MAGIC) : head], data[head:]
    if not data.startswith(_MAGIC) or hashlib.blake2b(payload, digest_size=_DIGEST).digest() != stored:
        return {}
    try:
        words = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return {}
    return words if isinstance(words, dict) else {}


_MEMO: list[LemmaMemo] = []


def memo() -> LemmaMemo:
    """This process's memo, read from the file on first use."""
    if not _MEMO:
        _MEMO.append(LemmaMemo(memo_path()))
    return _MEMO[0]


def save_memo() -> None:
    """Save this process's new words, if it looked any up (see `LemmaMemo.save`)."""
    if _MEMO:
        _MEMO[0].save()


def take_new_words() -> dict[str, Lemmas]:
    """The words this process lemmatised since the last call (a worker's, for its parent)."""
    return _MEMO[0].take_new() if _MEMO else {}


def remember_words(words: dict[str, Lemmas]) -> None:
    """Words a worker lemmatised, to be saved with this process's own."""
    if words:
        memo().new.update(words)
