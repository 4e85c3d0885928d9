"""How results are laid out as header, rows and cells: shared by every renderer.

A theme table's columns are (value,) or (by value, split value); children are indented;
a cell reads "n (p%)". The terminal, Markdown, CSV, xlsx and docx writers all start here,
so the same table has the same shape in every format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.tables import ThemeTable


PERCENT_TITLE = {"col": "column %", "row": "row %", "none": "counts"}


def columns(table: ThemeTable) -> list[tuple[str, ...]]:
    """Each column's header as a tuple: (value,) or (by value, split value)."""
    return [tuple(map(str, c)) if isinstance(c, tuple) else (str(c),) for c in table.counts.columns]


def flat(column: tuple[str, ...]) -> str:
    """One-line column name: "Bodø / nb" for two-way tables, "Totalt" for the total."""
    return " / ".join(part for part in column if part)


def depths(table: ThemeTable) -> list[int]:
    """Each row's depth (1 = theme, 2 = child; the N row is 1), for indenting children."""
    found = [row.depth for row in table.rows]
    return found + [1] * (len(table.counts) - len(found))


def cell(table: ThemeTable, row: int, col: int) -> str:
    count = int(table.counts.iat[row, col])
    if row == len(table.counts) - 1 or table.percents is None:
        return str(count)
    return f"{count} ({table.percents.iat[row, col]:.0f}%)"


def title(table: ThemeTable) -> str:
    fields = table.by if table.split is None else f"{table.by} × {table.split}"
    return f"Themes by {fields} — {table.count} ({PERCENT_TITLE[table.percent]})"


def theme_cells(table: ThemeTable) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text, each cell "n (p%)": compact enough for a page of a report."""
    header = [table.counts.index.name or "", *(flat(c) for c in columns(table))]
    levels = depths(table)
    rows = [
        ["  " * (levels[r] - 1) + str(label), *(cell(table, r, c) for c in range(len(table.counts.columns)))]
        for r, label in enumerate(table.counts.index)
    ]
    return header, rows


def wide_rows(table: ThemeTable, indent: str = "  ") -> tuple[list[str], list[list[object]]]:
    """Header and rows with a count and (unless switched off) a percent column per column, numbers as numbers."""
    header = [table.counts.index.name or ""]
    for column in columns(table):
        header.append(flat(column))
        if table.percents is not None:
            header.append(f"{flat(column)} %")
    rows = []
    levels = depths(table)
    for r, label in enumerate(table.counts.index):
        row: list[object] = [indent * (levels[r] - 1) + str(label)]
        for c in range(len(table.counts.columns)):
            row.append(int(table.counts.iat[r, c]))
            if table.percents is not None:
                row.append(float(table.percents.iat[r, c]))
        rows.append(row)
    return header, rows


def cooccur_value(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def matrix_rows(matrix: pd.DataFrame, indent: str) -> list[list[object]]:
    """Rows of the matrix with the (indented) name first, numbers as Python numbers."""
    levels = matrix.attrs.get("depths") or [1] * len(matrix)
    rows = []
    for r, name in enumerate(matrix.index):
        values = [v.item() if hasattr(v, "item") else v for v in matrix.iloc[r].tolist()]
        rows.append([indent * (levels[r] - 1) + str(name), *values])
    return rows


def frame_rows(frame: pd.DataFrame) -> tuple[list[str], list[list[Any]]]:
    header = [frame.index.name or ""] + [str(c) for c in frame.columns]
    rows = [[str(index), *(number(v) for v in row)] for index, row in zip(frame.index, frame.to_numpy(), strict=True)]
    return header, rows


def number(value: Any) -> Any:
    """Numpy scalars as plain numbers, whole floats kept as floats (percentages)."""
    return value.item() if hasattr(value, "item") else value


def quote_text(text: str) -> str:
    """A quote without its list mark: "• Tekst" and "3) Tekst" read as "Tekst"."""
    from ..ingest.normalize import BULLET, NUMBERED

    text = text.removeprefix(BULLET)
    match = NUMBERED.match(text)
    return text[match.end() :] if match else text


def quote_source(quote: Any) -> str:
    """Place, date, table and the nearest heading: enough to find the quote again."""
    section = quote.section[-1] if quote.section else ""
    return " · ".join(part for part in (quote.place, section, f"{quote.document} {quote.id}") if part)


def number_text(value: Any) -> str:
    """A number as a report table shows it: whole numbers without decimals, others with one."""
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return str(value)
