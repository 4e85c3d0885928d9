"""Code a set of notes: find them, read each, code it and write its YAML.

One bad file never stops the run: its problem is collected and reported at the end.
Progress is reported through a callback so the library never prints.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .codebook import Codebook
from .errors import DialogtoolError
from .ingest import SUFFIXES, Source, read_source
from .match import Matcher, SegmentCoding, code_note
from .meta import FIELDS, MANIFEST, detect_meta, load_manifest
from .normalize import normalize
from .segment import HEADING, Segment, segment
from .store import FORMAT, HEADER, Review, carry_reviews, dump_yaml, load_coded, write_atomic

_IGNORED = re.compile(r"^(?:\.|~\$|readme(?:\.|$))", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, and why."""

    path: str
    message: str


@dataclass
class Note:
    """A note read, normalised and segmented, with its metadata."""

    doc_id: str
    source: Source
    text: str
    segments: list[Segment]
    meta: dict[str, object]


@dataclass
class RunSummary:
    """What a `code` run did, for the CLI to render."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    unplaced_reviews: list[tuple[str, str]] = field(default_factory=list)  # (doc id, text)
    segments: int = 0
    coded_segments: int = 0
    encodings: dict[str, str] = field(default_factory=dict)  # source path -> encoding


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Note files under the given files/folders, sorted; unsupported files are reported.

    Folders are walked without following symlinks to folders, so a link loop cannot hang.
    """
    found: set[Path] = set()
    skipped: list[Problem] = []
    for root in paths:
        if root.is_file():
            found.add(root)
            continue
        if not root.exists():
            skipped.append(Problem(str(root), "no such file or folder"))
            continue
        for folder, dirs, files in os.walk(root, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder) / name
                if _IGNORED.match(name) or name == MANIFEST:
                    continue
                if path.suffix.lower() in SUFFIXES:
                    found.add(path)
                else:
                    skipped.append(Problem(str(path), f"skipped: not a note ({path.suffix or 'no extension'})"))
    return sorted(found, key=lambda p: p.as_posix()), skipped


def doc_id(path: Path) -> str:
    """A file-name-safe id from the file's stem ("Mo i Rana bord 4" -> "Mo_i_Rana_bord_4")."""
    cleaned = re.sub(r"[^\w.-]+", "_", path.stem).strip("._-")
    return cleaned or "note"


def read_note(path: Path, manifests: dict[Path, dict[str, dict[str, object]]] | None = None) -> Note:
    """Read and segment one note, with metadata from its header and the folder's manifest."""
    source = read_source(path)
    text = normalize(source.text)
    if not text:
        raise DialogtoolError("file contains no text", path=path)
    headings = {normalize(h) for h in source.headings}
    segments = segment(text, headings)
    meta = detect_meta(text)
    manifest = _manifest_for(path, manifests)
    meta.update(manifest.get(path.name, {}))
    return Note(doc_id(path), source, text, segments, meta)


def _manifest_for(path: Path, cache: dict[Path, dict[str, dict[str, object]]] | None) -> dict[str, dict[str, object]]:
    folder = path.parent
    if cache is None:
        return load_manifest(folder)
    if folder not in cache:
        cache[folder] = load_manifest(folder)
    return cache[folder]


def coded_document(
    note: Note, codings: Sequence[SegmentCoding], codebook: Codebook, old: dict[str, Any] | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The coded note as plain data in its on-disk order, and its unplaced reviews."""
    reviews, unplaced = carry_reviews(old, [s.text for s in note.segments])
    segments = []
    for seg, coding, review in zip(note.segments, codings, reviews, strict=True):
        item: dict[str, Any] = {"id": seg.id}
        if seg.kind == HEADING:
            item["kind"] = HEADING
        item["para"] = seg.para
        item["section"] = list(seg.section)
        item["span"] = [seg.start, seg.end]
        item["text"] = seg.text
        item["codes"] = list(coding.codes)
        if coding.terms:
            item["terms"] = {code: list(coding.terms[code]) for code in coding.codes if code in coding.terms}
        if coding.inherited:
            item["inherited"] = dict(coding.inherited)
        if review is not None:
            item["review"] = review.to_dict()
        segments.append(item)
    document: dict[str, Any] = {
        "format": FORMAT,
        "document": note.doc_id,
        "source": _display_path(note.source.path),
        "sha256": note.source.sha256,
        "encoding": note.source.encoding,
        "codebook": {"path": _display_path(Path(codebook.path)), "sha256": codebook.digest},
        "meta": {key: note.meta.get(key) for key in FIELDS},
        "segments": segments,
    }
    if unplaced:
        document["unplaced_reviews"] = [
            {
                "id": u["id"],
                "text": u["text"],
                "review": u["review"].to_dict() if isinstance(u["review"], Review) else u["review"],
            }
            for u in unplaced
        ]
    return document, unplaced


def _display_path(path: Path) -> str:
    """The path relative to the working folder when possible, always with '/'."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def code_paths(
    paths: Sequence[Path],
    codebook: Codebook,
    out_dir: Path,
    progress: Callable[[str, int, int], None] | None = None,
) -> RunSummary:
    """Code every note under `paths` into `out_dir`; see RunSummary for what is reported."""
    files, skipped = discover(paths)
    summary = RunSummary(skipped=skipped)
    matcher = Matcher(codebook)
    manifests: dict[Path, dict[str, dict[str, object]]] = {}
    owners: dict[str, Path] = {}
    for path in files:
        key = doc_id(path)
        if key in owners:
            summary.problems.append(
                Problem(str(path), f"same document id '{key}' as {owners[key]}; rename one of them")
            )
        else:
            owners[key] = path
    total = len(owners)
    for done, (key, path) in enumerate(sorted(owners.items(), key=lambda kv: kv[1].as_posix()), start=1):
        if progress:
            progress(str(path), done - 1, total)
        try:
            _code_one(path, key, codebook, matcher, out_dir, manifests, summary)
        except DialogtoolError as exc:
            own = exc.path == str(path)  # the note itself, or e.g. its coded file
            summary.problems.append(Problem(str(path), exc.message if own else str(exc)))
    if progress:
        progress("", total, total)
    return summary


def _code_one(
    path: Path,
    key: str,
    codebook: Codebook,
    matcher: Matcher,
    out_dir: Path,
    manifests: dict[Path, dict[str, dict[str, object]]],
    summary: RunSummary,
) -> None:
    note = read_note(path, manifests)
    codings = code_note(note.text, note.segments, matcher)
    target = out_dir / f"{key}.yaml"
    old = load_coded(target) if target.exists() else None
    document, unplaced = coded_document(note, codings, codebook, old)
    text = HEADER + dump_yaml(document)
    summary.encodings[str(path)] = note.source.encoding
    summary.segments += len(codings)
    summary.coded_segments += sum(1 for c in codings if c.codes)
    summary.unplaced_reviews += [(key, u["text"]) for u in unplaced]
    if target.exists() and target.read_text(encoding="utf-8") == text:
        summary.unchanged.append(target)
        return
    write_atomic(target, text)
    summary.written.append(target)
