"""Excel workbooks: bold headers, fitted widths, numbers as numbers, percentages with one decimal.

Number formats are Excel's own codes (`#,##0`, `0.0`): Excel draws them with the reader's
separators, so Norwegian Excel shows «1 234» and «62,5» while the cells stay numbers.

openpyxl is imported only when a workbook is written. A workbook is a list of (sheet title,
sheet writer, data); `save_book` writes it through `files.write_with`, so it is atomic.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import write_with
from .numbers import word
from .shapes import columns, depths, matrix_rows, wide_rows

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.tables import ThemeTable


COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0"


def theme_xlsx(table: ThemeTable, path: Path) -> None:
    """The table as a workbook of one sheet (see `theme_sheet`), named in Norwegian: «Tema etter dialogmøte»."""
    split = f" og {word(table.split)}" if table.split else ""
    save_book([(f"Tema etter {word(table.by)}{split}", theme_sheet, table)], path)


def save_book(sheets: list[tuple[str, Any, Any]], path: Path) -> None:
    """A workbook with one sheet per (title, writer, data), written by the sheet writers below."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, writer, data in sheets:
        sheet = book.create_sheet(title[:31])
        writer(sheet, data)
        _as_text(sheet)
    write_with(path, book.save)


# What a spreadsheet may read as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(sheet: Any) -> None:
    """Every text cell stays text: a note's meeting name or segment text beginning with `=`
    (`=HYPERLINK(…)`) would otherwise be stored as a live formula, since openpyxl takes a
    string starting with `=` for one. Such cells are string cells with Excel's quote prefix,
    which keeps them text even when someone edits them; the value is unchanged."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True


def theme_sheet(sheet: Any, table: ThemeTable) -> None:
    """Bold header (two rows, groups merged, for a two-way table), fitted widths, counts and
    percents as numbers, children indented by cell alignment so the labels stay clean."""
    from openpyxl.styles import Alignment, Font

    header, rows = wide_rows(table, indent="")
    heads = columns(table)
    two_way = any(len(c) == 2 for c in heads)
    per_column = 1 if table.percents is None else 2
    if two_way:
        groups: list[object] = [header[0]]
        subs: list[object] = [None]
        previous = None
        for column in heads:
            sub = column[1] if len(column) == 2 else ""
            groups += [column[0] if column[0] != previous else None] + [None] * (per_column - 1)
            previous = column[0]
            subs += [sub or None] + ([f"{sub} %" if sub else "%"] if per_column == 2 else [])
        sheet.append(groups)
        sheet.append(subs)
        start = 2
        for _, members in itertools.groupby(heads, key=lambda c: c[0]):
            span = len(list(members)) * per_column
            if span > 1:
                sheet.merge_cells(start_row=1, start_column=start, end_row=1, end_column=start + span - 1)
            start += span
        sheet.merge_cells(start_row=1, start_column=1, end_row=2, end_column=1)
    else:
        sheet.append(header)
    head = 2 if two_way else 1
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=1, max_row=head):
        for cell in line:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center" if cell.column > 1 else "left", vertical="bottom")
    levels = depths(table)
    for r, depth in enumerate(levels):
        if depth > 1:
            sheet.cell(head + 1 + r, 1).alignment = Alignment(indent=2 * (depth - 1))
    for col in range(2, len(header) + 1):
        percent_column = per_column == 2 and col % 2 == 1
        for (cell,) in sheet.iter_rows(min_row=head + 1, min_col=col, max_col=col):
            cell.number_format = PERCENT_FORMAT if percent_column else COUNT_FORMAT
    _fit_widths(sheet, extra={1: 2 * (max(levels, default=1) - 1)})
    sheet.freeze_panes = sheet.cell(head + 1, 2).coordinate


def _fit_widths(sheet: Any, extra: dict[int, int] | None = None) -> None:
    """Width of each column from its longest value; a group header merged over several
    columns is left out, since it is spread over all of them."""
    from openpyxl.utils import get_column_letter

    spread = {(r.min_row, r.min_col) for r in sheet.merged_cells.ranges if r.max_col > r.min_col}
    extra = extra or {}
    for number, column_cells in enumerate(sheet.columns, start=1):
        values = [c.value for c in column_cells if c.value is not None and (c.row, number) not in spread]
        width = max((len(f"{v:.1f}" if isinstance(v, float) else str(v)) for v in values), default=4)
        sheet.column_dimensions[get_column_letter(number)].width = min(60, max(6, width + extra.get(number, 0) + 2))


def cooccur_xlsx(matrix: pd.DataFrame, path: Path) -> None:
    """The matrix as a workbook of one sheet (see `cooccur_sheet`)."""
    save_book([("Samforekomst", cooccur_sheet, matrix)], path)


def cooccur_sheet(sheet: Any, matrix: pd.DataFrame) -> None:
    """Bold header row and first column, fitted widths, numbers as numbers."""
    from openpyxl.styles import Alignment, Font

    sheet.append([matrix.index.name or "", *map(str, matrix.columns)])
    depths = matrix.attrs.get("depths") or [1] * len(matrix)
    for row in matrix_rows(matrix, ""):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, depth in enumerate(depths, start=2):
        sheet.cell(r, 1).font = Font(bold=True)
        if depth > 1:
            sheet.cell(r, 1).alignment = Alignment(indent=2 * (depth - 1))
    jaccard = matrix.attrs.get("measure") == "jaccard"
    for line in sheet.iter_rows(min_row=2, min_col=2):
        for cell in line:
            cell.number_format = "0.000" if jaccard else COUNT_FORMAT
    _fit_widths(sheet, extra={1: 2 * (max(depths, default=1) - 1)})
    sheet.freeze_panes = "B2"


def frame_sheet(sheet: Any, frame: pd.DataFrame) -> None:
    """Any small table: bold header, index as the first column, numbers as numbers."""
    from openpyxl.styles import Font

    sheet.append([frame.index.name or "", *map(str, frame.columns)])
    for label, values in zip(frame.index, frame.to_numpy().tolist(), strict=True):
        sheet.append([str(label), *values])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, name in enumerate(frame.columns, start=2):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = PERCENT_FORMAT if str(name).endswith("%") else COUNT_FORMAT
    _fit_widths(sheet)
    sheet.freeze_panes = "B2"


def report_xlsx(content: Any, path: Path) -> None:
    """themes.xlsx of the report: one sheet per table."""

    save_book(
        [
            ("Tema × dialogmøte", theme_sheet, content.by_meeting),
            ("Tema × bordtema", theme_sheet, content.by_topic),
            ("Samforekomst", cooccur_sheet, content.cooccur),
            (
                "Notat per tema" if content.options.language == "nn" else "Notater per tema",
                frame_sheet,
                content.per_theme,
            ),
            *((f"Undertema {b.id}", frame_sheet, b.frame) for b in content.breakdowns),
        ],
        path,
    )


def notes_xlsx(rows: list[tuple[str, ...]], headers: tuple[str, ...], path: Path) -> None:
    """Reviewers' notes and edits as a workbook of one sheet, ready to filter by note, theme or reviewer."""
    save_book([("Merknader", _notes_sheet, (headers, rows))], path)


def _notes_sheet(sheet: Any, data: tuple[tuple[str, ...], list[tuple[str, ...]]]) -> None:
    from openpyxl.styles import Alignment, Font

    headers, rows = data
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"
    _fit_widths(sheet)
    last = len(headers)
    for row in sheet.iter_rows(min_row=2, min_col=last - 2, max_col=last):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
