"""Agreement between two codings of the same notes: percent agreement, Cohen's kappa and
Krippendorff's alpha, per theme and overall.

Each (segment, theme) pair is one binary unit: the theme is present or absent in each
coding. Only segments both codings have (same note, same text) are compared, so there is
no missing data; what could not be compared is counted and reported instead.

Kappa corrects for chance with each coder's own rates; alpha (nominal) with the pooled
rate, and it is the coefficient content analysts are asked for. Both are undefined when
there is no variation to agree on (e.g. neither coder ever used the theme): then None.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from ..coded.note import SegmentRow
from ..coding.codebook import Codebook
from .codings import Coding, align, check_level, theme_order, themes


@dataclass(frozen=True)
class Table:
    """The 2×2 table of binary decisions of coders A and B."""

    both: int = 0
    a_only: int = 0
    b_only: int = 0
    neither: int = 0

    def __add__(self, other: Table) -> Table:
        return Table(
            self.both + other.both,
            self.a_only + other.a_only,
            self.b_only + other.b_only,
            self.neither + other.neither,
        )

    @property
    def units(self) -> int:
        return self.both + self.a_only + self.b_only + self.neither

    @property
    def percent(self) -> float | None:
        """Share of units on which the coders agree, 0-100."""
        return 100 * (self.both + self.neither) / self.units if self.units else None

    @property
    def kappa(self) -> float | None:
        return cohen_kappa(self)

    @property
    def alpha(self) -> float | None:
        """Krippendorff's alpha from this table's coincidence matrix (two coders, no missing data)."""
        disagree = self.a_only + self.b_only
        return alpha_from_coincidences(
            {(1, 1): 2 * self.both, (0, 0): 2 * self.neither, (0, 1): disagree, (1, 0): disagree}
        )


def cohen_kappa(table: Table) -> float | None:
    """(Po - Pe) / (1 - Pe) with Pe from each coder's own marginal rates; None if Pe is 1."""
    n = table.units
    if not n:
        return None
    observed = (table.both + table.neither) / n
    a_yes = (table.both + table.a_only) / n
    b_yes = (table.both + table.b_only) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def coincidences(units: Iterable[Sequence[Hashable | None]]) -> dict[tuple[Hashable, Hashable], float]:
    """Krippendorff's coincidence matrix for nominal data: each ordered pair of values from
    different coders of one unit, weighted 1/(m_u - 1); None is a missing value, and units
    with fewer than two values are not pairable and left out."""
    matrix: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    matrix[(c, k)] += 1 / (m - 1)
    return dict(matrix)


def alpha_from_coincidences(matrix: dict[tuple[Hashable, Hashable], float]) -> float | None:
    """alpha = 1 - (n - 1) * sum(o_ck, c != k) / sum(n_c * n_k, c != k), nominal metric.

    None when there is nothing to pair or only one value was ever used (no expected
    disagreement).
    """
    marginals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _), count in matrix.items():
        marginals[c] += count
    n = sum(marginals.values())
    observed = sum(count for (c, k), count in matrix.items() if c != k)
    expected = n * n - sum(v * v for v in marginals.values())  # sum of n_c * n_k over c != k
    if n <= 1 or expected <= 0:
        return None
    return 1 - (n - 1) * observed / expected


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Nominal alpha for any number of coders and missing values (None); see `coincidences`."""
    return alpha_from_coincidences(coincidences(units))


@dataclass(frozen=True)
class Disagreement:
    """A segment one coder gave a theme and the other did not."""

    theme: str
    document: str
    id: str
    text: str
    coder: str  # "A" or "B": who gave the theme


@dataclass(frozen=True)
class AgreementReport:
    """Agreement of coding `a` with coding `b` over the segments they share."""

    a: str
    b: str
    level: int
    themes: tuple[tuple[str, Table], ...]  # codebook order
    overall: Table  # all (segment, theme) decisions pooled
    documents: int
    segments: int
    only_a: int  # segments whose text only one side has, in shared notes
    only_b: int
    notes_only_a: tuple[str, ...]
    notes_only_b: tuple[str, ...]
    disagreements: tuple[Disagreement, ...]
    not_reviewed: int = 0  # with `reviewed`: shared segments left out, not reviewed on both sides


def agreement(a: Coding, b: Coding, codebook: Codebook, level: int = 1, *, reviewed: bool = False) -> AgreementReport:
    """Per-theme and overall agreement over segments aligned by note and text.

    With `reviewed`, only segments that carry a review block on both sides are compared —
    two reviewers' judgements, not the automatic coding they share — and each side's label
    names its reviewers (`by:`).
    """
    check_level(level)
    aligned = align(a, b)
    pairs = aligned.pairs
    labels = a.label, b.label
    if reviewed:
        pairs = [(sa, sb) for sa, sb in pairs if sa.reviewed and sb.reviewed]
        labels = _with_reviewers(a.label, [sa for sa, _ in pairs]), _with_reviewers(b.label, [sb for _, sb in pairs])
    decided = [(sa, sb, themes(sa.codes, level), themes(sb.codes, level)) for sa, sb in pairs]
    used = set().union(*(ta | tb for _, _, ta, tb in decided)) if decided else set()
    rows = theme_order(codebook, level, used)
    counts: dict[str, Counter[str]] = {theme: Counter() for theme in rows}
    disagreements = []
    for sa, _, ta, tb in decided:
        for theme in rows:
            in_a, in_b = theme in ta, theme in tb
            key = "both" if in_a and in_b else "a_only" if in_a else "b_only" if in_b else "neither"
            counts[theme][key] += 1
            if in_a != in_b:
                disagreements.append(Disagreement(theme, sa.document, sa.id, sa.text, "A" if in_a else "B"))
    tables = tuple((theme, Table(**counts[theme])) for theme in rows)
    overall = sum((t for _, t in tables), Table())
    order = {theme: i for i, theme in enumerate(rows)}
    disagreements.sort(key=lambda d: order[d.theme])
    return AgreementReport(
        labels[0],
        labels[1],
        level,
        tables,
        overall,
        aligned.documents,
        len(pairs),
        len(aligned.only_a),
        len(aligned.only_b),
        tuple(aligned.notes_only_a),
        tuple(aligned.notes_only_b),
        tuple(disagreements),
        len(aligned.pairs) - len(pairs),
    )


def _with_reviewers(label: str, rows: Sequence[SegmentRow]) -> str:
    names = sorted({row.reviewer or "unnamed" for row in rows})
    return f"{label} (by {', '.join(names)})" if names else label
