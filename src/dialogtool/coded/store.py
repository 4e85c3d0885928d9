"""Coded notes on disk: deterministic, diff-friendly YAML, written atomically.

A coded file is rewritten whole by `dialogtool code`; only the `review` blocks belong
to people, and they are carried over by segment text (see `carry_reviews`).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import yamlio
from ..errors import DialogtoolError
from . import emit

FORMAT = 1
HEADER = (
    "# Coded by dialogtool. Everything here is rewritten by `dialogtool code` except the\n"
    "# `review: {add: [..], remove: [..], note: ..}` blocks that reviewers add to segments.\n"
)
REVIEW_KEYS = ("add", "remove", "note")


@dataclass
class Review:
    """A reviewer's correction of one segment's codes."""

    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"add": list(self.add), "remove": list(self.remove)}
        if self.note:
            data["note"] = self.note
        return data


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML text with stable key order, readable æøå, no line folding (see `emit`)."""
    return emit.dump(data)


def load_coded(path: Path) -> dict[str, Any]:
    """A coded note as written by `dump_note`, checked enough to be used downstream."""
    data = yamlio.load(path)
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise DialogtoolError("not a dialogtool coded note (no 'segments' list)", path=path)
    for seg in data["segments"]:
        if not isinstance(seg, dict) or "text" not in seg:
            raise DialogtoolError("a segment without 'text'", path=path)
        seg["review"] = parse_review(seg.get("review"), path, seg.get("id"))
    return data


def parse_review(value: Any, path: Path, segment_id: object = None) -> Review | None:
    """Check a reviewer's block; mistakes name the file and segment so they can be fixed."""
    if value is None:
        return None
    where = f"review of segment {segment_id}"
    if not isinstance(value, dict):
        raise DialogtoolError(f"{where} must be a mapping with add/remove/note", path=path)
    unknown = sorted(set(value) - set(REVIEW_KEYS))
    if unknown:
        raise DialogtoolError(
            f"{where} has unknown key(s) {', '.join(map(str, unknown))}", path=path, hint="use add, remove, note"
        )
    lists = {}
    for key in ("add", "remove"):
        items = value.get(key) or []
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise DialogtoolError(f"{where}: '{key}' must be a list of code ids", path=path)
        lists[key] = items
    note = value.get("note")
    return Review(lists["add"], lists["remove"], None if note is None else str(note))


def effective_codes(segment: dict[str, Any]) -> list[str]:
    """What downstream counts: automatic codes + review.add - review.remove."""
    codes = list(segment.get("codes") or [])
    review: Review | None = segment.get("review")
    if review is None:
        return codes
    result = [c for c in codes if c not in review.remove]
    result += [c for c in review.add if c not in result and c not in review.remove]
    return result


def carry_reviews(old: dict[str, Any] | None, texts: list[str]) -> tuple[list[Review | None], list[dict[str, Any]]]:
    """Match the old file's reviews to new segments by text.

    Returns the review for each new segment (or None) and the reviews whose text no
    longer exists, to be kept in the file and reported rather than dropped.
    """
    if not old:
        return [None] * len(texts), []
    pending: dict[str, deque[dict[str, Any]]] = defaultdict(deque)
    for seg in old.get("segments", []):
        if seg.get("review") is not None:
            pending[seg["text"]].append({"id": seg.get("id"), "text": seg["text"], "review": seg["review"]})
    for item in old.get("unplaced_reviews") or []:
        if isinstance(item, dict) and "text" in item:
            review = (
                item["review"]
                if isinstance(item.get("review"), Review)
                else parse_review(item.get("review"), Path("?"))
            )
            pending[str(item["text"])].append({"id": item.get("id"), "text": str(item["text"]), "review": review})
    placed: list[Review | None] = []
    for text in texts:
        queue = pending.get(text)
        placed.append(queue.popleft()["review"] if queue else None)
    unplaced = [entry for queue in pending.values() for entry in queue]
    return placed, unplaced
