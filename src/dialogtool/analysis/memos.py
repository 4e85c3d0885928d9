"""Reviewers' notes and edits across a coded folder: the memo view NVivo and MAXQDA users look for.

Every review block is one entry: which note and segment, what the reviewer added and
removed (by theme), whether they accepted the codes as they stood, their note and who they
were. Reviews kept under `unplaced_reviews` (their segment's text changed) are listed too,
marked, so no reviewer's remark is out of sight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..coded.note import CodedNote, Review
from ..coding.codebook import Codebook


@dataclass(frozen=True)
class ReviewEntry:
    """One review block, with where it is."""

    document: str
    segment: str  # segment id (or the id it had, for an unplaced review)
    section: tuple[str, ...]
    text: str
    themes: tuple[str, ...]  # top-level themes the review touches, in codebook order
    add: tuple[str, ...]
    remove: tuple[str, ...]
    accepted: bool
    note: str | None
    by: str | None
    placed: bool = True


def review_entries(
    notes: Iterable[CodedNote], codebook: Codebook, *, by: str | None = None, with_notes: bool = False
) -> list[ReviewEntry]:
    """Every review block of `notes`, in file and segment order; `by` keeps one reviewer's
    (an empty name: reviews without `by:`), `with_notes` only those with a note."""
    entries = []
    for note in notes:
        for segment in note.segments:
            if segment.review is not None:
                entries.append(
                    _entry(note.document, segment.id, segment.section, segment.text, segment.review, codebook)
                )
        for unplaced in note.unplaced_reviews:
            if unplaced.review is not None:
                entry = _entry(note.document, unplaced.id or "", (), unplaced.text, unplaced.review, codebook)
                entries.append(_unplaced(entry))
    if by is not None:
        entries = [e for e in entries if (e.by or "") == by]
    if with_notes:
        entries = [e for e in entries if e.note]
    return entries


def _entry(
    document: str, segment: str, section: tuple[str, ...], text: str, review: Review, codebook: Codebook
) -> ReviewEntry:
    order = {c.id: i for i, c in enumerate(codebook.top_level)}
    touched = {codebook.top(c) for c in (*review.add, *review.remove)}
    themes = tuple(sorted(touched, key=lambda t: order.get(t, len(order))))
    return ReviewEntry(
        document, segment, section, text, themes, review.add, review.remove, review.accepted, review.note, review.by
    )


def _unplaced(entry: ReviewEntry) -> ReviewEntry:
    return replace(entry, placed=False)


def edit_text(entry: ReviewEntry) -> str:
    """The edit in one short cell: `+INFO −KE`, `godkjent` for an accept, empty for a note only."""
    parts = [f"+{c}" for c in entry.add] + [f"−{c}" for c in entry.remove]
    if entry.accepted:
        parts.append("godkjent")
    return " ".join(parts)


COLUMNS = ("Notat", "Segment", "Tema", "Endring", "Merknad", "Av", "Tekst")  # the report's language: Norwegian


def rows(entries: Iterable[ReviewEntry]) -> list[tuple[str, ...]]:
    """The entries as table rows under `COLUMNS`, shared by the terminal, md and xlsx."""
    return [
        (
            e.document,
            e.segment + ("" if e.placed else " (uplassert)"),
            ", ".join(e.themes),
            edit_text(e),
            e.note or "",
            e.by or "",
            e.text,
        )
        for e in entries
    ]
