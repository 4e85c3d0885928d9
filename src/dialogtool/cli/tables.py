"""Commands that count: `table` (themes × metadata), `cooccur` (theme × theme) and `report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import console
from .options import (
    CODEBOOK,
    CODED,
    Codebook,
    Coded,
    MatrixCount,
    MatrixFormat,
    Percent,
    Sort,
    TableCount,
    TableFormat,
)

Output = Annotated[
    Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout (required for xlsx).")
]
Ids = Annotated[bool, typer.Option("--ids", help="Name rows by code id (KE, GRUPPER.ME) instead of label.")]


def register(app: typer.Typer) -> None:
    app.command()(table)
    app.command()(cooccur)
    app.command()(report)


def table(
    ctx: typer.Context,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            "-b",
            help="Metadata field for the columns: meeting, date, table, topic, group, host, language, document.",
        ),
    ] = "meeting",
    split: Annotated[
        Optional[str],
        typer.Option(
            "--split", "-s", help="Second field: columns become (--by, --split) pairs, e.g. meeting × language."
        ),
    ] = None,
    count: Annotated[
        TableCount,
        typer.Option("--count", help="Units to count: segments, paragraphs, documents (notes) or meetings."),
    ] = TableCount.segments,
    level: Annotated[
        int, typer.Option("--level", help="1: themes, children rolled up; 2: also a row per child code.")
    ] = 1,
    percent: Annotated[
        Percent, typer.Option("--percent", help="col (of the column's N), row (of the row total) or none.")
    ] = Percent.col,
    sort: Annotated[
        Sort, typer.Option("--sort", help="Row order: codebook, or freq (row total, descending).")
    ] = Sort.codebook,
    ids: Ids = False,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.terminal,
    output: Output = None,
) -> None:
    """Theme frequency table: themes × a metadata field (or a pair of fields).

    A cell is the number of units in the column with the theme, with a column (or row)
    percentage; the last row is the number of units per column (N), the last column the
    total, each unit counted once. Reviewer edits are applied (auto + add − remove).
    """
    from ..analysis.tables import theme_table
    from ..coded.folder import load_codes
    from ..coding.codebook import load_codebook
    from ..output import delimited, markdown, terminal, xlsx

    try:
        book = load_codebook(codebook)
        console.check_output(fmt, output)
        result = theme_table(
            load_codes(coded, book.ids),
            book,
            by=by,
            count=count.value,
            split=split,
            level=level,
            percent=percent.value,
            sort=sort.value,
            ids=ids,
        )
        if fmt is TableFormat.terminal:
            console.out.print(terminal.theme_rich(result))
        elif fmt is TableFormat.xlsx:
            assert output is not None  # check_output
            xlsx.theme_xlsx(result, output)
            console.note(f"Wrote {output}")
        else:
            console.put_text(
                markdown.theme_markdown(result) if fmt is TableFormat.md else delimited.theme_csv(result), output
            )
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None


def cooccur(
    ctx: typer.Context,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    count: Annotated[
        MatrixCount, typer.Option("--count", help="Units: segments, paragraphs or documents (notes).")
    ] = MatrixCount.segments,
    jaccard: Annotated[
        bool, typer.Option("--jaccard", help="Cells as |A∩B| / |A∪B| (3 decimals) instead of counts.")
    ] = False,
    level: Annotated[int, typer.Option("--level", help="1: themes, children rolled up; 2: also each child code.")] = 1,
    ids: Ids = False,
    fmt: Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")] = MatrixFormat.terminal,
    output: Output = None,
) -> None:
    """Theme × theme matrix: units in which both themes occur; the diagonal is units with the theme.

    Shows which problems are raised together. Reviewer edits are applied, as in `table`.
    """
    from ..analysis.cooccur import cooccurrence
    from ..coded.folder import load_codes
    from ..coding.codebook import load_codebook
    from ..output import delimited, terminal, xlsx

    try:
        book = load_codebook(codebook)
        console.check_output(fmt, output)
        matrix = cooccurrence(
            load_codes(coded, book.ids), book, count=count.value, jaccard=jaccard, level=level, ids=ids
        )
        if fmt is MatrixFormat.terminal:
            console.out.print(terminal.cooccur_rich(matrix))
        elif fmt is MatrixFormat.xlsx:
            assert output is not None  # check_output
            xlsx.cooccur_xlsx(matrix, output)
            console.note(f"Wrote {output}")
        else:
            console.put_text(delimited.cooccur_csv(matrix), output)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None


def report(
    ctx: typer.Context,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the report files.")] = Path("report"),
    quotes: Annotated[int, typer.Option("--quotes", help="Quotes per theme in report.md and report.docx.")] = 3,
) -> None:
    """Write the report files in one go: themes.xlsx, report.md, report.docx and PNG charts.

    themes.xlsx has one sheet per table (themes × meeting, themes × table topic,
    co-occurrence, notes per theme); report.docx has the same tables as Word tables with
    the charts and the top quotes per theme. Reviewer edits are applied.
    """
    from ..coding.codebook import load_codebook
    from ..output.report import build_report

    try:
        result = build_report(coded, load_codebook(codebook), output, quotes_per_theme=quotes)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    console.note(
        f"Report on {result.documents} note(s) from {result.meetings} meeting(s), {result.segments} segments "
        f"({result.coded_segments} coded) → {output}"
    )
    for path in result.files:
        console.out.print(str(path), markup=False)
