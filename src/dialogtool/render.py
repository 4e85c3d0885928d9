"""Turn result objects into terminal tables, Markdown, CSV and Excel files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rich.table import Table

from .evaluate import Evaluation
from .tables import ThemeTable


def _cell(table: ThemeTable, row: int, col: int) -> str:
    count = int(table.counts.iat[row, col])
    if row == len(table.counts) - 1:
        return str(count)
    return f"{count} ({table.percents.iat[row, col]:.0f}%)"


def theme_rich(table: ThemeTable) -> Table:
    title = f"Themes by {table.by} — {table.count} (column %)"
    out = Table(title=title, title_justify="left")
    out.add_column(table.counts.index.name or "", style="bold")
    for column in table.counts.columns:
        out.add_column(str(column), justify="right")
    last = len(table.counts) - 1
    for r, label in enumerate(table.counts.index):
        out.add_row(
            str(label), *(_cell(table, r, c) for c in range(len(table.counts.columns))), end_section=r == last - 1
        )
    return out


def theme_markdown(table: ThemeTable) -> str:
    header = [table.counts.index.name or ""] + [str(c) for c in table.counts.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * len(table.counts.columns)]
    for r, label in enumerate(table.counts.index):
        cells = [str(label)] + [_cell(table, r, c) for c in range(len(table.counts.columns))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _wide_rows(table: ThemeTable) -> tuple[list[str], list[list[object]]]:
    """Header and rows with a count and a percent column per value, numbers as numbers."""
    header = [table.counts.index.name or ""]
    for column in table.counts.columns:
        header += [str(column), f"{column} %"]
    rows = []
    for r, label in enumerate(table.counts.index):
        row: list[object] = [str(label)]
        for c in range(len(table.counts.columns)):
            row += [int(table.counts.iat[r, c]), float(table.percents.iat[r, c])]
        rows.append(row)
    return header, rows


def theme_csv(table: ThemeTable) -> str:
    header, rows = _wide_rows(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def theme_xlsx(table: ThemeTable, path: Path) -> None:
    """An Excel sheet: bold header, fitted widths, counts and percents as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = _wide_rows(table)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Tema etter {table.by}"[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for col in range(3, len(header) + 1, 2):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "0.0"
    for column_cells in sheet.columns:
        width = max(len(str(c.value)) for c in column_cells if c.value is not None)
        sheet.column_dimensions[column_cells[0].column_letter].width = min(60, width + 2)
    sheet.freeze_panes = "B2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


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
