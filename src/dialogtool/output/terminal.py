"""The terminal: every result as Rich renderables (tables, highlighted lines), for `console.out`.

Renderers build; they never print. Text that comes from the notes or the codebook goes into
`Text` objects, never into markup strings, so "[red]" in a file name stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..analysis.codings import themes
from .numbers import word
from .shapes import cell, columns, cooccur_value, depths, matrix_rows, quote_source
from .shapes import title as table_title

if TYPE_CHECKING:  # annotations only: `kwic` and `quotes` must not import pandas
    import pandas as pd

    from ..analysis.agree import AgreementReport
    from ..analysis.agree import Table as Counts
    from ..analysis.diff import CodingDiff
    from ..analysis.evaluate import Evaluation, Miss
    from ..analysis.kwic import KwicLine
    from ..analysis.project import ProjectStatus
    from ..analysis.quotes import QuoteSelection
    from ..analysis.suggest import Suggestion
    from ..analysis.tables import ThemeTable
    from ..coded.note import SegmentRow
    from ..coding.codebook import Codebook


def theme_rich(table: ThemeTable) -> Table:
    """A terminal table; two-way tables get a two-line header, each group's name over its first column."""
    out = Table(title=table_title(table), title_justify="left")
    out.add_column(table.counts.index.name or "", style="bold")
    previous = None
    for column in columns(table):
        if len(column) == 1:
            out.add_column(Text(column[0]), justify="right")
            continue
        group, sub = column
        out.add_column(Text(f"{group if group != previous else ''}\n{sub}"), justify="right")
        previous = group
    last = len(table.counts) - 1
    levels = depths(table)
    for r, label in enumerate(table.counts.index):
        out.add_row(
            Text("  " * (levels[r] - 1) + str(label)),
            *(cell(table, r, c) for c in range(len(table.counts.columns))),
            end_section=r == last - 1,
        )
    return out


def _cooccur_title(matrix: pd.DataFrame) -> str:
    """In Norwegian, like the table it heads: «Samforekomst — segmenter med begge tema …»."""
    count = word(matrix.attrs.get("count", "segments"))
    if matrix.attrs.get("measure") == "jaccard":
        return f"Samforekomst — {count}, Jaccard |A∩B| / |A∪B|"
    return f"Samforekomst — {count} med begge tema (diagonalen: med temaet)"


def cooccur_rich(matrix: pd.DataFrame) -> Table:
    """The matrix in the terminal, the diagonal in bold. Columns are headed by code id, since
    labels as headers would wrap into tall, narrow columns; a Kode column maps id to label."""
    codes = matrix.attrs.get("codes") or [str(c) for c in matrix.columns]
    with_ids = list(map(str, matrix.index)) != list(codes)
    out = Table(title=_cooccur_title(matrix), title_justify="left")
    out.add_column(matrix.index.name or "", style="bold", no_wrap=True)
    if with_ids:
        out.add_column("Kode")
    for code in codes:
        out.add_column(Text(code), justify="right")
    for r, row in enumerate(matrix_rows(matrix, "  ")):
        cells = [Text(cooccur_value(v), style="bold" if c == r else "") for c, v in enumerate(row[1:])]
        out.add_row(Text(str(row[0])), *([Text(codes[r])] if with_ids else []), *cells)
    return out


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def evaluation_by_rule_rich(evaluation: Evaluation) -> Table:
    """True and false codes per source of evidence: which rule earns its keep."""
    out = Table(title="Codes by the evidence that gave them (maybe pairs skipped)", title_justify="left")
    for name in ("Evidence", "True", "False", "Precision"):
        out.add_column(name, justify="left" if name == "Evidence" else "right")
    for rule, score in evaluation.by_rule.items():
        out.add_row(rule, str(score.tp), str(score.fp), _pct(score.precision))
    return out


def evaluation_by_language_rich(evaluation: Evaluation) -> Table:
    """Micro-averaged scores per written standard of the notes (nb, nn)."""
    out = Table(title="Scores by language of the note", title_justify="left")
    for name in ("Language", "P", "R", "F1", "TP", "FP", "FN"):
        out.add_column(name, justify="left" if name == "Language" else "right")
    for language, score in sorted(evaluation.by_language.items()):
        out.add_row(
            language,
            _pct(score.precision),
            _pct(score.recall),
            _pct(score.f1),
            str(score.tp),
            str(score.fp),
            str(score.fn),
        )
    return out


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
        out.add_column(name, justify="left" if justify == "left" else "right")
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


def quotes_rich(selection: QuoteSelection) -> list[Any]:
    """Renderables for the terminal: matched terms highlighted, the source dimmed under each quote.

    Each quote and source line is indented as a block, so wrapped lines stay indented.
    """

    items: list[Any] = [Text(selection.title, style="bold")]
    for group in selection.groups:
        if group.value is not None:
            shown = f"{len(group.quotes)} of {group.total}" if len(group.quotes) < group.total else str(group.total)
            items += [Text(""), Text(f"{group.value} ({shown})", style="bold underline")]
        for quote in group.quotes:
            line = Text("«")
            at = 0
            for start, end in quote.spans:
                line.append(quote.text[at:start])
                line.append(quote.text[start:end], style="bold yellow")
                at = end
            line.append(quote.text[at:] + "»")
            if quote.note:
                line.append(f"  {quote.note}", style="italic cyan")
            items += [Text(""), Padding(line, (0, 0, 0, 2), expand=False)]
            source = quote_source(quote)
            if source:
                items.append(Padding(Text(source, style="dim"), (0, 0, 0, 3), expand=False))
    return items


def kwic_rich(lines: Sequence[KwicLine], width: int) -> list[Text]:
    """Aligned lines: source, left context right-aligned, the match highlighted, right context."""

    label = max((len(f"{line.document} {line.id}") for line in lines), default=0)
    rendered = []
    for line in lines:
        text = Text(f"{line.document} {line.id}".ljust(label), style="dim")
        text.append("  " + line.left.rjust(width))
        text.append(line.match, style="bold yellow")
        text.append(line.right)
        rendered.append(text)
    return rendered


def suggest_rich(rows: Sequence[Suggestion], forms: int = 4) -> Table:
    """A table: lemma, count, notes, and the most frequent surface forms with their counts."""

    table = Table(title="Frequent words in uncoded segments, not covered by the codebook", title_justify="left")
    table.add_column("lemma", style="bold")
    table.add_column("count", justify="right")
    table.add_column("notes", justify="right")
    table.add_column("forms")
    for row in rows:
        shown = ", ".join(f"{form} ×{n}" for form, n in row.forms[:forms])
        if len(row.forms) > forms:
            shown += ", …"
        table.add_row(row.lemma, str(row.count), str(row.documents), shown)
    return table


def _theme_name(codebook: Codebook, theme: str) -> str:
    label = codebook.label(theme)
    return theme if label == theme else f"{theme} {label}"


def _segment_line(sign: str, colour: str, seg: SegmentRow, codes: str = "") -> Text:

    line = Text("  ")
    line.append(sign, style=f"bold {colour}")
    line.append(f" {seg.document} {seg.id}  ", style="dim")
    line.append(seg.text)
    if codes:
        line.append(f"  [{codes}]", style="cyan")
    return line


def diff_rich(result: CodingDiff, codebook: Codebook) -> list[Any]:
    """Per theme the segments that gained (+) or lost (−) it, then text found on one side only."""
    out: list[Any] = []

    out.append(Text(f"Coding changes: {result.a} → {result.b}", style="bold"))
    for change in result.themes:
        head = Text(f"{_theme_name(codebook, change.theme)}: ", style="bold")
        head.append(f"+{len(change.gained)}", style="green")
        head.append(" / ")
        head.append(f"−{len(change.lost)}", style="red")
        out.append(head)
        for seg in change.gained:
            out.append(_segment_line("+", "green", seg))
        for seg in change.lost:
            out.append(_segment_line("−", "red", seg))
    for title, segments, sign, colour in (
        (f"Text only in {result.a} (removed or edited)", result.removed, "−", "red"),
        (f"Text only in {result.b} (added or edited)", result.added, "+", "green"),
    ):
        if segments:
            out.append(Text(f"{title}: {len(segments)} segment(s)", style="bold"))
            for seg in segments:
                out.append(_segment_line(sign, colour, seg, ", ".join(sorted(themes(seg.codes, result.level)))))
    for title, notes in (
        (f"Notes only in {result.a}", result.notes_removed),
        (f"Notes only in {result.b}", result.notes_added),
    ):
        if notes:
            out.append(Text(f"{title}: " + ", ".join(f"{name} ({n} segments)" for name, n in notes), style="bold"))
    gained = sum(len(c.gained) for c in result.themes)
    lost = sum(len(c.lost) for c in result.themes)
    out.append(f"{len(result.themes)} theme(s) changed: +{gained} / −{lost}.")
    return out


def agreement_rich(report: AgreementReport, codebook: Codebook, details: bool) -> list[Any]:
    """The agreement table, a summary line and (with `details`) who gave which theme where."""
    out: list[Any] = []

    table = Table(title=f"Agreement: A = {report.a}, B = {report.b}", title_justify="left")
    table.add_column("Theme")
    for name in ("Units", "A", "B", "Both", "Agreement", "Cohen's κ", "Krippendorff's α"):
        table.add_column(name, justify="right")
    for theme, counts in report.themes:
        table.add_row(Text(_theme_name(codebook, theme)), *_cells(counts))
    table.add_section()
    table.add_row("Overall (pooled)", *_cells(report.overall), style="bold")
    out.append(table)
    skipped = report.only_a + report.only_b
    out.append(
        f"{report.segments} segment(s) in {report.documents} note(s) compared × {len(report.themes)} theme(s) = "
        f"{report.overall.units} decisions."
        + (f" Not compared: {report.only_a} segment(s) only in A, {report.only_b} only in B." if skipped else "")
    )
    if details and report.disagreements:
        out.append(Text("Disagreements (who gave the theme)", style="bold"))
        for item in report.disagreements:
            line = Text(f"  {item.theme:10} ")
            line.append(item.coder, style="bold yellow" if item.coder == "A" else "bold magenta")
            line.append(f" {item.document} {item.id}  ", style="dim")
            line.append(item.text)
            out.append(line)
    return out


def _cells(counts: Counts) -> list[str]:
    def number(value: float | None, digits: int = 3) -> str:
        return "n/a" if value is None else f"{value:.{digits}f}"

    percent = "n/a" if counts.percent is None else f"{counts.percent:.1f}%"
    return [
        str(counts.units),
        str(counts.both + counts.a_only),
        str(counts.both + counts.b_only),
        str(counts.both),
        percent,
        number(counts.kappa),
        number(counts.alpha),
    ]


def metadata_rich(fields: Sequence[str], rows: Sequence[tuple[str, list[str]]]) -> Table:
    """`meta`: one row per note file, one column per metadata field (file names stay literal)."""
    table = Table(title="Detected metadata (* = from meta.yaml)", title_justify="left")
    table.add_column("file")
    for name in fields:
        table.add_column(name)
    for path, cells in rows:
        table.add_row(Text(path), *(Text(c) for c in cells))
    return table


def misses_rich(misses: Sequence[Miss]) -> list[Text]:
    """`evaluate`'s misses and false hits, one line each, under a heading."""
    lines = [Text("\nMisses and false hits", style="bold")]
    for miss in misses:
        line = Text(f"{miss.kind:9}", style="yellow" if miss.kind == "miss" else "red")
        line.append(f" {miss.theme:8} {miss.document}: {miss.text}")
        lines.append(line)
    return lines


def segment_rows_rich(segments: Sequence[SegmentRow], width: int) -> list[Text]:
    """Segments as lines: note and segment id (dimmed, padded to `width`), then the text."""
    lines = []
    for segment in segments:
        line = Text(f"{segment.document} {segment.id}".ljust(width), style="dim")
        line.append("  " + segment.text)
        lines.append(line)
    return lines


def status_lines(status: ProjectStatus, coded: str) -> list[Text]:
    """`dialogtool status` as `git status` reads: counts first, then what needs doing, by name."""
    lines = [
        Text(f"Notes: {status.notes} found, {status.coded} coded into {coded}, {len(status.out_of_date)} out of date"),
        Text(
            f"Segments (headings left out): {status.segments}, {status.reviewed} reviewed, "
            f"{status.accepted} of them accepted as coded, {status.unreviewed} unreviewed"
        ),
    ]
    if status.reviewers:
        who = ", ".join(f"{name or '(no by:)'} {count}" for name, count in sorted(status.reviewers.items()))
        lines.append(Text(f"Reviewed by: {who}"))
    groups = (
        (
            "Out of date (source, meta.yaml or codebook changed since coding; run `dialogtool code`):",
            status.out_of_date,
        ),
        ("Not coded yet (run `dialogtool code`):", status.not_coded),
        ("Coded files without a note:", status.orphans),
        ("Cannot be read (fix the line named):", status.problems),
    )
    for title, names in groups:
        if names:
            lines.append(Text(""))
            lines.append(Text(title, style="bold"))
            lines.extend(Text(f"  {name}") for name in names)
    if status.unplaced_reviews:
        lines.append(Text(""))
        lines.append(
            Text(f"Unplaced reviews: {status.unplaced_reviews} (their segment text changed; see the coded files)")
        )
    return lines


def notes_rich(rows: Sequence[tuple[str, ...]], headers: Sequence[str]) -> Table:
    """Reviewers' notes and edits: one row per review block, the segment text last and wrapped."""
    out = Table(title="Merknader og endringer fra gjennomgang", title_justify="left")
    for index, header in enumerate(headers):
        out.add_column(header, overflow="fold", ratio=3 if index == len(headers) - 1 else None)
    for row in rows:
        out.add_row(*(Text(value) for value in row))
    return out
