"""CSV: one header row, numbers as numbers, "\\n" line ends (Excel and pandas read both).

`excel=True` writes what Norwegian Excel opens by double-click: a UTF-8 byte order mark (without
it Excel reads «Bodø» as «BodÃ¸»), `;` between fields (the comma is the decimal sign there) and
decimal commas, so numbers stay numbers.

Text cells that a spreadsheet could read as a formula are neutralised in both (`neutral`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .numbers import excel_number
from .shapes import cooccur_value, matrix_rows, wide_rows

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.quotes import QuoteSelection
    from ..analysis.tables import ThemeTable


EXCEL_BOM = "\ufeff"

# What a spreadsheet may read as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?")


class _SafeWriter:
    """A csv writer whose text cells cannot become formulas when the file is opened in Excel:
    one starting with `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front, as
    OWASP's CSV-injection guidance says (a metadata value `=HYPERLINK(…)` was live once).
    Numbers, and text that is just a number ("-2,5"), are written as they are."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutral(value) for value in row])


def neutral(value: object) -> object:
    """A cell value that no spreadsheet evaluates (see `_SafeWriter`)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _start(excel: bool) -> tuple[io.StringIO, _SafeWriter]:
    """A buffer and a writer: plain CSV, or the Excel variant (module docstring) with its BOM written."""
    buffer = io.StringIO()
    if excel:
        buffer.write(EXCEL_BOM)
        return buffer, _SafeWriter(csv.writer(buffer, delimiter=";", lineterminator="\r\n"))
    return buffer, _SafeWriter(csv.writer(buffer, lineterminator="\n"))


def theme_csv(table: ThemeTable, excel: bool = False) -> str:
    """CSV with one header row ("Bodø / nb", "Bodø / nb %"); children indented by two spaces."""
    header, rows = wide_rows(table)
    buffer, writer = _start(excel)
    writer.writerow(header)
    for row in rows:
        writer.writerow([excel_number(v) for v in row] if excel else row)
    return buffer.getvalue()


def cooccur_csv(matrix: pd.DataFrame, excel: bool = False) -> str:
    """CSV with the names as header and first column; Jaccard values with 3 decimals."""
    buffer, writer = _start(excel)
    writer.writerow([matrix.index.name or "", *map(str, matrix.columns)])
    for row in matrix_rows(matrix, "  "):
        values = [cooccur_value(v) for v in row[1:]]
        writer.writerow([row[0], *(v.replace(".", ",") for v in values)] if excel else [row[0], *values])
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
    "all_codes",
    "origin",
    "terms",
    "words",
    "text",
)


def quotes_csv(selection: QuoteSelection) -> str:
    """One row per quote (columns `CSV_COLUMNS`), for sorting and filtering in a spreadsheet."""
    buffer, writer = _start(False)
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
                    " › ".join(q.section_path),
                    " ".join(q.codes),
                    " ".join(q.all_codes),
                    q.origin,
                    "; ".join(q.terms),
                    q.words,
                    q.text,
                ]
            )
    return buffer.getvalue()
