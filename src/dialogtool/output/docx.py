"""Word documents: quotes for the report, and report.docx with its tables, charts and quotes.

python-docx is imported only when a document is written; documents are saved through
`files.write_with`, so they are written atomically like every other file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DialogtoolError
from ..files import write_with
from .shapes import frame_rows, number_text, quote_source, quote_text, theme_cells

if TYPE_CHECKING:
    from ..analysis.quotes import QuoteSelection


def quotes_docx(selection: QuoteSelection, path: Path) -> None:
    """A Word file for the report: a heading per group, each quote in italics, its source under it."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    document = Document()
    document.add_heading(selection.title, level=1)
    for group in selection.groups:
        if group.value is not None:
            document.add_heading(group.value, level=2)
        for quote in group.quotes:
            document.add_paragraph().add_run(quote.text).italic = True
            source = document.add_paragraph().add_run(f"— {quote.source}")
            source.font.size = Pt(9)
            source.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    try:
        write_with(path, document.save)
    except OSError as exc:
        raise DialogtoolError(f"cannot write: {exc.strerror or exc}", path=path) from None


def report_docx(
    content: Any, sections: tuple[tuple[str, str, str | None], ...], pictures: dict[str, str], folder: Path, path: Path
) -> None:
    """report.docx: the tables as Word tables, the charts from `folder`, the top quotes per theme."""
    import datetime

    import docx
    from docx.shared import Cm, Pt

    from ..analysis.tables import ThemeTable  # imports pandas: only for the report

    document = docx.Document()
    document.core_properties.author = "dialogtool"
    document.core_properties.created = datetime.datetime(2018, 1, 1)  # fixed: same input, same file
    document.core_properties.modified = datetime.datetime(2018, 1, 1)
    document.add_heading("Tema i notatene fra dialogmøtene", level=0)
    document.add_heading("Oversikt", level=1)
    _docx_table(document, *frame_rows(content.per_theme), Pt(9))
    document.add_picture(str(folder / "tema.png"), width=Cm(16))
    for title, attribute, picture in sections:
        data = getattr(content, attribute)
        header, rows = theme_cells(data) if isinstance(data, ThemeTable) else frame_rows(data)
        document.add_heading(title, level=1)
        _docx_table(document, header, rows, Pt(7 if len(header) > 7 else 9))
        if picture:
            document.add_picture(str(folder / picture), width=Cm(16))
    document.add_heading("Sitater", level=1)
    for selection in content.quotes:
        document.add_heading(selection.label, level=2)
        quotes = [q for group in selection.groups for q in group.quotes]
        if not quotes:
            document.add_paragraph().add_run("Ingen sitater.").italic = True
        for quote in quotes:
            document.add_paragraph().add_run(f"«{quote_text(quote.text)}»").italic = True
            source = document.add_paragraph().add_run(quote_source(quote))
            source.font.size = Pt(8)
    write_with(path, document.save)


def _docx_table(document: Any, header: list[str], rows: list[list[Any]], size: Any) -> None:
    """A real Word table: header row bold, numbers right-aligned, the label column wide
    enough for a theme's name and the rest sharing the page's 16 cm."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    first = 5.0 if len(header) > 2 else 8.0
    widths = [Cm(first)] + [Cm((16.0 - first) / max(1, len(header) - 1))] * (len(header) - 1)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads; Word reads the cells' widths below
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            table.cell(r, c).width = widths[c]
            paragraph = table.cell(r, c).paragraphs[0]
            run = paragraph.add_run(number_text(value) if r else str(value))
            run.font.size = size
            run.bold = r == 0
            if c and r:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
