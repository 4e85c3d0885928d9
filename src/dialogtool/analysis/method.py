"""What a report must say about its own numbers: what was counted, and how the codes came about.

A reader of a project report needs to know that the themes were coded by a program, how many
segments a person checked, and how much of each theme a segment got from its context (the
heading above it, the sentence before) rather than from its own words; about half of some
themes can come that way, and the report would mislead without saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def coding_summary(documents: Sequence[CodedNote], codebook: Codebook, headings: bool = False) -> CodingSummary:
    """Count, over the segments the tables count, reviews and context-derived themes."""
    themes = [c.id for c in codebook.top_level]
    with_theme = dict.fromkeys(themes, 0)
    from_context = dict.fromkeys(themes, 0)
    segments = left_out = reviewed = added = removed = 0
    for doc in documents:
        for seg in doc.segments:
            if seg.kind != TEXT and not headings:
                left_out += 1
                continue
            segments += 1
            if seg.review is not None:
                reviewed += 1
                added += len(seg.review.add)
                removed += len(seg.review.remove)
            derived_here = derived_codes(seg)
            own = {code_rows(c, 1)[0] for c in seg.reviewed_codes}
            derived = {code_rows(c, 1)[0] for c in derived_here}
            direct = {code_rows(c, 1)[0] for c in seg.reviewed_codes if c not in derived_here}
            for theme in own & with_theme.keys():
                with_theme[theme] += 1
                if theme in derived and theme not in direct:
                    from_context[theme] += 1
    return CodingSummary(
        codebook.name,
        codebook.version,
        len(documents),
        segments,
        left_out,
        reviewed,
        added,
        removed,
        tuple(ThemeEvidence(t, codebook.label(t), with_theme[t], from_context[t]) for t in themes),
    )
