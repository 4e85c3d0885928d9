"""Read a note from .txt/.md, .docx, .odt or .pdf into text, reporting how it was read.

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
from .normalize import pasted_break
from .numbering import BULLET_LABEL, Counters, Level

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
SUFFIXES = TEXT_SUFFIXES | {".docx", ".odt", ".pdf"}
# Files that are notes but that we cannot read: each is refused with what to do instead.
REFUSED = {
    ".doc": "a Word 97-2003 document",
    ".rtf": "a Rich Text document",
    ".pages": "an Apple Pages document",
    ".wpd": "a WordPerfect document",
}
# Formats whose paragraphs and headings the file marks itself (see segment's `styled`).
STYLED = frozenset({"docx", "odt"})

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
    items: frozenset[str] = field(default_factory=frozenset)  # never headings: numbered list items, PDF table cells
    warnings: tuple[str, ...] = ()  # how the text was read, when the user should check it


def read_source(path: Path) -> Source:
    """Read one note; raise DialogtoolError with the reason if it cannot be used."""
    import hashlib

    suffix = path.suffix.lower()
    if suffix in REFUSED:
        raise refused(path)
    if suffix not in SUFFIXES:
        raise DialogtoolError(
            f"unsupported file type '{suffix or '(none)'}'",
            path=path,
            hint="dialogtool reads .txt, .md, .docx, .odt and .pdf",
        )
    data = read_bytes(path, MAX_FILE_BYTES)  # a FIFO or a link to /dev/zero is refused, not read
    digest = hashlib.sha256(data).hexdigest()
    headings: frozenset[str] = frozenset()
    items: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()
    if suffix in TEXT_SUFFIXES:
        text, encoding = decode_text(data, path)
        if encoding == MIXED:
            warnings = (mixed_warning(data),)
    elif suffix == ".docx":
        text, headings, items = read_docx(data, path)
        encoding = "docx"
    elif suffix == ".odt":
        from .odt import read_odt

        text, headings, items = read_odt(data, path, MAX_DOCX_UNPACKED_BYTES)
        encoding = "odt"
    else:
        text, items, headings = read_pdf(data, path)
        encoding = "pdf"
    if not text.strip():
        raise DialogtoolError("file is empty" if not data else "file contains no text", path=path)
    return Source(
        path=path,
        text=text,
        encoding=encoding,
        sha256=digest,
        headings=headings,
        items=items,
        warnings=warnings,
    )


def refused(path: Path) -> DialogtoolError:
    """The error for a note in a format we do not read, with the way out: save it as .docx."""
    kind = REFUSED[path.suffix.lower()]
    return DialogtoolError(
        f"{kind} ({path.suffix}) cannot be read",
        path=path,
        hint="open it in Word or LibreOffice and save it as .docx (or .odt), then code that file",
    )


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


def read_docx(data: bytes, path: Path) -> tuple[str, frozenset[str], frozenset[str]]:
    """Paragraphs, list items and table cells in document order, one per line.

    List items get the label Word shows («1)», «a.») or a bullet, so that segmentation
    starts a new unit there. Returned with the text: the paragraphs in Word heading styles,
    which segmentation treats as headings, and the numbered list items, which it never
    takes for headings (a numbered question in a Word list is a point, not a title).
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
    levels: list[int | None] = []  # list level of each line, None for a paragraph outside lists
    numbered: list[bool] = []
    lists = WordLists(document)
    open_paragraph = False  # the last line is body text a pasted line break may have cut
    for kind, paragraph, cell in _docx_blocks(document):
        text = paragraph.text.strip()
        if not text:
            continue
        if open_paragraph and kind == "text" and not cell and pasted_break(lines[-1], text):
            lines[-1] += " " + text
            continue
        open_paragraph = kind != "heading" and not cell
        label = lists.label(paragraph)
        if label and label != BULLET_LABEL:
            text = f"{label} {text}"  # the number Word shows: «pkt. 3» in a note can be found
        elif kind == "item":
            text = f"{BULLET_LABEL} {text}"
        if kind == "heading":
            headings.add(" ".join(text.split()))
        lines.append(text)
        levels.append(lists.level if label is not None else None)
        numbered.append(bool(label) and label != BULLET_LABEL)
    return "\n\n".join(lines), frozenset(headings), _points(lines, levels, numbered)


def _points(lines: list[str], levels: list[int | None], numbered: list[bool]) -> frozenset[str]:
    """The numbered list items that are points, never headings. An item with items one level
    down under it is left out: like a numbered title in a text note («2) Individuell plan»
    over «a. …», «b. …»), segmentation may make it the section of the items nested in it."""
    points = set()
    for i, line in enumerate(lines):
        level = levels[i]
        below = levels[i + 1] if i + 1 < len(lines) else None
        if numbered[i] and not (level is not None and below is not None and below > level):
            points.add(" ".join(line.split()))
    return frozenset(points)


def _docx_blocks(document: Any) -> Iterator[tuple[str, Any, bool]]:
    """Yield (kind, paragraph, in a table cell) for body paragraphs and table cells in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            yield _paragraph_kind(paragraph), paragraph, False
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    for paragraph in cell.paragraphs:
                        yield _paragraph_kind(paragraph), paragraph, True


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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class WordLists:
    """Word's automatic numbering (word/numbering.xml) replayed over a document's paragraphs.

    A paragraph is a list item through its own `w:numPr` or its style's (List Number); the
    item's number is not in the file, only the level's format, template and start, so the
    counters are run here in reading order. Lists are counted by their abstract definition,
    as Word does: two list instances of one definition continue each other unless one
    restarts a level (`w:startOverride`).
    """

    def __init__(self, document: Any) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._num: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, restarts)
        self._started: set[str] = set()
        self._counters = Counters()
        self.level = 0  # the list level of the paragraph `label` last numbered
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):  # no numbering part: no lists
            return
        links: dict[str, str] = {}
        for abstract in root.iterfind(f"{_W}abstractNum"):
            key = abstract.get(f"{_W}abstractNumId", "")
            self._abstract[key] = {
                int(level.get(f"{_W}ilvl", "0")): _word_level(level) for level in abstract.iterfind(f"{_W}lvl")
            }
            link = abstract.find(f"{_W}numStyleLink")
            if link is not None:
                links[key] = link.get(f"{_W}val", "")
        for num in root.iterfind(f"{_W}num"):
            abstract_id = num.find(f"{_W}abstractNumId")
            restarts = {}
            for override in num.iterfind(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    restarts[int(override.get(f"{_W}ilvl", "0"))] = int(start.get(f"{_W}val", "1"))
            key = abstract_id.get(f"{_W}val", "") if abstract_id is not None else ""
            self._num[num.get(f"{_W}numId", "")] = (key, restarts)
        self._follow_style_links(document, links)

    def _follow_style_links(self, document: Any, links: dict[str, str]) -> None:
        """A definition that only names a numbering style takes that style's levels."""
        for key, style_id in links.items():
            style = document.styles.element.get_by_id(style_id)
            num_id, _ = _num_pr(style.pPr if style is not None else None)
            target = self._num.get(num_id or "", ("", {}))[0]
            if self._abstract.get(target):
                self._abstract[key] = self._abstract[target]

    def label(self, paragraph: Any) -> str | None:
        """The label Word shows before this paragraph («1)», «a.», «•»), None if it is no list item."""
        num_id, level = _num_pr(paragraph._p.pPr)
        style = paragraph.style
        while (num_id is None or level is None) and style is not None:  # the style chain fills the gaps
            style_num, style_level = _num_pr(style.element.pPr)
            num_id = num_id if num_id is not None else style_num
            level = level if level is not None else style_level
            style = style.base_style
        if not num_id or num_id == "0" or num_id not in self._num:
            return None
        abstract, restarts = self._num[num_id]
        if num_id not in self._started:
            self._started.add(num_id)
            for restart_level, start in restarts.items():
                self._counters.restart(abstract, restart_level, start)
        self.level = level or 0
        return self._counters.label(abstract, self.level, self._abstract.get(abstract, {}))


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a paragraph's or style's properties; None where not given."""
    numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
    if numpr is None:
        return None, None
    num_id = numpr.find(f"{_W}numId")
    ilvl = numpr.find(f"{_W}ilvl")
    return (
        num_id.get(f"{_W}val") if num_id is not None else None,
        int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else None,
    )


def _word_level(level: Any) -> Level:
    def value(tag: str, default: str) -> str:
        element = level.find(f"{_W}{tag}")
        return element.get(f"{_W}val", default) if element is not None else default

    start = value("start", "1")
    return Level(value("numFmt", "decimal"), value("lvlText", ""), int(start) if start.lstrip("-").isdigit() else 1)


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


def read_pdf(data: bytes, path: Path) -> tuple[str, frozenset[str], frozenset[str]]:
    """The PDF's text layer, page by page, the texts of its table cells and of its heading
    lines; no text means a scan that needs OCR. Pages with a ruled table are read cell by
    cell, and header and footer lines repeated on every page are dropped (`pdfpages`)."""
    import io
    import logging

    from .pdfpages import drop_running_lines, read_layout

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
    if not "".join(pages).strip():
        raise DialogtoolError(
            "PDF has no text layer (a scan?)",
            path=path,
            hint="run it through OCR, or save the original document as .docx or .txt",
        )
    layout = read_layout(data, pages)
    return "\n\n".join(drop_running_lines(layout.pages)), layout.cells, layout.headings
