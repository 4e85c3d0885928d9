"""CSV: one header row, numbers as numbers, "\\n" line ends (Excel and pandas read both)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .shapes import cooccur_value, matrix_rows, wide_rows

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.quotes import QuoteSelection
    from ..analysis.tables import ThemeTable


# What a spreadsheet may read as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _SafeWriter:
    """csv.writer whose text cells cannot become formulas when the file is opened in Excel:
    one starting with `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front, as
    OWASP's CSV-injection guidance says (a metadata value `=HYPERLINK(…)` was live once).
    Numbers are written as they are, so a negative count stays a number."""

    def __init__(self, buffer: io.StringIO) -> None:
        self._writer = csv.writer(buffer, lineterminator="\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutral(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def neutral(value: object) -> object:
    """A cell value that no spreadsheet evaluates (see `_SafeWriter`)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def theme_csv(table: ThemeTable) -> str:
    """CSV with one header row ("Bodø / nb", "Bodø / nb %"); children indented by two spaces."""
    header, rows = wide_rows(table)
    buffer = io.StringIO()
    writer = _SafeWriter(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def cooccur_csv(matrix: pd.DataFrame) -> str:
    """CSV with the names as header and first column; Jaccard values with 3 decimals."""
    buffer = io.StringIO()
    writer = _SafeWriter(buffer)
    writer.writerow([matrix.index.name or "", *map(str, matrix.columns)])
    for row in matrix_rows(matrix, "  "):
        writer.writerow([row[0], *(cooccur_value(v) for v in row[1:])])
    return buffer.getvalue()


CSV_COLUMNS = (
    "group",
    "document",
    "segment",
    "para",
    "meeting",
    "date",
    "table",
    "section",
    "codes",
    "origin",
    "terms",
    "words",
    "text",
)


def quotes_csv(selection: QuoteSelection) -> str:
    """One row per quote (columns `CSV_COLUMNS`), for sorting and filtering in a spreadsheet."""
    buffer = io.StringIO()
    writer = _SafeWriter(buffer)
    writer.writerow(CSV_COLUMNS)
    for group in selection.groups:
        for q in group.quotes:
            meta = ["" if q.meta.get(k) is None else str(q.meta[k]) for k in ("meeting", "date", "table")]
            writer.writerow(
                [
                    group.value or "",
                    q.document,
                    q.id,
                    q.para,
                    *meta,
                    " › ".join(q.section),
                    " ".join(q.codes),
                    q.origin,
                    "; ".join(q.terms),
                    q.words,
                    q.text,
                ]
            )
    return buffer.getvalue()
