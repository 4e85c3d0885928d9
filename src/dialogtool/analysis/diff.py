"""What changed in the coding between two versions of the coded notes, theme by theme.

`git diff data/coded` shows changed lines; a reviewer wants to know which segments gained
or lost which theme after a codebook change, with children rolled up as in the tables.
Codes compared are the reviewed ones (auto + review.add - review.remove), so a reviewer's
correction shows up as a change too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..coded.note import SegmentRow
from ..coding.codebook import Codebook
from .codings import Coding, align, check_level, theme_order, themes


@dataclass(frozen=True)
class ThemeChange:
    """The segments of shared text that gained or lost one theme."""

    theme: str
    gained: tuple[SegmentRow, ...]
    lost: tuple[SegmentRow, ...]


@dataclass(frozen=True)
class CodingDiff:
    """Changes from coding `a` to coding `b`.

    `added`/`removed` are segments whose text is only in b's/a's version of a note (new or
    edited text: their codes cannot be compared); `notes_added`/`notes_removed` are whole
    notes only on one side, with their segment counts.
    """

    a: str
    b: str
    level: int
    themes: tuple[ThemeChange, ...]  # only themes that changed, in codebook order
    added: tuple[SegmentRow, ...]
    removed: tuple[SegmentRow, ...]
    notes_added: tuple[tuple[str, int], ...]
    notes_removed: tuple[tuple[str, int], ...]

    @property
    def empty(self) -> bool:
        return not (self.themes or self.added or self.removed or self.notes_added or self.notes_removed)


def diff_codings(a: Coding, b: Coding, codebook: Codebook, level: int = 1) -> CodingDiff:
    """Compare two codings of (mostly) the same notes; see CodingDiff."""
    check_level(level)
    aligned = align(a, b)
    gained: dict[str, list[SegmentRow]] = {}
    lost: dict[str, list[SegmentRow]] = {}
    for old, new in aligned.pairs:
        before, after = themes(old.codes, level), themes(new.codes, level)
        for theme in after - before:
            gained.setdefault(theme, []).append(new)
        for theme in before - after:
            lost.setdefault(theme, []).append(new)
    changes = tuple(
        ThemeChange(theme, tuple(gained.get(theme, ())), tuple(lost.get(theme, ())))
        for theme in theme_order(codebook, level, gained.keys() | lost.keys())
        if theme in gained or theme in lost
    )
    return CodingDiff(
        a.label,
        b.label,
        level,
        changes,
        tuple(aligned.only_b),
        tuple(aligned.only_a),
        tuple((name, len(b.documents[name])) for name in aligned.notes_only_b),
        tuple((name, len(a.documents[name])) for name in aligned.notes_only_a),
    )
