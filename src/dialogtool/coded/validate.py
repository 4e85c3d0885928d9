"""Review ids checked against the codebook, on every read by every command.

The coded layer cannot import the codebook, so callers pass its ids. An unknown or wrongly
cased id in `review.add` would otherwise count as a theme of its own in every table,
chart and report; the error names the file, the line and the id most likely meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from pathlib import Path

from .. import yamlio
from .note import CodedNote, Review
from .reviewcheck import ReviewError, line_at


def nearest(code: str, known: Collection[str]) -> str | None:
    """The valid id a reviewer most likely meant: the same id in other case, else the closest."""
    for candidate in known:
        if candidate.casefold() == code.casefold():
            return candidate
    close = difflib.get_close_matches(code.upper(), [k.upper() for k in known], n=1, cutoff=0.6)
    if not close:
        return None
    return next(k for k in known if k.upper() == close[0])


def check_codes(note: CodedNote, known: Collection[str], where: str | Path, text: str | None = None) -> None:
    """Every id in the note's review blocks must be a codebook id, exactly (ids are case-sensitive).

    `text` is the file's text; without it a file path `where` is read again for the line.
    """
    known = frozenset(known)
    reviews: list[tuple[str, int, Review | None]] = [("segments", i, s.review) for i, s in enumerate(note.segments)]
    reviews += [("unplaced_reviews", i, u.review) for i, u in enumerate(note.unplaced_reviews)]
    for section, index, review in reviews:
        problem = _unknown(review, known)
        if problem is None:
            continue
        key, position, message, hint = problem
        if text is None and Path(str(where)).is_file():
            text = yamlio.read_text(Path(str(where)))
        line = line_at(text, (section, index, "review", key, position))
        raise ReviewError(message, path=where, keys=("review", key, position), hint=hint).at(line)


def _unknown(review: Review | None, known: frozenset[str]) -> tuple[str, int, str, str] | None:
    """(key, position, message, hint) of the first id in `review` that the codebook does not have."""
    if review is None:
        return None
    for key, ids in (("add", review.add), ("remove", review.remove)):
        for position, code in enumerate(ids):
            if code not in known:
                guess = nearest(code, known)
                hint = f"did you mean '{guess}'?" if guess else f"codebook ids: {', '.join(sorted(known))}"
                return key, position, f"unknown code '{code}' in review.{key}", hint
    return None
