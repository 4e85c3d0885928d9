"""Theme co-occurrence: how often two themes are raised in the same segment, paragraph or note.

Report writers ask which problems come together (lack of competence *and* poor
information flow); a theme × theme matrix answers that. Units and the reviewed coding
are the same as in `tables` (headings left out unless asked for), so the diagonal equals
the Totalt column of `dialogtool table` with the same --count, --level and options.
"""

from __future__ import annotations

import pandas as pd

from ..coded.folder import DocumentCodes
from ..coding.codebook import Codebook
from ..errors import DialogtoolError
from .tables import LEVELS, counted, row_names, row_order, units_of

COUNTS = ("segments", "paragraphs", "documents")


def cooccurrence(
    documents: list[DocumentCodes],
    codebook: Codebook,
    count: str = "segments",
    *,
    jaccard: bool = False,
    level: int = 1,
    ids: bool = False,
    headings: bool = False,
    evidence: str = "all",
) -> pd.DataFrame:
    """A symmetric theme × theme matrix of units that have both themes; the diagonal is units with the theme.

    With `jaccard`, a cell is |A∩B| / |A∪B| (units with both over units with either),
    rounded to 3 decimals, so pairs of common themes do not dominate; 0 where neither
    theme occurs. Rows and columns are codebook labels (or ids), children indented at
    level 2 only in rendering. `attrs` keeps `count`, `measure`, `level` and the row
    `codes`, which renderers use for titles and indentation.
    """
    if count not in COUNTS:
        raise DialogtoolError(f"--count must be one of {', '.join(COUNTS)}, not '{count}'")
    if level not in LEVELS:
        raise DialogtoolError(f"--level must be one of {', '.join(map(str, LEVELS))}, not '{level}'")
    documents = counted(documents, headings, evidence)
    rows_of: dict[str, tuple[str, ...]] = {}
    both: dict[tuple[str, str], int] = {}
    for doc in documents:
        for found in units_of(doc, count, level, rows_of):
            for a in found:
                for b in found:
                    both[(a, b)] = both.get((a, b), 0) + 1
    totals = {a: n for (a, b), n in both.items() if a == b}
    rows = row_order(codebook, level, totals, "codebook")
    names = row_names(codebook, rows, ids)
    matrix = pd.DataFrame(
        [[both.get((a, b), 0) for b in rows] for a in rows], index=names, columns=names, dtype="int64"
    )
    if jaccard:
        either = pd.DataFrame(
            [[totals.get(a, 0) + totals.get(b, 0) - both.get((a, b), 0) for b in rows] for a in rows],
            index=names,
            columns=names,
            dtype="int64",
        )
        matrix = (matrix / either.where(either > 0)).fillna(0.0).round(3)
    matrix.index.name = "Kode" if ids else "Tema"
    matrix.attrs = {
        "count": count,
        "measure": "jaccard" if jaccard else "count",
        "level": level,
        "codes": list(rows),
        "depths": [r.count(".") + 1 for r in rows],
    }
    return matrix
