"""Turn result objects into terminal tables, Markdown, CSV and Excel files."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table
from rich.text import Text

from ..analysis.evaluate import Evaluation
from ..analysis.tables import ThemeTable
from ..files import write_with

_PERCENT_TITLE = {"col": "column %", "row": "row %", "none": "counts"}


def _columns(table: ThemeTable) -> list[tuple[str, ...]]:
    """Each column's header as a tuple: (value,) or (by value, split value)."""
    return [tuple(map(str, c)) if isinstance(c, tuple) else (str(c),) for c in table.counts.columns]


def _flat(column: tuple[str, ...]) -> str:
    """One-line column name: "Bodø / nb" for two-way tables, "Totalt" for the total."""
    return " / ".join(part for part in column if part)


def _depths(table: ThemeTable) -> list[int]:
    """Each row's depth (1 = theme, 2 = child; the N row is 1), for indenting children."""
    depths = [row.depth for row in table.rows]
    return depths + [1] * (len(table.counts) - len(depths))


def _cell(table: ThemeTable, row: int, col: int) -> str:
    count = int(table.counts.iat[row, col])
    if row == len(table.counts) - 1 or table.percents is None:
        return str(count)
    return f"{count} ({table.percents.iat[row, col]:.0f}%)"


def _title(table: ThemeTable) -> str:
    fields = table.by if table.split is None else f"{table.by} × {table.split}"
    return f"Themes by {fields} — {table.count} ({_PERCENT_TITLE[table.percent]})"


def theme_rich(table: ThemeTable) -> Table:
    """A terminal table; two-way tables get a two-line header, each group's name over its first column."""
    out = Table(title=_title(table), title_justify="left")
    out.add_column(table.counts.index.name or "", style="bold")
    previous = None
    for column in _columns(table):
        if len(column) == 1:
            out.add_column(Text(column[0]), justify="right")
            continue
        group, sub = column
        out.add_column(Text(f"{group if group != previous else ''}\n{sub}"), justify="right")
        previous = group
    last = len(table.counts) - 1
    depths = _depths(table)
    for r, label in enumerate(table.counts.index):
        out.add_row(
            Text("  " * (depths[r] - 1) + str(label)),
            *(_cell(table, r, c) for c in range(len(table.counts.columns))),
            end_section=r == last - 1,
        )
    return out


def theme_cells(table: ThemeTable) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text, each cell "n (p%)": compact enough for a page of a report."""
    header = [table.counts.index.name or "", *(_flat(c) for c in _columns(table))]
    depths = _depths(table)
    rows = [
        ["  " * (depths[r] - 1) + str(label), *(_cell(table, r, c) for c in range(len(table.counts.columns)))]
        for r, label in enumerate(table.counts.index)
    ]
    return header, rows


def theme_markdown(table: ThemeTable) -> str:
    """A Markdown table. Markdown has one header row, so a two-way table's second level is
    the first body row, in italics; children are indented with em spaces (plain spaces
    would be trimmed)."""
    columns = _columns(table)
    two_way = any(len(c) == 2 for c in columns)
    header = [table.counts.index.name or ""]
    previous = None
    for column in columns:
        header.append(column[0] if column[0] != previous or not two_way else "")
        previous = column[0]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * len(columns)]
    if two_way:
        subs = [f"*{c[1]}*" if len(c) == 2 and c[1] else "" for c in columns]
        lines.append("| " + " | ".join(["", *subs]) + " |")
    depths = _depths(table)
    for r, label in enumerate(table.counts.index):
        cells = ["\u2003" * (depths[r] - 1) + str(label)] + [_cell(table, r, c) for c in range(len(columns))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _wide_rows(table: ThemeTable, indent: str = "  ") -> tuple[list[str], list[list[object]]]:
    """Header and rows with a count and (unless switched off) a percent column per column, numbers as numbers."""
    header = [table.counts.index.name or ""]
    for column in _columns(table):
        header.append(_flat(column))
        if table.percents is not None:
            header.append(f"{_flat(column)} %")
    rows = []
    depths = _depths(table)
    for r, label in enumerate(table.counts.index):
        row: list[object] = [indent * (depths[r] - 1) + str(label)]
        for c in range(len(table.counts.columns)):
            row.append(int(table.counts.iat[r, c]))
            if table.percents is not None:
                row.append(float(table.percents.iat[r, c]))
        rows.append(row)
    return header, rows


def theme_csv(table: ThemeTable) -> str:
    """CSV with one header row ("Bodø / nb", "Bodø / nb %"); children indented by two spaces."""
    header, rows = _wide_rows(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def theme_xlsx(table: ThemeTable, path: Path) -> None:
    """The table as a workbook of one sheet (see `theme_sheet`)."""
    save_book([(f"Tema etter {table.by}{f' og {table.split}' if table.split else ''}", theme_sheet, table)], path)


def save_book(sheets: list[tuple[str, Any, Any]], path: Path) -> None:
    """A workbook with one sheet per (title, writer, data), written by the sheet writers below."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, writer, data in sheets:
        writer(book.create_sheet(title[:31]), data)
    write_with(path, book.save)


def theme_sheet(sheet: Any, table: ThemeTable) -> None:
    """Bold header (two rows, groups merged, for a two-way table), fitted widths, counts and
    percents as numbers, children indented by cell alignment so the labels stay clean."""
    from openpyxl.styles import Alignment, Font

    header, rows = _wide_rows(table, indent="")
    columns = _columns(table)
    two_way = any(len(c) == 2 for c in columns)
    per_column = 1 if table.percents is None else 2
    if two_way:
        groups: list[object] = [header[0]]
        subs: list[object] = [None]
        previous = None
        for column in columns:
            sub = column[1] if len(column) == 2 else ""
            groups += [column[0] if column[0] != previous else None] + [None] * (per_column - 1)
            previous = column[0]
            subs += [sub or None] + ([f"{sub} %" if sub else "%"] if per_column == 2 else [])
        sheet.append(groups)
        sheet.append(subs)
        start = 2
        for _, members in itertools.groupby(columns, key=lambda c: c[0]):
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
    depths = _depths(table)
    for r, depth in enumerate(depths):
        if depth > 1:
            sheet.cell(head + 1 + r, 1).alignment = Alignment(indent=2 * (depth - 1))
    if per_column == 2:
        for col in range(3, len(header) + 1, 2):
            for (cell,) in sheet.iter_rows(min_row=head + 1, min_col=col, max_col=col):
                cell.number_format = "0.0"
    _fit_widths(sheet, extra={1: 2 * (max(depths, default=1) - 1)})
    sheet.freeze_panes = sheet.cell(head + 1, 2).coordinate


def _fit_widths(sheet, extra: dict[int, int] | None = None) -> None:
    """Width of each column from its longest value; a group header merged over several
    columns is left out, since it is spread over all of them."""
    from openpyxl.utils import get_column_letter

    spread = {(r.min_row, r.min_col) for r in sheet.merged_cells.ranges if r.max_col > r.min_col}
    extra = extra or {}
    for number, column_cells in enumerate(sheet.columns, start=1):
        values = [c.value for c in column_cells if c.value is not None and (c.row, number) not in spread]
        width = max((len(f"{v:.1f}" if isinstance(v, float) else str(v)) for v in values), default=4)
        sheet.column_dimensions[get_column_letter(number)].width = min(60, max(6, width + extra.get(number, 0) + 2))


def _cooccur_title(matrix: pd.DataFrame) -> str:
    count = matrix.attrs.get("count", "segments")
    if matrix.attrs.get("measure") == "jaccard":
        return f"Theme co-occurrence — {count}, Jaccard |A∩B| / |A∪B|"
    return f"Theme co-occurrence — {count} with both (diagonal: with the theme)"


def _cooccur_value(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _matrix_rows(matrix: pd.DataFrame, indent: str) -> list[list[object]]:
    """Rows of the matrix with the (indented) name first, numbers as Python numbers."""
    depths = matrix.attrs.get("depths") or [1] * len(matrix)
    rows = []
    for r, name in enumerate(matrix.index):
        values = [v.item() if hasattr(v, "item") else v for v in matrix.iloc[r].tolist()]
        rows.append([indent * (depths[r] - 1) + str(name), *values])
    return rows


def cooccur_rich(matrix: pd.DataFrame) -> Table:
    """The matrix in the terminal, the diagonal in bold. Columns are headed by code id, since
    labels as headers would wrap into tall, narrow columns; a Kode column maps id to label."""
    codes = matrix.attrs.get("codes") or [str(c) for c in matrix.columns]
    with_ids = list(map(str, matrix.index)) != list(codes)
    out = Table(title=_cooccur_title(matrix), title_justify="left")
    out.add_column(matrix.index.name or "", style="bold", no_wrap=True)
    if with_ids:
        out.add_column("Kode")
    for code in codes:
        out.add_column(Text(code), justify="right")
    for r, row in enumerate(_matrix_rows(matrix, "  ")):
        cells = [Text(_cooccur_value(v), style="bold" if c == r else "") for c, v in enumerate(row[1:])]
        out.add_row(Text(str(row[0])), *([Text(codes[r])] if with_ids else []), *cells)
    return out


def cooccur_csv(matrix: pd.DataFrame) -> str:
    """CSV with the names as header and first column; Jaccard values with 3 decimals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([matrix.index.name or "", *map(str, matrix.columns)])
    for row in _matrix_rows(matrix, "  "):
        writer.writerow([row[0], *(_cooccur_value(v) for v in row[1:])])
    return buffer.getvalue()


def cooccur_xlsx(matrix: pd.DataFrame, path: Path) -> None:
    """The matrix as a workbook of one sheet (see `cooccur_sheet`)."""
    save_book([("Samforekomst", cooccur_sheet, matrix)], path)


def cooccur_sheet(sheet: Any, matrix: pd.DataFrame) -> None:
    """Bold header row and first column, fitted widths, numbers as numbers."""
    from openpyxl.styles import Alignment, Font

    sheet.append([matrix.index.name or "", *map(str, matrix.columns)])
    depths = matrix.attrs.get("depths") or [1] * len(matrix)
    for row in _matrix_rows(matrix, ""):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, depth in enumerate(depths, start=2):
        sheet.cell(r, 1).font = Font(bold=True)
        if depth > 1:
            sheet.cell(r, 1).alignment = Alignment(indent=2 * (depth - 1))
    if matrix.attrs.get("measure") == "jaccard":
        for line in sheet.iter_rows(min_row=2, min_col=2):
            for cell in line:
                cell.number_format = "0.000"
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
        if str(name).endswith("%"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = "0.0"
    _fit_widths(sheet)
    sheet.freeze_panes = "B2"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def evaluation_rich(evaluation: Evaluation, labels: dict[str, str]) -> Table:
    out = Table(title=f"Coding vs reference ({evaluation.units} units)", title_justify="left")
    for name, justify in (
        ("Theme", "left"),
        ("Label", "left"),
        ("P", "right"),
        ("R", "right"),
        ("F1", "right"),
        ("TP", "right"),
        ("FP", "right"),
        ("FN", "right"),
    ):
        out.add_column(name, justify=justify)
    for theme, score in evaluation.themes.items():
        out.add_row(
            theme,
            labels.get(theme, ""),
            _pct(score.precision),
            _pct(score.recall),
            _pct(score.f1),
            str(score.tp),
            str(score.fp),
            str(score.fn),
            end_section=False,
        )
    micro = evaluation.micro
    out.add_section()
    out.add_row(
        "micro",
        "",
        _pct(micro.precision),
        _pct(micro.recall),
        _pct(micro.f1),
        str(micro.tp),
        str(micro.fp),
        str(micro.fn),
    )
    out.add_row("macro", "", "", "", _pct(evaluation.macro_f1), "", "", "")
    return out
