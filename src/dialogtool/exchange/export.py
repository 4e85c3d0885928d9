"""Export: the coded notes as a REFI-QDA project (.qdpx), the codebook as a .qdc.

One text source per note (its normalised text), one coded selection per coded segment
(reviewed codes), the codebook with its hierarchy and colours, note metadata as document
variables (Integer or Date when every value is one, otherwise Text) and reviewers' notes as
Notes their selections refer to with a NoteRef.

What real clients need beyond the schema (issue 13): every exporter they were written
against declares `<Users>` and stamps sources, selections, codings and notes with a
creating user and a date, and older QualCoder and qc crash without them; so one user
(`--user`, default "dialogtool") and a date taken from the coded file (the meeting date, or
a fixed day) are written everywhere, which keeps the export byte-identical run after run.
A reviewer's note is also the selection's Description (how ATLAS.ti, MAXQDA and NVivo carry
a quotation comment, and QualCoder's coding memo) and a Note anchored to its text with a
PlainTextSelection and referred to from the source (QualCoder's annotation).
"""

from __future__ import annotations

import colorsys
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .._version import __version__
from ..coded.note import CodedNote, CodedSegment
from ..coding.codebook import Codebook
from ..errors import DialogtoolError
from ..files import write_bytes, write_text
from .positions import CODEPOINTS, counter
from .qda import (
    CODEBOOK_NS,
    PROJECT_NS,
    add_member,
    clean,
    code_guid,
    guid,
    origin,
    short,
    source_guid,
    sub,
    text_element,
    with_id,
    xml_bytes,
)
from .text import note_text

PALETTE = (  # Tableau's 20: ten strong colours, then their light partners, all told apart easily
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF",
    "#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896", "#C5B0D5", "#C49C94", "#F7B6D2", "#C7C7C7", "#DBDB8D", "#9EDAE5",
)  # fmt: skip


VARIABLES = ("meeting", "date", "table", "topic", "group", "host", "language")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


DEFAULT_USER = "dialogtool"


FALLBACK_DATE = "2000-01-01"  # for notes without a meeting date: fixed, so exports stay reproducible


@dataclass(frozen=True)
class Stamp:
    """Who made an element and when, as REFI-QDA's creatingUser/creationDateTime want it."""

    user: str  # the user's GUID
    when: str  # xsd:dateTime in UTC

    def on(self, element: ET.Element, modified: bool = True) -> ET.Element:
        """Stamp an element; Coding has no modified* attributes in the schema."""
        element.set("creatingUser", self.user)
        element.set("creationDateTime", self.when)
        if modified:
            element.set("modifyingUser", self.user)
            element.set("modifiedDateTime", self.when)
        return element


def export_qdpx(
    documents: list[CodedNote], codebook: Codebook, target: Path, user: str = DEFAULT_USER, units: str = CODEPOINTS
) -> ExportSummary:
    """Write the coded notes as a REFI-QDA project (.qdpx); see the module docstring.

    `units` is what positions count: code points, as the standard says, or UTF-16 code
    units for NVivo, which reads positions that way (an emoji before a selection would
    otherwise shift it by one). The selection's name, its text, tells a reader which."""
    used = {code for doc in documents for seg in doc.segments for code in seg.reviewed_codes}
    known = {c.id for c in codebook.codes}
    unknown = sorted(used - known)
    user_guid = guid("user", user)
    project = ET.Element("Project", xmlns=PROJECT_NS, name=clean(codebook.name or "dialogtool"), origin=origin())
    project.set("creatingUserGUID", user_guid)
    sub(sub(project, "Users"), "User", guid=user_guid, name=user)
    sub(project, "CodeBook").append(_codes(codebook, unknown))
    variables = _variable_types(documents)
    if variables:
        declared = sub(project, "Variables")
        for name, kind in variables.items():
            sub(declared, "Variable", guid=guid("variable", name), name=name, typeOfVariable=kind)
    sources = sub(project, "Sources")
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
        stamp = Stamp(user_guid, _note_date(doc))
        position = counter(text, units)
        source_id = source_guid(document)
        files.append((f"sources/{source_id}.txt", text.encode("utf-8")))
        source = sub(sources, "TextSource", guid=source_id, name=document, plainTextPath=f"internal://{source_id}.txt")
        stamp.on(source)
        if doc.source:
            text_element(source, "Description", f"Coded by dialogtool from {doc.source}")
        annotations: list[str] = []
        for key, seg in _keyed(doc):
            codes = list(dict.fromkeys(seg.reviewed_codes))  # a hand-edited file may repeat a code
            review = seg.review
            remark = review.note if review is not None and review.note else None
            if not codes and not remark:
                continue
            assert seg.span is not None  # note_text checked every span
            start, end = position(seg.span[0]), position(seg.span[1])
            selection = sub(
                source,
                "PlainTextSelection",
                guid=guid("selection", document, key),
                name=short(seg.text),
                startPosition=str(start),
                endPosition=str(end),
            )
            stamp.on(selection)
            selections += 1
            if remark:
                text_element(selection, "Description", remark)
            for code in codes:
                coding = stamp.on(sub(selection, "Coding", guid=guid("coding", document, key, code)), modified=False)
                sub(coding, "CodeRef", targetGUID=code_guid(code))
                codings += 1
            if remark:
                note_id = guid("note", document, key)
                sub(selection, "NoteRef", targetGUID=note_id)
                notes.append(_review_note(note_id, f"Review: {document} {key}", remark, (start, end), stamp))
                if codes:  # QualCoder makes an uncoded selection's Description its annotation already
                    annotations.append(note_id)
        for note_id in annotations:  # QualCoder reads a source's NoteRefs as its annotations
            sub(source, "NoteRef", targetGUID=note_id)
        for name, kind in variables.items():
            value = doc.meta.get(name)
            if value is None or value == "":
                continue
            entry = sub(source, "VariableValue")
            sub(entry, "VariableRef", targetGUID=guid("variable", name))
            text_element(entry, f"{kind}Value", _date(value) if kind == "Date" else str(value))
    if len(notes):
        project.append(notes)
    text_element(project, "Description", f"Coded notes exported by dialogtool {__version__}.")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        add_member(zipped, "project.qde", xml_bytes(project))
        for name, data in files:
            add_member(zipped, name, data)
    write_bytes(target, archive.getvalue())
    return ExportSummary(
        len(documents), selections, codings, len(known) + len(unknown), len(notes), tuple(rebuilt), tuple(unknown)
    )


def _keyed(doc: CodedNote) -> list[tuple[str, CodedSegment]]:
    """Each segment with the key its GUIDs derive from: its id, made unique by a count."""
    seen: Counter[str] = Counter()
    keyed = []
    for seg in doc.segments:
        seen[seg.id] += 1
        keyed.append((seg.id if seen[seg.id] == 1 else f"{seg.id}#{seen[seg.id]}", seg))
    return keyed


def _review_note(note_id: str, name: str, remark: str, span: tuple[int, int], stamp: Stamp) -> ET.Element:
    """A reviewer's note as a Note: its text, and the stretch of the source it is about
    (QualCoder's annotation; the schema's Note is a text source, so it may hold a selection)."""
    note = stamp.on(ET.Element("Note", {"guid": note_id, "name": clean(name)}))
    text_element(note, "PlainTextContent", remark)
    selection = sub(
        note,
        "PlainTextSelection",
        guid=guid("note-selection", note_id),
        startPosition=str(span[0]),
        endPosition=str(span[1]),
    )
    stamp.on(selection)
    return note


def _note_date(doc: CodedNote) -> str:
    """The date elements of a note carry: its meeting date, or a fixed day, at midnight UTC.
    Taken from the coded file so that the same coding always exports the same bytes."""
    return f"{_date(doc.meta.get('date')) or FALLBACK_DATE}T00:00:00Z"


def export_qdc(codebook: Codebook, target: Path) -> int:
    """Write the codebook as a REFI-QDA codebook (.qdc); returns the number of codes."""
    root = ET.Element("CodeBook", xmlns=CODEBOOK_NS, origin=origin())
    root.append(_codes(codebook, []))
    write_text(target, xml_bytes(root).decode("utf-8"))
    return len(codebook.codes)


def _codes(codebook: Codebook, unknown: Iterable[str]) -> ET.Element:
    """Codes nested as in the codebook; codes the coding uses but the codebook lacks go last,
    named by their id, so no coding is lost. Each code's description ends with its id (the
    one place REFI-QDA gives a code for free text that programs carry along), so an import,
    even after another program gave the codes new GUIDs, finds the same ids again."""
    codes = ET.Element("Codes")
    elements: dict[str, ET.Element] = {}
    colors = _colors([c.color for c in codebook.codes] + [None for _ in unknown])
    for code, color in zip(codebook.codes, colors, strict=False):
        parent = elements.get(code.parent) if code.parent else None
        element = sub(
            parent if parent is not None else codes,
            "Code",
            guid=code_guid(code.id),
            name=code.label,
            isCodable="true",
            color=color,
        )
        description = ET.Element("Description")
        description.text = clean(with_id(code.description, code.id))
        element.insert(0, description)  # Description comes before child codes
        elements[code.id] = element
    for code_id, color in zip(unknown, colors[len(codebook.codes) :], strict=True):
        element = sub(codes, "Code", guid=code_guid(code_id), name=code_id, isCodable="true", color=color)
        text_element(element, "Description", with_id(None, code_id))
    return codes


def _colors(own: list[str | None]) -> list[str]:
    """A colour for every code, no two alike: a code's own colour, else the first palette
    colour nobody has, else one from a walk round the colour wheel (golden angle)."""
    taken = {c.upper() for c in own if c}
    spare = (c for c in (*PALETTE, *_wheel()) if c not in taken)
    result = []
    for color in own:
        if color and color.upper() not in result:
            result.append(color.upper())
        else:
            result.append(next(spare))
        taken.add(result[-1])
    return result


def _wheel() -> Iterator[str]:
    """Endless distinct colours of medium lightness: hues a golden angle apart."""
    for n in range(1_000_000):
        red, green, blue = colorsys.hls_to_rgb((n * 0.381966) % 1.0, 0.45 + 0.1 * (n % 3) / 2, 0.65)
        yield f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"


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
