"""Base forms of Norwegian words, for Bokmål and Nynorsk at once.

A word's keys are its own form, its simplemma lemma in Bokmål and in Nynorsk, and the
stems left after removing a regular inflection ending. A plain codebook word matches a
text word when one of its keys is among the text word's keys. simplemma knows the
irregular and dictionary forms; the endings catch compounds and words it does not know
(simplemma leaves "slagpasientane" as it is), in either written standard. simplemma's
tables are opened from a trie cache (`lemma_tables`), not decoded on every run.
"""

from __future__ import annotations

from functools import cache

from .lemma_memo import memo

# Regular noun, adjective and verb endings of Bokmål and Nynorsk, longest first.
ENDINGS = (
    "anes",
    "enes",
    "ande",
    "ende",
    "ane",
    "ene",
    "ars",
    "ers",
    "ens",
    "ets",
    "ast",
    "est",
    "ere",
    "ar",
    "er",
    "en",
    "et",
    "te",
    "de",
    "ne",
    "a",
    "e",
    "r",
    "n",
    "t",
    "s",
)
_MIN_STEM = 3


@cache
def word_keys(lower: str) -> frozenset[str]:
    """The keys of a lower-cased word (see the module docstring)."""
    keys = {lower}
    keys.update(_lemmas(lower))
    keys.update(stems(lower))
    return frozenset(keys)


def base_keys(lower: str) -> frozenset[str]:
    """Keys of a codebook word: its form and its lemmas, without stripping endings."""
    return frozenset({lower, *_lemmas(lower)})


def stems(lower: str) -> list[str]:
    """What remains after each regular ending that the word has."""
    return [lower[: -len(e)] for e in ENDINGS if lower.endswith(e) and len(lower) - len(e) >= _MIN_STEM]


def _lemmas(lower: str) -> tuple[str, ...]:
    """simplemma's Bokmål and Nynorsk lemmas, from earlier runs when one has seen the word (`lemma_memo`)."""
    if not lower.isalpha():
        return ()
    known = memo()
    found: tuple[str, ...] | None = known.get(lower)
    if found is None:
        from .lemma_tables import lemmatizer

        lemmatize = lemmatizer().lemmatize
        found = tuple(sorted({lemmatize(lower, "nb").lower(), lemmatize(lower, "nn").lower()}))
        known.add(lower, found)
    return found
