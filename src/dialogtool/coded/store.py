"""Coded notes on disk: read one into a `CodedNote`, write one as deterministic, diff-friendly YAML.

A coded file is rewritten whole by `dialogtool code`; only the `review` blocks belong
to people, and they are carried over by segment text (see `carry_reviews`).
"""

from __future__ import annotations

from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from .. import yamlio
from . import emit
from .note import FORMAT, CodedNote, CodedSegment, Review, UnplacedReview

__all__ = ["FORMAT", "HEADER", "carry_reviews", "dump_note", "dump_yaml", "effective_codes", "load_coded", "parse_note"]

HEADER = (
    "# Coded by dialogtool. Everything here is rewritten by `dialogtool code` except the\n"
    "# `review: {add: [..], remove: [..], note: ..}` blocks that reviewers add to segments.\n"
)


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML text with stable key order, readable æøå, no line folding (see `emit`)."""
    return emit.dump(data)


def dump_note(note: CodedNote, header: str = HEADER) -> str:
    """The text of a coded file: the header comment, then the note in its schema's order."""
    return header + emit.dump(note.to_dict())


def load_coded(path: Path) -> CodedNote:
    """A coded note from its file; any problem is a DialogtoolError naming the file (and line)."""
    text = yamlio.read_text(path)
    return parse_note(text, path)


def parse_note(text: str, where: str | Path) -> CodedNote:
    """A coded note from its text (a file's, or a git blob's); `where` names it in errors."""
    return CodedNote.from_dict(yamlio.parse(text, where), where, text)


def effective_codes(segment: CodedSegment) -> list[str]:
    """What downstream counts: automatic codes + review.add − review.remove."""
    return segment.reviewed_codes


def carry_reviews(old: CodedNote | None, texts: list[str]) -> tuple[list[Review | None], list[UnplacedReview]]:
    """Match the old file's reviews to new segments by text.

    Returns the review for each new segment (or None) and the reviews whose text no
    longer exists, to be kept in the file and reported rather than dropped.
    """
    if old is None:
        return [None] * len(texts), []
    pending: dict[str, deque[UnplacedReview]] = defaultdict(deque)
    for seg in old.segments:
        if seg.review is not None:
            pending[seg.text].append(UnplacedReview(seg.id, seg.text, seg.review))
    for item in old.unplaced_reviews:
        pending[item.text].append(item)
    placed: list[Review | None] = []
    for text in texts:
        queue = pending.get(text)
        placed.append(queue.popleft().review if queue else None)
    unplaced = [entry for queue in pending.values() for entry in queue]
    return placed, unplaced
