"""How results are laid out as header, rows and cells: shared by every renderer.

A theme table's columns are (value,) or (by value, split value); children are indented;
a cell reads «n (p %)» in Norwegian number formats (`numbers`). The terminal, Markdown, CSV,
xlsx and docx writers all start here,
so the same table has the same shape in every format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .numbers import count_share, long_date, word
from .numbers import number as format_number

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.tables import ThemeTable


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


def cell(table: ThemeTable, row: int, col: int, language: str = "nb") -> str:
    """«14 (42 %)», the percentage half up from the counts themselves; the N row a count alone."""
    counts = table.counts
    count = int(counts.iat[row, col])
    if row == len(counts) - 1 or table.percents is None:
        return format_number(count, 0, language)
    base = counts.iat[-1, col] if table.percent == "col" else counts.iat[row, -1]
    return count_share(count, int(base), 0, language)


def title(table: ThemeTable, language: str = "nb") -> str:
    """«Tema etter dialogmøte × språk — segmenter (prosent av kolonnen)»."""
    fields = word(table.by, language) + ("" if table.split is None else f" × {word(table.split, language)}")
    counted = word(table.count, language)
    counted += ", med overskrifter" if table.headings else ""
    counted += ", bare direkte koder" if table.evidence == "direct" else ""
    return f"Tema etter {fields} — {counted} ({word(table.percent, language)})"


def theme_cells(table: ThemeTable, language: str = "nb") -> tuple[list[str], list[list[str]]]:
    """Header and rows as text, each cell «n (p %)»: compact enough for a page of a report."""
    header = [table.counts.index.name or "", *(flat(c) for c in columns(table))]
    levels = depths(table)
    rows = [
        [
            "  " * (levels[r] - 1) + str(label),
            *(cell(table, r, c, language) for c in range(len(table.counts.columns))),
        ]
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
    # itertuples keeps each column's type (to_numpy would make every count a float)
    rows = [
        [str(index), *(number(v) for v in row)]
        for index, row in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]
    return header, rows


def number(value: Any) -> Any:
    """Numpy scalars as plain numbers, whole floats kept as floats (percentages)."""
    return value.item() if hasattr(value, "item") else value


def quote_source(quote: Any, language: str = "nb") -> str:
    """«Bodø, 12. oktober 2018, kafébord 2 – Individuell plan»: where and when it was said, and
    about what (the table's topic, or else the nearest heading), as a report cites it."""
    from ..analysis.quotes import unmarked  # only for quotes: `table` need not load the matcher

    meeting, date, table, topic = (quote.meta.get(k) for k in ("meeting", "date", "table", "topic"))
    place = [
        str(meeting) if meeting else "",
        long_date(date, language) if date else "",
        f"kafébord {table}" if table else "",
    ]
    about = str(topic) if topic else (unmarked(quote.section_path[-1]) if quote.section_path else "")
    about = about[:1].upper() + about[1:]
    where = ", ".join(p for p in place if p)
    return f"{where} – {about}" if where and about else where or about


def frame_cells(frame: pd.DataFrame, language: str = "nb") -> tuple[list[str], list[list[str]]]:
    """Header and rows as a report prints them: counts whole, other numbers with the same
    decimals down a column (one, or three for Jaccard values), in Norwegian formats."""
    header, rows = frame_rows(frame)
    decimals = 3 if frame.attrs.get("measure") == "jaccard" else 1
    return header, [[row[0], *(number_text(v, decimals, language) for v in row[1:])] for row in rows]


def number_text(value: Any, decimals: int = 1, language: str = "nb") -> str:
    """A cell of a report table: an int as a count, a float with `decimals` (so a column is consistent)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_number(value, 0 if isinstance(value, int) else decimals, language)
