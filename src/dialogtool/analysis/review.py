"""A review session: the segments to look at, one decision at a time, each written at once.

This is `dialogtool review` without the screen: the Textual app (`output/review_app.py`)
only shows `current()` and calls the methods below, so everything the keys do is
testable, and usable, without a terminal. Every decision rewrites the segment's `review:`
block in its coded file through `coded.store.write_review` — the same block a reviewer
would type by hand, written atomically — so `git diff` and every other command see it
at once, and an interrupted session loses nothing but the decision being made.

Where a session stopped is kept in the coded folder's cache (`review-position.json`, per
reviewer), so the next session resumes there; without it, at the first unreviewed segment.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from ..coded.folder import load_folder
from ..coded.note import HEADING, CodedNote, CodedSegment, Review
from ..coded.store import write_review
from ..coded.workdir import cache_path
from ..coding.codebook import Codebook
from ..errors import DialogtoolError
from ..files import MAX_INDEX_BYTES, read_bytes, write_text

POSITION = "review-position.json"  # in .dialogtool/: {reviewer: "file.yaml#segment id"}


class Only(StrEnum):
    """Which segments a session goes through (`review --only`)."""

    all = "all"
    uncoded = "uncoded"  # no automatic code
    inherited = "inherited"  # a code from a context rule (heading, lead-in, reference …)
    changed = "changed"  # a review that adds or removes a code
    unreviewed = "unreviewed"  # no review block yet


@dataclass(frozen=True)
class Evidence:
    """Why a code is on a segment: the patterns that matched, or the context rule and its source."""

    code: str
    terms: tuple[str, ...]
    rule: str | None = None
    source: str | None = None  # the text of the segment the rule took the code from


@dataclass(frozen=True)
class Item:
    """The segment under review, with what the screen shows around it."""

    path: Path
    document: str
    meta: Mapping[str, object]
    segment: CodedSegment
    before: tuple[str, ...]  # the units just before it in the note
    after: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def codes(self) -> list[str]:
        """The codes after review: what every table counts."""
        return self.segment.reviewed_codes


@dataclass(frozen=True)
class _Undo:
    path: Path
    segment_id: str
    review: Review | None
    position: int


class ReviewSession:
    """Segments of a coded folder to review in order, the decisions on them, and an undo stack."""

    def __init__(
        self,
        coded_dir: Path,
        codebook: Codebook,
        *,
        documents: Sequence[str] = (),
        theme: str | None = None,
        only: Only = Only.all,
        by: str | None = None,
        context: int = 1,
    ) -> None:
        self.coded_dir = coded_dir
        self.codebook = codebook
        self.by = by or None
        self.context = context
        if theme is not None and theme not in codebook.ids:
            raise DialogtoolError(f"unknown theme '{theme}'", hint=f"one of {', '.join(sorted(codebook.ids))}")
        self._notes: dict[Path, CodedNote] = {}
        self._keys: list[tuple[Path, str]] = []
        for note in load_folder(coded_dir, codebook.ids):
            path = coded_dir / f"{note.document}.yaml"
            if documents and note.document not in documents and path.name not in documents:
                continue
            self._notes[path] = note
            for segment in note.segments:
                if segment.kind != HEADING and _selected(segment, only, theme):
                    self._keys.append((path, segment.id))
        self._undo: list[_Undo] = []
        self.position = self._resume()

    # -- where we are ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def reviewed(self) -> int:
        """How many of the session's segments have a review block."""
        return sum(1 for path, sid in self._keys if self._segment(path, sid).review is not None)

    def progress(self) -> str:
        return f"{self.reviewed} of {len(self)} reviewed"

    def current(self) -> Item:
        if not self._keys:
            raise DialogtoolError("no segments to review", path=self.coded_dir, hint="check --theme and --only")
        path, segment_id = self._keys[self.position]
        note = self._notes[path]
        index = next(i for i, s in enumerate(note.segments) if s.id == segment_id)
        segment = note.segments[index]
        units = [s.text for s in note.segments]
        return Item(
            path,
            note.document,
            note.meta,
            segment,
            tuple(units[max(0, index - self.context) : index]),
            tuple(units[index + 1 : index + 1 + self.context]),
            tuple(_evidence(segment, note)),
        )

    def move(self, step: int) -> None:
        """Go `step` segments forward (or back), staying inside the session."""
        if self._keys:
            self.position = max(0, min(len(self._keys) - 1, self.position + step))
            self._save_position()

    # -- decisions -------------------------------------------------------------------------

    def toggle(self, code: str) -> None:
        """Switch a code on or off for the current segment. A top-level theme counts as on when
        it or any of its children is on, and switching it off removes them all."""
        if code not in self.codebook.ids:
            raise DialogtoolError(f"unknown code '{code}'")
        item = self.current()
        codes = item.codes
        family = [c for c in codes if c == code or ("." not in code and c.startswith(code + "."))]
        wanted = [c for c in codes if c not in family] if family else [*codes, code]
        self._decide(item, self._review_for(item, wanted, accepted=False))

    def accept(self) -> None:
        """The codes as they stand are right: mark the segment reviewed (`accepted: true`), go on."""
        item = self.current()
        self._decide(item, self._review_for(item, item.codes, accepted=True))
        self.move(1)

    def set_note(self, text: str) -> None:
        """The reviewer's note on the current segment (empty text removes it)."""
        item = self.current()
        base = item.segment.review or self._review_for(item, item.codes, accepted=False)
        self._decide(item, replace(base, note=text.strip() or None, by=self.by or base.by))

    def undo(self) -> bool:
        """Take back the last decision (the file gets the review it had before); False when none."""
        if not self._undo:
            return False
        last = self._undo.pop()
        self._write(last.path, last.segment_id, last.review)
        self.position = last.position
        self._save_position()
        return True

    # -- helpers ---------------------------------------------------------------------------

    def _review_for(self, item: Item, codes: Sequence[str], *, accepted: bool) -> Review:
        """The review block that turns the automatic codes into `codes` (in codebook order)."""
        order = self.codebook.order()
        auto = list(item.segment.codes)
        add = sorted((c for c in codes if c not in auto), key=lambda c: order.get(c, len(order)))
        remove = [c for c in auto if c not in codes]
        old = item.segment.review
        return Review(
            tuple(add), tuple(remove), old.note if old else None, self.by or (old.by if old else None), accepted
        )

    def _decide(self, item: Item, review: Review | None) -> None:
        self._undo.append(_Undo(item.path, item.segment.id, item.segment.review, self.position))
        self._write(item.path, item.segment.id, review)
        self._save_position()

    def _write(self, path: Path, segment_id: str, review: Review | None) -> None:
        self._notes[path] = write_review(path, segment_id, review)

    def _segment(self, path: Path, segment_id: str) -> CodedSegment:
        return next(s for s in self._notes[path].segments if s.id == segment_id)

    def _resume(self) -> int:
        """Where this reviewer stopped last time, else the first segment without a review."""
        with contextlib.suppress(OSError, DialogtoolError, ValueError, TypeError, KeyError):
            saved = json.loads(read_bytes(cache_path(self.coded_dir, POSITION), MAX_INDEX_BYTES))
            name, _, segment_id = str(saved[self.by or ""]).partition("#")
            key = (self.coded_dir / name, segment_id)
            if key in self._keys:
                return self._keys.index(key)
        for index, (path, segment_id) in enumerate(self._keys):
            if self._segment(path, segment_id).review is None:
                return index
        return 0

    def _save_position(self) -> None:
        """Best effort, like every cache: a read-only folder only means no resuming."""
        if not self._keys:
            return
        path, segment_id = self._keys[self.position]
        with contextlib.suppress(OSError, DialogtoolError):
            target = cache_path(self.coded_dir, POSITION, create=True)
            try:
                saved = json.loads(read_bytes(target, MAX_INDEX_BYTES))
            except (DialogtoolError, ValueError):
                saved = {}
            if not isinstance(saved, dict):
                saved = {}
            saved[self.by or ""] = f"{path.name}#{segment_id}"
            write_text(target, json.dumps(saved, ensure_ascii=False, sort_keys=True))


def _selected(segment: CodedSegment, only: Only, theme: str | None) -> bool:
    if theme is not None:
        codes = set(segment.codes) | set(segment.reviewed_codes)
        if not any(c == theme or c.startswith(theme + ".") for c in codes):
            return False
    review = segment.review
    if only is Only.uncoded:
        return not segment.codes
    if only is Only.inherited:
        return bool(segment.context)
    if only is Only.changed:
        return review is not None and bool(review.add or review.remove)
    if only is Only.unreviewed:
        return review is None
    return True


def _evidence(segment: CodedSegment, note: CodedNote) -> list[Evidence]:
    headings = {s.id: s.text for s in note.segments}
    found = []
    for code in segment.codes:
        rule, source = segment.context.get(code, (None, None))
        found.append(Evidence(code, tuple(segment.terms.get(code, ())), rule, headings.get(source or "")))
    return found
