"""The REFI-QDA standard's containers: namespaces, stable GUIDs, and the XML and zip helpers.

GUIDs are uuid5 of a fixed namespace and what they stand for (a code id; a note's id; a
note and segment id), so the same coding always exports the same bytes, and an import can
recognise its own codes and notes by GUID before falling back to names. Zip members are
read in counted blocks and refused past MAX_MEMBER, whatever the zip directory claims.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from .._version import __version__
from ..errors import DialogtoolError
from ..files import read_bytes

PROJECT_NS = "urn:QDA-XML:project:1.0"


CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


GUID_NAMESPACE = uuid.UUID("14c874bb-a30f-4371-9bb1-0803b20aef70")  # fixed forever: GUIDs must not change


MAX_MEMBER = 200 * 1024 * 1024  # as ingestion: a project file bigger than this is refused


ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member dates: the same export gives the same bytes


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def guid(*parts: str) -> str:
    """A GUID that depends only on what it names."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


def code_guid(code_id: str) -> str:
    return guid("code", code_id)


def source_guid(document: str) -> str:
    return guid("source", document)


ID_MARK = "dialogtool id: "  # the last line of an exported code's description: the code's own id


def with_id(description: str | None, code_id: str) -> str:
    """A code's description with its id as the last line (see `split_id`)."""
    return f"{description.rstrip()}\n\n{ID_MARK}{code_id}" if description else f"{ID_MARK}{code_id}"


def split_id(description: str | None) -> tuple[str | None, str | None]:
    """(description without the id line, id) of a description `with_id` wrote; programs may
    have turned its line ends into CRLF or trimmed it, so both sides are stripped."""
    text = (description or "").replace("\r\n", "\n").strip()
    head, _, last = text.rpartition("\n")
    if not last.startswith(ID_MARK):
        return (text or None), None
    return (head.strip() or None), last.removeprefix(ID_MARK).strip() or None


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    """A child element, its attribute values cleaned for XML. Elements are built without a
    namespace and the root declares the default one (`xmlns=`): ElementTree's own
    default_namespace option refuses unqualified attributes, which REFI-QDA uses."""
    return ET.SubElement(parent, tag, {k: clean(v) for k, v in attributes.items()})


def text_element(parent: ET.Element, tag: str, text: str | None) -> ET.Element:
    element = sub(parent, tag)
    element.text = clean(text or "")
    return element


def clean(text: str) -> str:
    """Without the control characters XML 1.0 cannot carry."""
    return _XML_INVALID.sub("", text)


def short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def origin() -> str:
    return f"dialogtool {__version__}"


def xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def add_member(zipped: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zipped.writestr(info, data)


def read_limited(path: Path) -> bytes:
    """A regular file of at most MAX_MEMBER bytes (a FIFO or device is refused, not read)."""
    if not path.exists() and not path.is_symlink():
        raise DialogtoolError("no such file", path=path)
    return read_bytes(path, MAX_MEMBER)


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path) -> bytes:
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


def parse_xml(data: bytes, path: Path) -> tuple[ET.Element, str]:
    """The root and its namespace. ElementTree neither fetches external entities nor expands
    entities recursively without limit (expat's guards), so hostile files cannot reach out."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise DialogtoolError(f"not valid XML: {exc}", path=path, line=line) from None
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    return root, ns


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()
