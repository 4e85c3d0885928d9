"""Two codings of the same notes, to compare: folders, or the coded folder at a git revision.

`diff` and `agree` each take two sides. A side is a folder of coded notes, or a git revision
of the --coded folder read with git itself (`ls-tree` and one `cat-file --batch`), so
nothing is checked out and the working tree is never touched.

Segments are paired by note and text, not by id. Ids are hashes of the text today, but
pairing on the text itself keeps working if the id scheme changes or a file was edited by
hand; the k-th segment with a given text pairs with the k-th one on the other side.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..coded.note import CodedNote, SegmentRow, rows_of
from ..coded.store import parse_note
from ..coding.codebook import Codebook
from ..errors import DialogtoolError

LEVELS = (1, 2)


@dataclass(frozen=True)
class Coding:
    """One side of a comparison: where it came from and its notes' segments."""

    label: str
    documents: dict[str, list[SegmentRow]]


@dataclass(frozen=True)
class Alignment:
    """Two codings paired note by note and segment by segment."""

    pairs: list[tuple[SegmentRow, SegmentRow]]
    only_a: list[SegmentRow]  # text in a's version of a shared note only
    only_b: list[SegmentRow]
    notes_only_a: list[str]
    notes_only_b: list[str]

    @property
    def documents(self) -> int:
        return len({a.document for a, _ in self.pairs})


def load_coding(spec: str | None, coded_dir: Path, known: Collection[str] | None = None) -> Coding:
    """Resolve one side: None is the --coded folder as it is on disk; an existing folder is
    read as a folder; anything else must be a git revision of the repository holding
    --coded, and is read from there.

    `known` (the codebook's ids) checks review ids in folders; a revision is history, which
    a reviewer cannot fix any more, so only its structure is checked.
    """
    if spec is None:
        return _from_folder(coded_dir, f"{coded_dir} (working tree)", known)
    path = Path(spec)
    if path.is_dir():
        return _from_folder(path, str(path), known)
    return _from_revision(spec, coded_dir)


def align(a: Coding, b: Coding) -> Alignment:
    """Pair the notes both sides have, and within each the segments with the same text."""
    pairs: list[tuple[SegmentRow, SegmentRow]] = []
    only_a: list[SegmentRow] = []
    only_b: list[SegmentRow] = []
    for document in sorted(a.documents.keys() & b.documents.keys()):
        theirs = b.documents[document]
        waiting: dict[str, deque[int]] = defaultdict(deque)
        for i, seg in enumerate(theirs):
            waiting[seg.text].append(i)
        paired: set[int] = set()
        for seg in a.documents[document]:
            queue = waiting.get(seg.text)
            if queue:
                i = queue.popleft()
                paired.add(i)
                pairs.append((seg, theirs[i]))
            else:
                only_a.append(seg)
        only_b.extend(seg for i, seg in enumerate(theirs) if i not in paired)
    return Alignment(
        pairs,
        only_a,
        only_b,
        sorted(a.documents.keys() - b.documents.keys()),
        sorted(b.documents.keys() - a.documents.keys()),
    )


def check_level(level: int) -> None:
    if level not in LEVELS:
        raise DialogtoolError(f"--level must be 1 or 2, not {level}", hint="1: themes, 2: themes and their children")


def themes(codes: Iterable[str], level: int) -> set[str]:
    """The themes a segment's codes count for: each code's prefixes down to `level`.

    The same rule as the theme tables: at level 1 GRUPPER.ME counts for GRUPPER; at
    level 2 for both GRUPPER and GRUPPER.ME.
    """
    found: set[str] = set()
    for code in codes:
        parts = code.split(".")
        found.update(".".join(parts[:i]) for i in range(1, min(level, len(parts)) + 1))
    return found


def theme_order(codebook: Codebook, level: int, found: Iterable[str]) -> list[str]:
    """Codebook themes down to `level` in codebook order, then codes it does not know, sorted."""
    known = [c.id for c in codebook.codes if c.id.count(".") < level]
    return known + sorted(set(found) - set(known))


# -- folders -------------------------------------------------------------------------------


def _from_folder(folder: Path, label: str, known: Collection[str] | None) -> Coding:
    from ..coded.folder import load_folder  # its index makes re-reading a large folder fast

    return Coding(label, {note.document: _segments(note) for note in load_folder(folder, known)})


def _segments(note: CodedNote) -> list[SegmentRow]:
    return rows_of([note])


# -- git revisions -------------------------------------------------------------------------


def _from_revision(spec: str, coded_dir: Path) -> Coding:
    if spec.startswith("-"):  # git would read it as an option
        raise DialogtoolError(f"'{spec}' is neither a folder nor a git revision")
    root = _repo_root(spec, coded_dir)
    commit = _git(["rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"], root).strip()
    if not commit:
        raise DialogtoolError(f"'{spec}' is neither a folder nor a git revision", hint=f"the repository is {root}")
    try:
        prefix = coded_dir.resolve().relative_to(root).as_posix()
    except ValueError:
        raise DialogtoolError(f"{coded_dir} is outside the git repository {root}") from None
    prefix = "" if prefix == "." else prefix
    listing = _git(["ls-tree", "-z", f"{commit}:{prefix}"], root)
    if not listing:
        raise DialogtoolError(f"revision '{spec}' has no folder {prefix or '.'}", hint="was it committed?")
    blobs: list[tuple[str, str]] = []  # (name, object id)
    for entry in listing.split("\0"):
        if not entry:
            continue
        info, name = entry.split("\t", 1)
        _mode, kind, oid = info.split()
        if kind == "blob" and name.endswith(".yaml") and not name.startswith("."):
            blobs.append((name, oid))
    if not blobs:
        raise DialogtoolError(f"revision '{spec}' has no coded notes (*.yaml) in {prefix or '.'}")
    label = f"{spec} ({commit[:7]})" if not commit.startswith(spec) else commit[:7]
    documents: dict[str, list[SegmentRow]] = {}
    for (name, _), text in zip(sorted(blobs), _read_blobs([oid for _, oid in sorted(blobs)], root), strict=True):
        where = f"{spec}:{prefix + '/' if prefix else ''}{name}"
        note = parse_note(text, where)
        documents[note.document] = _segments(note)
    return Coding(label, documents)


def _repo_root(spec: str, coded_dir: Path) -> Path:
    """The top of the git repository holding the coded folder (or its nearest existing parent)."""
    start = coded_dir.resolve()
    while not start.is_dir() and start != start.parent:
        start = start.parent
    top = _git(["rev-parse", "--show-toplevel"], start).strip()
    if not top:
        raise DialogtoolError(
            f"'{spec}' is not a folder, and {coded_dir} is not in a git repository",
            hint="pass two folders, or run inside the repository",
        )
    return Path(top).resolve()


def _git(args: Sequence[str], cwd: Path) -> str:
    """A git command's output, or "" when it fails: callers say what that means."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise DialogtoolError("git is not installed", hint="compare two folders instead") from None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else ""


def _read_blobs(oids: list[str], root: Path) -> list[str]:
    """Every blob's text through one `git cat-file --batch`, rather than a process per file."""
    try:
        done = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=root,
            input="".join(f"{oid}\n" for oid in oids).encode(),
            capture_output=True,
            check=True,
        )
    except subprocess.CalledProcessError as exc:
        raise DialogtoolError(f"git cat-file failed: {exc.stderr.decode('utf-8', 'replace').strip()}") from None
    data = done.stdout
    texts = []
    pos = 0
    for oid in oids:
        end = data.index(b"\n", pos)
        header = data[pos:end].decode().split()
        if len(header) != 3 or header[1] != "blob":
            raise DialogtoolError(f"git cat-file: unexpected answer for {oid}: {' '.join(header)}")
        size = int(header[2])
        texts.append(data[end + 1 : end + 1 + size].decode("utf-8", "replace"))
        pos = end + 1 + size + 1  # content, then a newline
    return texts
