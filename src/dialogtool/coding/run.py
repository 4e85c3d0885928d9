"""Code a set of notes: find them, read each, code it and write its YAML.

One bad file never stops the run: its problem is collected and reported at the end.
Progress is reported through a callback so the library never prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..coded.folder import pack_codes, record_codes
from ..coded.note import TEXT, CodedNote, CodedSegment
from ..coded.store import carry_reviews, dump_note, load_coded
from ..errors import DialogtoolError
from ..files import write_text
from ..ingest.meta import FIELDS, MANIFEST, detect_meta, load_manifest
from ..ingest.normalize import normalize
from ..ingest.readers import MAX_FILE_BYTES, SUFFIXES, Source, read_source
from ..ingest.segment import HEADING, Segment, segment
from .codebook import Codebook
from .context import SegmentCoding
from .matcher import Matcher, code_note

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
    skipped_unchanged: list[Path] = field(default_factory=list)  # not re-coded: inputs unchanged
    interrupted: bool = False
    pending: int = 0  # notes not coded because of an interruption
    segments: int = 0
    coded_segments: int = 0
    encodings: dict[str, str] = field(default_factory=dict)  # source path -> encoding


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Note files under the given files/folders, sorted; unsupported files are reported.

    Folders are walked without following symlinks to folders, so a link loop cannot hang.
    """
    found: dict[Path, Path] = {}  # resolved -> as given, so "raw/a.txt" and "/abs/raw/a.txt" are one note
    skipped: list[Problem] = []

    def add(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop, for one
            key = path.absolute()
        found.setdefault(key, path)

    for root in paths:
        if root.is_file():
            add(root)
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
                    add(path)
                else:
                    skipped.append(Problem(str(path), f"skipped: not a note ({path.suffix or 'no extension'})"))
    return sorted(found.values(), key=lambda p: p.as_posix()), skipped


def doc_id(path: Path) -> str:
    """A file-name-safe id from the file's stem ("Mo i Rana bord 4" -> "Mo_i_Rana_bord_4")."""
    stem = unicodedata.normalize("NFC", path.stem)  # names from macOS or zips may be decomposed
    cleaned = re.sub(r"[^\w.-]+", "_", stem).strip("._-")
    return cleaned or "note"


def read_note(path: Path, manifests: dict[Path, dict[str, dict[str, object]]] | None = None) -> Note:
    """Read and segment one note, with metadata from its header and the folder's manifest."""
    source = read_source(path)
    text = normalize(source.text, paragraphs=source.encoding == "docx")
    if not text:
        raise DialogtoolError("file contains no text", path=path)
    headings = {normalize(h) for h in source.headings}
    segments = segment(text, headings, styled=source.encoding == "docx")
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
    note: Note, codings: Sequence[SegmentCoding], codebook: Codebook, old: CodedNote | None, mark: str
) -> CodedNote:
    """The coded note `code` writes for `note`, with the old file's reviews carried over."""
    reviews, unplaced = carry_reviews(old, [s.text for s in note.segments])
    segments = []
    for seg, coding, review in zip(note.segments, codings, reviews, strict=True):
        segments.append(
            CodedSegment(
                id=seg.id,
                text=seg.text,
                kind=HEADING if seg.kind == HEADING else TEXT,
                para=seg.para,
                section=tuple(seg.section),
                span=(seg.start, seg.end),
                codes=tuple(coding.codes),
                terms={code: tuple(coding.terms[code]) for code in coding.codes if code in coding.terms},
                context={code: coding.context[code] for code in coding.codes if code in coding.context},
                review=review,
            )
        )
    return CodedNote(
        document=note.doc_id,
        segments=tuple(segments),
        meta={key: note.meta.get(key) for key in FIELDS},
        source=_display_path(note.source.path),
        sha256=note.source.sha256,
        encoding=note.source.encoding,
        codebook_path=_display_path(Path(codebook.path)),
        codebook_sha256=codebook.digest,
        fingerprint=mark,
        unplaced_reviews=tuple(unplaced),
    )


def _display_path(path: Path) -> str:
    """The path relative to the working folder when possible, always with '/'."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


# Bumped whenever a change to the tool changes what `code` writes for the same input, so
# that incremental runs re-code everything once after an upgrade.
CODER_VERSION = "2"
_FINGERPRINT = re.compile(r"^fingerprint: '?([0-9a-f]{64})'?$", re.MULTILINE)


def fingerprint(source_sha256: str, codebook: Codebook, overrides: dict[str, object]) -> str:
    """What a coded file was made from: source bytes, codebook, manifest entry, tool version."""
    digest = hashlib.sha256()
    for part in (CODER_VERSION, source_sha256, codebook.digest, json.dumps(overrides, sort_keys=True, default=str)):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def stored_fingerprint(target: Path) -> str | None:
    """The fingerprint near the top of an existing coded file, read without parsing it."""
    try:
        with target.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    match = _FINGERPRINT.search(head)
    return match.group(1) if match else None


@dataclass(frozen=True)
class _Task:
    path: Path
    key: str
    target: Path
    fingerprint: str
    overrides: dict[str, object]
    debug: bool = False


@dataclass
class _Result:
    path: str
    status: str  # "written", "unchanged" or "failed"
    encoding: str = ""
    segments: int = 0
    coded: int = 0
    unplaced: list[str] = field(default_factory=list)
    message: str = ""
    index: tuple[list[int], dict[str, Any]] | None = None  # the codes index entry of the file written


def code_paths(
    paths: Sequence[Path],
    codebook: Codebook,
    out_dir: Path,
    progress: Callable[[str, int, int], None] | None = None,
    jobs: int = 1,
    force: bool = False,
    *,
    debug: bool = False,
) -> RunSummary:
    """Code every note under `paths` into `out_dir`; see RunSummary for what is reported.

    A note whose source bytes, codebook and manifest entry are unchanged since its coded
    file was written is skipped unless `force`. With `jobs` > 1, notes are coded in that
    many processes; the files written are the same. Ctrl-C stops the run between notes:
    what was finished is in the summary (`interrupted` is set) and complete on disk.
    With `debug`, a bug in coding a note raises instead of being reported as that note's failure.
    """
    files, skipped = discover(paths)
    summary = RunSummary(skipped=skipped)
    owners: dict[str, Path] = {}
    for path in files:
        key = doc_id(path)
        if key in owners:
            clash = f"same document id '{key}' as {owners[key]}; rename one of them"
            summary.problems.append(Problem(str(path), clash))
        else:
            owners[key] = path
    manifests: dict[Path, dict[str, dict[str, object]]] = {}
    stamps = _read_stamps(out_dir)
    tasks: list[_Task] = []
    for key, path in sorted(owners.items(), key=lambda kv: kv[1].as_posix()):
        try:
            overrides = _manifest_for(path, manifests).get(path.name, {})
            source_sha = _source_digest(path)
        except DialogtoolError as exc:
            summary.problems.append(Problem(str(path), _reason(exc, path)))
            continue
        target = out_dir / f"{key}.yaml"
        mark = fingerprint(source_sha, codebook, overrides)
        if not force and stored_fingerprint(target) == mark:
            if _edited_and_broken(path, target, stamps, summary):
                continue
            summary.skipped_unchanged.append(target)
            continue
        tasks.append(_Task(path, key, target, mark, overrides, debug))
    total = len(tasks)
    if progress:
        progress("", 0, total)
    entries: dict[str, tuple[list[int], dict[str, Any]]] = {}
    try:
        for done, result in enumerate(_run(tasks, codebook, jobs), start=1):
            _record(result, summary)
            if result.index is not None:
                entries[Path(result.message).name] = result.index
            if progress:
                progress(result.path, done, total)
    except KeyboardInterrupt:
        summary.interrupted = True
        recorded = {str(p) for p in summary.written + summary.unchanged} | {p.path for p in summary.problems}
        for task in tasks:  # workers may have finished notes whose results never came back
            unrecorded = str(task.target) not in recorded and str(task.path) not in recorded
            if unrecorded and stored_fingerprint(task.target) == task.fingerprint:
                summary.written.append(task.target)
    finished = {str(p) for p in summary.written + summary.unchanged} | {p.path for p in summary.problems}
    summary.pending = sum(1 for t in tasks if str(t.target) not in finished and str(t.path) not in finished)
    _write_stamps(out_dir, stamps, summary.written + summary.unchanged + summary.skipped_unchanged)
    record_codes(out_dir, entries)
    return summary


STAMPS = ".dialogtool-written.json"


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_mtime_ns, stat.st_size]


def _read_stamps(out_dir: Path) -> dict[str, list[int]]:
    """(mtime, size) of each coded file as `code` last left it: a change means a reviewer's edit."""
    try:
        data = json.loads((out_dir / STAMPS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_stamps(out_dir: Path, stamps: dict[str, list[int]], files: list[Path]) -> None:
    fresh = {name: stamp for name, stamp in stamps.items() if (out_dir / name).exists()}
    for path in files:
        stamp = _stamp(path)
        if stamp is not None:
            fresh[path.name] = stamp
    if fresh != stamps and out_dir.is_dir():
        with contextlib.suppress(OSError):
            write_text(out_dir / STAMPS, json.dumps(fresh, sort_keys=True))


def _edited_and_broken(note: Path, target: Path, stamps: dict[str, list[int]], summary: RunSummary) -> bool:
    """A coded file edited since `code` wrote it is read before it is skipped: a review with a
    YAML error is reported now, not when `table` trips over it later."""
    if stamps.get(target.name) == _stamp(target):
        return False
    try:
        load_coded(target)
    except DialogtoolError as exc:
        summary.problems.append(Problem(str(note), str(exc)))  # names the coded file and line to fix
        return True
    return False


def _source_digest(path: Path) -> str:
    """sha256 of a note's bytes, read in blocks; files over the size limit are refused unread."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DialogtoolError(
                f"file is {size / 2**20:.0f} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit for a note", path=path
            )
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        return digest.hexdigest()
    except PermissionError:
        raise DialogtoolError("permission denied", path=path) from None
    except DialogtoolError:
        raise
    except OSError as exc:
        raise DialogtoolError(f"cannot read file: {exc.strerror or exc}", path=path) from None


def _record(result: _Result, summary: RunSummary) -> None:
    if result.status == "failed":
        summary.problems.append(Problem(result.path, result.message))
        return
    target = Path(result.message)
    (summary.written if result.status == "written" else summary.unchanged).append(target)
    summary.encodings[result.path] = result.encoding
    summary.segments += result.segments
    summary.coded_segments += result.coded
    summary.unplaced_reviews += [(target.stem, text) for text in result.unplaced]


_WORKER: dict[str, Any] = {}


def _run(tasks: list[_Task], codebook: Codebook, jobs: int) -> Iterator[_Result]:
    """Results in task order, from this process or from a pool of `jobs` processes."""
    _WORKER["codebook"] = codebook
    _WORKER["matcher"] = Matcher(codebook)
    if jobs <= 1 or len(tasks) < 4 * jobs:
        for task in tasks:
            yield _code_task(task)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    warm_up(_WORKER["matcher"])  # loaded once here, shared with forked workers
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(codebook,))
    try:
        yield from executor.map(_code_task, tasks, chunksize=max(1, min(16, len(tasks) // (jobs * 8))))
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def warm_up(matcher: Matcher) -> None:
    """Load the tokenizer and the lemma tables now rather than on the first note."""
    from .matcher import code_note

    code_note("Pasientane og pasienter.", segment("Pasientane og pasienter."), matcher)


def _init_worker(codebook: Codebook) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C stops
    _die_with_parent()
    if _WORKER.get("codebook") is not codebook:
        _WORKER["codebook"] = codebook
        _WORKER["matcher"] = Matcher(codebook)


def _reason(exc: DialogtoolError, note: Path) -> str:
    """The message for a note's line: without the note's own path (the line starts with it),
    with the path when the problem is in another file (its coded YAML), and with the hint."""
    text = exc.message if exc.path == str(note) else str(exc)
    return f"{text} ({exc.hint})" if exc.hint and exc.path == str(note) else text


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the parent dies (kill -9 leaves no orphans coding on)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: orphans finish their current batch and stop
        pass


def _code_task(task: _Task) -> _Result:
    """Code one note and write its file; errors come back as a failed result."""
    try:
        return _code_one(task, _WORKER["codebook"], _WORKER["matcher"])
    except DialogtoolError as exc:
        return _Result(str(task.path), "failed", message=_reason(exc, task.path))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a bug must not cost the other notes their coding
        if task.debug:
            raise
        message = f"internal error {type(exc).__name__}: {exc} (re-run with --debug)"
        return _Result(str(task.path), "failed", message=message)


def _code_one(task: _Task, codebook: Codebook, matcher: Matcher) -> _Result:
    note = read_note(task.path, {task.path.parent: {task.path.name: task.overrides}})
    codings = code_note(note.text, note.segments, matcher)
    old = load_coded(task.target) if task.target.exists() else None
    document = coded_document(note, codings, codebook, old, task.fingerprint)
    text = dump_note(document)
    result = _Result(
        str(task.path),
        "written",
        encoding=note.source.encoding,
        segments=len(codings),
        coded=sum(1 for c in codings if c.codes),
        unplaced=[u.text for u in document.unplaced_reviews],
        message=str(task.target),
    )
    if task.target.exists() and task.target.read_text(encoding="utf-8") == text:
        result.status = "unchanged"
    else:
        write_text(task.target, text)
    stamp = _stamp(task.target)
    if stamp is not None:
        result.index = (stamp, pack_codes(document))
    return result
