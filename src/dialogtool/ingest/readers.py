"""Read a note from .txt/.md, .docx or .pdf into text, reporting how it was read.

Everything that can go wrong with a user's file is raised as DialogtoolError naming the
file, so one bad note never stops a run over a folder.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DialogtoolError
from ..files import read_bytes

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}

# Refuse inputs larger than this (bytes on disk, and bytes unpacked for .docx), so a
# stray archive or a zip bomb cannot exhaust memory.
# A meeting note is kilobytes; 16 MiB of text is a book. Past that a file is refused:
# coding it would need gigabytes of memory (the tokenizer's tokens and the coded YAML).
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DOCX_UNPACKED_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """A note's raw text as read from disk, before normalisation."""

    path: Path
    text: str
    encoding: str  # "utf-8", "cp1252", ..., or "docx"/"pdf"
    sha256: str
    headings: frozenset[str] = field(default_factory=frozenset)  # from Word heading styles
    warnings: tuple[str, ...] = ()  # how the text was read, when the user should check it


def read_source(path: Path) -> Source:
    """Read one note; raise DialogtoolError with the reason if it cannot be used."""
    import hashlib

    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DialogtoolError(
            f"unsupported file type '{suffix or '(none)'}'",
            path=path,
            hint="dialogtool reads .txt, .md, .docx and .pdf",
        )
    data = read_bytes(path, MAX_FILE_BYTES)  # a FIFO or a link to /dev/zero is refused, not read
    digest = hashlib.sha256(data).hexdigest()
    headings: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()
    if suffix in TEXT_SUFFIXES:
        text, encoding = decode_text(data, path)
        if encoding == MIXED:
            warnings = (mixed_warning(data),)
    elif suffix == ".docx":
        text, headings = read_docx(data, path)
        encoding = "docx"
    else:
        text = read_pdf(data, path)
        encoding = "pdf"
    if not text.strip():
        raise DialogtoolError("file is empty" if not data else "file contains no text", path=path)
    return Source(path=path, text=text, encoding=encoding, sha256=digest, headings=headings, warnings=warnings)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a text file, detecting its encoding; return (text, encoding name).

    Order: a byte-order mark decides; then UTF-16 without BOM (recognised by its
    zero bytes); then strict UTF-8; then Windows-1252, which Norwegian Word users
    save as "ANSI"; Latin-1 last, which accepts any bytes.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise DialogtoolError(
                    f"starts with a {name} byte-order mark but is not valid {name} (byte {exc.start})",
                    path=path,
                ) from None
    utf16 = _guess_bomless_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise DialogtoolError("looks like a binary file, not text", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_binary(data):
        raise DialogtoolError("looks like a binary file, not text", path=path)
    if _not_utf8_lines(data)[1]:
        return _decode_lines(data), MIXED
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


# The encoding recorded for a UTF-8 file with some lines in Windows-1252 (one pasted from an
# old document): each line is decoded on its own, and the user is warned with the line numbers.
MIXED = "utf-8+cp1252"


def _not_utf8_lines(data: bytes) -> tuple[list[int], bool]:
    """Numbers of the lines that are not UTF-8, and whether other lines hold non-ASCII UTF-8.

    Both at once mean a mixed file: Windows-1252 text seldom forms valid multi-byte UTF-8
    by chance (it would take «Ã¸»), so a line that does is UTF-8 by intent.
    """
    bad: list[int] = []
    utf8 = False
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
        else:
            utf8 = True
    return bad, utf8


def _decode_lines(data: bytes) -> str:
    """UTF-8 line by line; a line that is not UTF-8 is read as Windows-1252 (Latin-1 for its 5 gaps)."""
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                lines.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                lines.append(line.decode("latin-1"))
    return "\n".join(lines)


def mixed_warning(data: bytes) -> str:
    """The warning for a mixed file: which lines were read as Windows-1252."""
    bad = _not_utf8_lines(data)[0]
    shown = ", ".join(map(str, bad[:10])) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
    return f"mixed encodings: line{'s' if len(bad) > 1 else ''} {shown} not UTF-8, read as Windows-1252"


def _guess_bomless_utf16(data: bytes) -> str | None:
    """Tell UTF-16 without BOM by where its zero bytes fall (ASCII-heavy Norwegian text)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    """True when control bytes other than whitespace are frequent, as in binaries."""
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(sample) // 100)


def read_docx(data: bytes, path: Path) -> tuple[str, frozenset[str]]:
    """Paragraphs, list items and table cells in document order, one per line.

    List items get a bullet so that segmentation starts a new unit there; Word
    heading styles are returned so segmentation can treat them as headings.
    """
    import io

    _check_zip(data, path)
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - a broken install
        raise DialogtoolError("python-docx is not installed", path=path) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DialogtoolError(f"not a valid Word document ({exc})", path=path) from None
    except Exception as exc:  # lxml errors and the like from a damaged package
        raise DialogtoolError(f"not a valid Word document ({type(exc).__name__})", path=path) from None
    lines: list[str] = []
    headings: set[str] = set()
    for block in _docx_blocks(document):
        kind, text = block
        text = text.strip()
        if not text:
            continue
        if kind == "heading":
            headings.add(" ".join(text.split()))
        lines.append(f"• {text}" if kind == "item" else text)
    return "\n\n".join(lines), frozenset(headings)


def _docx_blocks(document: Any) -> Iterator[tuple[str, str]]:
    """Yield (kind, text) for body paragraphs and table cells in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield _paragraph_kind(Paragraph(child, document)), Paragraph(child, document).text
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    for paragraph in cell.paragraphs:
                        yield _paragraph_kind(paragraph), paragraph.text


def _paragraph_kind(paragraph: Any) -> str:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    lowered = style.lower()
    if lowered.startswith(("heading", "overskrift", "title", "tittel")):
        return "heading"
    runs = [run for run in paragraph.runs if run.text.strip()]
    if runs and all(run.bold for run in runs) and len(paragraph.text.split()) <= 8:
        return "heading"  # a short bold line used as a heading
    ppr = paragraph._p.pPr
    if lowered.startswith(("list", "liste")) or (ppr is not None and ppr.numPr is not None):
        return "item"
    return "text"


def _check_zip(data: bytes, path: Path) -> None:
    """Refuse a .docx that is not a zip or would unpack past the limit."""
    import io

    limit = MAX_DOCX_UNPACKED_BYTES
    bomb = DialogtoolError(f"refusing to unpack more than {limit // 2**20} MiB: possibly a zip bomb", path=path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > limit:
                raise bomb
            names = set(archive.namelist())
            unpacked = 0
            for info in archive.infolist():  # the declared sizes can lie: count what really comes out
                with archive.open(info) as member:
                    while block := member.read(1 << 20):
                        unpacked += len(block)
                        if unpacked > limit:
                            raise bomb
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        raise DialogtoolError("not a valid Word document (damaged or not a zip file)", path=path) from None
    if "word/document.xml" not in names:
        raise DialogtoolError("not a Word document (no word/document.xml inside)", path=path)


def read_pdf(data: bytes, path: Path) -> str:
    """The PDF's text layer, page by page; no text means a scan that needs OCR."""
    import io
    import logging

    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover
        raise DialogtoolError("pypdf is not installed", path=path) from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DialogtoolError("PDF is encrypted with a password", path=path)
            except DialogtoolError:
                raise
            except Exception:
                raise DialogtoolError("PDF is encrypted and cannot be opened", path=path) from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except DialogtoolError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DialogtoolError(f"not a readable PDF ({exc})", path=path) from None
    except Exception as exc:
        raise DialogtoolError(f"not a readable PDF ({type(exc).__name__})", path=path) from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise DialogtoolError(
            "PDF has no text layer (a scan?)",
            path=path,
            hint="run it through OCR, or save the original document as .docx or .txt",
        )
    return text
