"""Export: the coded notes as a REFI-QDA project (.qdpx), the codebook as a .qdc.

One text source per note (its normalised text), one coded selection per coded segment
(reviewed codes), the codebook with its hierarchy and colours, note metadata as document
variables (Integer or Date when every value is one, otherwise Text) and reviewers' notes as
Notes their selections refer to with a NoteRef.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .._version import __version__
from ..coded.note import CodedNote
from ..coding.codebook import Codebook
from ..errors import DialogtoolError
from ..files import write_bytes, write_text
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
    xml_bytes,
)
from .text import note_text

PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF")


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


def export_qdpx(documents: list[CodedNote], codebook: Codebook, target: Path) -> ExportSummary:
    """Write the coded notes as a REFI-QDA project (.qdpx); see the module docstring."""
    used = {code for doc in documents for seg in doc.segments for code in seg.reviewed_codes}
    known = {c.id for c in codebook.codes}
    unknown = sorted(used - known)
    project = ET.Element("Project", xmlns=PROJECT_NS, name=clean(codebook.name or "dialogtool"), origin=origin())
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
        source_id = source_guid(document)
        files.append((f"sources/{source_id}.txt", text.encode("utf-8")))
        source = sub(sources, "TextSource", guid=source_id, name=document, plainTextPath=f"internal://{source_id}.txt")
        if doc.source:
            text_element(source, "Description", f"Coded by dialogtool from {doc.source}")
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
            selection = sub(
                source,
                "PlainTextSelection",
                guid=guid("selection", document, key),
                name=short(seg.text),
                startPosition=str(start),
                endPosition=str(end),
            )
            selections += 1
            for code in codes:
                coding = sub(selection, "Coding", guid=guid("coding", document, key, code))
                sub(coding, "CodeRef", targetGUID=code_guid(code))
                codings += 1
            if remark:
                note_id = guid("note", document, key)
                sub(selection, "NoteRef", targetGUID=note_id)
                note = sub(notes, "Note", guid=note_id, name=f"Review: {document} {key}")
                text_element(note, "PlainTextContent", remark)
        for name, kind in variables.items():
            value = doc.meta.get(name)
            if value is None or value == "":
                continue
            entry = sub(source, "VariableValue")
            sub(entry, "VariableRef", targetGUID=guid("variable", name))
            text_element(entry, f"{kind}Value", _variable_value(value, kind))
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


def export_qdc(codebook: Codebook, target: Path) -> int:
    """Write the codebook as a REFI-QDA codebook (.qdc); returns the number of codes."""
    root = ET.Element("CodeBook", xmlns=CODEBOOK_NS, origin=origin())
    root.append(_codes(codebook, []))
    write_text(target, xml_bytes(root).decode("utf-8"))
    return len(codebook.codes)


def _codes(codebook: Codebook, unknown: Iterable[str]) -> ET.Element:
    """Codes nested as in the codebook; codes the coding uses but the codebook lacks go last,
    named by their id, so no coding is lost."""
    codes = ET.Element("Codes")
    elements: dict[str, ET.Element] = {}
    for position, code in enumerate(codebook.codes):
        parent = elements.get(code.parent) if code.parent else None
        element = sub(
            parent if parent is not None else codes,
            "Code",
            guid=code_guid(code.id),
            name=code.label,
            isCodable="true",
            color=(code.color or PALETTE[position % len(PALETTE)]).upper(),
        )
        if code.description:
            description = ET.Element("Description")
            description.text = clean(code.description)
            element.insert(0, description)  # Description comes before child codes
        elements[code.id] = element
    for code_id in unknown:
        sub(codes, "Code", guid=code_guid(code_id), name=code_id, isCodable="true")
    return codes


def _variable_types(documents: list[CodedNote]) -> dict[str, str]:
    """Each metadata field with a value somewhere, and its REFI-QDA type."""
    types: dict[str, str] = {}
    own = dict.fromkeys(
        k for doc in documents for k in doc.meta if k not in VARIABLES
    )  # meta.yaml fields of the user's
    for name in [*VARIABLES, *own]:
        values = [v for doc in documents if (v := doc.meta.get(name)) is not None and v != ""]
        if not values:
            continue
        if all(isinstance(v, bool) for v in values):
            types[name] = "Boolean"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            types[name] = "Integer"
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            types[name] = "Float"
        elif all(_date(v) is not None for v in values):
            types[name] = "Date"
        else:
            types[name] = "Text"
    return types


def _variable_value(value: object, kind: str) -> str | None:
    """A value as its REFI-QDA type writes it (xsd:date, xsd:boolean's true/false)."""
    if kind == "Date":
        return _date(value)
    if kind == "Boolean":
        return "true" if value else "false"
    return str(value)


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
