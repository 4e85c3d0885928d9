"""simplemma's Bokmål and Nynorsk tables, opened from a trie cache instead of decoded each run.

simplemma ships each language's table compressed and front-coded; decoding Bokmål and
Nynorsk (778,916 entries) took 0.7–0.9 s of every `code` run, most of what coding 50 notes
costs after spaCy's import. Here each table is built once into a MARISA trie (marisa-trie,
the structure simplemma's own `TrieDictionaryFactory` uses) and saved in the user's cache
folder; later runs memory-map it, which takes well under a millisecond, and look words up
in it (a few µs a word, and each distinct word is looked up once: `lemmas.word_keys` is
cached). The lemmas are simplemma's own: the same strategy over the same table.

Why not simplemma's `TrieDictionaryFactory` as it is: it writes the trie straight to its
final name, so a second process starting at the same moment can map a half-written file,
and it needs platformdirs. Here the trie goes through `files.write_bytes` (temporary file,
then rename), so processes building at the same time each write a whole file and the last
rename wins; the file name carries simplemma's version, so an upgrade builds new tables.
When the cache folder cannot be written, the trie built in memory is used for this run.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import DialogtoolError
from ..files import write_bytes

_LAYOUT = 1  # bump when what is stored in the trie changes
ENV_CACHE = "DIALOGTOOL_CACHE_DIR"  # where the tables go, instead of the user's cache folder


def cache_folder() -> Path:
    """$DIALOGTOOL_CACHE_DIR, else $XDG_CACHE_HOME/dialogtool, else ~/.cache/dialogtool."""
    chosen = os.environ.get(ENV_CACHE)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dialogtool"


def table_path(lang: str) -> Path:
    """The trie file for a language and the installed simplemma (its version is in the name)."""
    from simplemma.__metadata__ import __version__

    return cache_folder() / f"simplemma-{__version__}-{lang}-{_LAYOUT}.marisa"


class _TrieTable(Mapping[str, str]):
    """A read-only str -> str view of a BytesTrie (simplemma asks `get` and `[]`)."""

    __slots__ = ("_trie",)

    def __init__(self, trie: Any) -> None:
        self._trie = trie

    def get(self, key: str, default: Any = None) -> Any:
        found = self._trie.get(key)
        return found[0].decode() if found else default

    def __getitem__(self, key: str) -> str:
        found = self._trie.get(key)
        if not found:
            raise KeyError(key)
        return str(found[0].decode())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._trie

    def __iter__(self) -> Iterator[str]:
        return iter(self._trie.iterkeys())

    def __len__(self) -> int:
        return len(self._trie)


def open_table(lang: str) -> Mapping[str, str]:
    """The language's table: mapped from the cache, or built (and cached when possible)."""
    from marisa_trie import BytesTrie

    path = table_path(lang)
    if path.is_file():
        with contextlib.suppress(Exception):  # a damaged cache file is rebuilt below
            return _TrieTable(BytesTrie().mmap(str(path)))
    trie = build_trie(lang)
    with contextlib.suppress(OSError, DialogtoolError):  # a read-only home: the trie in memory, this time
        write_bytes(path, trie.tobytes())
    return _TrieTable(trie)


def build_trie(lang: str) -> Any:
    """A trie of simplemma's shipped table for `lang` (about 0.8 s for Bokmål)."""
    from marisa_trie import BytesTrie
    from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk

    table = _load_dictionary_from_disk(lang)
    return BytesTrie((key.decode(), value) for key, value in table.items())


@cache
def lemmatizer() -> Any:
    """simplemma's default lemmatizer over the cached tables (one per process)."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries.dictionary_factory import CachingDictionaryFactory

    class _Factory(CachingDictionaryFactory):
        def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
            return open_table(lang)

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_Factory()))
