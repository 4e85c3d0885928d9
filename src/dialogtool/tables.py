"""Theme frequency tables: themes (children rolled up) by any metadata field."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .codebook import Codebook
from .corpus import CodedSegment
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
    segments: list[CodedSegment], codebook: Codebook, by: str = "meeting", count: str = "segments"
) -> ThemeTable:
    """Count segments (or documents) per top-level theme and value of `by`.

    Percentages are of the column's total segments (or documents), so columns of
    different sizes can be compared.
    """
    if count not in COUNTS:
        raise DialogtoolError(f"--count must be one of {', '.join(COUNTS)}, not '{count}'")
    if segments and by != "document" and all(by not in s.meta for s in segments):
        fields = sorted({k for s in segments for k in s.meta})
        raise DialogtoolError(f"no metadata field '{by}'", hint=f"fields: {', '.join(fields)}")
    themes = [c.id for c in codebook.top_level]
    rows = []
    for seg in segments:
        column = _column_value(seg.meta.get(by))
        unit = seg.document if count == "documents" else f"{seg.document}\x00{seg.id}"
        tops = {codebook.top(c) for c in seg.codes}
        for theme in tops:
            if theme not in themes:
                themes.append(theme)
        rows.append((column, unit, tops))
    columns = sorted({r[0] for r in rows}, key=_natural)
    units: dict[str, set[str]] = {c: set() for c in columns}
    hits: dict[tuple[str, str], set[str]] = {}
    for column, unit, tops in rows:
        units[column].add(unit)
        for theme in tops:
            hits.setdefault((theme, column), set()).add(unit)
    index = [codebook.label(t) for t in themes]
    counts = pd.DataFrame(
        [[len(hits.get((t, c), ())) for c in columns] for t in themes], index=index, columns=columns, dtype="int64"
    )
    counts[TOTAL] = [len(set().union(*(hits.get((t, c), set()) for c in columns))) for t in themes]
    totals = [len(units[c]) for c in columns] + [sum(len(units[c]) for c in columns)]
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
