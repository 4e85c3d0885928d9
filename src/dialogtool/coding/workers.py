"""Coding one note, in this process or in a pool of worker processes.

`run_tasks` yields one result per task, in task order: in this process for small runs, else
from a fork-started process pool whose workers ignore Ctrl-C (the parent decides) and die
with their parent. Each task reads its note, codes it, carries the old file's reviews over
and writes the coded file only when its bytes change. Imported by `code_paths` only.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..coded.folder import cache_line, pack_codes
from ..coded.note import TEXT, CodedNote, CodedSegment
from ..coded.store import carry_reviews, dump_note, parse_note
from ..coded.validate import check_codes
from ..errors import DialogtoolError
from ..files import printable, read_bytes, replace_if_unchanged
from ..ingest.meta import FIELDS
from ..ingest.note import Note, read_note
from ..ingest.segment import HEADING, segment
from ..yamlio import MAX_BYTES
from . import memo as memos
from .codebook import Codebook
from .context import SegmentCoding
from .fingerprint import file_stamp, fingerprint
from .matcher import Matcher, code_note


@dataclass(frozen=True)
class Task:
    path: Path
    key: str
    target: Path
    fingerprint: str | None  # None: worked out from the bytes the task reads (a note not coded before)
    overrides: dict[str, object]
    debug: bool = False


@dataclass
class Result:
    path: str
    status: str  # "written", "unchanged" or "failed"
    encoding: str = ""
    segments: int = 0
    coded: int = 0
    unplaced: list[str] = field(default_factory=list)
    message: str = ""
    index: tuple[list[int], dict[str, Any]] | None = None  # the codes index entry of the file written
    cache: bytes = b""  # the file's line in the run's pack of parsed notes (`folder.NotePack`)
    warnings: list[str] = field(default_factory=list)  # about reading the note (mixed encodings)
    memos: dict[str, dict[str, Any]] = field(default_factory=dict)  # a worker process's new memo answers


_WORKER: dict[str, Any] = {}


def run_tasks(tasks: list[Task], codebook: Codebook, jobs: int) -> Iterator[Result]:
    """Results in task order, from this process or from a pool of `jobs` processes.

    With no task (an unchanged re-run) nothing is loaded: the matcher's lemma tables and
    spaCy are only needed when a note is coded.
    """
    if not tasks:
        return
    _WORKER["codebook"] = codebook
    try:
        with _collector_paused():
            _WORKER["matcher"] = Matcher(codebook)
            _WORKER["matcher"].use_memo()
            warm_up(_WORKER["matcher"])  # loaded once here, shared with forked workers
        with _collector_paused():  # see `_collector_paused`: coding makes next to no cycles
            yield from _results(tasks, codebook, jobs)
    finally:
        _WORKER.pop("ready", None)  # an interrupted batch's notes: ids of dead tasks are reused
        gc.unfreeze()
        memos.save_all()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while spaCy, thinc and the lemma tables load,
    and what they made frozen before it is switched back on.

    Importing them makes about a million objects that live until the process ends and no
    garbage worth collecting, yet the collector kept scanning them: full collections during
    the import and then during coding took 0.3–0.4 s of the 1.7 s a `code` of 50 notes cost.
    What exists is frozen (`gc.freeze`, which Python's docs also advise before forking
    workers) so later collections skip it; `run_tasks` unfreezes it when coding is done, so a
    program that calls `code_paths` keeps its collector as it was. The freeze comes before the
    collector is back on: the objects made while it was off all sit in its youngest
    generation, far over its threshold, and the first allocation after `gc.enable()` would
    scan them all (a 46 ms collection before the first note that freed 2,800 of them).

    The collector stays off while notes are coded too (forked workers inherit that): coding a
    note makes thousands of short-lived containers that reference counting frees, and about
    one cycle (1.5 objects) a note, yet the collector's passes over the young ones and over the
    growing per-word caches took 2–3 % of the run. What the run made (those caches, the results)
    is frozen the same way before the collector is switched back on (0.17 s at 2,000 notes).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _results(tasks: list[Task], codebook: Codebook, jobs: int) -> Iterator[Result]:
    """`run_tasks` once the matcher, spaCy and the lemma tables are loaded."""
    if jobs <= 1 or len(tasks) < 4 * jobs:
        start = 0
        while start < len(tasks):
            end = _read_ahead(tasks, start)
            for task in tasks[start:end]:
                yield _code_task(task)
            start = end
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(codebook,))
    try:
        for result in executor.map(_code_task, tasks, chunksize=max(1, min(16, len(tasks) // (jobs * 8)))):
            memos.remember(result.memos)  # saved with this process's own when the run ends
            yield result
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


# Notes read and coded before the first of them is written (`_read_ahead`), and the most text
# they may hold together, so a folder of huge notes does not sit in memory at once.
_AHEAD = 32
_AHEAD_CHARS = 2_000_000


def _read_ahead(tasks: list[Task], start: int) -> int:
    """Read and code the notes of `tasks` from `start` on, up to `_AHEAD` of them, before any is
    written; returns where the batch ends. `_code_one` takes each note's result from here.

    Doing each stage for a batch of notes, rather than every stage for one note after the
    other, is meant to keep each stage's code and tables in the processor's caches: in process,
    reading and coding 32 notes and then writing them spent about a tenth less CPU than note by
    note (2,000 notes); whole runs have not shown it beyond this machine's noise (README,
    "Scale and speed"). An error is kept and raised when its note's turn comes, so it is
    reported as before; a Ctrl-C here stops the run before any note of the batch is written.
    """
    ready: dict[int, tuple[Note, list[SegmentCoding]] | Exception] = {}  # by id(task): a Task holds a dict
    matcher = _WORKER["matcher"]
    chars = 0
    end = start
    while end < len(tasks) and end - start < _AHEAD and chars < _AHEAD_CHARS:
        task = tasks[end]
        try:
            note = read_note(task.path, overrides=task.overrides)
            ready[id(task)] = (note, code_note(note.text, note.segments, matcher))
            chars += len(note.text)
        except Exception as exc:  # raised again by `_code_one`, which reports it
            ready[id(task)] = exc
        end += 1
    _WORKER["ready"] = ready
    return end


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
        _WORKER["matcher"].use_memo()
    _WORKER["pooled"] = True  # a worker process: its new memo answers go back to the parent with each result


def reason(exc: DialogtoolError, note: Path) -> str:
    """The message for a note's line: without the note's own path (the line starts with it),
    with the path when the problem is in another file (its coded YAML), and with the hint."""
    own = exc.path in (str(note), printable(note))  # readers name a file that is not UTF-8 printably
    text = exc.message if own else str(exc)
    return f"{text} ({exc.hint})" if exc.hint and own else text


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the parent dies (kill -9 leaves no orphans coding on)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: orphans finish their current batch and stop
        pass


def _code_task(task: Task) -> Result:
    """Code one note and write its file; errors come back as a failed result.

    In a worker process the answers worked out for the first time (lemmas, the matcher's word
    tests: `memo`) come back with the result, so the parent saves them; a worker's memory ends with it.
    """
    result = _coded_or_failed(task)
    if _WORKER.get("pooled"):
        result.memos = memos.take_new()
    return result


def _coded_or_failed(task: Task) -> Result:
    try:
        return _code_one(task, _WORKER["codebook"], _WORKER["matcher"])
    except DialogtoolError as exc:
        return Result(str(task.path), "failed", message=reason(exc, task.path))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a bug must not cost the other notes their coding
        if task.debug:
            raise
        message = f"internal error {type(exc).__name__}: {exc} (re-run with --debug)"
        return Result(str(task.path), "failed", message=message)


# How often a coded file may change under `code` (a reviewer saving it) before the note is
# left as it is and reported; each time, the new save's reviews are merged again.
_ATTEMPTS = 5


def _code_one(task: Task, codebook: Codebook, matcher: Matcher) -> Result:
    ready = _WORKER.get("ready", {}).pop(id(task), None)  # read and coded already (`_read_ahead`)
    if isinstance(ready, Exception):
        raise ready
    if ready is None:
        note = read_note(task.path, overrides=task.overrides)
        codings = code_note(note.text, note.segments, matcher)
    else:
        note, codings = ready
    mark = task.fingerprint or fingerprint(note.source.sha256, codebook, task.overrides)
    for _ in range(_ATTEMPTS):
        before = _read_coded(task.target)
        old = _old_coding(before, task.target, codebook)
        document = coded_document(note, codings, codebook, old, mark)
        data = dump_note(document).encode("utf-8")
        if data == before:
            status = "unchanged"
            break
        if replace_if_unchanged(task.target, data, before):  # never over a reviewer's save since `before`
            status = "written"
            break
    else:
        raise DialogtoolError(
            f"changed by someone else {_ATTEMPTS} times while being coded; left as it is",
            path=printable(task.target),
            hint="run `dialogtool code` again when it is quiet",
        )
    result = Result(
        str(task.path),
        status,
        encoding=note.source.encoding,
        segments=len(codings),
        coded=sum(1 for c in codings if c.codes),
        unplaced=[u.text for u in document.unplaced_reviews],
        message=str(task.target),
        warnings=list(note.source.warnings),
    )
    stamp = file_stamp(task.target)
    if stamp is not None:
        result.index = (stamp, pack_codes(document))
        # What `report`, `quotes` and `kwic` would parse the file into, so their first run
        # after `code` is as fast as a warm one (at 10,000 notes: 64 s → 14 s); made here, so
        # that workers share the work, and written by the parent into one pack a run.
        result.cache = cache_line(task.target.name, stamp, document)
    return result


def _read_coded(target: Path) -> bytes | None:
    """The coded file's bytes as they are now, None if there is none; the bytes are also what
    the file must still hold when the new version replaces it."""
    if not os.path.lexists(target):  # a first run: one system call, not a failed open, two more and an error
        return None  # one made since is not overwritten: `replace_if_unchanged` expects none
    try:
        return read_bytes(target, MAX_BYTES, "coded note")
    except DialogtoolError:
        if not target.exists() and not target.is_symlink():
            return None
        raise


def _old_coding(data: bytes | None, target: Path, codebook: Codebook) -> CodedNote | None:
    """The coded file being replaced (its bytes as read), whose reviews are carried over. A review
    that cannot be read, or names a code the codebook lacks, stops this note: rewriting would drop it."""
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DialogtoolError(f"cannot read coded note: not UTF-8 (byte {exc.start})", path=target, line=line) from None
    old = parse_note(text, target)
    check_codes(old, codebook.ids, target)
    return old


def coded_document(
    note: Note, codings: Sequence[SegmentCoding], codebook: Codebook, old: CodedNote | None, mark: str
) -> CodedNote:
    """The coded note `code` writes for `note`, with the old file's reviews carried over."""
    reviews, unplaced = carry_reviews(old, [s.text for s in note.segments])
    segments = []
    for seg, coding, review in zip(note.segments, codings, reviews, strict=True):
        codes, terms, context = tuple(coding.codes), coding.terms, coding.context
        segments.append(
            CodedSegment(  # by position, fields in their order: a keyword call costs a fifth more, for every segment
                seg.id,
                seg.text,
                HEADING if seg.kind == HEADING else TEXT,
                seg.para,
                tuple(seg.section),
                (seg.start, seg.end),
                codes,
                {code: tuple(terms[code]) for code in codes if code in terms} if terms else {},
                {code: context[code] for code in codes if code in context} if context else {},
                review,
            )
        )
    return CodedNote(
        document=note.doc_id,
        segments=tuple(segments),
        meta={key: note.meta.get(key) for key in FIELDS} | note.meta,  # built-in fields first, then the user's
        source=_display_path(note.source.path),
        sha256=note.source.sha256,
        encoding=note.source.encoding,
        codebook_path=_display_path(Path(codebook.path)),
        codebook_sha256=codebook.digest,
        fingerprint=mark,
        unplaced_reviews=tuple(unplaced),
    )


def _display_path(path: Path) -> str:
    """The path relative to the working folder when possible, always with '/'; bytes of the name
    that are not UTF-8 written as `\xf8` (see `files.printable`), so the YAML loads back."""
    return _shown(str(path), os.getcwd())


@lru_cache(maxsize=64)
def _shown(path: str, cwd: str) -> str:
    """`_display_path` from `cwd`, remembered: every note names the same codebook (relpath is 50 µs)."""
    try:
        return printable(Path(os.path.relpath(path, cwd)).as_posix())
    except ValueError:  # another drive on Windows
        return printable(Path(path).as_posix())
