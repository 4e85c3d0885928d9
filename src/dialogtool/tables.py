"""Theme frequency tables: themes (children rolled up) by any metadata field."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .codebook import Codebook
from .corpus import DocumentCodes
from .errors import DialogtoolError

COUNTS = ("segments", "documents")
MISSING = "(ukjent)"
TOTAL = "Totalt"


@dataclass(frozen=True)
class ThemeTable:
    """Counts and column percentages; the last row holds the column totals (N)."""

    counts: pd.DataFrame
    percents: pd.DataFrame
    by: str
    count: str


def theme_table(
    documents: list[DocumentCodes], codebook: Codebook, by: str = "meeting", count: str = "segments"
) -> ThemeTable:
    """Count segments (or documents) per top-level theme and value of `by`.

    Percentages are of the column's total segments (or documents), so columns of
    different sizes can be compared.
    """
    if count not in COUNTS:
        raise DialogtoolError(f"--count must be one of {', '.join(COUNTS)}, not '{count}'")
    if documents and all(by not in d.meta for d in documents):
        fields = sorted({k for d in documents for k in d.meta})
        raise DialogtoolError(f"no metadata field '{by}'", hint=f"fields: {', '.join(fields)}")
    themes = [c.id for c in codebook.top_level]
    known = set(themes)
    top: dict[str, str] = {}
    units: dict[str, int] = {}
    hits: dict[tuple[str, str], int] = {}
    for doc in documents:
        column = _column_value(doc.meta.get(by))
        found: set[str] = set()
        for codes in doc.codes:
            tops = {top.get(c) or top.setdefault(c, codebook.top(c)) for c in codes}
            if count == "segments":
                for theme in tops:
                    hits[(theme, column)] = hits.get((theme, column), 0) + 1
            found |= tops
        for theme in sorted(found - known):
            themes.append(theme)
            known.add(theme)
        if count == "documents":
            for theme in found:
                hits[(theme, column)] = hits.get((theme, column), 0) + 1
        units[column] = units.get(column, 0) + (1 if count == "documents" else len(doc.codes))
    columns = sorted(units, key=_natural)
    index = [codebook.label(t) for t in themes]
    counts = pd.DataFrame(
        [[hits.get((t, c), 0) for c in columns] for t in themes], index=index, columns=columns, dtype="int64"
    )
    counts[TOTAL] = counts.sum(axis=1)
    totals = [units[c] for c in columns] + [sum(units.values())]
    counts.loc[f"N ({count})"] = totals
    denominators = pd.Series(totals, index=counts.columns).replace(0, pd.NA)
    percents = (counts.div(denominators, axis=1) * 100).astype("float64").fillna(0.0).round(1)
    counts.index.name = "Tema"
    percents.index.name = "Tema"
    return ThemeTable(counts, percents, by, count)


def _column_value(value: object) -> str:
    if value is None or value == "":
        return MISSING
    return str(value)


def _natural(value: str) -> tuple:
    """Sort "2" before "10" and put the unknown column last."""
    return (value == MISSING, [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", value)])
