"""The coded note: the project's main artefact, as typed records whose `to_dict` is the schema.

A coded file on disk is `HEADER + emit.dump(note.to_dict())`. `to_dict` fixes the key order
reviewers see in `git diff` (format, document, source, …, segments; in a segment id, kind,
para, section, span, text, codes, terms, context, review) and leaves out what is empty.
`from_dict` is the one reader: it checks `format` (2, or 1, whose `inherited: {CODE: heading
id}` it reads as the heading rule's `context`), requires each segment's `text`, and reads
hand-edited values leniently where a reviewer's slip should not stop a report (a mangled
`para` counts as absent; `terms` or `context` that are not mappings count as empty),
strictly where it matters (`review` blocks).

Every reader of coded notes goes through these records: `code` (carrying reviews over),
the folder cache and codes index, git revisions, exchange and analysis.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DialogtoolError
from ..ingest.segment import HEADING as HEADING  # re-exported: a segment kind is part of the schema
from ..ingest.segment import TEXT as TEXT
from .reviewcheck import ReviewError, line_at

FORMAT = 2  # bump (and record in CHANGELOG.md) when the layout of a coded file changes
READABLE_FORMATS = (1, 2)  # 1: `inherited: {CODE: heading id}` where 2 has `context: {CODE: [rule, id]}`
REVIEW_KEYS = ("add", "remove", "accepted", "note", "by")
# What a segment may hold; `inherited` is format 1's. Anything else is a reviewer's slip.
SEGMENT_KEYS = ("id", "kind", "para", "section", "span", "text", "codes", "terms", "context", "inherited", "review")


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's correction of one segment's codes: the only part of a coded file people write.

    `accepted` records an explicit "the automatic codes are right" (`dialogtool review`'s
    `a`), so a segment checked and left alone is told apart from one nobody looked at;
    `by` names the reviewer, so `agree` can compare two of them.
    """

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    note: str | None = None
    by: str | None = None
    accepted: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "add", tuple(self.add))
        object.__setattr__(self, "remove", tuple(self.remove))

    def apply(self, codes: Iterable[str]) -> list[str]:
        """Automatic codes + add − remove, in that order, without repeating an added code."""
        result = [c for c in codes if c not in self.remove]
        result += [c for c in self.add if c not in result and c not in self.remove]
        return result

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"add": list(self.add), "remove": list(self.remove)}
        if self.accepted:
            data["accepted"] = True
        if self.note:
            data["note"] = self.note
        if self.by:
            data["by"] = self.by
        return data

    @classmethod
    def from_dict(cls, value: Any, where: str | Path, segment_id: object = None) -> Review | None:
        """Check a reviewer's block; a mistake is a ReviewError whose `keys` lead to its line."""
        if value is None:
            return None
        if isinstance(value, Review):
            return value
        what = f"review of segment {segment_id}"
        if not isinstance(value, dict):
            raise ReviewError(
                f"{what} must be a mapping, not {_kind(value)}",
                path=where,
                keys=("review",),
                hint="write add:, remove:, note: indented under review:",
            )
        unknown = sorted(map(str, set(value) - set(REVIEW_KEYS)))
        if unknown:
            raise ReviewError(
                f"{what} has unknown key '{unknown[0]}'",
                path=where,
                keys=("review", unknown[0]),
                hint=f"use {', '.join(REVIEW_KEYS)}",
            )
        lists: dict[str, list[str]] = {}
        for key in ("add", "remove"):
            items = value.get(key) or []
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ReviewError(f"{what}: '{key}' must be a list of code ids", path=where, keys=("review", key))
            lists[key] = items
        both = [code for code in lists["remove"] if code in lists["add"]]
        if both:
            position = lists["remove"].index(both[0])
            raise ReviewError(
                f"{what} both adds and removes '{both[0]}'",
                path=where,
                keys=("review", "remove", position),
                hint="keep it in one of add: or remove:",
            )
        accepted = value.get("accepted", False)
        if not isinstance(accepted, bool):
            raise ReviewError(f"{what}: 'accepted' must be true or false", path=where, keys=("review", "accepted"))
        note, by = value.get("note"), value.get("by")
        for key, text in (("note", note), ("by", by)):
            if isinstance(text, (dict, list)):
                raise ReviewError(f"{what}: '{key}' must be text, not {_kind(text)}", path=where, keys=("review", key))
        return cls(
            tuple(lists["add"]),
            tuple(lists["remove"]),
            None if note is None else str(note),
            None if by is None else str(by),
            accepted,
        )


@dataclass(frozen=True, slots=True)
class CodedSegment:
    """One segment of a coded note: where it is, its text, its automatic codes and their evidence."""

    id: str
    text: str
    kind: str = TEXT
    para: int | None = None  # paragraph number; None when absent or not a whole number
    section: tuple[str, ...] = ()  # the headings above it
    span: tuple[int, int] | None = None  # offsets in the normalised note text
    codes: tuple[str, ...] = ()  # automatic codes
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # code -> patterns that matched
    context: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # code -> (rule, source segment id)
    review: Review | None = None

    @property
    def reviewed_codes(self) -> list[str]:
        """What downstream counts: automatic codes + review.add − review.remove."""
        return list(self.codes) if self.review is None else self.review.apply(self.codes)

    def to_dict(self) -> dict[str, Any]:
        item: dict[str, Any] = {"id": self.id}
        if self.kind != TEXT:
            item["kind"] = self.kind
        if self.para is not None:
            item["para"] = self.para
        item["section"] = list(self.section)
        if self.span is not None:
            item["span"] = list(self.span)
        item["text"] = self.text
        item["codes"] = list(self.codes)
        if self.terms:
            item["terms"] = {code: list(found) for code, found in self.terms.items()}
        if self.context:
            item["context"] = {code: list(found) for code, found in self.context.items()}
        if self.review is not None:
            item["review"] = self.review.to_dict()
        return item

    @classmethod
    def from_dict(cls, data: Any, where: str | Path) -> CodedSegment:
        if not isinstance(data, dict) or "text" not in data:
            raise DialogtoolError("a segment without 'text'", path=where)
        segment_id = data.get("id")
        _check_segment_keys(data, where, segment_id)
        return cls(
            id="" if segment_id is None else str(segment_id),
            text=str(data["text"]),
            kind=str(data.get("kind") or TEXT),
            para=_whole(data.get("para")),
            section=tuple(str(s) for s in data.get("section") or ()),
            span=_span(data.get("span")),
            codes=tuple(data.get("codes") or ()),
            terms=_terms(data.get("terms")),
            context=_context(data),
            review=Review.from_dict(data.get("review"), where, segment_id),
        )


@dataclass(frozen=True, slots=True)
class UnplacedReview:
    """A review whose segment text no longer exists after re-coding: kept in the file, reported."""

    id: str | None
    text: str
    review: Review | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "review": None if self.review is None else self.review.to_dict()}


@dataclass(frozen=True, slots=True)
class CodedNote:
    """A note as `code` wrote it (or `import qdpx`): provenance, metadata and coded segments."""

    document: str
    segments: tuple[CodedSegment, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None  # the note's path as given to `code`, with '/'
    sha256: str | None = None  # of the source's bytes
    encoding: str | None = None  # how the source was read: utf-8, cp1252, docx, pdf, …
    codebook_path: str | None = None
    codebook_sha256: str | None = None
    fingerprint: str | None = None  # what it was made from (coding/fingerprint.py)
    imported: Mapping[str, Any] | None = None  # set by `import qdpx`: {from: project, source: name}
    unplaced_reviews: tuple[UnplacedReview, ...] = ()
    format: int = FORMAT

    def to_dict(self, *, segments: bool = True) -> dict[str, Any]:
        """The note as its YAML file holds it; without `segments`, an empty list stands in for
        them, for the writers that write the segments from their records."""
        data: dict[str, Any] = {"format": self.format, "document": self.document}
        for key in ("source", "sha256", "encoding"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.imported is not None:
            data["imported"] = dict(self.imported)
        if self.codebook_path is not None or self.codebook_sha256 is not None:
            data["codebook"] = {"path": self.codebook_path, "sha256": self.codebook_sha256}
        if self.fingerprint is not None:
            data["fingerprint"] = self.fingerprint
        data["meta"] = dict(self.meta)
        data["segments"] = [s.to_dict() for s in self.segments] if segments else []
        if self.unplaced_reviews:
            data["unplaced_reviews"] = [u.to_dict() for u in self.unplaced_reviews]
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str | Path, text: str | None = None) -> CodedNote:
        """A parsed coded file; `text` (the file's text) lets a format error name its line."""
        if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
            raise DialogtoolError("not a dialogtool coded note (no 'segments' list)", path=where)
        version = data.get("format", FORMAT)
        if version not in READABLE_FORMATS:
            raise DialogtoolError(
                f"coded note format {version!r}, but this dialogtool reads formats "
                f"{', '.join(map(str, READABLE_FORMATS))}",
                path=where,
                line=_line_of("format", text),
                hint="re-run `dialogtool code` with this version, or upgrade dialogtool",
            )
        codebook = _mapping(data.get("codebook"))
        document = data.get("document")
        return cls(
            document=str(document) if document is not None else Path(str(where)).stem,
            segments=tuple(_segments(data["segments"], where, text)),
            meta=dict(_mapping(data.get("meta"))),
            source=_optional_str(data.get("source")),
            sha256=_optional_str(data.get("sha256")),
            encoding=_optional_str(data.get("encoding")),
            codebook_path=_optional_str(codebook.get("path")),
            codebook_sha256=_optional_str(codebook.get("sha256")),
            fingerprint=_optional_str(data.get("fingerprint")),
            imported=dict(data["imported"]) if isinstance(data.get("imported"), dict) else None,
            unplaced_reviews=tuple(_unplaced(data.get("unplaced_reviews"), where, text)),
        )

    @property
    def headings(self) -> dict[str, str]:
        """Heading segments' text by id (a code from the heading rule points at its heading by id)."""
        return {s.id: s.text for s in self.segments if s.kind == HEADING}


@dataclass(frozen=True, slots=True)
class SegmentRow:
    """A segment with its note's id and metadata, its codes after review: what analysis iterates over."""

    document: str
    id: str
    text: str
    codes: tuple[str, ...]  # auto + review.add − review.remove
    kind: str = TEXT
    para: int = 0
    section: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    reviewed: bool = False  # has a review block
    reviewer: str | None = None  # its `by:`


def rows_of(notes: Iterable[CodedNote]) -> list[SegmentRow]:
    """Flatten notes into segment rows; each row's meta has the note's `document` too."""
    rows = []
    for note in notes:
        meta = dict(note.meta)
        meta["document"] = note.document
        for seg in note.segments:
            rows.append(
                SegmentRow(
                    note.document,
                    seg.id,
                    seg.text,
                    tuple(seg.reviewed_codes),
                    seg.kind,
                    seg.para or 0,
                    seg.section,
                    meta,
                    seg.review is not None,
                    None if seg.review is None else seg.review.by,
                )
            )
    return rows


def _mapping(value: object) -> dict[Any, Any]:
    """A hand-edited field that should be a mapping and is not counts as absent."""
    return value if isinstance(value, dict) else {}


def _listed(value: object) -> Sequence[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _terms(value: object) -> dict[str, tuple[str, ...]]:
    return {str(code): tuple(str(t) for t in _listed(found)) for code, found in _mapping(value).items()}


def _context(data: dict[Any, Any]) -> dict[str, tuple[str, str]]:
    """`context: {CODE: [rule, id]}` (format 2), or format 1's `inherited: {CODE: heading id}`."""
    found: dict[str, tuple[str, str]] = {}
    for code, value in _mapping(data.get("context")).items():
        if isinstance(value, list) and len(value) == 2:
            found[str(code)] = (str(value[0]), str(value[1]))
    for code, heading in _mapping(data.get("inherited")).items():
        found.setdefault(str(code), ("heading", str(heading)))
    return found


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _span(value: object) -> tuple[int, int] | None:
    if isinstance(value, list) and len(value) == 2 and all(_whole(i) is not None for i in value):
        return (value[0], value[1])
    return None


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _segments(items: list[Any], where: str | Path, text: str | None) -> Iterable[CodedSegment]:
    for index, item in enumerate(items):
        try:
            yield CodedSegment.from_dict(item, where)
        except ReviewError as exc:
            raise exc.at(line_at(text, ("segments", index, *exc.keys))) from None


def _unplaced(value: object, where: str | Path, text: str | None = None) -> Iterable[UnplacedReview]:
    for index, item in enumerate(value if isinstance(value, list) else []):
        if isinstance(item, dict) and "text" in item:
            identifier = item.get("id")
            try:
                review = Review.from_dict(item.get("review"), where, identifier)
            except ReviewError as exc:
                raise exc.at(line_at(text, ("unplaced_reviews", index, *exc.keys))) from None
            yield UnplacedReview(None if identifier is None else str(identifier), str(item["text"]), review)


def _check_segment_keys(data: dict[Any, Any], where: str | Path, segment_id: object) -> None:
    """A review key at segment level (`add:` indented one level too little) would be ignored, and
    dropped by the next `code`; any other unknown key is most likely a misspelt `review`."""
    for key in data:
        if key in SEGMENT_KEYS:
            continue
        name = str(key)
        if name in REVIEW_KEYS:
            raise ReviewError(
                f"'{name}' in segment {segment_id} belongs in its review block",
                path=where,
                keys=(name,),
                hint=f"indent it under review: ({name} is not a segment key)",
            )
        guess = difflib.get_close_matches(name, SEGMENT_KEYS, n=1)
        raise ReviewError(
            f"unknown key '{name}' in segment {segment_id}",
            path=where,
            keys=(name,),
            hint=f"did you mean '{guess[0]}'?" if guess else f"a segment has {', '.join(SEGMENT_KEYS)}",
        )


def _kind(value: object) -> str:
    """How a reviewer would name what they wrote: a list, text, a number …"""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, bool):
        return "true/false"
    return "a number" if isinstance(value, (int, float)) else type(value).__name__


def _line_of(key: str, text: str | None) -> int | None:
    """The line of a top-level key in a file's text (YAML data carries no lines)."""
    if text is None:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None
