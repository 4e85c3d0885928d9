"""Find what the codebook misses: segments without a code, and the words frequent in them.

Staff extend the codebook by reading what it did not code. `suggest` ranks the content
words of uncoded segments that no codebook pattern covers, with Bokmål and Nynorsk
inflections of a word counted together, so that a recurring topic without a theme
("fastlege", "pårørende") stands out. Ranking is by the number of notes a word occurs in,
then by its count: a word used across meetings says more about a gap than one that a
single note repeats.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..coded.note import CodedNote, SegmentRow, rows_of
from ..coding.codebook import Codebook
from ..coding.lemmas import stems
from ..coding.matcher import Matcher, words_of
from ..coding.spacy_import import import_spacy
from ..ingest.segment import HEADING
from ..langdata import BOKMAAL_EXTRA_STOP_WORDS, MEETING_STOP_WORDS, NYNORSK_STOP_WORDS, STOP_WORD_EXCEPTIONS

MIN_LETTERS = 3
_LEMMA_STEPS = 3


@dataclass(frozen=True)
class Suggestion:
    """A word not covered by the codebook: its key, how often and where it occurs, its forms."""

    lemma: str
    count: int
    documents: int
    forms: tuple[tuple[str, int], ...]  # surface forms, most frequent first


def uncoded_segments(documents: Sequence[CodedNote], *, include_headings: bool = False) -> list[SegmentRow]:
    """Segments with no code after review (auto + add − remove), in document order."""
    return [s for s in rows_of(documents) if not s.codes and (include_headings or s.kind != HEADING)]


@cache
def stop_words() -> frozenset[str]:
    """spaCy's Bokmål stop words with our additions: Bokmål, Nynorsk, the meeting's own words (langdata)."""
    import_spacy()  # without its command line (coding/spacy_import.py)
    from spacy.lang.nb.stop_words import STOP_WORDS

    ours = BOKMAAL_EXTRA_STOP_WORDS | NYNORSK_STOP_WORDS | MEETING_STOP_WORDS
    return frozenset((set(STOP_WORDS) | ours) - STOP_WORD_EXCEPTIONS)


def suggest(
    documents: Sequence[CodedNote],
    codebook: Codebook,
    *,
    min_count: int = 2,
    matcher: Matcher | None = None,
) -> list[Suggestion]:
    """Words of uncoded segments that no pattern covers, merged by lemma and ranked (module docstring).

    A word is left out when it is covered (the codebook's Matcher finds a pattern word it
    satisfies), is a stop word (its form or lemma), has a digit or other non-letter, or has
    fewer than `MIN_LETTERS` letters.
    """
    matcher = matcher or Matcher(codebook)
    stop = stop_words()
    found: list[tuple[str, str, str]] = []  # (document, lower-cased form, surface form)
    for seg in uncoded_segments(documents):
        for part in words_of(seg.text):
            word = part.text
            if len(word) < MIN_LETTERS or not word.isalpha() or matcher.covers(word):
                continue
            lower = word.lower()
            if lower in stop:
                continue
            found.append((seg.document, lower, word if _is_acronym(word) else lower))
    keys = group_keys({lower for _, lower, _ in found})
    counts: Counter[str] = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for document, lower, surface in found:
        key = keys[lower]
        if key in stop:
            continue
        counts[key] += 1
        docs[key].add(document)
        forms[key][surface] += 1
    rows = [
        Suggestion(key, n, len(docs[key]), tuple(sorted(forms[key].items(), key=lambda f: (-f[1], f[0]))))
        for key, n in counts.items()
        if n >= min_count
    ]
    rows.sort(key=lambda s: (-s.documents, -s.count, s.lemma))
    return rows


def group_keys(words: set[str]) -> dict[str, str]:
    """Map each lower-cased word to the key it is counted under, merging Bokmål and Nynorsk forms.

    Only lemmas of a standard whose dictionary knows the word are used, since simplemma
    guesses for unknown words ("pårørende" in nn → "pårørenna"). A base form of either
    standard is its own key; another known form takes the shortest such lemma not longer
    than itself (nn maps "lege" to "legen"), followed while that lemma is not a base form
    ("brukerne" → "bruker" → "bruke", as the matcher's keys also link them). A word neither
    dictionary knows (a compound: "slagpasientane") joins the longest of its regular-ending
    stems that is itself a word or key here ("slagpasient"), else stays as it is.
    """
    keys: dict[str, str] = {}
    unknown = []
    for word in sorted(words):
        if _languages(word):
            keys[word] = _lemma_chain(word)
        else:
            unknown.append(word)
    present = set(keys.values()) | set(words)
    for word in unknown:
        candidates = sorted((s for s in stems(word) if s in present and s != word), key=len, reverse=True)
        keys[word] = candidates[0] if candidates else word
    for word, key in keys.items():  # a stem that is itself a known word counts under that word's key
        keys[word] = keys.get(key, key)
    return keys


@cache
def _languages(word: str) -> tuple[str, ...]:
    """The standards (nb, nn) whose simplemma dictionary knows the word."""
    from simplemma import is_known

    return tuple(lang for lang in ("nb", "nn") if is_known(word, lang=lang))


@cache
def _lemma(word: str) -> str:
    """The word if it is a base form in a standard that knows it, else its shortest known lemma."""
    from simplemma import lemmatize

    options = [lemmatize(word, lang=lang).lower() for lang in _languages(word)]
    if word in options:
        return word
    changed = [o for o in options if len(o) <= len(word)]
    return min(changed, key=len) if changed else word  # min keeps the first (nb) on a tie


def _lemma_chain(word: str) -> str:
    for _ in range(_LEMMA_STEPS):
        lemma = _lemma(word)
        if lemma == word:
            break
        word = lemma
    return word


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()
