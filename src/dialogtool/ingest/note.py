"""A note read, normalised and segmented, with its metadata: what the coder codes.

`read_note` is the whole ingest stage for one file: read (any supported format),
normalise, segment, detect metadata, apply the folder's meta.yaml entry.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import DialogtoolError
from .meta import detect_meta, load_manifest
from .normalize import normalize
from .readers import Source, read_source
from .segment import Segment, segment


@dataclass
class Note:
    """A note read, normalised and segmented, with its metadata."""

    doc_id: str
    source: Source
    text: str
    segments: list[Segment]
    meta: dict[str, object]


def doc_id(path: Path) -> str:
    """A file-name-safe id from the file's stem ("Mo i Rana bord 4" -> "Mo_i_Rana_bord_4").

    A name that is not UTF-8 (Python keeps its bytes as surrogates) is read as Windows-1252,
    what old Windows zips hold, so "Troms\xf8" gets the id "Tromsø", not "Troms".
    """
    stem = unicodedata.normalize("NFC", _legible(path.stem))  # names from macOS or zips may be decomposed
    cleaned = re.sub(r"[^\w.-]+", "_", stem).strip("._-")
    return cleaned or "note"


def _legible(name: str) -> str:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
            return raw.decode("latin-1")
    return name


def read_note(path: Path, manifests: dict[Path, dict[str, dict[str, object]]] | None = None) -> Note:
    """Read and segment one note, with metadata from its header and the folder's manifest."""
    source = read_source(path)
    text = normalize(source.text, paragraphs=source.encoding == "docx")
    if not text:
        raise DialogtoolError("file contains no text", path=path)
    headings = {normalize(h) for h in source.headings}
    segments = segment(text, headings, styled=source.encoding == "docx")
    meta = detect_meta(text)
    manifest = manifest_for(path, manifests)
    meta.update(manifest.get(path.name, {}))
    return Note(doc_id(path), source, text, segments, meta)


def manifest_for(path: Path, cache: dict[Path, dict[str, dict[str, object]]] | None) -> dict[str, dict[str, object]]:
    folder = path.parent
    if cache is None:
        return load_manifest(folder)
    if folder not in cache:
        cache[folder] = load_manifest(folder)
    return cache[folder]
