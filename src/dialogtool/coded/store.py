"""Coded notes on disk: read one into a `CodedNote`, write one as deterministic, diff-friendly YAML.

A coded file is rewritten whole by `dialogtool code`; only the `review` blocks belong
to people, and they are carried over by segment text (see `carry_reviews`).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import yamlio
from ..errors import DialogtoolError
from ..files import replace_if_unchanged
from . import emit
from .note import FORMAT, CodedNote, CodedSegment, Review, UnplacedReview

__all__ = [
    "FORMAT",
    "HEADER",
    "carry_reviews",
    "dump_note",
    "dump_yaml",
    "effective_codes",
    "load_coded",
    "parse_note",
    "write_review",
]

HEADER = (
    "# Coded by dialogtool. Everything here is rewritten by `dialogtool code` except the\n"
    "# `review: {add: [..], remove: [..], note: ..}` blocks that reviewers add to segments.\n"
)


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML text with stable key order, readable æøå, no line folding (see `emit`)."""
    return emit.dump(data)


def dump_note(note: CodedNote, header: str = HEADER) -> str:
    """The text of a coded file: the header comment, then the note in its schema's order."""
    return header + emit.dump_note(note)


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


def write_review(path: Path, segment_id: str, review: Review | None) -> CodedNote:
    """Set one segment's review block in a coded file, as a reviewer editing it by hand would.

    The file is read again first (another reviewer, or an editor, may have changed it), the
    note re-emitted with the one block changed, and written atomically: killed at any
    moment, the file is the old version or the new one. It is replaced only if it still holds
    what was read (`files.replace_if_unchanged`); if `code` or another reviewer saved it in
    between, their version is read and the block set again. Returns the note as written.
    """
    for _ in range(_ATTEMPTS):
        before = yamlio.read_text(path)
        note = parse_note(before, path)
        found = False
        segments = []
        for segment in note.segments:
            if segment.id == segment_id and not found:
                segment = replace(segment, review=review)
                found = True
            segments.append(segment)
        if not found:
            raise DialogtoolError(f"no segment {segment_id} (was the note re-coded?)", path=path)
        written = replace(note, segments=tuple(segments))
        if replace_if_unchanged(path, dump_note(written).encode("utf-8"), before.encode("utf-8")):
            return written
    raise DialogtoolError(f"changed by someone else {_ATTEMPTS} times while saving the review; not saved", path=path)


_ATTEMPTS = 5  # saves by others in a row before a review save gives up (and says so)
