"""Read a folder of coded notes for reporting, through indexes that make it fast.

Parsing YAML is slow (10,000 notes take half a minute), so what was parsed is kept in
index files in the folder's `.dialogtool/` (see `workdir`), keyed by each file's size and modification time; only new
or changed files (e.g. after a reviewer's edit) are parsed again. `load_codes` keeps
just what frequency tables need, so `table` stays quick on large corpora.

The parsed notes live in `.dialogtool/notes/`: what `code` wrote in a run as one pack (a note
a line, see `NotePack`), and what a reader had to parse itself as a file a note.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import DialogtoolError
from ..files import (
    MAX_INDEX_BYTES,
    append_record,
    create_log,
    open_regular,
    printable,
    read_bytes,
    reason,
    write_cache_bytes,
    write_text,
)
from .note import TEXT, CodedNote, CodedSegment, Review, SegmentRow, rows_of
from .store import load_coded
from .validate import check_codes
from .workdir import cache_path

CACHE = "notes"  # in .dialogtool/: the parsed notes stamped with their file's mtime and size (packs, and a JSON a note)
PACK = ".pack"  # in CACHE: the notes one `code` run wrote, a line each
CODES_INDEX = "codes.json"  # in .dialogtool/
# 2: the codes index keeps each segment's paragraph; 3: coded format 2 (`context` for `inherited`);
# 4: the ids in review blocks, checked against the codebook on every read; 5: which segments are
# headings, and which codes came from context only. Record a bump in CHANGELOG.md.
_INDEX_VERSION = 5
_SEGMENT_FIELDS = ("id", "kind", "para", "section", "span", "text", "codes", "terms", "context", "review")


@dataclass(frozen=True)
class DocumentCodes:
    """What frequency tables need of a coded note: its metadata and each segment's codes.

    `paras` gives each segment's paragraph number, so tables can count paragraphs
    (distinct document + paragraph) as well as segments and notes. `headings` marks the
    segments that are headings (titles, task lines), which tables leave out by default, and
    `derived` the codes a segment has only from its context (a heading, the sentence before),
    which `--evidence direct` leaves out.
    """

    document: str
    meta: dict[str, Any]
    ids: tuple[str, ...]
    codes: tuple[tuple[str, ...], ...]  # per segment, after review
    paras: tuple[int, ...] = ()  # per segment; a segment without a number is a paragraph of its own
    reviewed: frozenset[str] = frozenset()  # every id in the note's review blocks (add and remove)
    file: str = ""  # the coded file's name
    headings: tuple[bool, ...] = ()  # per segment; empty means none
    derived: tuple[tuple[str, ...], ...] = ()  # per segment; empty means none


def load_folder(coded_dir: Path, known: Collection[str] | None = None) -> list[CodedNote]:
    """All coded notes in a folder, whole, in file-name order; a broken file stops with its name.

    With `known` (the codebook's ids), an id in a review block that is not one of them stops
    with the file and line (cached notes too: the codebook may have changed since).

    Each note's parsed form is cached in a file of its own beside it, so only notes that
    changed since (re-coded, or edited by a reviewer) are parsed again. `code` writes the
    cache as it writes each file, so the first `report` after `code` parses nothing.
    """
    return list(iter_folder(coded_dir, known))


def iter_folder(coded_dir: Path, known: Collection[str] | None = None) -> Iterator[CodedNote]:
    """`load_folder` one note at a time, for readers that need not hold every note at once
    (`quotes`: at 10,000 notes the whole folder takes 600–800 MiB).

    A missing or empty folder is reported at once, a broken file when it is reached.
    """
    return _iter_notes(_coded_files(coded_dir), known, _Packs(coded_dir))


def _iter_notes(files: list[Path], known: Collection[str] | None, packs: _Packs) -> Iterator[CodedNote]:
    for path in files:
        doc = _load_one(path, packs)
        if known is not None:
            check_codes(doc, known, path)
        yield doc


def read_each(coded_dir: Path, known: Collection[str]) -> Iterator[tuple[Path, CodedNote | DialogtoolError]]:
    """Each coded file of a folder with its note, or with the error that stops reading it:
    for `status`, which lists every broken file instead of stopping at the first."""
    files = yaml_files(coded_dir) if coded_dir.is_dir() else []
    packs = _Packs(coded_dir)
    for path in files:
        try:
            doc = _load_one(path, packs)
            check_codes(doc, known, path)
        except DialogtoolError as exc:
            yield path, exc
            continue
        yield path, doc


def _load_one(path: Path, packs: _Packs) -> CodedNote:
    """A coded note from the cache when the file is unchanged since, else parsed (and cached)."""
    stamp = _file_stamp(path)
    packed = packs.entry(path.name, stamp)
    if packed is not None:
        return _unpack(packed, path)
    cached = _read_cache(path)
    if cached is not None and cached[0] == stamp:
        return _unpack(cached[1], path)
    doc = load_coded(path)
    write_cache(path, stamp, doc)
    return doc


def write_cache(path: Path, stamp: list[int], doc: CodedNote) -> None:
    """Cache a coded note's parsed form beside it (best effort: a read-only folder has none)."""
    with contextlib.suppress(OSError, DialogtoolError):
        target = cache_path(path.parent, f"{CACHE}/{path.name}.json", create=True)
        write_cache_bytes(target, json.dumps([stamp, _pack(doc), _INDEX_VERSION], ensure_ascii=False).encode("utf-8"))


def cache_line(name: str, stamp: list[int], doc: CodedNote) -> bytes:
    """A coded note's line in a pack: a header (`[file name, stamp, version]`), a tab, the note as
    `_pack`s it. JSON writes a tab or a line break inside a string escaped, so the first tab of a
    line ends its header and every line break ends a line."""
    header = _LINE_JSON.encode([name, stamp, _INDEX_VERSION])
    return f"{header}\t{_LINE_JSON.encode(_pack(doc))}\n".encode()


# `json.dumps(..., ensure_ascii=False)`'s text, from one encoder for every line and without its
# check for cycles, which files each list and dict of the note by id as it is written: a note
# `code` made holds none (its meta values are scalars; a cycle could not be written as YAML
# either). Saves 0.1 M of the line's 1 M instructions.
_LINE_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)


class NotePack:
    """The pack of one `code` run: each note's `cache_line` appended as its coded file is written.

    One file a run instead of one a note: creating a file took 0.3–1 ms on this machine's busy
    disk, a fifth of what coding a note costs, and appending a line 6 µs. A line is appended
    whole, so an interrupted run leaves the line of every note it finished and at most one torn
    line at the end, which readers skip; a reader checks each line's stamp against the coded
    file anyway. Best effort, like every cache: a folder that cannot take it is only slower to
    read. Closing it removes what this run made stale: older packs with no line still needed,
    and the files of notes it re-coded.
    """

    def __init__(self, coded_dir: Path) -> None:
        self.coded_dir = coded_dir
        self.names: set[str] = set()
        self._path: Path | None = None
        self._fd: int | None = None
        self._broken = False

    def add(self, name: str, line: bytes) -> None:
        if self._broken:
            return
        try:
            if self._path is None:
                pack = f"{time.time_ns():020d}-{os.getpid()}{PACK}"  # later runs sort later
                self._path = cache_path(self.coded_dir, f"{CACHE}/{pack}", create=True)
                self._fd = create_log(self._path)
            if self._fd is not None:
                append_record(self._fd, line, self._path)
                self.names.add(name)
        except (OSError, DialogtoolError):
            self._broken = True

    def close(self, prune: bool = True) -> None:
        """Close the pack and, with `prune`, remove what it made stale (see above)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = None
        if prune and self._path is not None and not self._broken:
            with contextlib.suppress(OSError, DialogtoolError):
                _prune(self._path, self.names, self.coded_dir)

    def __enter__(self) -> NotePack:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.close(prune=kind is None)  # a run stopped by Ctrl-C stops now: the next run prunes


def _prune(mine: Path, names: set[str], coded_dir: Path) -> None:
    """Remove the packs older than `mine` whose every line a newer pack replaces (or whose coded
    file is gone), and the single-note caches of the notes `mine` holds."""
    folder = mine.parent
    needed = set(names)
    for pack in sorted(_pack_files(folder), reverse=True):
        if pack.name >= mine.name:
            continue
        held = {name for _, name, _, _, _ in _pack_lines(pack)}
        if all(name in needed or not (coded_dir / name).exists() for name in held):
            pack.unlink()
        needed |= held
    for entry in os.scandir(folder):
        if entry.name.endswith(".json") and entry.name[: -len(".json")] in names:
            os.unlink(entry.path)


def _pack_files(folder: Path) -> list[Path]:
    """The packs in a folder (not a symlink named like one)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    return [folder / e.name for e in entries if e.name.endswith(PACK) and e.is_file(follow_symlinks=False)]


def _pack_lines(pack: Path) -> Iterator[tuple[Path, str, list[int], int, int]]:
    """(pack, file name, stamp, offset, length of the packed note) of each whole line with a
    header of this version; a torn or damaged line is skipped, a pack over the caches' size
    limit is not read (as a cache file over it is not)."""
    try:
        handle = open_regular(pack, "cache")
    except DialogtoolError:
        return
    with handle:
        if os.fstat(handle.fileno()).st_size > MAX_INDEX_BYTES:
            return
        offset = 0
        for line in handle:
            start, offset = offset, offset + len(line)
            tab = line.find(b"\t")
            if not line.endswith(b"\n") or tab < 0:
                continue
            try:
                header = json.loads(line[:tab])
            except ValueError:
                continue
            if isinstance(header, list) and len(header) == 3 and header[2] == _INDEX_VERSION:
                name, stamp = header[0], header[1]
                if isinstance(name, str) and isinstance(stamp, list):
                    yield pack, name, stamp, start + tab + 1, len(line) - tab - 2


class _Packs:
    """The newest pack line of each coded file in a folder, found when first asked for."""

    def __init__(self, coded_dir: Path) -> None:
        self.folder = cache_path(coded_dir, CACHE)
        self._where: dict[str, tuple[Path, list[int], int, int]] | None = None

    def entry(self, name: str, stamp: list[int]) -> dict[str, Any] | None:
        """The packed note of `name` if its line has this stamp, else None (then it is parsed)."""
        if self._where is None:
            self._where = {}
            for pack in sorted(_pack_files(self.folder)):  # newer packs (their names sort later) win
                for path, file, stamped, offset, length in _pack_lines(pack):
                    self._where[file] = (path, stamped, offset, length)
        found = self._where.get(name)
        if found is None or found[1] != stamp:
            return None
        path, _, offset, length = found
        try:
            with open_regular(path, "cache") as handle:
                handle.seek(offset)
                packed = json.loads(handle.read(length))
        except (DialogtoolError, OSError, ValueError):
            return None
        return packed if isinstance(packed, dict) else None


def _read_cache(path: Path) -> list[Any] | None:
    try:
        data = json.loads(read_bytes(cache_path(path.parent, f"{CACHE}/{path.name}.json"), MAX_INDEX_BYTES))
    except (DialogtoolError, ValueError):
        return None
    valid = isinstance(data, list) and len(data) == 3 and isinstance(data[1], dict) and data[2] == _INDEX_VERSION
    return data if valid else None


def _coded_files(coded_dir: Path) -> list[Path]:
    if not coded_dir.is_dir():
        raise DialogtoolError("no such folder of coded notes", path=coded_dir, hint="run `dialogtool code` first")
    files = yaml_files(coded_dir)
    if not files:
        raise DialogtoolError("no coded notes (*.yaml) here", path=coded_dir, hint="run `dialogtool code` first")
    return files


def yaml_files(coded_dir: Path) -> list[Path]:
    """The coded files of a folder, sorted; not glob(), which returns nothing for a folder it cannot list."""
    try:
        names = [entry.name for entry in os.scandir(coded_dir)]
    except OSError as exc:
        raise DialogtoolError(f"cannot read folder: {reason(exc)}", path=printable(coded_dir)) from None
    return sorted(coded_dir / name for name in names if name.endswith(".yaml") and not name.startswith("."))


def _file_stamp(path: Path) -> list[int]:
    try:
        stat = path.stat()
    except OSError as exc:  # a dangling symlink, for one
        raise DialogtoolError(f"cannot read: {reason(exc)}", path=printable(path)) from None
    return [stat.st_mtime_ns, stat.st_size]


Progress = Callable[[int, int, str], None]  # (files parsed, files to parse, file name)


def load_codes(
    coded_dir: Path, known: Collection[str] | None = None, progress: Progress | None = None
) -> list[DocumentCodes]:
    """Metadata and reviewed codes of every coded note, from a lighter index of their own.

    With `known`, review ids are checked as in `load_folder`: the index keeps each note's
    review ids, and a file with an unknown one is parsed again to report its line.
    `progress` hears of each file that has to be parsed (the first `table` over a large
    folder, or after many edits); files already in the index are not reported.
    """
    documents = _cached(coded_dir, CODES_INDEX, _pack_codes, _unpack_codes, progress)
    if known is not None:
        allowed = frozenset(known)
        for doc in documents:
            if not allowed.issuperset(doc.reviewed):
                path = coded_dir / doc.file
                check_codes(load_coded(path), allowed, path)
    return documents


def segments_of(documents: list[CodedNote]) -> list[SegmentRow]:
    """Flatten notes into segments carrying metadata; codes are auto + add - remove."""
    return rows_of(documents)


def _cached(
    coded_dir: Path,
    name: str,
    pack: Callable[[CodedNote], Any],
    unpack: Callable[[Any, Path], Any],
    progress: Progress | None = None,
) -> list[Any]:
    """Each file's record, from the index when its stamp still holds, else parsed (and indexed).

    The index is decoded one entry at a time and each entry unpacked at once (`_index_entries`).
    """
    files = _coded_files(coded_dir)
    stamps = {path.name: _file_stamp(path) for path in files}
    index = cache_path(coded_dir, name)
    records: dict[str, Any] = {}
    entries = 0
    damaged = False
    try:
        for file, _, entry in _index_entries(index):
            entries += 1
            if _current(file, entry, stamps):
                records[file] = unpack(entry[1], coded_dir / file)
    except ValueError:
        damaged = True  # what was read before the damage is still good
    stale = [path for path in files if path.name not in records]
    added: dict[str, list[Any]] = {}
    for parsed, path in enumerate(stale):
        if progress is not None:
            progress(parsed, len(stale), path.name)
        added[path.name] = [stamps[path.name], pack(load_coded(path))]
        records[path.name] = unpack(added[path.name][1], path)
    if damaged or stale or entries != len(files):
        _rewrite_index(coded_dir, name, files, stamps, added)
    return [records[path.name] for path in files]


def _current(file: str, entry: Any, stamps: dict[str, list[int]]) -> bool:
    """An index entry of a file that is there and unchanged since it was indexed."""
    return file in stamps and isinstance(entry, list) and len(entry) == 2 and entry[0] == stamps[file]


_DECODER = json.JSONDecoder()


def _index_entries(path: Path) -> Iterator[tuple[str, str, Any]]:
    """(file name, its entry's JSON text, the entry) for each file in an index, decoded one
    entry at a time: at 10,000 notes the index is 10 MB of JSON, and decoding it at once took
    75 MiB beside the records made from it. Nothing comes of a missing index or one of another
    version; a damaged one raises ValueError where it breaks."""
    try:
        text = read_bytes(path, MAX_INDEX_BYTES).decode("utf-8")
    except (DialogtoolError, ValueError):
        return
    pos = _after(text, 0, "{")
    key, _, pos = _decode(text, pos)
    if key != "version":
        return
    version, _, pos = _decode(text, _after(text, pos, ":"))
    if version != _INDEX_VERSION:
        return
    key, _, pos = _decode(text, _after(text, pos, ","))
    if key != "files":
        return
    pos = _after(text, _after(text, pos, ":"), "{")
    while not text.startswith("}", _blanks(text, pos)):
        file, _, pos = _decode(text, pos)
        entry, start, pos = _decode(text, _after(text, pos, ":"))
        if not isinstance(file, str):
            raise ValueError(f"a file name that is not a string at {start}")
        yield file, text[start:pos], entry
        if not text.startswith("}", _blanks(text, pos)):
            pos = _after(text, pos, ",")


def _after(text: str, pos: int, mark: str) -> int:
    """The position after `mark`, the next thing in `text` after blanks."""
    pos = _blanks(text, pos)
    if not text.startswith(mark, pos):
        raise ValueError(f"expected {mark!r} at {pos}")
    return pos + 1


def _blanks(text: str, pos: int) -> int:
    """The position of the next thing in `text` that is not JSON whitespace."""
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _decode(text: str, pos: int) -> tuple[Any, int, int]:
    """The JSON value after blanks at `pos`, where it starts and where it ends."""
    start = _blanks(text, pos)
    value, end = _DECODER.raw_decode(text, start)
    return value, start, end


def _rewrite_index(
    coded_dir: Path, name: str, files: list[Path], stamps: dict[str, list[int]], added: dict[str, list[Any]]
) -> None:
    """The index of `files`: the entries still current copied as text from the old index, the
    files parsed now added. It is what `json.dumps` of the whole index gives, without decoding
    every entry at once; a file whose entry went missing meanwhile is left to the next run."""
    kept: dict[str, str] = {}
    with contextlib.suppress(ValueError):
        for file, raw, entry in _index_entries(cache_path(coded_dir, name)):
            if file not in added and _current(file, entry, stamps):
                kept[file] = raw
    parts = []
    for path in files:
        text = kept.get(path.name)
        if text is None and path.name in added:
            text = json.dumps(added[path.name], ensure_ascii=False)
        if text is not None:
            parts.append(f"{json.dumps(path.name, ensure_ascii=False)}: {text}")
    with contextlib.suppress(OSError, DialogtoolError):
        write_text(
            cache_path(coded_dir, name, create=True),
            f'{{"version": {_INDEX_VERSION}, "files": {{{", ".join(parts)}}}}}',
        )


def _read_index(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_bytes(path, MAX_INDEX_BYTES))
    except (DialogtoolError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _INDEX_VERSION or not isinstance(data.get("files"), dict):
        return {}
    files: dict[str, Any] = data["files"]
    return files


def _write_index(coded_dir: Path, name: str, files: dict[str, Any]) -> None:
    """Best effort: a read-only folder just means no index."""
    with contextlib.suppress(OSError, DialogtoolError):
        write_text(
            cache_path(coded_dir, name, create=True),
            json.dumps({"version": _INDEX_VERSION, "files": files}, ensure_ascii=False),
        )


def _pack(note: CodedNote) -> dict[str, Any]:
    """A coded note for `json.dumps`: segments as arrays of `_SEGMENT_FIELDS` (faster to load).
    Tuples are left as they are: JSON writes them as the lists they would be copied into."""
    packed = note.to_dict(segments=False)
    packed["segments"] = [
        [
            seg.id,
            None if seg.kind == TEXT else seg.kind,
            seg.para,
            seg.section,
            seg.span,
            seg.text,
            seg.codes,
            dict(seg.terms) or None,
            dict(seg.context) or None,
            None if seg.review is None else seg.review.to_dict(),
        ]
        for seg in note.segments
    ]
    return packed


def _unpack(packed: dict[str, Any], path: Path) -> CodedNote:
    """The inverse of `_pack`, building the records directly (the cache holds checked data)."""
    note = CodedNote.from_dict(packed | {"segments": []}, path)
    segments = []
    for seg_id, kind, para, section, span, text, codes, terms, context, review in packed["segments"]:
        segments.append(
            CodedSegment(
                seg_id,
                text,
                kind or TEXT,
                para,
                tuple(section),
                None if span is None else (span[0], span[1]),
                tuple(codes),
                {code: tuple(found) for code, found in (terms or {}).items()},
                {code: (found[0], found[1]) for code, found in (context or {}).items()},
                Review.from_dict(review, path, seg_id),
            )
        )
    return replace(note, segments=tuple(segments))


def record_codes(coded_dir: Path, entries: dict[str, tuple[list[int], dict[str, Any]]]) -> None:
    """Put what `code` just wrote into the codes index, so the next `table` need not parse it.

    `entries` maps a coded file's name to its (mtime, size) stamp and `pack_codes` of it.
    """
    if not entries:
        return
    index = _read_index(cache_path(coded_dir, CODES_INDEX))
    index.update({name: [stamp, packed] for name, (stamp, packed) in entries.items()})
    _write_index(coded_dir, CODES_INDEX, index)


def pack_codes(note: CodedNote) -> dict[str, Any]:
    """The codes index's entry for a coded note."""
    return _pack_codes(note)


def _pack_codes(note: CodedNote) -> dict[str, Any]:
    return {
        "document": note.document,
        "meta": dict(note.meta),
        "ids": [s.id for s in note.segments],
        "codes": [s.reviewed_codes for s in note.segments],
        "paras": [_para(s.para, i) for i, s in enumerate(note.segments)],
        "reviewed": sorted(_review_ids(note)),
        "headings": [i for i, s in enumerate(note.segments) if s.kind != TEXT],
        "derived": {str(i): codes for i, s in enumerate(note.segments) if (codes := derived_codes(s))},
    }


def _review_ids(note: CodedNote) -> set[str]:
    reviews = [s.review for s in note.segments] + [u.review for u in note.unplaced_reviews]
    return {code for r in reviews if r is not None for code in (*r.add, *r.remove)}


def derived_codes(segment: CodedSegment) -> list[str]:
    """The segment's reviewed codes that only its context gave it: a reviewer's `add` is direct."""
    if not segment.context:
        return []
    added = () if segment.review is None else segment.review.add
    return [c for c in segment.reviewed_codes if c in segment.context and c not in added]


def _para(value: object, position: int) -> int:
    """The segment's paragraph number; a missing or hand-mangled one becomes a unique negative
    number, so that segment counts as a paragraph of its own instead of merging with others."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return -1 - position


def _unpack_codes(packed: dict[str, Any], path: Path) -> DocumentCodes:
    meta = dict(packed["meta"])
    meta["document"] = packed["document"]
    size = len(packed["ids"])
    heading_at = set(packed["headings"])
    derived = packed["derived"]
    return DocumentCodes(
        packed["document"],
        meta,
        tuple(packed["ids"]),
        tuple(map(tuple, packed["codes"])),
        tuple(packed["paras"]),
        frozenset(packed["reviewed"]),
        path.name,
        tuple(i in heading_at for i in range(size)) if heading_at else (),
        tuple(tuple(derived.get(str(i), ())) for i in range(size)) if derived else (),
    )
