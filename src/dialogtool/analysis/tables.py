"""Theme frequency tables: themes (children rolled up, or shown) by one or two metadata fields.

A cell counts units (segments, paragraphs, notes or meetings) in its column that have
the theme, because report writers compare how often themes came up, not how many times
a word was used. Headings (titles, «Kafébord 1.», task lines) are not units of analysis:
they are left out of every count and every N unless asked for (`headings=True`), so all
tables, `cooccur` and `uncoded` share one denominator. `evidence="direct"` counts only codes
a segment has from its own words (or a reviewer), not those it has from its context.
Codes outside the codebook (a typo in a reviewer's `add`) still get a
row, so nothing a reviewer did silently disappears from the totals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ..coded.folder import DocumentCodes
from ..coding.codebook import Codebook
from ..errors import DialogtoolError
from ..langdata import REPORT_WORDS

COUNTS = ("segments", "paragraphs", "documents", "meetings")
PERCENTS = ("col", "row", "none")
SORTS = ("codebook", "freq")
EVIDENCE = ("all", "direct")
LEVELS = (1, 2)
MISSING = "(ukjent)"
TOTAL = "Totalt"


@dataclass(frozen=True)
class ThemeRow:
    """A row of a theme table: the code it counts, the name shown, and its depth (1 = theme)."""

    id: str
    name: str
    depth: int


@dataclass(frozen=True)
class ThemeTable:
    """Counts and percentages; the last row holds the number of units per column (N).

    Columns are the values of `by` (or `(by, split)` pairs in a two-level column index)
    and then `Totalt`. `percents` is None when percentages were switched off; `rows`
    describes each row but the last, in order.
    """

    counts: pd.DataFrame
    percents: pd.DataFrame | None
    by: str
    count: str
    split: str | None = None
    percent: str = "col"
    level: int = 1
    rows: tuple[ThemeRow, ...] = ()
    headings: bool = False  # heading segments counted as units
    evidence: str = "all"  # "direct": codes from context left out


def theme_table(
    documents: list[DocumentCodes],
    codebook: Codebook,
    by: str = "meeting",
    count: str = "segments",
    *,
    split: str | None = None,
    level: int = 1,
    percent: str = "col",
    sort: str = "codebook",
    ids: bool = False,
    headings: bool = False,
    evidence: str = "all",
    language: str = "nb",
) -> ThemeTable:
    """Count units per theme and value of `by` (and of `split`, for a two-way table).

    Units: `segments`; `paragraphs` (distinct note + paragraph); `documents` (notes);
    `meetings` (distinct `meeting` values: a theme came up at a meeting when any segment
    of any of its notes has it). The Totalt column counts each unit once, so for meetings,
    which can span columns, it can be less than the sum of the row.

    `level` 1 rolls children up into their theme; 2 adds a row per child code under its
    theme (the theme's row keeps its rolled-up total). Percentages are of the column's N
    (`col`, so columns of different sizes compare) or of the row's total (`row`, where
    each theme was raised).
    """
    _check(documents, by, count, split, level, percent, sort)
    documents = counted(documents, headings, evidence)
    merged = {field: topic_names(documents, codebook) for field in ("topic",) if field in (by, split)}
    fields = (by,) if split is None else (by, split)
    rows_of: dict[str, tuple[str, ...]] = {}
    hits: dict[tuple[str, tuple[str, ...]], int] = {}
    units: dict[tuple[str, ...], int] = {}
    row_totals: dict[str, int] = {}
    n_total = 0
    meetings: dict[tuple[str, tuple[str, ...]], set[str]] = {}
    meeting_rows: dict[str, set[str]] = {}
    for doc in documents:
        column = tuple(_column_value(doc.meta.get(f), merged.get(f)) for f in fields)
        if count == "meetings":
            found = _document_rows(doc, level, rows_of)
            name = _column_value(doc.meta.get("meeting"))
            meetings.setdefault((name, column), set()).update(found)
            meeting_rows.setdefault(name, set()).update(found)
            continue
        doc_units = units_of(doc, count, level, rows_of)
        units[column] = units.get(column, 0) + len(doc_units)
        n_total += len(doc_units)
        for found in doc_units:
            for row in found:
                hits[(row, column)] = hits.get((row, column), 0) + 1
                row_totals[row] = row_totals.get(row, 0) + 1
    if count == "meetings":
        for (_, column), found in meetings.items():
            units[column] = units.get(column, 0) + 1
            for row in found:
                hits[(row, column)] = hits.get((row, column), 0) + 1
        for found in meeting_rows.values():
            for row in found:
                row_totals[row] = row_totals.get(row, 0) + 1
        n_total = len(meeting_rows)

    rows = row_order(codebook, level, row_totals, sort)
    names = row_names(codebook, rows, ids)
    columns = sorted(units, key=lambda key: tuple(_natural(v) for v in key))
    data = [[hits.get((r, c), 0) for c in columns] + [row_totals.get(r, 0)] for r in rows]
    data.append([units[c] for c in columns] + [n_total])
    if split is None:
        header: pd.Index = pd.Index([c[0] for c in columns] + [TOTAL], name=by)
    else:
        header = pd.MultiIndex.from_tuples([*columns, (TOTAL, "")], names=[by, split])
    index = pd.Index([*names, n_label(count, language)], name="Kode" if ids else "Tema")
    counts = pd.DataFrame(data, index=index, columns=header, dtype="int64")
    meta = tuple(ThemeRow(r, n, r.count(".") + 1) for r, n in zip(rows, names, strict=True))
    return ThemeTable(counts, _percents(counts, percent), by, count, split, percent, level, meta, headings, evidence)


def counted(documents: list[DocumentCodes], headings: bool = False, evidence: str = "all") -> list[DocumentCodes]:
    """The notes as tables count them: without heading segments (unless `headings`), and with
    `evidence="direct"` without the codes a segment has only from its context."""
    if evidence not in EVIDENCE:
        raise DialogtoolError(f"--evidence must be one of {', '.join(EVIDENCE)}, not '{evidence}'")
    result = []
    for doc in documents:
        keep = (
            range(len(doc.codes))
            if headings or not doc.headings
            else [i for i, heading in enumerate(doc.headings) if not heading]
        )
        codes = [doc.codes[i] for i in keep]
        if evidence == "direct" and doc.derived:
            codes = [tuple(c for c in doc.codes[i] if c not in doc.derived[i]) for i in keep]
        if len(codes) == len(doc.codes) and evidence == "all":
            result.append(doc)
            continue
        result.append(
            replace(
                doc,
                ids=tuple(doc.ids[i] for i in keep),
                codes=tuple(codes),
                paras=tuple(doc.paras[i] for i in keep) if doc.paras else (),
                headings=(),
                derived=(),
            )
        )
    return result


def n_label(count: str, language: str = "nb") -> str:
    """The last row's label, in the report's language: «N (segmenter)»."""
    words = REPORT_WORDS.get(count)
    return f"N ({count if words is None else words[0 if language == 'nb' else 1]})"


def units_of(doc: DocumentCodes, count: str, level: int, rows_of: dict[str, tuple[str, ...]]) -> list[set[str]]:
    """The note's units (segments, paragraphs or the note itself), each as the set of rows it has.

    `rows_of` caches each code's rows (GRUPPER.ME -> GRUPPER, GRUPPER.ME at level 2)
    across notes, since a corpus uses few distinct codes many times.
    """
    if count == "segments":
        return [_segment_rows(codes, level, rows_of) for codes in doc.codes]
    if count == "paragraphs":
        paras: dict[int, set[str]] = {}
        positions = doc.paras or range(-1, -1 - len(doc.codes), -1)
        for para, codes in zip(positions, doc.codes, strict=True):
            paras.setdefault(para, set()).update(_segment_rows(codes, level, rows_of))
        return list(paras.values())
    return [_document_rows(doc, level, rows_of)]


def code_rows(code: str, level: int) -> tuple[str, ...]:
    """The rows a code counts in: its prefixes down to `level` (GRUPPER.ME -> GRUPPER, GRUPPER.ME)."""
    parts = code.split(".")
    return tuple(".".join(parts[:i]) for i in range(1, min(level, len(parts)) + 1))


def row_order(codebook: Codebook, level: int, totals: dict[str, int], sort: str) -> list[str]:
    """Codebook codes down to `level`, then any other code found, as a tree.

    Children stay under their parent; `freq` sorts siblings by total, descending, with
    ties in codebook order, so the hierarchy survives the sort.
    """
    position = codebook.order()
    rows = [c.id for c in codebook.codes if c.id.count(".") < level]
    rows += sorted(set(totals) - set(rows))

    def key(code_id: str) -> list[tuple[object, ...]]:
        path: list[tuple[object, ...]] = []
        for prefix in code_rows(code_id, code_id.count(".") + 1):
            place = (0, position[prefix], "") if prefix in position else (1, 0, prefix)
            path.append(((-totals.get(prefix, 0),) if sort == "freq" else ()) + place)
        return path

    return sorted(rows, key=key)


def row_names(codebook: Codebook, rows: Sequence[str], ids: bool) -> list[str]:
    """Codebook labels (or the ids); a label used by two codes gets its id added, so rows stay unique."""
    if ids:
        return list(rows)
    labels = [codebook.label(r) for r in rows]
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [label if seen[label] == 1 else f"{label} ({r})" for label, r in zip(labels, rows, strict=True)]


def _check(
    documents: list[DocumentCodes], by: str, count: str, split: str | None, level: int, percent: str, sort: str
) -> None:
    for option, value, allowed in (
        ("--count", count, COUNTS),
        ("--percent", percent, PERCENTS),
        ("--sort", sort, SORTS),
        ("--level", level, LEVELS),
    ):
        if value not in allowed:
            raise DialogtoolError(f"{option} must be one of {', '.join(map(str, allowed))}, not '{value}'")
    if split is not None and split == by:
        raise DialogtoolError(f"--split must be another field than --by ('{by}')")
    for field in (by,) if split is None else (by, split):
        check_field(documents, field)


def check_field(documents: list[DocumentCodes], field: str) -> None:
    """A field no note has is a typo, not an all-unknown column."""
    if documents and all(field not in d.meta for d in documents):
        fields = sorted({k for d in documents for k in d.meta})
        raise DialogtoolError(f"no metadata field '{field}'", hint=f"fields: {', '.join(fields)}")


def _segment_rows(codes: Iterable[str], level: int, rows_of: dict[str, tuple[str, ...]]) -> set[str]:
    found: set[str] = set()
    for code in codes:
        rows = rows_of.get(code)
        if rows is None:
            rows = rows_of[code] = code_rows(code, level)
        found.update(rows)
    return found


def _document_rows(doc: DocumentCodes, level: int, rows_of: dict[str, tuple[str, ...]]) -> set[str]:
    return _segment_rows((c for codes in doc.codes for c in codes), level, rows_of)


def _percents(counts: pd.DataFrame, percent: str) -> pd.DataFrame | None:
    """Cell / column N (`col`) or cell / row total (`row`), rounded half up to 0.1 from the exact
    quotient (5 of 8 is 62.5, shown as 63 %, never 62 %); 0 where the base is 0."""
    if percent == "none":
        return None
    values = counts.to_numpy()
    shares = [
        [
            percent_of(int(values[r, c]), int(values[-1, c] if percent == "col" else values[r, -1]))
            for c in range(values.shape[1])
        ]
        for r in range(values.shape[0])
    ]
    return pd.DataFrame(shares, index=counts.index, columns=counts.columns, dtype="float64")


def percent_of(count: int, base: int) -> float:
    """count / base in percent, rounded half up to one decimal (0 where base is 0)."""
    if not base:
        return 0.0
    exact = Decimal(count) * 100 / Decimal(base)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _column_value(value: object, names: dict[str, str] | None = None) -> str:
    if value is None or value == "":
        return MISSING
    text = str(value)
    return names.get(text, text) if names else text


def topic_names(documents: Sequence[DocumentCodes], codebook: Codebook) -> dict[str, str]:
    """Each table topic as notes write it → the one name a table shows for it.

    A variant the codebook's `topics:` lists gets its topic's name. Other topics that differ only
    in case or spacing («Kompetanse», «kompetanse ») are one topic, named by their most frequent
    spelling (ties: the first in sort order), with a capital first letter as a table heading has.
    """
    listed = {variant.casefold(): name for name, variants in codebook.topics.items() for variant in variants}
    listed.update({name.casefold(): name for name in codebook.topics})
    spellings: dict[str, dict[str, int]] = {}
    for doc in documents:
        value = doc.meta.get("topic")
        if value is None or value == "":
            continue
        text = str(value)
        key = " ".join(text.split()).casefold()
        spellings.setdefault(key, {})
        spellings[key][text] = spellings[key].get(text, 0) + 1
    result = {}
    for key, seen in spellings.items():
        if key in listed:
            name = listed[key]
        else:
            best = min(seen, key=lambda s: (-seen[s], s))
            name = " ".join(best.split())
            name = name[:1].upper() + name[1:]
        result.update(dict.fromkeys(seen, name))
    return result


def _natural(value: str) -> tuple[object, ...]:
    """Sort "2" before "10" and put the unknown column last."""
    return (value == MISSING, [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", value)])
