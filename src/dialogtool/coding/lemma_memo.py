"""Lemmas worked out in earlier runs (a `memo`), so that a run whose words were all seen
before never loads simplemma.

Each distinct word's lemmas cost simplemma's default strategy about 15 µs in Bokmål and
Nynorsk together, and the first word costs importing simplemma (30 ms: its package imports
a language detector and rules for thirty languages). A `code` of 50 notes looks up 2,000 to
3,000 words, the codebook's 500 included, most of which an earlier run has seen. So the
lemmas found are kept, word by word, and simplemma is asked only about words no run has
asked about. The memo's key is a digest of simplemma's `__metadata__.py` (its version) and
the source of `lemmas` and `lemma_tables`: an upgrade or a change to either starts afresh.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from . import memo as memos
from .lemma_tables import cache_folder

NAME = "lemmas"


def memo() -> memos.Memo:
    """This process's lemma memo, read from the cache folder on first use."""
    return memos.opened(NAME, _open)


def _open() -> memos.Memo:
    sources = key_sources()
    content = memos.source_bytes(sources) if sources is not None else None
    if content is None:  # simplemma not found where expected: lemmas are not kept
        return memos.Memo(None, "")
    return memos.Memo(cache_folder() / "lemmas.memo", memos.memo_key(content))


def key_sources() -> list[Path] | None:
    """The files whose content decides the lemmas: this package's `lemmas` and `lemma_tables`
    and simplemma's `__metadata__.py` (its version), found without importing simplemma."""
    spec = importlib.util.find_spec("simplemma")
    if spec is None or not spec.submodule_search_locations:
        return None
    here = Path(__file__).parent
    simplemma = Path(next(iter(spec.submodule_search_locations)))
    return [here / "lemmas.py", here / "lemma_tables.py", simplemma / "__metadata__.py"]
