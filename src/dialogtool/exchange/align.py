"""Carry positions from another program's copy of a text onto our normalised note, in linear time.

A whole-text `difflib.SequenceMatcher` is quadratic (80k characters took 165 s; a 635k
NVivo source never finished). Texts exchanged with QDA programs differ from our note only
locally: line ends, a repaired hyphenation, collapsed spaces, a dropped bullet. So the
texts are aligned by anchors first and characters only inside the small gaps between them:

1. both texts as words (`\\w+` runs, with their offsets);
2. runs of K words that occur exactly once in each text are anchors; the longest chain of
   anchors in the same order in both (longest increasing subsequence, O(n log n)) is kept;
   gaps between anchors are aligned the same way with shorter runs (K = 4, 2, 1), and a
   gap still left is aligned word by word with difflib, over windows of `SMALL_GAP` words
   when it is long (repetitive text, where no run is unique);
3. inside each pair of matched words, and in the few characters between matched words,
   characters are paired as they are (or by difflib, if the in-between text differs).

The result pairs each character of their text with one of ours or with none; a selection
maps to the first and last paired character inside it.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")


RUN_LENGTHS = (4, 2, 1)  # words per anchor, longest first: long runs are unique, short ones fill gaps


SMALL_GAP = 400  # words: a gap up to this size on both sides is aligned word by word with difflib


TINY_GAP = 12  # words: a gap this small goes straight to difflib, anchors would not pay


Progress = Callable[[int, int], None]  # (done, total) in characters of their text


@dataclass(frozen=True)
class Alignment:
    """For each character of their text, the position of the same character in ours, or -1."""

    table: Sequence[int]
    ours_length: int

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Their [start, end) as a [start, end) of ours: from the first to the last paired
        character inside it; None when no character inside it is paired."""
        start, end = max(0, start), min(len(self.table), end)
        first = next((p for p in self.table[start:end] if p >= 0), None)
        if first is None:
            return None
        last = next(p for p in reversed(self.table[start:end]) if p >= 0)
        return first, last + 1


def align(theirs: str, ours: str, progress: Progress | None = None) -> Alignment:
    """Pair the characters of `theirs` with those of `ours`; see the module docstring."""
    if theirs == ours:
        return Alignment(range(len(ours)), len(ours))
    table = [-1] * len(theirs)
    words_a = [(m.start(), m.end()) for m in _WORD.finditer(theirs)]
    words_b = [(m.start(), m.end()) for m in _WORD.finditer(ours)]
    keys_a = [theirs[s:e].casefold() for s, e in words_a]
    keys_b = [ours[s:e].casefold() for s, e in words_b]
    pairs = _align_words(keys_a, keys_b, 0, len(keys_a), 0, len(keys_b), 0)
    previous = (0, 0)  # character offsets just after the last matched pair of words
    for count, (i, j) in enumerate(pairs):
        (sa, ea), (sb, eb) = words_a[i], words_b[j]
        _pair_characters(theirs, ours, previous[0], sa, previous[1], sb, table)
        _pair_characters(theirs, ours, sa, ea, sb, eb, table)
        previous = (ea, eb)
        if progress is not None and count % 2048 == 0:
            progress(ea, len(theirs))
    _pair_characters(theirs, ours, previous[0], len(theirs), previous[1], len(ours), table)
    if progress is not None:
        progress(len(theirs), len(theirs))
    return Alignment(table, len(ours))


def _align_words(
    a: list[str], b: list[str], lo_a: int, hi_a: int, lo_b: int, hi_b: int, level: int
) -> list[tuple[int, int]]:
    """Matched word pairs (index in a, index in b), in order, inside a[lo_a:hi_a], b[lo_b:hi_b]."""
    if lo_a >= hi_a or lo_b >= hi_b:
        return []
    if hi_a - lo_a == hi_b - lo_b and a[lo_a:hi_a] == b[lo_b:hi_b]:  # the usual gap: the same words
        return [(lo_a + n, lo_b + n) for n in range(hi_a - lo_a)]
    if level >= len(RUN_LENGTHS) or max(hi_a - lo_a, hi_b - lo_b) <= TINY_GAP:
        return _windowed(a, b, lo_a, hi_a, lo_b, hi_b)
    k = RUN_LENGTHS[level]
    anchors = _anchors(a, b, lo_a, hi_a, lo_b, hi_b, k)
    result: list[tuple[int, int]] = []
    prev_a, prev_b = lo_a, lo_b
    for i, j in anchors:
        if i < prev_a or j < prev_b:  # overlaps the run before it
            continue
        result += _align_words(a, b, prev_a, i, prev_b, j, level + 1)
        result += [(i + n, j + n) for n in range(k)]
        prev_a, prev_b = i + k, j + k
    result += _align_words(a, b, prev_a, hi_a, prev_b, hi_b, level + 1)
    return result


def _windowed(a: list[str], b: list[str], lo_a: int, hi_a: int, lo_b: int, hi_b: int) -> list[tuple[int, int]]:
    """Word pairs by difflib over windows of SMALL_GAP words, moving on from the middle of
    each window's matches: linear in the gap, for repetitive text with no unique words."""
    result: list[tuple[int, int]] = []
    while lo_a < hi_a and lo_b < hi_b:
        end_a, end_b = min(hi_a, lo_a + SMALL_GAP), min(hi_b, lo_b + SMALL_GAP)
        matcher = difflib.SequenceMatcher(None, a[lo_a:end_a], b[lo_b:end_b], autojunk=False)
        pairs = [(lo_a + x + k, lo_b + y + k) for x, y, size in matcher.get_matching_blocks() for k in range(size)]
        if end_a == hi_a and end_b == hi_b:
            return result + pairs
        keep = pairs[: max(1, len(pairs) // 2)]
        if not keep:  # nothing alike in a whole window: step over half of it on both sides
            lo_a, lo_b = lo_a + SMALL_GAP // 2, lo_b + SMALL_GAP // 2
            continue
        result += keep
        lo_a, lo_b = keep[-1][0] + 1, keep[-1][1] + 1
    return result


def _anchors(a: list[str], b: list[str], lo_a: int, hi_a: int, lo_b: int, hi_b: int, k: int) -> list[tuple[int, int]]:
    """Runs of k words found exactly once in each range, as (start in a, start in b), the
    longest chain of them that is in the same order in both."""
    runs_a = Counter(tuple(a[i : i + k]) for i in range(lo_a, hi_a - k + 1))
    runs_b = Counter(tuple(b[j : j + k]) for j in range(lo_b, hi_b - k + 1))
    where_b = {tuple(b[j : j + k]): j for j in range(lo_b, hi_b - k + 1) if runs_b[tuple(b[j : j + k])] == 1}
    candidates = [
        (i, where_b[run])
        for i in range(lo_a, hi_a - k + 1)
        if runs_a[run := tuple(a[i : i + k])] == 1 and run in where_b
    ]
    return _increasing(candidates)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs (sorted by first) whose seconds increase: O(n log n)."""
    tails: list[int] = []  # tails[n]: the smallest second ending a chain of length n + 1
    tail_index: list[int] = []
    back = [-1] * len(pairs)
    for index, (_, second) in enumerate(pairs):
        n = bisect.bisect_left(tails, second)
        if n == len(tails):
            tails.append(second)
            tail_index.append(index)
        else:
            tails[n] = second
            tail_index[n] = index
        back[index] = tail_index[n - 1] if n else -1
    chain = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = back[index]
    return chain[::-1]


def _pair_characters(a: str, b: str, lo_a: int, hi_a: int, lo_b: int, hi_b: int, table: list[int]) -> None:
    """Pair the characters of a[lo_a:hi_a] with b[lo_b:hi_b]: one to one when equal (the
    usual case: a matched word, or the same spaces), else by difflib (a short stretch, or a
    long one whose ends are paired where they agree)."""
    piece_a, piece_b = a[lo_a:hi_a], b[lo_b:hi_b]
    if piece_a == piece_b or (len(piece_a) == len(piece_b) and piece_a.casefold() == piece_b.casefold()):
        table[lo_a:hi_a] = range(lo_b, hi_b)
        return
    if len(piece_a) > 4 * SMALL_GAP or len(piece_b) > 4 * SMALL_GAP:
        head = _common_prefix(piece_a, piece_b)
        tail = _common_prefix(piece_a[head:][::-1], piece_b[head:][::-1])
        for n in range(head):
            table[lo_a + n] = lo_b + n
        for n in range(1, tail + 1):
            table[hi_a - n] = hi_b - n
        return
    matcher = difflib.SequenceMatcher(None, piece_a, piece_b, autojunk=False)
    for x, y, size in matcher.get_matching_blocks():
        for n in range(size):
            table[lo_a + x + n] = lo_b + y + n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
