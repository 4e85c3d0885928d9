"""Read an OpenDocument text (.odt, LibreOffice's own format) the way `readers` reads .docx.

Headings (`text:h`), paragraphs, list items with the label LibreOffice shows (from the
list style: «1)», «a.», bullets; nested lists keep their level), and table cells row by
row, one per line. odfpy parses the package; the walk over its elements is ours.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ..errors import DialogtoolError
from .numbering import BULLET_LABEL, Counters, Level

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_BOLD = frozenset({"bold", "600", "700", "800", "900"})
_MAX_BOLD_HEADING_WORDS = 8  # as readers._paragraph_kind: a short all-bold line is a heading
# ODF's style:num-format values, named as Word names them for `numbering.format_number`.
_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman", "": "none"}


def read_odt(data: bytes, path: Any, limit: int) -> tuple[str, frozenset[str], frozenset[str]]:
    """(text, heading texts, numbered item texts) of an .odt, as `readers.read_docx` returns them;
    a package that would unpack past `limit` bytes is refused."""
    _check_package(data, path, limit)
    try:
        from odf.opendocument import load
    except ImportError:  # pragma: no cover - a broken install
        raise DialogtoolError("odfpy is not installed", path=path) from None
    try:
        document = load(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DialogtoolError(f"not a valid OpenDocument text ({exc})", path=path) from None
    except Exception as exc:  # expat errors and the like from a damaged package
        raise DialogtoolError(f"not a valid OpenDocument text ({type(exc).__name__})", path=path) from None
    walker = _Walker(_list_styles(document), _bold_styles(document))
    walker.walk(document.text)
    return "\n\n".join(walker.lines), frozenset(walker.headings), frozenset(walker.items)


def _check_package(data: bytes, path: Any, limit: int) -> None:
    """Refuse what is not an OpenDocument package, or would unpack past `limit` (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = 0
            for info in archive.infolist():  # count what comes out: the declared sizes can lie
                with archive.open(info) as member:
                    while block := member.read(1 << 20):
                        unpacked += len(block)
                        if unpacked > limit:
                            raise DialogtoolError(
                                f"refusing to unpack more than {limit // 2**20} MiB: possibly a zip bomb", path=path
                            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        raise DialogtoolError("not a valid OpenDocument text (damaged or not a zip file)", path=path) from None
    if "content.xml" not in names:
        raise DialogtoolError("not an OpenDocument text (no content.xml inside)", path=path)


def _list_styles(document: Any) -> dict[str, dict[int, Level]]:
    """Every list style of the document (automatic and named): name -> levels from 0."""
    styles: dict[str, dict[int, Level]] = {}
    for container in (document.automaticstyles, document.styles):
        for style in container.childNodes:
            if style.qname != (_TEXT, "list-style"):
                continue
            levels: dict[int, Level] = {}
            for spec in style.childNodes:
                level = int(spec.attributes.get((_TEXT, "level"), "1")) - 1
                if spec.qname == (_TEXT, "list-level-style-number"):
                    levels[level] = _number_level(spec.attributes, level)
                elif spec.qname[1].startswith("list-level-style"):
                    levels[level] = Level("bullet", "")
            styles[str(style.attributes.get((_STYLE, "name"), ""))] = levels
    return styles


def _bold_styles(document: Any) -> frozenset[str]:
    """Names of the paragraph and text styles that set bold type, directly or by inheritance."""
    own: dict[str, tuple[bool | None, str]] = {}
    for container in (document.automaticstyles, document.styles):
        for style in container.childNodes:
            if style.qname != (_STYLE, "style"):
                continue
            weight = None
            for child in style.childNodes:
                if child.qname == (_STYLE, "text-properties") and (_FO, "font-weight") in child.attributes:
                    weight = child.attributes[(_FO, "font-weight")] in _BOLD
            name = str(style.attributes.get((_STYLE, "name"), ""))
            own[name] = (weight, str(style.attributes.get((_STYLE, "parent-style-name"), "") or ""))

    def bold(name: str, depth: int = 0) -> bool:
        weight, parent = own.get(name, (None, ""))
        if weight is not None or not parent or depth > 20:
            return bool(weight)
        return bold(parent, depth + 1)

    return frozenset(name for name in own if bold(name))


def _number_level(attributes: dict[tuple[str, str], str], level: int) -> Level:
    """A numbered level: "%n" with its prefix and suffix, the levels above it shown if asked."""
    shown = max(1, int(attributes.get((_TEXT, "display-levels"), "1") or 1))
    numbers = ".".join(f"%{n + 1}" for n in range(max(0, level - shown + 1), level + 1))
    template = attributes.get((_STYLE, "num-prefix"), "") + numbers + attributes.get((_STYLE, "num-suffix"), "")
    fmt = _FORMATS.get(attributes.get((_STYLE, "num-format"), "1"), "decimal")
    start = attributes.get((_TEXT, "start-value"), "1")
    return Level(fmt, template, int(start) if start.isdigit() else 1)


class _Walker:
    """Walks the body in reading order, keeping list counters as LibreOffice does: a new
    top-level list starts again unless it says it continues another."""

    def __init__(self, styles: dict[str, dict[int, Level]], bold: frozenset[str] = frozenset()) -> None:
        self.styles = styles
        self.bold = bold
        self.lines: list[str] = []
        self.headings: set[str] = set()
        self.items: set[str] = set()
        self.counters = Counters()
        self._lists = 0
        self._last_list: dict[str, int] = {}  # style name -> key of the last list in it

    def walk(self, element: Any) -> None:
        for child in element.childNodes:
            name = getattr(child, "qname", None)
            if name == (_TEXT, "h"):
                self._add(_text(child), heading=True)
            elif name == (_TEXT, "p"):
                text = _text(child)
                short = len(text.split()) <= _MAX_BOLD_HEADING_WORDS
                self._add(text, heading=short and self._is_bold(child))
            elif name == (_TEXT, "list"):
                self._list(child, None, 0, "")
            elif name == (_TABLE, "table-row"):
                for cell in child.childNodes:
                    if getattr(cell, "qname", None) == (_TABLE, "table-cell"):
                        self.walk(cell)
            elif name is not None and child.childNodes:  # sections, tables, headers of tables …
                self.walk(child)

    def _list(self, element: Any, key: int | None, level: int, style: str) -> None:
        """A list and its nested lists; `key` is the outermost list's counter key."""
        style = str(element.attributes.get((_TEXT, "style-name"), "") or style)
        if key is None:
            continues = element.attributes.get((_TEXT, "continue-numbering")) == "true"
            continues = continues or bool(element.attributes.get((_TEXT, "continue-list")))
            if continues and style in self._last_list:
                key = self._last_list[style]
            else:
                self._lists += 1
                key = self._lists
            self._last_list[style] = key
        levels = self.styles.get(style, {})
        for item in element.childNodes:
            if getattr(item, "qname", None) not in ((_TEXT, "list-item"), (_TEXT, "list-header")):
                continue
            start = item.attributes.get((_TEXT, "start-value"))
            if start and start.isdigit():
                self.counters.restart(key, level, int(start))
            labelled = False
            parent = any(getattr(part, "qname", None) == (_TEXT, "list") for part in item.childNodes)
            for part in item.childNodes:
                part_name = getattr(part, "qname", None)
                if part_name == (_TEXT, "list"):
                    self._list(part, key, level + 1, style)
                elif part_name in ((_TEXT, "p"), (_TEXT, "h")):
                    text = _text(part)
                    if not text:
                        continue
                    if labelled or item.qname == (_TEXT, "list-header"):
                        self._add(text)  # a second paragraph of one item has no label of its own
                        continue
                    labelled = True
                    label = self.counters.label(key, level, levels)
                    if label and label != BULLET_LABEL:  # an item over nested items may head them
                        self._add(f"{label} {text}", item=not parent)
                    else:
                        self._add(f"{BULLET_LABEL} {text}")

    def _is_bold(self, paragraph: Any) -> bool:
        """Bold by its paragraph style, or every piece of its text in a bold span."""
        if str(paragraph.attributes.get((_TEXT, "style-name"), "")) in self.bold:
            return True
        pieces = 0
        for node in paragraph.childNodes:
            if getattr(node, "qname", None) == (_TEXT, "span"):
                if not _text(node).strip():
                    continue
                if str(node.attributes.get((_TEXT, "style-name"), "")) not in self.bold:
                    return False
                pieces += 1
            elif node.nodeType == node.TEXT_NODE and str(node.data).strip():
                return False
        return pieces > 0

    def _add(self, text: str, *, heading: bool = False, item: bool = False) -> None:
        text = text.strip()
        if not text:
            return
        if heading:
            self.headings.add(" ".join(text.split()))
        if item:
            self.items.add(" ".join(text.split()))
        self.lines.append(text)


def _text(element: Any) -> str:
    """A paragraph's text with its spaces, tabs and line breaks (text:s, text:tab, text:line-break)."""
    from odf import teletype

    return str(teletype.extractText(element)).replace("\n", " ")
