"""REFI-QDA exchange with other QDA programs (ATLAS.ti, MAXQDA, NVivo, QualCoder, …).

- `export_qdpx`: the coded notes as a REFI-QDA project, so the coding can be checked,
  extended or analysed elsewhere.
- `import_qdpx`: codings made elsewhere on the same notes, read back as a second coder's
  folder of coded notes, for `dialogtool agree`.
- `export_qdc` / `import_qdc`: the codebook alone.

How this module reads the standard (REFI-QDA 1.5, project schema of March 2019):
- A .qdpx is a zip with one project.qde (XML, namespace urn:QDA-XML:project:1.0) and the
  sources in a flat `sources/` folder named by GUID; a plain-text source is a UTF-8 .txt
  file referred to as `internal://<guid>.txt`, and the TextSource carries plainTextPath
  (the schema allows that or PlainTextContent, not both).
- Text selections count Unicode code points from 0 and the end position is exclusive
  (in the spec's examples end - start is the length of the quoted text), which is
  Python's `text[start:end]`: a segment's `span` is exported unchanged.
- Note metadata (meeting, date, …) are document variables: Variables declared once in the
  project, a VariableValue per note on its TextSource, as MAXQDA and QualCoder exchange
  document attributes. A variable is Integer or Date when every value in the corpus is
  one, otherwise Text.
- A reviewer's note is a Note (PlainTextContent) that the segment's selection refers to
  with a NoteRef.

GUIDs are uuid5 of a fixed namespace and what they stand for (a code id; a note's id; a
note and segment id), so the same coding always exports the same bytes, and an import can
recognise its own codes and notes by GUID before falling back to names.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .._version import __version__
from ..coded.note import CodedNote
from ..coded.store import dump_note, dump_yaml
from ..coding.codebook import Codebook, parse_codebook
from ..errors import DialogtoolError
from ..files import write_bytes, write_text

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
GUID_NAMESPACE = uuid.UUID("14c874bb-a30f-4371-9bb1-0803b20aef70")  # fixed forever: GUIDs must not change
# For codes without a colour in the codebook, by their position in it (matplotlib's tab10).
PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF")
VARIABLES = ("meeting", "date", "table", "topic", "group", "host", "language")
MAX_MEMBER = 200 * 1024 * 1024  # as ingestion: a project file bigger than this is refused
IMPORT_HEADER = (
    "# Codes imported by `dialogtool import qdpx`: another coder's coding of this note, for\n"
    "# `dialogtool agree`. `dialogtool code` would replace them with automatic codes.\n"
)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member dates: the same export gives the same bytes
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def guid(*parts: str) -> str:
    """A GUID that depends only on what it names."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


def code_guid(code_id: str) -> str:
    return guid("code", code_id)


def source_guid(document: str) -> str:
    return guid("source", document)


# -- the note's text -------------------------------------------------------------------------


def note_text(doc: CodedNote) -> tuple[str, str]:
    """The note's normalised text, that segment spans index, and where it came from.

    From the source file when it is still there and still gives every segment its span
    ("source"); else rebuilt from the segments, blocks joined by a blank line and segments
    of a block by a space, which is how normalised text is laid out ("segments"). If
    neither reproduces every span, the export would put codes on the wrong words: error.
    """
    from ..ingest.note import read_note  # the readers and segmenter: only when exporting

    source = doc.source
    if source and Path(source).is_file():
        try:
            text = read_note(Path(source)).text
        except (DialogtoolError, OSError):
            text = None
        if text is not None and _spans_fit(text, doc):
            return text, "source"
    text = _rebuild(doc)
    if _spans_fit(text, doc):
        return text, "segments"
    raise DialogtoolError(
        f"cannot recover the text of note '{doc.document}': its source ({source}) is missing or has "
        "changed since it was coded, and its segments do not rebuild it",
        hint="re-run `dialogtool code` on the note",
    )


def _rebuild(doc: CodedNote) -> str:
    parts: list[str] = []
    para = None
    for seg in doc.segments:
        if parts:
            parts.append(" " if seg.para == para else "\n\n")
        parts.append(seg.text)
        para = seg.para
    return "".join(parts)


def _spans_fit(text: str, doc: CodedNote) -> bool:
    for seg in doc.segments:
        span = seg.span
        if span is None:
            return False
        if text[span[0] : span[1]] != seg.text:
            return False
    return True


# -- export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote, for the CLI to report."""

    notes: int
    selections: int
    codings: int
    codes: int
    review_notes: int
    rebuilt: tuple[str, ...]  # notes whose text was rebuilt from segments (source missing or changed)
    unknown_codes: tuple[str, ...]  # codes used in the coding but not in the codebook


def export_qdpx(documents: list[CodedNote], codebook: Codebook, target: Path) -> ExportSummary:
    """Write the coded notes as a REFI-QDA project (.qdpx); see the module docstring."""
    used = {code for doc in documents for seg in doc.segments for code in seg.reviewed_codes}
    known = {c.id for c in codebook.codes}
    unknown = sorted(used - known)
    project = ET.Element("Project", xmlns=PROJECT_NS, name=_clean(codebook.name or "dialogtool"), origin=_origin())
    _sub(project, "CodeBook").append(_codes(codebook, unknown))
    variables = _variable_types(documents)
    if variables:
        declared = _sub(project, "Variables")
        for name, kind in variables.items():
            _sub(declared, "Variable", guid=guid("variable", name), name=name, typeOfVariable=kind)
    sources = _sub(project, "Sources")
    notes = ET.Element("Notes")
    files: list[tuple[str, bytes]] = []
    rebuilt: list[str] = []
    selections = codings = 0
    exported: set[str] = set()
    for doc in documents:
        document = doc.document
        if document in exported:  # its GUIDs would clash with the first one's
            raise DialogtoolError(f"two coded notes have the document id '{document}'", hint="remove the copy")
        exported.add(document)
        text, how = note_text(doc)
        if how == "segments":
            rebuilt.append(document)
        source_id = source_guid(document)
        files.append((f"sources/{source_id}.txt", text.encode("utf-8")))
        source = _sub(sources, "TextSource", guid=source_id, name=document, plainTextPath=f"internal://{source_id}.txt")
        if doc.source:
            _text(source, "Description", f"Coded by dialogtool from {doc.source}")
        seen: Counter[str] = Counter()
        for seg in doc.segments:
            segment_id = seg.id
            seen[segment_id] += 1
            key = segment_id if seen[segment_id] == 1 else f"{segment_id}#{seen[segment_id]}"
            codes = list(dict.fromkeys(seg.reviewed_codes))  # a hand-edited file may repeat a code
            review = seg.review
            remark = review.note if review is not None and review.note else None
            if not codes and not remark:
                continue
            assert seg.span is not None  # note_text checked every span
            start, end = seg.span
            selection = _sub(
                source,
                "PlainTextSelection",
                guid=guid("selection", document, key),
                name=_short(seg.text),
                startPosition=str(start),
                endPosition=str(end),
            )
            selections += 1
            for code in codes:
                coding = _sub(selection, "Coding", guid=guid("coding", document, key, code))
                _sub(coding, "CodeRef", targetGUID=code_guid(code))
                codings += 1
            if remark:
                note_id = guid("note", document, key)
                _sub(selection, "NoteRef", targetGUID=note_id)
                note = _sub(notes, "Note", guid=note_id, name=f"Review: {document} {key}")
                _text(note, "PlainTextContent", remark)
        for name, kind in variables.items():
            value = doc.meta.get(name)
            if value is None or value == "":
                continue
            entry = _sub(source, "VariableValue")
            _sub(entry, "VariableRef", targetGUID=guid("variable", name))
            _text(entry, f"{kind}Value", _date(value) if kind == "Date" else str(value))
    if len(notes):
        project.append(notes)
    _text(project, "Description", f"Coded notes exported by dialogtool {__version__}.")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        _add(zipped, "project.qde", _xml(project))
        for name, data in files:
            _add(zipped, name, data)
    write_bytes(target, archive.getvalue())
    return ExportSummary(
        len(documents), selections, codings, len(known) + len(unknown), len(notes), tuple(rebuilt), tuple(unknown)
    )


def export_qdc(codebook: Codebook, target: Path) -> int:
    """Write the codebook as a REFI-QDA codebook (.qdc); returns the number of codes."""
    root = ET.Element("CodeBook", xmlns=CODEBOOK_NS, origin=_origin())
    root.append(_codes(codebook, []))
    write_text(target, _xml(root).decode("utf-8"))
    return len(codebook.codes)


def _codes(codebook: Codebook, unknown: Iterable[str]) -> ET.Element:
    """Codes nested as in the codebook; codes the coding uses but the codebook lacks go last,
    named by their id, so no coding is lost."""
    codes = ET.Element("Codes")
    elements: dict[str, ET.Element] = {}
    for position, code in enumerate(codebook.codes):
        parent = elements.get(code.parent) if code.parent else None
        element = _sub(
            parent if parent is not None else codes,
            "Code",
            guid=code_guid(code.id),
            name=code.label,
            isCodable="true",
            color=(code.color or PALETTE[position % len(PALETTE)]).upper(),
        )
        if code.description:
            description = ET.Element("Description")
            description.text = _clean(code.description)
            element.insert(0, description)  # Description comes before child codes
        elements[code.id] = element
    for code_id in unknown:
        _sub(codes, "Code", guid=code_guid(code_id), name=code_id, isCodable="true")
    return codes


def _variable_types(documents: list[CodedNote]) -> dict[str, str]:
    """Each metadata field with a value somewhere, and its REFI-QDA type."""
    types: dict[str, str] = {}
    for name in VARIABLES:
        values = [v for doc in documents if (v := doc.meta.get(name)) is not None and v != ""]
        if not values:
            continue
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            types[name] = "Integer"
        elif all(_date(v) is not None for v in values):
            types[name] = "Date"
        else:
            types[name] = "Text"
    return types


def _date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) as xsd:date wants it, or None."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    """A child element, its attribute values cleaned for XML. Elements are built without a
    namespace and the root declares the default one (`xmlns=`): ElementTree's own
    default_namespace option refuses unqualified attributes, which REFI-QDA uses."""
    return ET.SubElement(parent, tag, {k: _clean(v) for k, v in attributes.items()})


def _text(parent: ET.Element, tag: str, text: str | None) -> ET.Element:
    element = _sub(parent, tag)
    element.text = _clean(text or "")
    return element


def _clean(text: str) -> str:
    """Without the control characters XML 1.0 cannot carry."""
    return _XML_INVALID.sub("", text)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _origin() -> str:
    return f"dialogtool {__version__}"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _add(zipped: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zipped.writestr(info, data)


# -- import: codebook ------------------------------------------------------------------------

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "AE", "Ø": "OE", "Å": "AA", "ß": "ss"})


def import_qdc(path: Path, target: Path, force: bool = False) -> int:
    """Turn a REFI-QDA codebook into codebook.yaml form; returns the number of codes.

    Ids come from the names (upper-case ASCII, æøå as AE/OE/AA, made unique), children
    nest as PARENT.CHILD. Every code gets its own name as its only term: a starting point
    that lets the codebook load, to be refined before coding.
    """
    if target.exists() and not force:
        raise DialogtoolError("already exists", path=target, hint="pass --force to overwrite it, or -o ANOTHER.yaml")
    root, ns = _parse_xml(_read_limited(path), path)
    if _local(root.tag) != "CodeBook" or not ns.startswith("urn:QDA-XML:codebook:"):
        raise DialogtoolError("not a REFI-QDA codebook (no CodeBook element)", path=path)
    codes_element = root.find(_q(ns, "Codes"))
    taken: set[str] = set()
    top = list(codes_element) if codes_element is not None else []
    codes = [_code_entry(c, ns, None, taken) for c in top if _local(c.tag) == "Code"]
    if not codes:
        raise DialogtoolError("the codebook has no codes", path=path)
    data = {"name": f"Imported from {path.name}", "codes": codes}
    text = (
        f"# Imported by `dialogtool import qdc` from {path.name}.\n"
        "# Each code's only term is its own name, as a starting dictionary: refine the terms\n"
        "# (README: The codebook and its pattern language) before running `dialogtool code`.\n" + dump_yaml(data)
    )
    parse_codebook(text, target)  # what we write must load
    write_text(target, text)
    return len(taken)


def _code_entry(element: ET.Element, ns: str, parent: str | None, taken: set[str]) -> dict[str, Any]:
    name = (element.get("name") or "").strip()
    code_id = _unique(_id_part(name), parent, taken)
    entry: dict[str, Any] = {"id": code_id, "label": name or code_id}
    description = element.find(_q(ns, "Description"))
    text = description.text if description is not None else None
    if text and text.strip():
        entry["description"] = text.strip()
    color = _color(element.get("color"))
    if color:
        entry["color"] = color
    entry["terms"] = [_term(name, code_id)]
    children = [_code_entry(c, ns, code_id, taken) for c in element if _local(c.tag) == "Code"]
    if children:
        entry["children"] = children
    return entry


def _id_part(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    part = re.sub(r"[^A-Z0-9]+", "_", ascii_name.upper()).strip("_")
    if not part:
        return "CODE"
    return part if part[0].isalpha() else f"C{part}"


def _unique(part: str, parent: str | None, taken: set[str]) -> str:
    base = f"{parent}.{part}" if parent else part
    code_id, n = base, 1
    while code_id in taken:
        n += 1
        code_id = f"{base}_{n}"
    taken.add(code_id)
    return code_id


def _term(name: str, code_id: str) -> str:
    """The name as a plain pattern: lower case, without brackets and signs the pattern
    language has no use for ("Koordinerende enhet (KE)" -> "koordinerende enhet")."""
    from ..coding.patterns import PatternError, parse_pattern

    text = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", name.lower())
    words = re.findall(r"\w+(?:[-/]\w+)*", text)
    for candidate in (" ".join(words), code_id.split(".")[-1].lower()):
        try:
            if candidate:
                parse_pattern(candidate)
                return candidate
        except PatternError:
            continue
    return "todo"


def _color(value: str | None) -> str | None:
    """#RRGGBB, as the codebook wants it (REFI-QDA also allows #RGB)."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        return value.upper()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:]).upper()
    return None


# -- import: project -------------------------------------------------------------------------


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
    root, ns = _parse_xml(_member(archive, members[0], path), path)
    if _local(root.tag) != "Project" or not ns.startswith("urn:QDA-XML:project:"):
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
    book = root.find(_q(ns, "CodeBook"))
    for element in book.iter(_q(ns, "Code")) if book is not None else []:
        ref = _norm_guid(element.get("guid"))
        name = (element.get("name") or "").strip()
        names[ref] = name or ref
        found = by_guid.get(ref) or by_name.get(name.casefold()) or by_name.get(name.split("::")[-1].strip().casefold())
        if found:
            ids[ref] = found
    return ids, names


def _text_sources(root: ET.Element, ns: str) -> list[tuple[ET.Element, str]]:
    """(text element, display name): TextSources, and the text representation of PDFs."""
    found: list[tuple[ET.Element, str]] = []
    sources = root.find(_q(ns, "Sources"))
    if sources is None:
        return found
    for element in sources:
        tag = _local(element.tag)
        if tag == "TextSource":
            found.append((element, element.get("name") or ""))
        elif tag == "PDFSource":
            representation = element.find(_q(ns, "Representation"))
            if representation is not None:
                found.append((representation, element.get("name") or representation.get("name") or ""))
    return found


def _source(item: tuple[ET.Element, str], ns: str, archive: zipfile.ZipFile, path: Path) -> _Source:
    element, name = item
    selections = []
    for selection in element.findall(_q(ns, "PlainTextSelection")):
        try:
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
        except ValueError:
            continue
        path_to_refs = f"{_q(ns, 'Coding')}/{_q(ns, 'CodeRef')}"
        refs = [_norm_guid(ref.get("targetGUID")) for ref in selection.iterfind(path_to_refs)]
        if refs:
            selections.append((min(start, end), max(start, end), refs))
    source_codings = len(element.findall(_q(ns, "Coding")))
    name = name or element.get("guid") or "?"
    ref = _norm_guid(element.get("guid"))
    content = element.find(_q(ns, "PlainTextContent"))
    if content is not None and content.text is not None:
        return _Source(name, ref, content.text, selections, source_codings)
    text_path = element.get("plainTextPath") or ""
    if not text_path.startswith("internal://"):
        return _Source(name, ref, None, selections, source_codings, "no plain text inside the project")
    wanted = "sources/" + text_path.removeprefix("internal://").lstrip("/").lower()
    member = next((m for m in archive.infolist() if m.filename.lower() == wanted), None)
    if member is None:
        return _Source(name, ref, None, selections, source_codings, f"{text_path} is missing")
    text = _member(archive, member, path).decode("utf-8", "replace").removeprefix("\ufeff")
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
        replace(seg, codes=ordered(found), terms={}, inherited={}, review=None)
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


# -- XML and zip helpers ---------------------------------------------------------------------


def _read_limited(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_MEMBER:
            raise DialogtoolError(f"file is larger than {MAX_MEMBER // 2**20} MiB", path=path)
        return path.read_bytes()
    except FileNotFoundError:
        raise DialogtoolError("no such file", path=path) from None
    except OSError as exc:
        raise DialogtoolError(f"cannot read: {exc.strerror or exc}", path=path) from None


def _member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path) -> bytes:
    """A member's bytes, read in blocks and counted: a zip can lie about its sizes."""
    too_big = DialogtoolError(f"{member.filename} unpacks to more than {MAX_MEMBER // 2**20} MiB", path=path)
    if member.file_size > MAX_MEMBER:
        raise too_big
    blocks: list[bytes] = []
    size = 0
    try:
        with archive.open(member) as handle:
            while block := handle.read(1 << 20):
                size += len(block)
                if size > MAX_MEMBER:
                    raise too_big
                blocks.append(block)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise DialogtoolError(f"cannot read {member.filename}: {exc}", path=path) from None
    return b"".join(blocks)


def _parse_xml(data: bytes, path: Path) -> tuple[ET.Element, str]:
    """The root and its namespace. ElementTree neither fetches external entities nor expands
    entities recursively without limit (expat's guards), so hostile files cannot reach out."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise DialogtoolError(f"not valid XML: {exc}", path=path, line=line) from None
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    return root, ns


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()
