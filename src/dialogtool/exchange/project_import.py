"""Import: codings another program made on the same notes, as a second coder's folder for `agree`.

Sources are matched to coded notes by GUID, name or text; positions are read in the unit
the producer counts in (`positions`) and carried over to the note's text by alignment
(`align`) when the texts differ; a selection's codes go to every segment whose text it
covers; codes map to the codebook by GUID, our id, or label and parent. Nothing is written
unless the whole project was read.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..coded.note import CodedNote
from ..coded.store import dump_note
from ..coding.codebook import Codebook
from ..errors import DialogtoolError
from ..files import write_text
from .align import align
from .positions import decide, matters, view
from .qda import code_guid, local, norm_guid, parse_xml, q, read_member, source_guid, split_id
from .text import note_text

IMPORT_HEADER = (
    "# Codes imported by `dialogtool import qdpx`: another coder's coding of this note, for\n"
    "# `dialogtool agree`. `dialogtool code` would replace them with automatic codes.\n"
)


Progress = Callable[[str, int, int], None]  # (source name, done, total) while realigning a text


@dataclass
class ImportSummary:
    """What `import_qdpx` matched, wrote and had to leave out, for the CLI to report."""

    written: list[Path] = field(default_factory=list)
    matched: list[tuple[str, str]] = field(default_factory=list)  # (source name, note id)
    unmatched_sources: list[str] = field(default_factory=list)
    notes_not_in_project: list[str] = field(default_factory=list)
    realigned: list[str] = field(default_factory=list)  # notes whose text differed: positions mapped
    conventions: list[tuple[str, str, str]] = field(default_factory=list)  # (source, convention, why)
    selections: int = 0
    codings: int = 0
    unmapped_codes: Counter[str] = field(default_factory=Counter)  # code name -> codings dropped
    outside: int = 0  # selections that covered no segment's text
    invalid: list[str] = field(default_factory=list)  # selections outside their source or ending before they start
    source_codings: int = 0  # codings of whole sources: not segment codes, ignored


@dataclass(frozen=True)
class _Selection:
    start: int
    end: int
    codes: list[str]  # code GUIDs
    name: str  # what the program recorded as its name: often its text


@dataclass(frozen=True)
class _Source:
    name: str
    guid: str
    text: str | None
    selections: list[_Selection]
    source_codings: int
    problem: str = ""
    unreadable: tuple[str, ...] = ()  # selections whose positions are not whole numbers


def import_qdpx(
    path: Path,
    documents: list[CodedNote],
    codebook: Codebook,
    out_dir: Path,
    coded_dir: Path | None = None,
    force: bool = False,
    units: str | None = None,
    crlf: int | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Read another program's codings of these notes and write them as coded notes in `out_dir`.

    Each TextSource is matched to a coded note by GUID (our own exports), by name (the note
    id or its file name) or by identical text. Positions are read in the producer's units
    (`positions.decide`; `units` and `crlf` override), and carried over to the note's text
    by aligning the two (`align`) when they differ. A selection gives its codes to every
    segment whose non-space text it covers, so a phrase codes its sentence and a paragraph
    all its sentences. Codes map to codebook ids by GUID, by the id our export writes into
    descriptions, then by label, a repeated label told apart by its parent; codes that map
    to nothing are counted, not guessed. An import that matches no source, or maps no
    coding, is an error; nothing is written unless the whole project was read.
    """
    if coded_dir is not None and out_dir.resolve() == coded_dir.resolve():
        raise DialogtoolError(
            "the output folder is the coded folder itself", path=out_dir, hint="import into a folder of its own"
        )
    if out_dir.is_dir() and any(out_dir.glob("*.yaml")) and not force:
        raise DialogtoolError("already holds coded notes", path=out_dir, hint="pass --force to overwrite them")
    root, ns, archive = _open_project(path)
    code_ids, code_names = _code_map(root, ns, codebook)
    reading = _Reading(root.get("origin"), units, crlf, code_ids, code_names, progress)
    sources = [_source(element, ns, archive, path) for element in _text_sources(root, ns)]
    summary = ImportSummary()
    by_id = {doc.document: doc for doc in documents}
    texts: dict[str, str] = {}

    def text_of(document: str) -> str:
        if document not in texts:
            texts[document] = note_text(by_id[document])[0]
        return texts[document]

    order = codebook.order()
    done: set[str] = set()
    outputs: list[tuple[Path, str]] = []
    for source in sources:
        if source.text is None:
            summary.unmatched_sources.append(f"{source.name} ({source.problem})")
            continue
        document = _match(source, by_id, done, text_of)
        if document is None:
            summary.unmatched_sources.append(source.name)
            continue
        done.add(document)
        summary.matched.append((source.name, document))
        summary.source_codings += source.source_codings
        codes = _place(source, by_id[document], text_of(document), reading, summary)
        imported = _imported(by_id[document], codes, order, path.name, source.name)
        outputs.append((out_dir / f"{document}.yaml", dump_note(imported, IMPORT_HEADER)))
    summary.notes_not_in_project = sorted(set(by_id) - done)
    _check_something_matched(summary, path)
    for target, text in outputs:  # only once everything is read: a bad project writes nothing
        write_text(target, text)
        summary.written.append(target)
    return summary


@dataclass(frozen=True)
class _Reading:
    """How one project is read: its producer, the user's overrides, its codes, progress."""

    origin: str | None
    units: str | None
    crlf: int | None
    code_ids: dict[str, str]  # project GUID -> codebook id
    code_names: dict[str, str]  # project GUID -> path of names, for the summary
    progress: Progress | None


def _place(source: _Source, doc: CodedNote, ours: str, reading: _Reading, summary: ImportSummary) -> list[set[str]]:
    """The codes each segment of the note gets from the source's selections."""
    assert source.text is not None
    summary.invalid += [f"{source.name} {positions}" for positions in source.unreadable]
    raw = [(s.start, s.end, s.name) for s in source.selections]
    convention, why = decide(reading.origin, source.text, raw, reading.units, reading.crlf)
    if matters(source.text) or why == "as given":
        summary.conventions.append((source.name, convention.describe(), why))
    seen = view(source.text, convention)
    progress = reading.progress
    report = (lambda done, total: progress(source.name, done, total)) if progress is not None else None
    alignment = align(seen.text, ours, report)
    if seen.text != ours:
        summary.realigned.append(doc.document)
    spans = [seg.span or (0, 0) for seg in doc.segments]
    ends = [end for _, end in spans]
    codes: list[set[str]] = [set() for _ in spans]
    for selection in source.selections:
        lo, hi = seen.span(selection.start, selection.end)
        if selection.start < 0 or selection.start > selection.end or hi > len(seen.text):
            summary.invalid.append(f"{source.name} {selection.start}–{selection.end}")
            continue
        summary.selections += 1
        ids = []
        for ref in selection.codes:
            code_id = reading.code_ids.get(ref)
            if code_id is None:
                summary.unmapped_codes[reading.code_names.get(ref, ref)] += 1
            else:
                ids.append(code_id)
                summary.codings += 1
        span = alignment.span(lo, hi)
        hits = []
        if span is not None:
            i = bisect.bisect_right(ends, span[0])  # the first segment ending after the selection starts
            while i < len(spans) and spans[i][0] < span[1]:
                if _covers(ours, spans[i], *span):
                    hits.append(i)
                i += 1
        if not hits:
            summary.outside += 1
        for i in hits:
            codes[i].update(ids)
    return codes


def _check_something_matched(summary: ImportSummary, path: Path) -> None:
    """An import that found nothing to import is a mistake to report, not an empty result."""
    if not summary.matched:
        sources = summary.unmatched_sources
        names = "; ".join(sources[:5]) + (f"; and {len(sources) - 5} more" if len(sources) > 5 else "")
        raise DialogtoolError(
            f"no source in the project matches a coded note: {names or 'the project has no text sources'}",
            path=path,
            hint="sources match notes by name, file name or identical text; check --coded",
        )
    if summary.selections and not summary.codings and summary.unmapped_codes:
        unknown = ", ".join(f"'{n}'" for n, _ in summary.unmapped_codes.most_common(5))
        raise DialogtoolError(
            f"none of the project's codes is in the codebook (for example {unknown})",
            path=path,
            hint="codes match by GUID, label or id; check --codebook, or import the project's codebook (import qdc)",
        )


def _open_project(path: Path) -> tuple[ET.Element, str, zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise DialogtoolError("no such file", path=path) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise DialogtoolError(f"not a .qdpx project (zip): {exc}", path=path) from None
    members = [m for m in archive.infolist() if "/" not in m.filename and m.filename.lower().endswith(".qde")]
    if not members:
        raise DialogtoolError("no project.qde in this .qdpx", path=path)
    members.sort(key=lambda m: m.filename.lower() != "project.qde")
    root, ns = parse_xml(read_member(archive, members[0], path), path)
    if local(root.tag) != "Project" or not ns.startswith("urn:QDA-XML:project:"):
        raise DialogtoolError(f"{members[0].filename} is not a REFI-QDA project (no Project element)", path=path)
    return root, ns, archive


def _code_map(root: ET.Element, ns: str, codebook: Codebook) -> tuple[dict[str, str], dict[str, str]]:
    """Project code GUID -> codebook id (for the codes that map), and GUID -> path of names (all).

    A code maps by its GUID (ours), by the id our export wrote at the end of its description
    (which survives a program that gives codes new GUIDs), then by its label (or id): a label
    the codebook has once is enough; a label it has under several parents is resolved by
    the parent the project nests the code under (or names in an ATLAS.ti "Parent::Child").
    """
    by_guid = {code_guid(c.id): c.id for c in codebook.codes}
    known = {c.id for c in codebook.codes}
    parent_of = {c.id: c.parent for c in codebook.codes}
    by_name: dict[str, list[str]] = {}
    for code in codebook.codes:
        for key in {code.id.casefold(), code.label.casefold()}:
            by_name.setdefault(key, []).append(code.id)
    ids: dict[str, str] = {}
    names: dict[str, str] = {}

    def resolve(name: str, parent: str | None) -> str | None:
        found = by_name.get(name.casefold(), [])
        if len(found) > 1:
            found = [c for c in found if parent_of[c] == parent]
        return found[0] if len(found) == 1 else None

    def walk(element: ET.Element, parent: str | None, path: tuple[str, ...]) -> None:
        ref = norm_guid(element.get("guid"))
        name = (element.get("name") or "").strip()
        parts = [p.strip() for p in name.split("::")]
        if len(parts) > 1:  # ATLAS.ti writes a code's group into its name
            parent = resolve(parts[-2], None) or parent
        description = element.find(q(ns, "Description"))
        own = split_id(description.text if description is not None else None)[1]
        found = by_guid.get(ref) or (own if own in known else None) or resolve(parts[-1], parent)
        here = (*path, name or ref)
        names[ref] = " / ".join(here)
        if found:
            ids[ref] = found
        for child in element.findall(q(ns, "Code")):
            walk(child, found, here)

    book = root.find(q(ns, "CodeBook"))
    codes = book.find(q(ns, "Codes")) if book is not None else None
    for element in codes.findall(q(ns, "Code")) if codes is not None else []:
        walk(element, None, ())
    return ids, names


def _text_sources(root: ET.Element, ns: str) -> list[tuple[ET.Element, str]]:
    """(text element, display name): TextSources, and the text representation of PDFs."""
    found: list[tuple[ET.Element, str]] = []
    sources = root.find(q(ns, "Sources"))
    if sources is None:
        return found
    for element in sources:
        tag = local(element.tag)
        if tag == "TextSource":
            found.append((element, element.get("name") or ""))
        elif tag == "PDFSource":
            representation = element.find(q(ns, "Representation"))
            if representation is not None:
                found.append((representation, element.get("name") or representation.get("name") or ""))
    return found


def _source(item: tuple[ET.Element, str], ns: str, archive: zipfile.ZipFile, path: Path) -> _Source:
    element, name = item
    selections = []
    unreadable = []
    for selection in element.findall(q(ns, "PlainTextSelection")):
        try:
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
        except ValueError:
            unreadable.append(f"{selection.get('startPosition')}–{selection.get('endPosition')}")
            continue
        path_to_refs = f"{q(ns, 'Coding')}/{q(ns, 'CodeRef')}"
        refs = [norm_guid(ref.get("targetGUID")) for ref in selection.iterfind(path_to_refs)]
        if refs:
            selections.append(_Selection(start, end, refs, selection.get("name") or ""))
    source_codings = len(element.findall(q(ns, "Coding")))
    text_path = element.get("plainTextPath") or ""
    # qc writes neither a name nor an internal:// path: its file name stands for both
    name = name or Path(text_path.removeprefix("internal://")).name or element.get("guid") or "?"
    ref = norm_guid(element.get("guid"))
    found = _Source(name, ref, None, selections, source_codings, unreadable=tuple(unreadable))
    content = element.find(q(ns, "PlainTextContent"))
    if content is not None and content.text is not None:
        return replace(found, text=content.text)
    if not text_path:
        return replace(found, problem="no plain text inside the project")
    if re.match(r"^(relative|absolute)://", text_path):
        return replace(found, problem=f"its text is outside the project: {text_path}")
    inside = text_path.removeprefix("internal://").lstrip("/").lower()
    wanted = {f"sources/{inside}", inside}
    member = next((m for m in archive.infolist() if m.filename.lower() in wanted), None)
    if member is None:
        return replace(found, problem=f"{text_path} is not in the project")
    return replace(found, text=read_member(archive, member, path).decode("utf-8", "replace").removeprefix("\ufeff"))


def _match(source: _Source, by_id: dict[str, CodedNote], done: set[str], text_of: Callable[[str], str]) -> str | None:
    """The coded note a source is: by GUID, then by name, then by identical text."""
    from ..ingest.note import doc_id

    free = [d for d in by_id if d not in done]
    for document in free:
        if source_guid(document) == source.guid:
            return document
    names = {source.name, Path(source.name).stem, doc_id(Path(source.name))}
    names = {n.casefold() for n in names if n}
    for document in free:
        file_name = Path(by_id[document].source or "").name
        if document.casefold() in names or (file_name and file_name.casefold() in names):
            return document
    plain = _plain(source.text or "")
    for document in free:
        try:
            if _plain(text_of(document)) == plain:
                return document
        except DialogtoolError:
            continue
    return None


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def _covers(text: str, span: tuple[int, int], start: int, end: int) -> bool:
    """Whether the selection covers any of the segment's non-space characters."""
    lo, hi = max(span[0], start), min(span[1], end)
    return lo < hi and bool(text[lo:hi].strip())


def _imported(doc: CodedNote, codes: list[set[str]], order: dict[str, int], project: str, source: str) -> CodedNote:
    """The note as a coded file whose codes are the imported ones: no terms, no reviews."""

    def ordered(found: set[str]) -> tuple[str, ...]:
        return tuple(sorted(found, key=lambda c: (order.get(c, len(order)), c)))

    segments = tuple(
        replace(seg, codes=ordered(found), terms={}, context={}, review=None)
        for seg, found in zip(doc.segments, codes, strict=True)
    )
    return replace(
        doc,
        segments=segments,
        imported={"from": project, "source": source},
        codebook_path=None,
        codebook_sha256=None,
        fingerprint=None,
        unplaced_reviews=(),
    )
