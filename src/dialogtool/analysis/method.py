"""What a report must say about its own numbers: what was counted, and how the codes came about.

A reader of a project report needs to know that the themes were coded by a program, how many
segments a person checked, and how much of each theme a segment got from its context (the
heading above it, the sentence before) rather than from its own words; about half of some
themes can come that way, and the report would mislead without saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..coded.folder import derived_codes
from ..coded.note import TEXT, CodedNote
from ..coding.codebook import Codebook
from .tables import code_rows


@dataclass(frozen=True)
class ThemeEvidence:
    """Counted segments with the theme, and how many of them have it only from context."""

    id: str
    label: str
    segments: int
    from_context: int


@dataclass(frozen=True)
class CodingSummary:
    """The facts the report's method paragraph states."""

    codebook: str
    version: str | None
    documents: int
    segments: int  # units counted (headings left out unless included)
    headings: int  # heading segments left out (0 when included)
    reviewed: int  # counted segments with a reviewer's block
    added: int  # codes reviewers added, over all counted segments
    removed: int  # codes reviewers removed
    themes: tuple[ThemeEvidence, ...]


class SummaryCounter:
    """`coding_summary` one note at a time, so a report can count while it streams the notes
    (holding all 10,000 notes of a large project at once took over 600 MiB)."""

    def __init__(self, codebook: Codebook, headings: bool = False) -> None:
        self._codebook = codebook
        self._headings = headings
        self._themes = [c.id for c in codebook.top_level]
        self._with_theme = dict.fromkeys(self._themes, 0)
        self._from_context = dict.fromkeys(self._themes, 0)
        self._documents = self._segments = self._left_out = 0
        self._reviewed = self._added = self._removed = 0

    def add(self, doc: CodedNote) -> None:
        """Count one note's segments."""
        self._documents += 1
        for seg in doc.segments:
            if seg.kind != TEXT and not self._headings:
                self._left_out += 1
                continue
            self._segments += 1
            if seg.review is not None:
                self._reviewed += 1
                self._added += len(seg.review.add)
                self._removed += len(seg.review.remove)
            derived_here = derived_codes(seg)
            own = {code_rows(c, 1)[0] for c in seg.reviewed_codes}
            derived = {code_rows(c, 1)[0] for c in derived_here}
            direct = {code_rows(c, 1)[0] for c in seg.reviewed_codes if c not in derived_here}
            for theme in own & self._with_theme.keys():
                self._with_theme[theme] += 1
                if theme in derived and theme not in direct:
                    self._from_context[theme] += 1

    def summary(self) -> CodingSummary:
        """The counts over every note added so far."""
        book = self._codebook
        return CodingSummary(
            book.name,
            book.version,
            self._documents,
            self._segments,
            self._left_out,
            self._reviewed,
            self._added,
            self._removed,
            tuple(ThemeEvidence(t, book.label(t), self._with_theme[t], self._from_context[t]) for t in self._themes),
        )


def coding_summary(documents: Iterable[CodedNote], codebook: Codebook, headings: bool = False) -> CodingSummary:
    """Count, over the segments the tables count, reviews and context-derived themes."""
    counter = SummaryCounter(codebook, headings)
    for doc in documents:
        counter.add(doc)
    return counter.summary()
