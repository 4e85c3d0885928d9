"""Read a folder of coded notes into the rows every report is built from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DialogtoolError
from .store import effective_codes, load_coded


@dataclass(frozen=True)
class CodedSegment:
    """One segment with its note's metadata and its codes after review."""

    document: str
    id: str
    kind: str
    para: int
    section: tuple[str, ...]
    text: str
    codes: tuple[str, ...]
    meta: dict[str, Any]


def load_folder(coded_dir: Path) -> list[dict[str, Any]]:
    """All coded notes in a folder, in file-name order; a broken file stops with its name."""
    if not coded_dir.is_dir():
        raise DialogtoolError("no such folder of coded notes", path=coded_dir, hint="run `dialogtool code` first")
    files = sorted(p for p in coded_dir.glob("*.yaml") if not p.name.startswith("."))
    if not files:
        raise DialogtoolError("no coded notes (*.yaml) here", path=coded_dir, hint="run `dialogtool code` first")
    return [load_coded(p) for p in files]


def segments_of(documents: list[dict[str, Any]]) -> list[CodedSegment]:
    """Flatten notes into segments carrying metadata; codes are auto + add - remove."""
    rows = []
    for doc in documents:
        meta = dict(doc.get("meta") or {})
        meta["document"] = doc.get("document")
        for seg in doc["segments"]:
            rows.append(
                CodedSegment(
                    document=str(doc.get("document")),
                    id=str(seg.get("id")),
                    kind=str(seg.get("kind", "text")),
                    para=int(seg.get("para") or 0),
                    section=tuple(seg.get("section") or ()),
                    text=str(seg["text"]),
                    codes=tuple(effective_codes(seg)),
                    meta=meta,
                )
            )
    return rows
