"""`dialogtool report`: the tables, charts and quotes for the project report, in one go.

Writes themes.xlsx (one sheet per table), report.md, PNG charts and report.docx into one
folder. Everything is computed from the coded notes with reviewer edits applied; the same
coded notes give the same files (apart from the files' own timestamps).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.cooccur import cooccurrence
from ..analysis.quotes import QuoteSelection, select_quotes
from ..analysis.tables import TOTAL, ThemeTable, theme_table
from ..coded.folder import DocumentCodes, load_codes, load_folder
from ..coding.codebook import Codebook
from ..files import write_text, write_with

QUOTES_PER_THEME = 3


@dataclass(frozen=True)
class Report:
    """What went into the report, and the files written."""

    documents: int
    meetings: int
    segments: int
    coded_segments: int
    files: tuple[Path, ...]


@dataclass(frozen=True)
class _Content:
    by_meeting: ThemeTable
    by_topic: ThemeTable
    cooccur: pd.DataFrame
    per_theme: pd.DataFrame
    quotes: tuple[QuoteSelection, ...]


def build_report(
    coded_dir: Path, codebook: Codebook, out_dir: Path, quotes_per_theme: int = QUOTES_PER_THEME
) -> Report:
    """Compute every table once, then write each format from the same numbers."""
    from . import charts

    codes = load_codes(coded_dir)
    documents = load_folder(coded_dir)
    content = _Content(
        by_meeting=theme_table(codes, codebook, by="meeting"),
        by_topic=theme_table(codes, codebook, by="topic"),
        cooccur=cooccurrence(codes, codebook),
        per_theme=themes_overview(codes, codebook),
        quotes=tuple(
            select_quotes(documents, codebook, code.id, limit=quotes_per_theme) for code in codebook.top_level
        ),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    pictures = {
        "tema.png": "Tema: andel av notatene der temaet kommer opp",
        "tema_moete.png": "Tema etter dialogmøte: prosent av segmentene",
        "samforekomst.png": "Samforekomst: segmenter med begge tema",
    }
    charts.bar_chart(content.per_theme["Notater %"], out_dir / "tema.png", pictures["tema.png"], "Prosent av notatene")
    meeting_percents = _body(content.by_meeting.percents).drop(columns=TOTAL)
    charts.heatmap(meeting_percents, out_dir / "tema_moete.png", pictures["tema_moete.png"], "{:.0f}")
    charts.heatmap(content.cooccur, out_dir / "samforekomst.png", pictures["samforekomst.png"], "{:.0f}")
    _write_xlsx(content, out_dir / "themes.xlsx")
    write_text(out_dir / "report.md", _markdown(content, pictures))
    _write_docx(content, pictures, out_dir, out_dir / "report.docx")
    files = [out_dir / name for name in ("themes.xlsx", "report.md", "report.docx", *pictures)]
    coded = sum(1 for doc in codes for c in doc.codes if c)
    meetings = len({str(doc.meta.get("meeting")) for doc in codes if doc.meta.get("meeting")})
    return Report(len(codes), meetings, sum(len(d.codes) for d in codes), coded, tuple(files))


def themes_overview(codes: list[DocumentCodes], codebook: Codebook) -> pd.DataFrame:
    """Per theme: notes, segments and meetings where it comes up, with shares of the total."""
    documents = theme_table(codes, codebook, by="meeting", count="documents")
    segments = theme_table(codes, codebook, by="meeting", count="segments")
    meetings = theme_table(codes, codebook, by="meeting", count="meetings")
    frame = pd.DataFrame(
        {
            "Notater": _body(documents.counts)[TOTAL],
            "Notater %": _body(documents.percents)[TOTAL],
            "Segmenter": _body(segments.counts)[TOTAL],
            "Segmenter %": _body(segments.percents)[TOTAL],
            "Dialogmøter": _body(meetings.counts)[TOTAL],
        }
    )
    frame.index.name = "Tema"
    return frame


def _body(frame: pd.DataFrame | None) -> pd.DataFrame:
    """A table without its N row."""
    if frame is None:
        raise ValueError("percentages are needed for the report")
    return frame.iloc[:-1]


def _frame_rows(frame: pd.DataFrame) -> tuple[list[str], list[list[Any]]]:
    header = [frame.index.name or ""] + [str(c) for c in frame.columns]
    rows = [[str(index), *(_number(v) for v in row)] for index, row in zip(frame.index, frame.to_numpy(), strict=True)]
    return header, rows


def _number(value: Any) -> Any:
    """Numpy scalars as plain numbers, whole floats kept as floats (percentages)."""
    return value.item() if hasattr(value, "item") else value


def _write_xlsx(content: _Content, path: Path) -> None:
    from .render import cooccur_sheet, frame_sheet, save_book, theme_sheet

    save_book(
        [
            ("Tema × dialogmøte", theme_sheet, content.by_meeting),
            ("Tema × bordtema", theme_sheet, content.by_topic),
            ("Samforekomst", cooccur_sheet, content.cooccur),
            ("Notater per tema", frame_sheet, content.per_theme),
        ],
        path,
    )


def _md_table(frame: pd.DataFrame) -> str:
    header, rows = _frame_rows(frame)
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for row in rows:
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines)


def _md_cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return str(value).replace("|", "\\|")


_SECTIONS = (
    ("Tema × dialogmøte", "by_meeting", "tema_moete.png"),
    ("Tema × bordtema", "by_topic", None),
    ("Samforekomst", "cooccur", "samforekomst.png"),
)


def _markdown(content: _Content, pictures: dict[str, str]) -> str:
    from .render import theme_markdown

    parts = ["# Tema i notatene fra dialogmøtene", ""]
    parts += ["## Oversikt", "", _md_table(content.per_theme), "", f"![{pictures['tema.png']}](tema.png)", ""]
    for title, attribute, picture in _SECTIONS:
        data = getattr(content, attribute)
        table = theme_markdown(data).rstrip() if isinstance(data, ThemeTable) else _md_table(data)
        parts += [f"## {title}", "", table, ""]
        if picture:
            parts += [f"![{pictures[picture]}]({picture})", ""]
    parts += ["## Sitater", ""]
    for selection in content.quotes:
        parts += [f"### {selection.label}", ""]
        quotes = [q for group in selection.groups for q in group.quotes]
        if not quotes:
            parts += ["*Ingen sitater.*", ""]
        for quote in quotes:
            parts += [f"> {_quote_text(quote.text)}", ">", f"> — {_quote_source(quote)}", ""]
    return "\n".join(parts).rstrip() + "\n"


def _write_docx(content: _Content, pictures: dict[str, str], folder: Path, path: Path) -> None:
    import datetime

    import docx
    from docx.shared import Cm, Pt

    from .render import theme_cells

    document = docx.Document()
    document.core_properties.author = "dialogtool"
    document.core_properties.created = datetime.datetime(2018, 1, 1)  # fixed: same input, same file
    document.core_properties.modified = datetime.datetime(2018, 1, 1)
    document.add_heading("Tema i notatene fra dialogmøtene", level=0)
    document.add_heading("Oversikt", level=1)
    _docx_table(document, *_frame_rows(content.per_theme), Pt(9))
    document.add_picture(str(folder / "tema.png"), width=Cm(16))
    for title, attribute, picture in _SECTIONS:
        data = getattr(content, attribute)
        header, rows = theme_cells(data) if isinstance(data, ThemeTable) else _frame_rows(data)
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
            document.add_paragraph().add_run(f"«{_quote_text(quote.text)}»").italic = True
            source = document.add_paragraph().add_run(_quote_source(quote))
            source.font.size = Pt(8)
    write_with(path, document.save)


def _quote_text(text: str) -> str:
    """A quote without its list mark: "• Tekst" and "3) Tekst" read as "Tekst"."""
    from ..ingest.normalize import BULLET, NUMBERED

    text = text.removeprefix(BULLET)
    match = NUMBERED.match(text)
    return text[match.end() :] if match else text


def _quote_source(quote: Any) -> str:
    """Place, date, table and the nearest heading: enough to find the quote again."""
    section = quote.section[-1] if quote.section else ""
    return " · ".join(part for part in (quote.place, section, f"{quote.document} {quote.id}") if part)


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
            run = paragraph.add_run(_md_cell(value) if r else str(value))
            run.font.size = size
            run.bold = r == 0
            if c and r:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
