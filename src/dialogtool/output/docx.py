"""Word documents: quotes for the report, and report.docx with its tables, charts and quotes.

python-docx is imported only when a document is written; documents are saved through
`files.write_with`, so they are written atomically like every other file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DialogtoolError
from ..files import write_with
from .shapes import quote_source
from .story import Figure, Heading, Paragraph, Table, blocks, text
from .wordpage import add_figure, add_table, caption, new_document

if TYPE_CHECKING:
    from ..analysis.quotes import QuoteSelection
    from .story import Content


def quotes_docx(selection: QuoteSelection, path: Path, language: str = "nb") -> None:
    """A Word file for the report: a heading per group, each quote in italics, its source under it."""
    from docx.shared import Pt, RGBColor

    document = new_document(selection.title, language)
    document.add_heading(selection.title, level=1)
    for group in selection.groups:
        if group.value is not None:
            document.add_heading(group.value, level=2)
        for quote in group.quotes:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            paragraph.add_run(f"«{quote.text}»").italic = True
            where = quote_source(quote, language)
            paragraph.paragraph_format.keep_with_next = bool(where)
            if where:
                source = document.add_paragraph().add_run(f"– {where}")
                source.font.size = Pt(9)
                source.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    try:
        write_with(path, document.save)
    except OSError as exc:
        raise DialogtoolError(f"cannot write: {exc.strerror or exc}", path=path) from None


def report_docx(content: Content, folder: Path, path: Path) -> None:
    """report.docx: a Norwegian Word document (see `wordpage`) of the report's blocks (`story`),
    with the charts from `folder`; each quote kept on the page of its source line."""
    from docx.shared import Pt, RGBColor

    language = content.options.language
    document = new_document(text("title", language), language)
    for block in blocks(content):
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            if block.lead:
                paragraph.add_run(block.lead + " ").bold = True
            paragraph.add_run(block.text)
        elif isinstance(block, Table):
            caption(document, "table", block.number, block.caption, keep_with_next=True)
            add_table(document, block.header, block.rows, block.depths, block.number)
            document.add_paragraph().paragraph_format.space_after = Pt(0)
        elif isinstance(block, Figure):
            add_figure(document, folder / block.file)
            caption(document, "figure", block.number, block.caption, keep_with_next=False)
        else:
            quote = document.add_paragraph()
            quote.paragraph_format.keep_with_next = True
            quote.paragraph_format.space_after = Pt(2)
            quote.add_run(f"«{block.text}»").italic = True
            source = document.add_paragraph().add_run(f"– {block.source}")
            source.font.size = Pt(9)
            source.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    write_with(path, document.save)
