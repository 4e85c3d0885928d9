"""Code a set of notes: find them, read each, code it and write its YAML.

One bad file never stops the run: its problem is collected and reported at the end.
Progress is reported through a callback so the library never prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..coded.folder import NotePack, record_codes
from ..coded.store import load_coded
from ..coded.validate import check_codes
from ..errors import DialogtoolError
from ..ingest.discover import Problem, discover, find_notes
from ..ingest.meta import Manifest
from ..ingest.note import Note, doc_id, manifest_for, read_note
from .codebook import Codebook
from .fingerprint import file_stamp, fingerprint, read_stamps, source_digest, stored_fingerprint, write_stamps
from .workers import Result, Task, reason, run_tasks, warm_up

__all__ = ["Note", "Problem", "RunSummary", "code_paths", "discover", "doc_id", "read_note", "warm_up"]


@dataclass
class RunSummary:
    """What a `code` run did, for the CLI to render."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    unplaced_reviews: list[tuple[str, str]] = field(default_factory=list)  # (doc id, text)
    warnings: list[Problem] = field(default_factory=list)  # notes coded, but read with a doubt
    skipped_unchanged: list[Path] = field(default_factory=list)  # not re-coded: inputs unchanged
    interrupted: bool = False
    pending: int = 0  # notes not coded because of an interruption
    segments: int = 0
    coded_segments: int = 0
    encodings: dict[str, str] = field(default_factory=dict)  # source path -> encoding
    manifest_errors: list[str] = field(default_factory=list)  # meta.yaml mistakes, each once, with its line
    manifest_warnings: list[str] = field(default_factory=list)  # entries for no file, near-miss field names


# Bumped whenever a change to the tool changes what `code` writes for the same input, so
# that incremental runs re-code everything once after an upgrade.


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
    files, skipped = find_notes(paths)
    summary = RunSummary(skipped=[p for p in skipped if not p.error], problems=[p for p in skipped if p.error])
    owners: dict[str, Path] = {}
    for path in files:
        key = doc_id(path)
        if key in owners:
            clash = f"same document id '{key}' as {owners[key]}; rename one of them"
            summary.problems.append(Problem(str(path), clash))
        else:
            owners[key] = path
    manifests: dict[Path, Manifest] = {}
    stamps = read_stamps(out_dir)
    tasks: list[Task] = []
    for path in owners.values():  # each folder's manifest read once, so its mistakes are reported once
        manifest_for(path, manifests)
    for manifest in manifests.values():
        summary.manifest_errors += [str(e) for e in manifest.errors]
        summary.manifest_warnings += [str(w) for w in manifest.warnings]
    for key, path in sorted(owners.items(), key=lambda kv: kv[1].as_posix()):
        target = out_dir / f"{key}.yaml"
        try:
            overrides = manifest_for(path, manifests).entry(path)
            # The source is read here only to compare with a coded file that exists: a note coded
            # for the first time gets its fingerprint from the bytes its task reads (`Task`).
            stored = None if force else stored_fingerprint(target)
            mark = None if stored is None else fingerprint(source_digest(path), codebook, overrides)
        except DialogtoolError as exc:
            summary.problems.append(Problem(str(path), reason(exc, path)))
            continue
        if mark is not None and mark == stored:
            if _edited_and_broken(path, target, stamps, summary, codebook):
                continue
            summary.skipped_unchanged.append(target)
            continue
        tasks.append(Task(path, key, target, mark, overrides, debug))
    total = len(tasks)
    if progress:
        progress("", 0, total)
    entries: dict[str, tuple[list[int], dict[str, Any]]] = {}
    try:
        with NotePack(out_dir) as pack:
            for done, result in enumerate(run_tasks(tasks, codebook, jobs), start=1):
                _record(result, summary)
                if result.index is not None:
                    entries[Path(result.message).name] = result.index
                if result.cache:
                    pack.add(Path(result.message).name, result.cache)
                if progress:
                    progress(result.path, done, total)
    except KeyboardInterrupt:
        summary.interrupted = True
        recorded = {str(p) for p in summary.written + summary.unchanged} | {p.path for p in summary.problems}
        for task in tasks:  # workers may have finished notes whose results never came back
            unrecorded = str(task.target) not in recorded and str(task.path) not in recorded
            if unrecorded and _finished(task, codebook):
                summary.written.append(task.target)
    finished = {str(p) for p in summary.written + summary.unchanged} | {p.path for p in summary.problems}
    summary.pending = sum(1 for t in tasks if str(t.target) not in finished and str(t.path) not in finished)
    known = {name: index[0] for name, index in entries.items()}  # taken as each file was written
    write_stamps(out_dir, stamps, summary.written + summary.unchanged + summary.skipped_unchanged, known)
    record_codes(out_dir, entries)
    return summary


def _finished(task: Task, codebook: Codebook) -> bool:
    """Whether a task's coded file holds what the task would write (its worker was stopped after
    writing it but before its result came back)."""
    stored = stored_fingerprint(task.target)
    if stored is None:
        return False
    try:
        mark = task.fingerprint or fingerprint(source_digest(task.path), codebook, task.overrides)
    except DialogtoolError:
        return False
    return stored == mark


def _edited_and_broken(
    note: Path, target: Path, stamps: dict[str, list[int]], summary: RunSummary, codebook: Codebook
) -> bool:
    """A coded file edited since `code` wrote it is read before it is skipped: a review with a
    YAML error or an unknown code is reported now, not when `table` trips over it later."""
    if stamps.get(target.name) == file_stamp(target):
        return False
    try:
        check_codes(load_coded(target), codebook.ids, target)
    except DialogtoolError as exc:
        summary.problems.append(Problem(str(note), str(exc)))  # names the coded file and line to fix
        return True
    return False


def _record(result: Result, summary: RunSummary) -> None:
    if result.status == "failed":
        summary.problems.append(Problem(result.path, result.message))
        return
    target = Path(result.message)
    (summary.written if result.status == "written" else summary.unchanged).append(target)
    summary.encodings[result.path] = result.encoding
    summary.warnings += [Problem(result.path, text) for text in result.warnings]
    summary.segments += result.segments
    summary.coded_segments += result.coded
    summary.unplaced_reviews += [(target.stem, text) for text in result.unplaced]
