"""Find codebook terms in segments and decide each segment's codes.

Text is tokenised by spaCy's blank Norwegian tokenizer; each token is split further at
hyphens and slashes ("IP-planen" -> "IP", "planen"), and every distinct word is tested
against the codebook once and remembered, so the cost grows with the vocabulary, not
with the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Any

from ..ingest.segment import HEADING, Segment
from ..langdata import OFF_TOPIC_HEADINGS
from .codebook import Codebook
from .lemmas import base_keys, word_keys
from .patterns import ACRONYM, EXACT, INFIX, PART_SPLIT, PLAIN, PREFIX, SUFFIX, Word, parse_pattern


@dataclass(frozen=True)
class Part:
    """A word of the text: its characters and offsets in the normalised note."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """One pattern found in the text."""

    code: str
    pattern: str
    start: int
    end: int
    exclude: bool


@dataclass(frozen=True)
class SegmentCoding:
    """The automatic coding of one segment."""

    codes: tuple[str, ...]
    terms: dict[str, tuple[str, ...]]  # code -> the patterns that matched
    inherited: dict[str, str]  # code -> id of the heading it was carried from


_NLP = None


def tokenizer() -> Any:
    """spaCy's blank Bokmål tokenizer, built once per process (it is slow to create)."""
    global _NLP
    if _NLP is None:
        import spacy

        _NLP = spacy.blank("nb")
    return _NLP.tokenizer


_PIECES: dict[str, tuple[tuple[int, str], ...]] = {}


def _pieces(token_text: str) -> tuple[tuple[int, str], ...]:
    """(offset, text) of a token's words: split at hyphens and slashes, punctuation dropped."""
    found = _PIECES.get(token_text)
    if found is not None:
        return found
    pieces = []
    position = 0
    for piece in PART_SPLIT.split(token_text):
        at = token_text.index(piece, position) if piece else position
        position = at + len(piece)
        stripped = piece.strip("'’")
        if stripped and any(c.isalnum() for c in stripped):
            pieces.append((at + piece.index(stripped), stripped))
    found = _PIECES[token_text] = tuple(pieces)
    return found


def words_of(text: str, offset: int = 0) -> list[Part]:
    """The words of `text`, split at hyphens and slashes, with absolute offsets."""
    parts: list[Part] = []
    for token in tokenizer()(text):
        base = offset + token.idx
        for at, piece in _pieces(token.text):
            parts.append(Part(piece, base + at, base + at + len(piece)))
    return parts


_CHUNK = 100_000  # characters per tokenizer call: bounds the Doc's memory on long notes


def _token_table(text: str) -> tuple[list[int], list[int], Any]:
    """Each token's text hash and start offset, read as arrays rather than token by token.

    Long texts are tokenised a stretch of paragraphs at a time, so memory stays bounded.
    """
    from spacy.attrs import IDX, ORTH

    nlp = tokenizer()
    orths: list[int] = []
    starts: list[int] = []
    begin = 0
    while begin < len(text):
        end = len(text) if len(text) - begin <= _CHUNK else text.rfind("\n\n", begin + 1, begin + _CHUNK)
        if end <= begin:
            end = text.find("\n\n", begin + _CHUNK)
            end = len(text) if end < 0 else end
        doc = nlp(text[begin:end])
        if len(doc):
            table = doc.to_array([ORTH, IDX])
            orths += table[:, 0].tolist()
            starts += [begin + i for i in table[:, 1].tolist()]
        begin = end
    return orths, starts, nlp.vocab.strings


class Matcher:
    """All the codebook's patterns, compiled for fast lookup."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.words: list[Word] = []
        self._word_ids: dict[Word, int] = {}
        # pattern = (code, source text, exclude?, word ids)
        self.patterns: list[tuple[str, str, bool, tuple[int, ...]]] = []
        for code in codebook.codes:
            for text in code.terms:
                self._add(code.id, text, False)
            for text in code.exclude:
                self._add(code.id, text, True)
        self.by_first: dict[int, list[int]] = defaultdict(list)
        for index, (_, _, _, ids) in enumerate(self.patterns):
            self.by_first[ids[0]].append(index)
        self._index()
        self._cache: dict[str, frozenset[int]] = {}
        self.by_orth: dict[int, tuple[int, tuple[tuple[int, int, int, frozenset[int]], ...]]] = {}

    def _add(self, code: str, text: str, exclude: bool) -> None:
        ids = []
        for word in parse_pattern(text):
            if word not in self._word_ids:
                self._word_ids[word] = len(self.words)
                self.words.append(word)
            ids.append(self._word_ids[word])
        self.patterns.append((code, text, exclude, tuple(ids)))

    def _index(self) -> None:
        """Lookup tables: exact strings to word ids, prefixes and suffixes by length."""
        self.plain: dict[str, list[int]] = defaultdict(list)
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.acronym: dict[str, list[int]] = defaultdict(list)
        self.prefix: dict[str, list[int]] = defaultdict(list)
        self.suffix: dict[str, list[int]] = defaultdict(list)
        self.infix: list[tuple[str, int]] = []
        for wid, word in enumerate(self.words):
            if word.kind == PLAIN:
                for key in base_keys(word.text):
                    self.plain[key].append(wid)
            elif word.kind == EXACT:
                self.exact[word.text].append(wid)
            elif word.kind == ACRONYM:
                self.acronym[word.text].append(wid)
            elif word.kind == PREFIX:
                self.prefix[word.text].append(wid)
            elif word.kind == SUFFIX:
                self.suffix[word.text].append(wid)
            elif word.kind == INFIX:
                self.infix.append((word.text, wid))
        self.prefix_lengths = sorted({len(k) for k in self.prefix})
        self.suffix_lengths = sorted({len(k) for k in self.suffix})

    def token_entry(self, orth: int, token_text: str) -> tuple[int, tuple[tuple[int, int, int, frozenset[int]], ...]]:
        """For one token: its number of words, and (word index, start, end, ids) of those
        that some pattern word matches; cached by the token's hash."""
        pieces = _pieces(token_text)
        hot = []
        for k, (at, piece) in enumerate(pieces):
            ids = self.word_ids(piece)
            if ids:
                hot.append((k, at, at + len(piece), ids))
        entry = (len(pieces), tuple(hot))
        self.by_orth[orth] = entry
        return entry

    def word_ids(self, text: str) -> frozenset[int]:
        """Ids of the pattern words that a text word satisfies (cached per distinct word)."""
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = frozenset(self._compute(text))
        return found

    def _compute(self, text: str) -> set[int]:
        ids: set[int] = set(self.acronym.get(text, ()))
        lower = text.lower()
        ids.update(self.exact.get(lower, ()))
        keys = word_keys(lower) if self.plain or self.suffix else frozenset((lower,))
        for key in keys:
            ids.update(self.plain.get(key, ()))
        for n in self.prefix_lengths:
            if n > len(lower):
                break
            ids.update(self.prefix.get(lower[:n], ()))
        for key in keys:
            for n in self.suffix_lengths:
                if n > len(key):
                    break
                ids.update(self.suffix.get(key[-n:], ()))
        for needle, wid in self.infix:
            if needle in lower:
                ids.add(wid)
        return ids

    def hits(self, parts: Sequence[Part]) -> list[Hit]:
        """Every pattern occurrence in a run of words (one segment)."""
        return self.hits_in([(n, p.start, p.end, ids) for n, p in enumerate(parts) if (ids := self.word_ids(p.text))])

    def hits_in(self, words: Sequence[tuple[int, int, int, frozenset[int]]]) -> list[Hit]:
        """`hits` over the matching words only: (word number, start, end, ids), in order.

        A phrase matches where its words carry consecutive word numbers, so leaving out
        the words that match nothing loses no phrase.
        """
        found: list[Hit] = []
        count = len(words)
        for i, (number, start, _, first) in enumerate(words):
            for wid in first:
                for index in self.by_first.get(wid, ()):
                    code, text, exclude, pattern = self.patterns[index]
                    end = i + len(pattern)
                    if end > count:
                        continue
                    rest = range(1, len(pattern))
                    if all(words[i + k][0] == number + k and pattern[k] in words[i + k][3] for k in rest):
                        found.append(Hit(code, text, start, words[end - 1][2], exclude))
        return found

    @cached_property
    def literal_terms(self) -> list[str]:
        """The plain words of all terms, for the grep baseline of the benchmark."""
        return sorted({w.text for w in self.words if w.kind in (PLAIN, EXACT, ACRONYM)})


def code_hits(hits: Sequence[Hit]) -> dict[str, tuple[str, ...]]:
    """Code -> matched patterns, after exclusions veto the hits they overlap."""
    vetoes = [h for h in hits if h.exclude]
    terms: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        if hit.exclude:
            continue
        if any(v.code == hit.code and v.start < hit.end and hit.start < v.end for v in vetoes):
            continue
        terms[hit.code].add(hit.pattern)
    return {code: tuple(sorted(found)) for code, found in terms.items()}


def code_note(text: str, segments: Sequence[Segment], matcher: Matcher) -> list[SegmentCoding]:
    """Code every segment of one note: terms first, then headings' themes carried down.

    A segment with no theme of its own takes the themes of the nearest heading above it
    that has any, unless it sits in an off-topic section ("Annet:"); it is marked as
    inherited so a reviewer can tell it apart.
    """
    codebook = matcher.codebook
    order = codebook.order()
    orths, starts, strings = _token_table(text)
    cache = matcher.by_orth
    found = [cache.get(h) for h in orths]
    entries = [e if e is not None else matcher.token_entry(h, strings[h]) for h, e in zip(orths, found, strict=True)]
    numbers = list(accumulate([e[0] for e in entries], initial=0))  # word number of each token's first word
    words = [
        (numbers[i] + k, starts[i] + a, starts[i] + b, ids)
        for i, e in enumerate(entries)
        if e[1]
        for k, a, b, ids in e[1]
    ]
    results: list[SegmentCoding] = []
    by_id: dict[str, SegmentCoding] = {}
    cursor = 0
    for seg in segments:
        while cursor < len(words) and words[cursor][1] < seg.start:
            cursor += 1
        first = cursor
        while cursor < len(words) and words[cursor][2] <= seg.end:
            cursor += 1
        span = words[first:cursor]
        terms = code_hits(matcher.hits_in(span)) if span else {}
        inherited: dict[str, str] = {}
        if not terms and seg.kind != HEADING and codebook.inherit_headings:
            for heading_id, title in reversed(tuple(zip(seg.section_ids, seg.section, strict=True))):
                if OFF_TOPIC_HEADINGS.match(title.lower()):
                    break
                source = by_id.get(heading_id)
                if source is not None and source.codes:
                    inherited = {code: heading_id for code in source.codes}
                    break
        codes = tuple(sorted({*terms, *inherited}, key=lambda c: (order.get(c, len(order)), c)))
        coding = SegmentCoding(codes, terms, inherited)
        by_id[seg.id] = coding
        results.append(coding)
    return results
