"""Import: codings another program made on the same notes, as a second coder's folder for `agree`.

Sources are matched to coded notes by GUID, name or text; a selection's codes go to every
segment whose text it covers (positions carried over when the texts differ); codes map to
the codebook by GUID, label or id. Nothing is written unless the whole project was read.
"""

from __future__ import annotations

import difflib
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
from .qda import code_guid, local, norm_guid, parse_xml, q, read_member, source_guid
from .text import note_text

IMPORT_HEADER = (
    "# Codes imported by `dialogtool import qdpx`: another coder's coding of this note, for\n"
    "# `dialogtool agree`. `dialogtool code` would replace them with automatic codes.\n"
)


@dataclass
class ImportSummary:
    """What `import_qdpx` matched, wrote and had to leave out, for the CLI to report."""

    written: list[Path] = field(default_factory=list)
    matched: list[tuple[str, str]] = field(default_factory=list)  # (source name, note id)
    unmatched_sources: list[str] = field(default_factory=list)
    notes_not_in_project: list[str] = field(default_factory=list)
    realigned: list[str] = field(default_factory=list)  # notes whose text differed: positions mapped
    selections: int = 0
    codings: int = 0
    unmapped_codes: Counter[str] = field(default_factory=Counter)  # code name -> codings dropped
    outside: int = 0  # selections that covered no segment's text
    source_codings: int = 0  # codings of whole sources: not segment codes, ignored


@dataclass(frozen=True)
class _Source:
    name: str
    guid: str
    text: str | None
    selections: list[tuple[int, int, list[str]]]  # start, end, code GUIDs
    source_codings: int
    problem: str = ""


def import_qdpx(
    path: Path,
    documents: list[CodedNote],
    codebook: Codebook,
    out_dir: Path,
    coded_dir: Path | None = None,
    force: bool = False,
) -> ImportSummary:
    """Read another program's codings of these notes and write them as coded notes in `out_dir`.

    Each TextSource is matched to a coded note by GUID (our own exports), by name (the note
    id or its file name) or by identical text. A selection gives its codes to every segment
    whose non-space text it covers, so a phrase codes its sentence and a paragraph all its
    sentences. If the project's text differs from the note's (line endings, edits), positions
    are carried over by aligning the two texts. Codes map to codebook ids by GUID, then by
    label or id; codes that map to nothing are counted, not guessed.
    """
    if coded_dir is not None and out_dir.resolve() == coded_dir.resolve():
        raise DialogtoolError(
            "the output folder is the coded folder itself", path=out_dir, hint="import into a folder of its own"
        )
    if out_dir.is_dir() and any(out_dir.glob("*.yaml")) and not force:
        raise DialogtoolError("already holds coded notes", path=out_dir, hint="pass --force to overwrite them")
    root, ns, archive = _open_project(path)
    code_ids, code_names = _code_map(root, ns, codebook)
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
        ours = text_of(document)
        if source.text != ours:
            summary.realigned.append(document)
        mapped = _position_map(source.text, ours)
        doc = by_id[document]
        spans = [seg.span or (0, 0) for seg in doc.segments]
        codes: list[set[str]] = [set() for _ in spans]
        for start, end, guids in source.selections:
            summary.selections += 1
            ids = []
            for ref in guids:
                code_id = code_ids.get(ref)
                if code_id is None:
                    summary.unmapped_codes[code_names.get(ref, ref)] += 1
                else:
                    ids.append(code_id)
                    summary.codings += 1
            span = mapped(start, end)
            hits = [i for i, (s, e) in enumerate(spans) if span and _covers(ours, span, s, e)]
            if not hits:
                summary.outside += 1
            for i in hits:
                codes[i].update(ids)
        imported = _imported(doc, codes, order, path.name, source.name)
        outputs.append((out_dir / f"{document}.yaml", dump_note(imported, IMPORT_HEADER)))
    summary.notes_not_in_project = sorted(set(by_id) - done)
    for target, text in outputs:  # only once everything is read: a bad project writes nothing
        write_text(target, text)
        summary.written.append(target)
    return summary


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
    """Project code GUID -> codebook id (for the codes that map), and GUID -> name (all)."""
    by_guid = {code_guid(c.id): c.id for c in codebook.codes}
    by_name: dict[str, str] = {}
    for code in codebook.codes:
        by_name.setdefault(code.id.casefold(), code.id)
        by_name.setdefault(code.label.casefold(), code.id)
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    book = root.find(q(ns, "CodeBook"))
    for element in book.iter(q(ns, "Code")) if book is not None else []:
        ref = norm_guid(element.get("guid"))
        name = (element.get("name") or "").strip()
        names[ref] = name or ref
        found = by_guid.get(ref) or by_name.get(name.casefold()) or by_name.get(name.split("::")[-1].strip().casefold())
        if found:
            ids[ref] = found
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
    for selection in element.findall(q(ns, "PlainTextSelection")):
        try:
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
        except ValueError:
            continue
        path_to_refs = f"{q(ns, 'Coding')}/{q(ns, 'CodeRef')}"
        refs = [norm_guid(ref.get("targetGUID")) for ref in selection.iterfind(path_to_refs)]
        if refs:
            selections.append((min(start, end), max(start, end), refs))
    source_codings = len(element.findall(q(ns, "Coding")))
    name = name or element.get("guid") or "?"
    ref = norm_guid(element.get("guid"))
    content = element.find(q(ns, "PlainTextContent"))
    if content is not None and content.text is not None:
        return _Source(name, ref, content.text, selections, source_codings)
    text_path = element.get("plainTextPath") or ""
    if not text_path.startswith("internal://"):
        return _Source(name, ref, None, selections, source_codings, "no plain text inside the project")
    wanted = "sources/" + text_path.removeprefix("internal://").lstrip("/").lower()
    member = next((m for m in archive.infolist() if m.filename.lower() == wanted), None)
    if member is None:
        return _Source(name, ref, None, selections, source_codings, f"{text_path} is missing")
    text = read_member(archive, member, path).decode("utf-8", "replace").removeprefix("\ufeff")
    return _Source(name, ref, text, selections, source_codings)


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


def _position_map(theirs: str, ours: str) -> Callable[[int, int], tuple[int, int] | None]:
    """Maps a [start, end) of the project's text onto the note's text.

    Identical texts map as they are; texts that differ only in CRLF line ends by dropping
    the CRs; anything else through the characters the two texts share (difflib), taking
    the first and last shared character inside the selection.
    """
    if theirs == ours:
        return lambda start, end: (max(0, start), min(len(ours), end)) if start < end else None
    table: list[int | None]
    if theirs.replace("\r\n", "\n") == ours:
        table, j = [], 0
        for i, char in enumerate(theirs):
            if char == "\r" and theirs[i + 1 : i + 2] == "\n":
                table.append(None)
            else:
                table.append(j)
                j += 1
    else:
        table = [None] * len(theirs)
        matcher = difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                table[a + k] = b + k

    def span(start: int, end: int) -> tuple[int, int] | None:
        inside = [p for p in table[max(0, start) : max(0, end)] if p is not None]
        return (inside[0], inside[-1] + 1) if inside else None

    return span


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
